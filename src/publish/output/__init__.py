"""What works on a finished PDF: saddle-stitch imposition and page previews."""
