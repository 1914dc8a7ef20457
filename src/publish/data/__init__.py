"""Data files shipped with ``publish`` (the 8105 list) and the character sets built from codecs."""
