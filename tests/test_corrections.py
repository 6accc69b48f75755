"""apply_corrections on hand-built analyses (the real stages are still changing) and on the
pipeline's own output; corrections are anchored to spans, so they survive new ids, new evidence
boundaries and edited text, and every one that cannot be applied is reported."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from placeline.corrections import (
    AddEvent,
    AddPlace,
    ChooseCandidate,
    EventRef,
    FixEvent,
    HideEvent,
    MergeEvents,
    MovePlace,
    PlaceRef,
    RemovePlace,
    apply_corrections,
    correction_from_dict,
    correction_to_dict,
    document_hash,
    relocate_span,
    span_of,
)
from placeline.errors import InputError
from placeline.ingest.text import document_from_text
from placeline.model import Analysis, Candidate, Event, Mention, Place, Span, Speaker
from placeline.pipeline import analyze

TEXT = (
    "Lawrow und Kerry trafen sich am Donnerstag in Hamburg. "
    "Kerry sagte in Hamburg, Aleppo sei verloren. "
    "In Aleppo und in Syrien wird weiter gekämpft.\n"
)
HAMBURG_DE = Candidate("geonames:2911298", "Hamburg", "DE", 53.55, 10.0, "city", 1_800_000)
HAMBURG_NY = Candidate("geonames:5120000", "Hamburg", "US", 42.72, -78.83, "city", 10_000)
ALEPPO = Candidate("geonames:170063", "Aleppo", "SY", 36.2, 37.16, "city", 1_600_000)
SYRIA = Candidate("country:SY", "Syrien", "SY", 35.0, 38.0, "country")


def at(text: str, word: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Span(start, start + len(word), word)


def mention(text: str, word: str, nth: int = 0) -> Mention:
    span = at(text, word, nth)
    return Mention(span.start, span.end, span.text)


def sentence(text: str, nth: int, *, trim: bool = False) -> Span:
    starts = [0] + [i + 2 for i, ch in enumerate(text) if ch == "." and i + 2 < len(text)]
    start = starts[nth]
    end = text.index(".", start) + (0 if trim else 1)
    return Span(start, end, text[start:end])


def place(candidate: Candidate, mentions: tuple[Mention, ...], *, pid: str = "") -> Place:
    return Place(
        id=pid or candidate.id,
        name=candidate.name,
        country=candidate.country,
        lat=candidate.lat,
        lon=candidate.lon,
        kind=candidate.kind,
        confidence=0.5,
        mentions=mentions,
        alternatives=(HAMBURG_DE,) if candidate is HAMBURG_NY else (),
    )


def mentions_of(text: str, word: str) -> tuple[Mention, ...]:
    return tuple(mention(text, word, n) for n in range(text.count(word)))


def build_analysis(text: str = TEXT, *, version: int = 1) -> Analysis:
    """What an analysis run could produce; ``version=2`` mimics changed analysis code: other
    place and event ids, evidence cut without the final full stop, events in another order.
    Objects whose words the (edited) text lacks are left out."""
    doc = document_from_text(text, lang="de")
    prefix = "" if version == 1 else "v2-"
    hamburg = place(HAMBURG_NY, mentions_of(text, "Hamburg"), pid=prefix + "hh")
    aleppo = place(ALEPPO, mentions_of(text, "Aleppo"), pid=prefix + "al")
    trim = version == 2
    sentences = [sentence(text, n, trim=trim) for n in range(text.count(". ") + 1)]
    events = [
        Event(f"{prefix}e1", "event", "Treffen", sentences[0], places=(hamburg.id,)),
        Event(
            f"{prefix}e2",
            "statement",
            "Kerry: Aleppo verloren",
            sentences[1],
            speaker=Speaker("Kerry"),
            places=(hamburg.id, aleppo.id),
            said_at=hamburg.id,
        ),
        Event(f"{prefix}e4", "statement", "Aleppo verloren", at(text, "Aleppo sei verloren")),
    ]
    if "gekämpft" in text:
        events.append(Event(f"{prefix}e3", "event", "Kämpfe", sentences[2], places=(aleppo.id,)))
    if version == 2:
        events.reverse()
    return Analysis(
        document=doc,
        places=(hamburg, aleppo),
        unresolved=mentions_of(text, "Syrien"),
        events=tuple(events),
    )


H = document_hash(TEXT)


def place_with_mention(analysis: Analysis, span: Span) -> Place | None:
    return next(
        (
            p
            for p in analysis.places
            for m in p.mentions
            if (m.start, m.end) == (span.start, span.end)
        ),
        None,
    )


def event_at(analysis: Analysis, span: Span) -> Event:
    found = [e for e in analysis.events if e.evidence.start == span.start]
    if len(found) > 1:
        found = [e for e in found if e.evidence.end == span.end]
    assert len(found) == 1, found
    return found[0]


def all_kinds(text: str = TEXT) -> list:
    """One correction of every kind, made against version 1 of the analysis."""
    doc_hash = document_hash(text)
    statement = EventRef("statement", sentence(text, 1), "e2")
    return [
        ChooseCandidate(
            doc_hash=doc_hash, mention=at(text, "Hamburg"), candidate=HAMBURG_DE, all_mentions=True
        ),
        MovePlace(doc_hash=doc_hash, mention=at(text, "Aleppo", 1), lat=36.21, lon=37.2),
        AddPlace(doc_hash=doc_hash, mention=at(text, "Syrien"), candidate=SYRIA),
        FixEvent(
            doc_hash=doc_hash,
            event=statement,
            date="2016-12-08",
            speaker=Speaker("John Kerry", "US-Außenminister"),
            places=(PlaceRef(at(text, "Aleppo"), "al"),),
        ),
        HideEvent(doc_hash=doc_hash, event=EventRef("event", sentence(text, 2), "e3")),
        MergeEvents(
            doc_hash=doc_hash,
            keep=statement,
            duplicates=(EventRef("statement", at(text, "Aleppo sei verloren"), "e4"),),
        ),
        AddEvent(
            doc_hash=doc_hash,
            evidence=at(text, "Lawrow und Kerry trafen sich"),
            summary="Lawrow trifft Kerry",
            date="2016-12-08",
            places=(PlaceRef(at(text, "Hamburg"), "hh"),),
        ),
    ]


def check_all_kinds_applied(result, text: str = TEXT) -> None:
    analysis = result.analysis
    assert result.problems == ()
    hamburg = place_with_mention(analysis, at(text, "Hamburg", 1))
    assert hamburg is not None and hamburg.id == HAMBURG_DE.id and hamburg.country == "DE"
    assert hamburg.edited and hamburg.source == "correction"
    assert {m.start for m in hamburg.mentions} == {
        at(text, "Hamburg").start,
        at(text, "Hamburg", 1).start,
    }
    assert HAMBURG_NY.id in {c.id for c in hamburg.alternatives} or any(
        c.country == "US" for c in hamburg.alternatives
    )
    aleppo = place_with_mention(analysis, at(text, "Aleppo"))
    assert aleppo is not None and (aleppo.lat, aleppo.lon) == (36.21, 37.2) and aleppo.edited
    syria = place_with_mention(analysis, at(text, "Syrien"))
    assert syria is not None and syria.id == "country:SY" and syria.edited
    assert analysis.unresolved == ()
    statement = event_at(analysis, sentence(text, 1))
    assert statement.edited and statement.date.value == "2016-12-08"
    assert statement.speaker == Speaker("John Kerry", "US-Außenminister")
    assert statement.places == (aleppo.id,)
    assert statement.said_at == HAMBURG_DE.id  # the old Hamburg place id was replaced
    assert not [e for e in analysis.events if e.evidence.start == at(text, "Aleppo sei").start]
    fights = event_at(analysis, sentence(text, 2))
    assert fights.hidden and fights.edited
    added = event_at(analysis, at(text, "Lawrow und Kerry trafen sich"))
    assert (
        added.edited and added.summary == "Lawrow trifft Kerry" and added.places == (HAMBURG_DE.id,)
    )
    untouched = [e for e in analysis.events if e.evidence.start == 0 and e is not added]
    assert untouched and not untouched[0].edited and untouched[0].places == (HAMBURG_DE.id,)


def test_every_kind_applies_to_the_analysis_it_was_made_on():
    corrections = all_kinds()
    result = apply_corrections(build_analysis(), corrections)
    check_all_kinds_applied(result)
    assert set(result.applied) == {c.id for c in corrections}
    assert result.relocated == ()


def test_corrections_survive_changed_analysis_code():
    """New place and event ids, evidence without the full stop, another event order."""
    result = apply_corrections(build_analysis(version=2), all_kinds())
    check_all_kinds_applied(result)


def test_apply_is_pure_and_repeatable():
    analysis = build_analysis()
    corrections = all_kinds()
    first = apply_corrections(analysis, corrections)
    assert analysis == build_analysis()
    again = apply_corrections(build_analysis(), list(reversed(corrections)))
    assert again.analysis == first.analysis


def test_one_mention_only_keeps_the_other_with_the_old_place():
    correction = ChooseCandidate(doc_hash=H, mention=at(TEXT, "Hamburg", 1), candidate=HAMBURG_DE)
    analysis = apply_corrections(build_analysis(), [correction]).analysis
    assert place_with_mention(analysis, at(TEXT, "Hamburg")).id == "hh"
    assert place_with_mention(analysis, at(TEXT, "Hamburg", 1)).id == HAMBURG_DE.id
    assert place_with_mention(analysis, at(TEXT, "Hamburg")).edited


def test_remove_place_and_one_mention():
    whole = RemovePlace(doc_hash=H, mention=at(TEXT, "Hamburg", 1))
    analysis = apply_corrections(build_analysis(), [whole]).analysis
    assert [p.id for p in analysis.places] == ["al"]
    assert all("hh" not in e.places and e.said_at != "hh" for e in analysis.events)

    one = RemovePlace(doc_hash=H, mention=at(TEXT, "Aleppo"), only_mention=True)
    aleppo = apply_corrections(build_analysis(), [one]).analysis.place_by_id("al")
    assert [m.start for m in aleppo.mentions] == [at(TEXT, "Aleppo", 1).start] and aleppo.edited


def test_undone_corrections_are_skipped():
    move = MovePlace(doc_hash=H, mention=at(TEXT, "Aleppo"), lat=1.0, lon=2.0)
    undone = apply_corrections(build_analysis(), [replace(move, undone_at=move.created_at)])
    assert undone.analysis.place_by_id("al").lat == ALEPPO.lat and undone.applied == ()


def test_span_moved_by_an_edit_is_found_again():
    edited = "Aktualisiert – " + TEXT.replace("trafen sich", "trafen sich erneut")
    corrections = all_kinds(TEXT)
    result = apply_corrections(build_analysis(edited, version=2), corrections)
    check_all_kinds_applied(result, edited)
    assert set(result.relocated) == {c.id for c in corrections}


def test_span_gone_after_an_edit_is_reported_not_dropped():
    edited = TEXT.replace("In Aleppo und in Syrien wird weiter gekämpft.", "Die Waffen schweigen.")
    corrections = all_kinds(TEXT)
    result = apply_corrections(build_analysis(edited), corrections)
    failed = {p.correction.kind for p in result.problems}
    # The moved Aleppo mention was deleted, but another "Aleppo" is near: the same place moves.
    assert failed == {"add_place", "hide_event"}
    assert [c.kind for c in corrections if c.id in result.relocated] == ["move_place"]
    for problem in result.problems:
        assert "no longer" in problem.message
    assert len(result.problems) + len(result.applied) == len(corrections)
    assert sum("correction not applied" in n for n in result.analysis.notices) == 2


def test_event_gone_from_the_timeline_is_reported():
    analysis = build_analysis()
    analysis = Analysis(document=analysis.document, places=analysis.places)
    hide = HideEvent(doc_hash=H, event=EventRef("event", sentence(TEXT, 2)))
    result = apply_corrections(analysis, [hide])
    assert result.applied == () and "no longer on the timeline" in result.problems[0].message


def test_relocate_prefers_the_nearest_occurrence():
    text = "Aleppo x Aleppo y Aleppo"
    assert relocate_span(text, Span(9, 15, "Aleppo")) == Span(9, 15, "Aleppo")
    assert relocate_span("zz" + text, Span(9, 15, "Aleppo")) == Span(11, 17, "Aleppo")
    assert relocate_span("Hamburg", Span(0, 6, "Aleppo")) is None


@pytest.mark.parametrize("index", range(7))
def test_json_round_trip(index):
    correction = all_kinds()[index]
    data = json.loads(json.dumps(correction_to_dict(correction)))
    assert data["kind"] == correction.kind
    assert correction_from_dict(data) == correction


def test_bad_corrections_are_refused():
    with pytest.raises(InputError):
        MovePlace(doc_hash=H, mention=at(TEXT, "Aleppo"), lat=123.0, lon=0.0)
    with pytest.raises(InputError):
        FixEvent(doc_hash=H, event=EventRef("event", sentence(TEXT, 0)), date="8.12.2016")
    with pytest.raises(InputError):
        AddPlace(doc_hash=H, mention=Span(3, 1, ""), candidate=SYRIA)
    with pytest.raises(InputError):
        span_of(TEXT, 0, len(TEXT) + 1)
    with pytest.raises(InputError):
        correction_from_dict({"kind": "teleport"})


def test_corrections_on_the_pipeline_output():
    doc = document_from_text(TEXT, lang="de")
    corrections = [
        AddPlace(
            doc_hash=document_hash(doc.text), mention=at(TEXT, "Hamburg"), candidate=HAMBURG_DE
        ),
        ChooseCandidate(
            doc_hash=document_hash(doc.text),
            mention=at(TEXT, "Aleppo"),
            candidate=ALEPPO,
            all_mentions=True,
        ),
        AddEvent(doc_hash=document_hash(doc.text), evidence=sentence(TEXT, 0), date="2016-12-08"),
    ]
    result = apply_corrections(analyze(doc), corrections)
    assert result.problems == ()
    hamburg = place_with_mention(result.analysis, at(TEXT, "Hamburg"))
    assert hamburg.id == HAMBURG_DE.id and hamburg.edited
    assert place_with_mention(result.analysis, at(TEXT, "Aleppo", 1)).id == ALEPPO.id
    added = [e for e in result.analysis.events if e.edited]
    assert len(added) == 1 and added[0].date.value == "2016-12-08"
    assert apply_corrections(analyze(doc), corrections).analysis == result.analysis
