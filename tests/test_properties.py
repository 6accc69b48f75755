"""Properties of the whole analysis (issue 7): for any Unicode text it returns a result, every
offset indexes the given text, and the output is JSON and the same on every run."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placeline.errors import InputError
from placeline.ingest import document_from_text
from placeline.model import Analysis, Span
from placeline.pipeline import analyze
from placeline.serialize import analysis_to_dict

# Pieces that wake the stages up (places, dates, quotes, speakers) mixed with the characters
# that break naive offset arithmetic: combining marks, RTL marks, emoji, controls, CRLF.
NEWS_PIECES = [
    "Aleppo",
    "Ost-Aleppo",
    "Hamburg",
    "Moskau",
    "Washington",
    "Syrien",
    "Berlin",
    "Genf",
    "Damaskus",
    "New York",
    "Mittelmeer",
    "USA",
    " in ",
    " nach ",
    " aus ",
    " und ",
    ". ",
    ", ",
    "\n\n",
    "\r\n",
    "am 7. Dezember 2016",
    "Mittwochabend",
    "2016-12",
    " date 2016-12 ",
    "am Donnerstag",
    "in den vergangenen Monaten",
    "on 8 December 2016",
    "last week",
    "„Wir stehen vor einer Verständigung“, sagte Lawrow",
    '"We are hopeful," Kerry said',
    "sagte der Politiker in Moskau",
    "Kerry sagte, er sei „hoffnungsvoll“.",
    "»",
    "«",
    "'",
    "\u200f",
    "\u200e",
    "\u202e",
    "e\u0301",
    "Z\u0308",
    "🇸🇾",
    "👩‍👩‍👧",
    "\x00",
    "\x07",
    "\u2028",
    "\ufeff",
    "ß",
    "İ",
    "ﬁ",
]
news_like = st.lists(
    st.one_of(st.sampled_from(NEWS_PIECES), st.text(max_size=4)), min_size=1, max_size=40
).map("".join)
any_text = st.one_of(st.text(min_size=1), news_like).filter(lambda text: text.strip() != "")


def _spans(analysis: Analysis) -> list[Span]:
    spans: list[Span] = [m for place in analysis.places for m in place.mentions]
    spans += list(analysis.unresolved) + list(analysis.dates)
    for event in analysis.events:
        spans.append(event.evidence)
        if event.quote is not None:
            spans.append(event.quote)
        if event.date is not None:
            spans.append(event.date)
    return spans


def _assert_offsets_valid(text: str, analysis: Analysis) -> None:
    assert analysis.document.text == text
    for span in _spans(analysis):
        assert 0 <= span.start <= span.end <= len(text), span
        assert text[span.start : span.end] == span.text, span
    place_ids = {place.id for place in analysis.places}
    for event in analysis.events:
        assert set(event.places) <= place_ids, event


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_analysis_of_any_text_is_valid_serialisable_and_deterministic(text):
    analysis = analyze(document_from_text(text))
    assert isinstance(analysis, Analysis)
    _assert_offsets_valid(text, analysis)
    first = json.dumps(analysis_to_dict(analysis, include_text=True), sort_keys=True)
    again = json.dumps(
        analysis_to_dict(analyze(document_from_text(text)), include_text=True), sort_keys=True
    )
    assert first == again
    assert json.loads(first)["document"]["text"] == text


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000", min_size=0, max_size=20))
def test_whitespace_only_text_is_refused_with_a_message(text):
    with pytest.raises(InputError, match="empty"):
        document_from_text(text)
