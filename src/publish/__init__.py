"""publish: Chinese speech texts to a GB/T 9704 公文-style booklet, DOCX and PDF from one layout."""

from __future__ import annotations

__version__ = "0.1.0"
