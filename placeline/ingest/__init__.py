"""Ingest stage: text, files and URLs become a ``Document``.

``document_from_text`` is the one constructor every source goes through, so the checks
(empty, too long) and the metadata rules (header date, language) live in one place.
Uploads (``document_from_upload``) and URLs (``fetch_article``, the only module doing HTTP for
articles) decode and extract first, then call it.
"""

from placeline.ingest.fetch import fetch_article
from placeline.ingest.files import document_from_upload
from placeline.ingest.html import document_from_html
from placeline.ingest.text import (
    decode_text_bytes,
    detect_language,
    document_from_text,
    document_id_for,
)

__all__ = [
    "decode_text_bytes",
    "detect_language",
    "document_from_html",
    "document_from_text",
    "document_from_upload",
    "document_id_for",
    "fetch_article",
]
