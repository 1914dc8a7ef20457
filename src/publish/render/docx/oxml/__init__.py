"""Raw WordprocessingML for the DOCX renderer: the only package that builds OOXML by hand.

``elements`` builds body content (paragraph and run properties, fields, bookmarks, section properties),
``parts`` the font table with embedded fonts, the styles and the settings, ``schema`` holds the ECMA-376 child
sequences both write in.
"""
