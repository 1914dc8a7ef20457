"""Readers for inputs that are not plain text: Word documents (``word*``) and PDFs (``pdf``).

Each turns one file into what the rest of the pipeline reads: a PDF into plain text for cleaning and parsing,
a Word document into a ``Booklet`` built from its styles, formatting and text patterns.
"""
