"""Uploaded files -> Document: .txt/.md, .html/.htm, .docx and .pdf.

Every check a journalist can trip over (empty, too large, binary, wrong type, unknown encoding,
damaged or encrypted file) raises InputError with a one-line message naming the file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import PurePath

import lxml.etree

from placeline.errors import InputError
from placeline.ingest.html import decode_html_bytes, document_from_html
from placeline.ingest.text import decode_text_bytes, document_from_text
from placeline.model import Document
from placeline.settings import Settings

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

# File signatures of things people upload by mistake, with the name a journalist knows them by.
_MAGIC_NUMBERS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an audio or video file"),
    (b"\x1aE\xdf\xa3", "a video file"),
    (b"SQLite format 3\x00", "a database file"),
)

_WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DC_NS = "http://purl.org/dc/elements/1.1/"
# A .docx is a ZIP: cap what we unpack so a small upload cannot expand into gigabytes.
_MAX_DOCX_XML_BYTES = 50_000_000
_MAX_PDF_PAGES = 2_000


def sniff_binary_kind(data: bytes) -> str | None:
    """What kind of non-text file ``data`` is ("a PNG image" …), or None if it may be text."""
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if data[4:12] in (b"ftypisom", b"ftypmp42", b"ftypM4A ", b"ftypqt  ", b"ftypheic"):
        return "a video, audio or photo file"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "an image, audio or video file"
    return None


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def _xml_parser() -> lxml.etree.XMLParser:
    # No entities, no network, no huge trees: the file comes from outside.
    return lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _read_zip_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes | None:
    try:
        info = archive.getinfo(member)
    except KeyError:
        return None
    if info.file_size > _MAX_DOCX_XML_BYTES:
        raise InputError(f"{name} is too large to read once unpacked")
    with archive.open(info) as handle:
        data = handle.read(_MAX_DOCX_XML_BYTES + 1)
    if len(data) > _MAX_DOCX_XML_BYTES:
        raise InputError(f"{name} is too large to read once unpacked")
    return data


def docx_text(data: bytes, *, name: str = "the file") -> tuple[str, str | None]:
    """(text, title) of a Word .docx: paragraphs separated by a blank line, tabs and line
    breaks kept; headers, footers and footnotes left out (they are rarely the article)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = _read_zip_member(archive, "word/document.xml", name)
            core = _read_zip_member(archive, "docProps/core.xml", name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as exc:
        raise InputError(f"{name} is not a readable Word document (.docx)") from exc
    if body is None:
        raise InputError(f"{name} is not a Word document (.docx): it has no document text")
    try:
        root = lxml.etree.fromstring(body, parser=_xml_parser())
    except lxml.etree.XMLSyntaxError as exc:
        raise InputError(f"{name} is a damaged Word document (.docx)") from exc
    paragraphs: list[str] = []
    for paragraph in root.iter(f"{{{_WORD_NS}}}p"):
        pieces: list[str] = []
        for node in paragraph.iter(f"{{{_WORD_NS}}}t", f"{{{_WORD_NS}}}tab", f"{{{_WORD_NS}}}br"):
            if node.tag.endswith("}t"):
                pieces.append(node.text or "")
            elif node.tag.endswith("}tab"):
                pieces.append("\t")
            else:
                pieces.append("\n")
        line = "".join(pieces).strip()
        if line:
            paragraphs.append(line)
    title = None
    if core is not None:
        try:
            core_root = lxml.etree.fromstring(core, parser=_xml_parser())
            title = (core_root.findtext(f"{{{_DC_NS}}}title") or "").strip() or None
        except lxml.etree.XMLSyntaxError:
            title = None
    return "\n\n".join(paragraphs), title


def pdf_text(
    data: bytes, *, name: str = "the file", max_chars: int | None = None
) -> tuple[str, str | None]:
    """(text, title) of a PDF's text layer. Scanned PDFs have none: that is an InputError."""
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is password-protected; save an unprotected copy")
        if len(reader.pages) > _MAX_PDF_PAGES:
            raise InputError(f"{name} has more than {_MAX_PDF_PAGES:,} pages; split it first")
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            page_text = (page.extract_text() or "").strip()
            pages.append(page_text)
            total += len(page_text)
            if max_chars is not None and total > max_chars:
                break  # document_from_text reports the limit
        metadata = reader.metadata
        title = (metadata.title or "").strip() or None if metadata else None
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"{name} is a damaged or unreadable PDF") from exc
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        raise InputError(
            f"{name} has no text layer (probably a scan); placeline cannot read text in images"
        )
    return text, title


def document_from_upload(
    name: str,
    data: bytes,
    *,
    lang: str | None = None,
    published: str | dt.date | None = None,
    settings: Settings | None = None,
) -> Document:
    """Build a Document from an uploaded file, chosen by its extension and checked by content.

    .txt/.md keep the decoded text exactly (offsets index it); .html/.htm keep only the article
    text; .docx and .pdf give their text. The title is the document's own, else the file name.
    """
    settings = settings or Settings()
    display = f"the file {PurePath(name).name or name!r}"
    suffix = PurePath(name).suffix.lower()
    if not data:
        raise InputError(f"{display} is empty")
    if len(data) > settings.max_fetch_bytes:
        raise InputError(
            f"{display} is {_size_text(len(data))}; the limit is {_size_text(settings.max_fetch_bytes)}"
        )
    kind = sniff_binary_kind(data)
    fallback_title = PurePath(name).stem or None

    if suffix == ".docx":
        if kind != "a ZIP archive or Office document":
            raise InputError(
                f"{display} is not a Word .docx document" + (f" (it is {kind})" if kind else "")
            )
        text, title = docx_text(data, name=display)
        return document_from_text(
            text, title=title or fallback_title, lang=lang, published=published, settings=settings
        )
    if suffix == ".pdf":
        if kind != "a PDF document":
            raise InputError(f"{display} is not a PDF" + (f" (it is {kind})" if kind else ""))
        text, title = pdf_text(data, name=display, max_chars=settings.max_text_chars)
        return document_from_text(
            text, title=title or fallback_title, lang=lang, published=published, settings=settings
        )
    if suffix == ".doc":
        raise InputError(
            f"{display} is an old Word .doc file; save it as .docx or .txt and try again"
        )
    if kind is not None:
        raise InputError(f"{display} is not a text file (it looks like {kind})")
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(data)):
        html = decode_html_bytes(data, name=display)
        return document_from_html(
            html,
            lang=lang,
            published=published,
            default_title=fallback_title,
            name=display,
            settings=settings,
        )
    if suffix not in TEXT_SUFFIXES and suffix:
        raise InputError(
            f"{display} has the type {suffix}, which placeline cannot read; "
            f"use {', '.join(SUPPORTED_SUFFIXES)}"
        )
    text = decode_text_bytes(data, name=display)
    _reject_control_heavy(text, display)
    return document_from_text(
        text, title=fallback_title, lang=lang, published=published, settings=settings
    )


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _reject_control_heavy(text: str, display: str) -> None:
    """Binary data that happens to decode (no NUL bytes) is full of control characters."""
    sample = text[:100_000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls > max(8, len(sample) // 100):
        raise InputError(f"{display} is not a text file (it contains binary data)")
