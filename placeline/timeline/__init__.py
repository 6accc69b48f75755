"""Timeline stage: publication date, temporal expressions, statements and events.

``build_timeline`` runs after the places stage. It refines the publication date from the text
when only the month (or nothing) is known, resolves the temporal expressions against it,
then finds statements (who said what, where, in which medium) and events (what happened,
when, where, who), each with its evidence span and the rule that produced it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from placeline.model import Document, Event, Place, Span, TimeExpression
from placeline.timeline.dates import (
    find_header_date,
    find_time_expressions,
    infer_publication_day,
    resolve,
)
from placeline.timeline.events import FoundEvent, find_events
from placeline.timeline.people import PersonIndex
from placeline.timeline.sentences import find_quotations, split_sentences
from placeline.timeline.statements import FoundStatement, StatementFinder

__all__ = ["TimelineResult", "build_timeline"]

NO_DATE_NOTICE = (
    "No publication date is known: relative dates (weekdays, 'gestern', 'last week') are left "
    "unresolved. Give the date to resolve them."
)
MONTH_ONLY_NOTICE = (
    "Only the publication {granularity} is known: weekdays and relative days are left "
    "unresolved. Give the exact date to resolve them."
)


@dataclass(frozen=True)
class TimelineResult:
    document: Document  # with ``published`` filled in when it could be inferred
    dates: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    notices: tuple[str, ...] = ()


def build_timeline(document: Document, *, places: tuple[Place, ...] = ()) -> TimelineResult:
    """Dates, statements and events of ``document``; ``places`` links events to places."""
    text = document.text
    sentences = split_sentences(text)
    found = find_time_expressions(text, sentences)
    document = _refine_publication_date(document, found)
    notices: list[str] = []

    anchor = document.published if document.published_granularity == "day" else None
    anchor_year = document.published.year if document.published else None
    dates: list[TimeExpression] = []
    header = find_header_date(text)
    if header:
        dates.append(header)
    for expression in found:
        if header and expression.start < header.end:
            continue
        resolved = resolve(expression, anchor, anchor_year)
        dates.append(dataclasses.replace(resolved, text=text[resolved.start : resolved.end]))
    if anchor is None and any(d.value is None and d.granularity != "vague" for d in dates):
        if document.published is None:
            notices.append(NO_DATE_NOTICE)
        else:
            notices.append(
                MONTH_ONLY_NOTICE.format(granularity=document.published_granularity or "year")
            )

    blocked = tuple((m.start, m.end) for p in places for m in p.mentions)
    people = PersonIndex(text, blocked=blocked)
    quotations = find_quotations(text)
    statements = StatementFinder(text, sentences, quotations, people, places, tuple(dates)).find()
    lead_end = text.find("\n\n")
    happenings = find_events(
        text,
        sentences,
        dates=tuple(dates),
        places=places,
        people=people,
        lead_end=lead_end if lead_end >= 0 else len(text),
        publication_value=anchor.isoformat() if anchor else None,
        lang=document.lang,
    )
    events = _number_events(text, statements, happenings, places)
    return TimelineResult(
        document=document, dates=tuple(dates), events=events, notices=tuple(notices)
    )


def _refine_publication_date(document: Document, found) -> Document:
    """Infer the day from the text unless the user gave it or it is already known to the day."""
    if document.published_source == "user" or document.published_granularity == "day":
        return document
    best = infer_publication_day(
        found, known=document.published, known_granularity=document.published_granularity
    )
    if best is None:
        return document
    value = resolve(best, None).value
    assert value is not None  # infer_publication_day only returns resolvable expressions
    return dataclasses.replace(
        document,
        published=dt.date.fromisoformat(value),
        published_granularity="day",
        published_source="text",
    )


def _number_events(
    text: str,
    statements: tuple[FoundStatement, ...],
    happenings: tuple[FoundEvent, ...],
    places: tuple[Place, ...],
) -> tuple[Event, ...]:
    items: list[tuple[int, Event]] = []
    for statement in statements:
        s_start, s_end = statement.sentence
        summary = f"{statement.speaker.name}: {_shorten(statement.quote.text)}"
        items.append(
            (
                s_start,
                Event(
                    id="",
                    kind="statement",
                    summary=summary,
                    evidence=Span(s_start, s_end, text[s_start:s_end]),
                    date=statement.date,
                    speaker=statement.speaker,
                    quote=statement.quote,
                    places=_place_ids_in(s_start, s_end, places),
                    actors=(statement.speaker.name,),
                    medium=statement.medium,
                    said_at=statement.said_at,
                    indirect=statement.indirect,
                ),
            )
        )
    for happening in happenings:
        evidence = Span(happening.start, happening.end, text[happening.start : happening.end])
        items.append(
            (
                happening.start,
                Event(
                    id="",
                    kind="event",
                    summary=_shorten(evidence.text),
                    evidence=evidence,
                    date=happening.date,
                    places=happening.places,
                    actors=happening.actors,
                ),
            )
        )
    items.sort(key=lambda item: (item[0], item[1].kind))
    return tuple(
        dataclasses.replace(event, id=f"e{number}")
        for number, (_, event) in enumerate(items, start=1)
    )


def _place_ids_in(start: int, end: int, places: tuple[Place, ...]) -> tuple[str, ...]:
    hits = sorted(
        (m.start, p.id) for p in places for m in p.mentions if start <= m.start and m.end <= end
    )
    return tuple(dict.fromkeys(place_id for _, place_id in hits))


def _shorten(value: str, limit: int = 120) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
