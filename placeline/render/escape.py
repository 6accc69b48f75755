"""Escaping for untrusted article text wherever it leaves placeline.

Article text comes from the web. folium popups given a string and every tooltip are inserted
into the page as HTML, the highlighted text view and the HTML export are HTML, and a CSV cell
starting with ``=`` is a formula in a spreadsheet. Everything that renders article text goes
through one of these helpers; nothing else in placeline escapes on its own.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

# Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"); tab and
# carriage return too, because some spreadsheets strip them and then see the next character.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# folium puts popup and tooltip HTML inside JavaScript template literals (`...`), where
# "${" runs code and a backslash starts an escape (an invalid one is a SyntaxError that stops
# the whole map from drawing); as entities they mean the same in HTML and nothing in JS.
_TEMPLATE_LITERAL_CHARACTERS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_html(text: object) -> str:
    """Text as safe HTML content or attribute value.

    Escapes ``& < > " '`` and also `` ` $ \\``, so the result is safe inside the JavaScript
    template literals that folium renders popups and tooltips into. ``None`` becomes "".
    Use for anything from an article that becomes HTML: popups, tooltips, highlighted text,
    TimelineJS/StoryMapJS text fields, the HTML export.
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=True).translate(_TEMPLATE_LITERAL_CHARACTERS)


def escape_multiline(text: object) -> str:
    """``escape_html`` that keeps line breaks as ``<br>`` (for quotes and text panels)."""
    return "<br>".join(escape_html(text).splitlines())


def popup_html(title: object, lines: Iterable[object] = ()) -> str:
    """A small popup/tooltip body: the title in bold, then one escaped line each.

    The result is safe to pass to ``folium.Popup(..., parse_html=False)`` and
    ``folium.Tooltip(...)``, both of which insert their text as HTML.
    """
    body = [f"<b>{escape_html(title)}</b>"]
    body.extend(escape_html(line) for line in lines if line not in (None, ""))
    return "<br>".join(body)


def highlight_spans(text: str, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """The text as HTML with ``<mark>`` around the given spans, every piece escaped.

    ``spans`` are ``(start, end, css_class, title)`` with offsets into ``text``; overlapping
    spans are skipped (the first one by start wins) so the markup stays well formed.
    """
    pieces = []
    position = 0
    for start, end, css_class, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position or end <= start or end > len(text):
            continue
        pieces.append(escape_multiline(text[position:start]))
        pieces.append(
            f'<mark class="{escape_html(css_class)}" title="{escape_html(title)}">'
            f"{escape_multiline(text[start:end])}</mark>"
        )
        position = end
    pieces.append(escape_multiline(text[position:]))
    return "".join(pieces)


def json_for_script(value: object) -> str:
    """JSON safe to embed inside an inline ``<script>`` (no ``</script>``, ``<!--`` or U+2028)."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def csv_safe_cell(value: object) -> str:
    """A CSV cell value that no spreadsheet runs as a formula.

    Numbers are written as numbers (a negative longitude stays numeric); text starting with
    ``= + - @``, tab or carriage return gets a leading apostrophe, which spreadsheets show as
    text and do not evaluate. ``None`` becomes "".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text
