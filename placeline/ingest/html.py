"""HTML -> Document: the article's main text (trafilatura), its title and its publication date
(htmldate, metadata only).

Only text ever leaves this module: scripts, styles, comments and attributes such as ``onerror``
are never part of the result, so hostile markup cannot reach the pages through the article.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import lxml.etree
import lxml.html

from placeline.errors import InputError
from placeline.ingest.text import decode_text_bytes, document_from_text
from placeline.model import Document
from placeline.settings import Settings

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Elements whose content is never article text.
_DROPPED_ELEMENTS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "button",
    "select",
    "textarea",
    "nav",
    "footer",
    "aside",
    "form",
)
_BLOCK_ELEMENTS = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "address",
        "hr",
        "br",
    )
)
_MAX_TITLE_CHARS = 300
_MIN_MAIN_TEXT_CHARS = 200

# trafilatura and htmldate log every page they cannot parse at WARNING; that is our message.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def decode_html_bytes(
    data: bytes, *, declared_charset: str | None = None, name: str = "the page"
) -> str:
    """Decode HTML bytes: the HTTP charset, else the ``<meta charset>``, else detection."""
    if not declared_charset:
        match = _META_CHARSET.search(data[:4096])
        declared_charset = match.group(1).decode("ascii") if match else None
    return decode_text_bytes(data, declared_charset=declared_charset, name=name)


def _parse(html: str) -> lxml.html.HtmlElement | None:
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _clean_whitespace(value: str) -> str:
    return " ".join(value.split())


def html_title(tree: lxml.html.HtmlElement) -> str | None:
    """The headline: og:title, else ``<title>``, else the first ``<h1>``."""
    candidates = tree.xpath(
        "//meta[@property='og:title']/@content | //meta[@name='twitter:title']/@content"
    )
    candidates += [element.text_content() for element in tree.xpath("//title | //h1")]
    for candidate in candidates:
        title = _clean_whitespace(str(candidate))
        if title:
            return title[:_MAX_TITLE_CHARS]
    return None


def _collect_text(element: lxml.html.HtmlElement, pieces: list[str]) -> None:
    block = element.tag in _BLOCK_ELEMENTS
    if block:
        pieces.append("\n")
    pieces.append(element.text or "")
    for child in element:
        _collect_text(child, pieces)
        pieces.append(child.tail or "")
    if block:
        pieces.append("\n")


def _fallback_text(tree: lxml.html.HtmlElement) -> str:
    """Visible text of the page when trafilatura finds no main text (short or odd pages)."""
    tree = lxml.html.fromstring(lxml.html.tostring(tree))  # a copy: the caller keeps its tree
    lxml.etree.strip_elements(tree, lxml.etree.Comment, lxml.etree.PI, with_tail=False)
    lxml.etree.strip_elements(tree, *_DROPPED_ELEMENTS, with_tail=False)
    pieces: list[str] = []
    _collect_text(tree, pieces)
    lines = (_clean_whitespace(line) for line in "".join(pieces).split("\n"))
    return "\n\n".join(line for line in lines if line)


def html_main_text(html: str, *, url: str | None = None) -> str:
    """The article text of a page: trafilatura's main-content extraction, else all visible text."""
    import trafilatura

    tree = _parse(html)
    if tree is None:
        return ""
    text = trafilatura.extract(
        html,
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
    )
    if text and len(text.strip()) >= _MIN_MAIN_TEXT_CHARS:
        return text.strip()
    # On very short pages trafilatura falls back to a baseline that splits sentences at inline
    # tags ("in\nAleppo\nist"); the visible text is the article there anyway.
    return _fallback_text(tree) or (text or "").strip()


def html_publication_date(html: str, *, url: str | None = None) -> dt.date | None:
    """The publication date from the page's metadata only (no guessing from the body text)."""
    import htmldate

    try:
        found = htmldate.find_date(
            html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d", url=url
        )
    except (ValueError, TypeError, AttributeError, lxml.etree.LxmlError):  # broken markup
        return None
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found)
    except ValueError:
        return None


def document_from_html(
    html: str,
    *,
    url: str | None = None,
    lang: str | None = None,
    published: str | dt.date | None = None,
    title: str | None = None,
    default_title: str | None = None,
    name: str = "the page",
    settings: Settings | None = None,
) -> Document:
    """Build a Document from a web page: main text, title and metadata publication date.

    A ``published`` date or ``title`` given by the user wins over the page's own;
    ``default_title`` (e.g. the file name) is used when the page has no title.
    """
    tree = _parse(html)
    if tree is None:
        raise InputError(f"{name} is empty or not readable as HTML")
    text = html_main_text(html, url=url)
    if not text.strip():
        raise InputError(f"{name} contains no article text that placeline can read")
    published_source = None
    if published is None:
        published = html_publication_date(html, url=url)
        published_source = "metadata" if published else None
    return document_from_text(
        text,
        title=title or html_title(tree) or default_title,
        lang=lang,
        published=published,
        published_source=published_source,
        url=url,
        settings=settings,
    )
