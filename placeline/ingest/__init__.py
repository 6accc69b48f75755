"""Ingest stage: text, files and URLs become a ``Document``.

``document_from_text`` is the one constructor every source goes through, so the checks
(empty, too long) and the metadata rules (header date, language) live in one place.
"""

from placeline.ingest.text import document_from_text, detect_language, document_id_for

__all__ = ["document_from_text", "detect_language", "document_id_for"]
