"""Score the timeline stage against the seed's gold dates, statements and events.

Skips when ../shared (the evaluation data) is absent. Places come from the gold annotation,
built by hand, so that the timeline is scored on its own.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from placeline.ingest.text import document_from_text
from placeline.model import Document, Mention, Place
from placeline.timeline import build_timeline
from tests.conftest import SEED_DIR

GOLD_PATH = SEED_DIR / "gold.json"

pytestmark = pytest.mark.skipif(not GOLD_PATH.exists(), reason="../shared/seed is absent")


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_text(gold: dict) -> str:
    return (SEED_DIR / gold["file"]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gold_places(gold: dict, seed_text: str) -> tuple[Place, ...]:
    places = []
    for ref, referent in gold["referents"].items():
        mentions = tuple(
            Mention(p["start"], p["end"], seed_text[p["start"] : p["end"]])
            for p in gold["places"]
            if p["ref"] == ref
        )
        places.append(
            Place(
                id=ref,
                name=referent["name"],
                country=referent["country"],
                lat=referent["lat"],
                lon=referent["lon"],
                kind=referent["kind"],
                confidence=1.0,
                mentions=mentions,
            )
        )
    return tuple(places)


def _documents(seed_text: str) -> dict[str, Document]:
    with_header = document_from_text(seed_text)
    without_date = dataclasses.replace(
        with_header, published=None, published_granularity=None, published_source=None
    )
    return {"header": with_header, "no-date": without_date}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.parametrize("variant", ["header", "no-date"])
def test_publication_day_is_inferred_from_the_text(seed_text, gold, gold_places, variant):
    result = build_timeline(_documents(seed_text)[variant], places=gold_places)
    assert result.document.published.isoformat() == gold["published"]
    assert result.document.published_granularity == "day"
    assert result.document.published_source == "text"


def test_user_date_is_never_overridden(seed_text, gold_places):
    document = document_from_text(seed_text, published="2016-12-09")
    result = build_timeline(document, places=gold_places)
    assert result.document.published.isoformat() == "2016-12-09"
    assert result.document.published_source == "user"


@pytest.mark.parametrize("variant", ["header", "no-date"])
def test_every_gold_date_is_right(seed_text, gold, gold_places, variant):
    result = build_timeline(_documents(seed_text)[variant], places=gold_places)
    found = {(d.start, d.end): d for d in result.dates}
    for date in gold["dates"]:
        span = tuple(date["span"])
        assert span in found, f"missing {date['surface']!r}"
        assert seed_text[span[0] : span[1]] == found[span].text
        if not date.get("optional"):
            assert found[span].value == date["value"], date["surface"]
    vague = found[(3805, 3831)]
    assert vague.granularity == "vague" and vague.range_end == gold["published"]


@pytest.mark.parametrize("variant", ["header", "no-date"])
def test_required_statements_have_the_right_speaker(seed_text, gold, gold_places, variant):
    result = build_timeline(_documents(seed_text)[variant], places=gold_places)
    statements = [e for e in result.events if e.kind == "statement"]
    required = [s for s in gold["statements"] if not s.get("optional")]
    right = 0
    for expected in required:
        span = tuple(expected["quote"])
        match = next((s for s in statements if _overlaps((s.quote.start, s.quote.end), span)), None)
        if match and match.speaker.name == expected["speaker"]:
            right += 1
            assert match.indirect == bool(expected.get("indirect")), expected["surface"]
            if expected.get("place"):
                assert match.said_at == expected["place"]
    assert right >= 7, f"{right} of {len(required)} statements right"


@pytest.mark.parametrize("variant", ["header", "no-date"])
def test_required_events_are_found_with_their_date(seed_text, gold, gold_places, variant):
    result = build_timeline(_documents(seed_text)[variant], places=gold_places)
    events = [e for e in result.events if e.kind == "event"]
    for expected in gold["events"]:
        if expected.get("optional"):
            continue
        span = tuple(expected["evidence"])
        match = [e for e in events if _overlaps((e.evidence.start, e.evidence.end), span)]
        assert match, f"missing event {expected['summary']!r}"
        values = {e.date.value if e.date else None for e in match}
        assert expected["date"] in values, (expected["summary"], values)
        if expected["places"] and not expected.get("places_optional"):
            found_places = {p for e in match for p in e.places}
            assert set(expected["places"]) <= found_places, expected["summary"]


def test_roles_medium_and_event_ids(seed_text, gold_places):
    result = build_timeline(document_from_text(seed_text), places=gold_places)
    assert [e.id for e in result.events] == [f"e{i}" for i in range(1, len(result.events) + 1)]
    starts = [e.evidence.start for e in result.events]
    assert starts == sorted(starts)
    by_speaker = {e.speaker.name: e for e in result.events if e.kind == "statement"}
    assert by_speaker["Sergej Rybakow"].speaker.role == "Vize-Außenminister"
    assert by_speaker["Dmitrij Peskow"].speaker.role == "Sprecher von Staatschef Wladimir Putin"
    assert any(
        e.medium and "al-Watan" in e.medium and e.medium.startswith("Interview mit")
        for e in result.events
        if e.kind == "statement"
    )
    for event in result.events:
        assert seed_text[event.evidence.start : event.evidence.end] == event.evidence.text
        if event.date:
            assert seed_text[event.date.start : event.date.end] == event.date.text
