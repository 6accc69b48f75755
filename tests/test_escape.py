"""Untrusted article text stays inert in folium popups and tooltips, in highlighted text and
in CSV cells."""

from __future__ import annotations

import re

import folium
import pytest

from placeline.render.escape import (
    csv_safe_cell,
    escape_html,
    escape_multiline,
    highlight_spans,
    json_for_script,
    popup_html,
)

HOSTILE = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "`); alert(1); (`",
    "${alert(document.cookie)}",
    "C:\\users\\x \\u00",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_html_leaves_no_markup_or_template_syntax(text):
    escaped = escape_html(text)
    assert not re.search(r"[<>\"'`\\]|\$\{", escaped)
    assert escape_html(None) == ""


def test_escape_multiline_keeps_line_breaks_only():
    assert escape_multiline("a <b>\nc") == "a &lt;b&gt;<br>c"


def _map_script(m: folium.Map) -> str:
    return m.get_root().render()


@pytest.mark.parametrize("text", HOSTILE)
def test_popup_and_tooltip_render_hostile_text_as_text(text):
    m = folium.Map(tiles=None)
    folium.CircleMarker(
        [36.2, 37.16],
        popup=folium.Popup(popup_html(text, [text, None, ""]), max_width=300),
        tooltip=folium.Tooltip(escape_html(text)),
    ).add_to(m)
    page = _map_script(m)
    assert text not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "${alert" not in page
    # the popup body is one JS template literal: an unescaped backtick would end it early
    popup = re.search(r"\$\(`(.*?)`\)\[0\]", page, re.DOTALL)
    assert popup is not None
    assert "`" not in popup.group(1) and "${" not in popup.group(1)


def test_popup_html_escapes_and_drops_empty_lines():
    assert popup_html("<b>", ["x & y", None, ""]) == "<b>&lt;b&gt;</b><br>x &amp; y"


def test_highlight_spans_escapes_text_between_and_inside_marks():
    text = "<i>Aleppo</i> & Moskau"
    out = highlight_spans(text, [(3, 9, "place", 'Aleppo "SY"'), (16, 22, "place", "RU"),
                                 (4, 8, "place", "overlap is skipped")])
    assert out == ('&lt;i&gt;<mark class="place" title="Aleppo &quot;SY&quot;">Aleppo</mark>'
                   '&lt;/i&gt; &amp; <mark class="place" title="RU">Moskau</mark>')


def test_json_for_script_cannot_close_the_script():
    encoded = json_for_script({"t": "</script><script>alert(1)</script>\u2028"})
    assert "</" not in encoded and "<" not in encoded and "\u2028" not in encoded


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://x")'])
def test_csv_formula_cells_are_neutralised(cell):
    assert csv_safe_cell(cell) == "'" + cell


@pytest.mark.parametrize(("value", "expected"), [(-74.0, "-74.0"), (3, "3"), (None, ""),
                                                 (True, "true"), ("Aleppo", "Aleppo"),
                                                 ("a=b", "a=b")])
def test_csv_plain_values_and_numbers_stay_as_they_are(value, expected):
    assert csv_safe_cell(value) == expected
