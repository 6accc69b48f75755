"""Analysis <-> JSON (schema ``placeline.analysis/1``, documented in docs/schema.md and
``placeline/schema/analysis-1.json``). This is a public contract: other tools read it, so fields
are only ever added, never renamed or removed."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from placeline.model import (
    Analysis,
    Candidate,
    Document,
    Event,
    Mention,
    Place,
    Span,
    Speaker,
    TimeExpression,
)

SCHEMA_ID = "placeline.analysis/1"


def _mention_to_dict(mention: Mention) -> dict[str, Any]:
    out: dict[str, Any] = {"start": mention.start, "end": mention.end, "text": mention.text}
    if mention.qualifier:
        out["qualifier"] = mention.qualifier
    return out


def _candidate_to_dict(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "name": candidate.name,
        "country": candidate.country,
        "lat": candidate.lat,
        "lon": candidate.lon,
        "kind": candidate.kind,
        "score": candidate.score,
    }


def _place_to_dict(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "kind": place.kind,
        "confidence": place.confidence,
        "source": place.source,
        "edited": place.edited,
        "mentions": [_mention_to_dict(m) for m in place.mentions],
        "alternatives": [_candidate_to_dict(c) for c in place.alternatives],
    }


def _date_to_dict(expr: TimeExpression) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": expr.start,
        "end": expr.end,
        "text": expr.text,
        "value": expr.value,
        "granularity": expr.granularity,
    }
    if expr.range_start or expr.range_end:
        out["range"] = {"start": expr.range_start, "end": expr.range_end}
    if expr.rule:
        out["rule"] = expr.rule
    return out


def _span_to_dict(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


def _event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind,
        "summary": event.summary,
        "evidence": {"start": event.evidence.start, "end": event.evidence.end},
        "date": _date_to_dict(event.date) if event.date else None,
        "speaker": (
            {"name": event.speaker.name, "role": event.speaker.role} if event.speaker else None
        ),
        "quote": _span_to_dict(event.quote) if event.quote else None,
        "indirect": event.indirect,
        "medium": event.medium,
        "said_at": event.said_at,
        "places": list(event.places),
        "actors": list(event.actors),
        "edited": event.edited,
        "hidden": event.hidden,
    }


def _document_to_dict(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "lang": document.lang,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "published_granularity": document.published_granularity,
        "published_source": document.published_source,
    }


def analysis_to_dict(analysis: Analysis, *, include_text: bool = False) -> dict[str, Any]:
    """The JSON form of one analysis. ``include_text`` adds the article text, which makes the
    JSON self-contained (``placeline export`` can read it back without the original file)."""
    document = _document_to_dict(analysis.document)
    if include_text:
        document["text"] = analysis.document.text
    return {
        "schema": SCHEMA_ID,
        "id": analysis.document.id,
        "document": document,
        "places": [_place_to_dict(p) for p in analysis.places],
        "unresolved": [_mention_to_dict(m) for m in analysis.unresolved],
        "dates": [_date_to_dict(d) for d in analysis.dates],
        "events": [_event_to_dict(e) for e in analysis.events],
        "notices": list(analysis.notices),
    }


def analysis_to_json(analysis: Analysis, *, include_text: bool = False, indent: int | None = None) -> str:
    return json.dumps(
        analysis_to_dict(analysis, include_text=include_text), ensure_ascii=False, indent=indent
    )


def _mention_from_dict(data: dict[str, Any]) -> Mention:
    return Mention(data["start"], data["end"], data["text"], qualifier=data.get("qualifier"))


def _date_from_dict(data: dict[str, Any]) -> TimeExpression:
    range_ = data.get("range") or {}
    return TimeExpression(
        data["start"],
        data["end"],
        data["text"],
        value=data.get("value"),
        granularity=data.get("granularity", "day"),
        range_start=range_.get("start"),
        range_end=range_.get("end"),
        rule=data.get("rule", ""),
    )


def analysis_from_dict(data: dict[str, Any], *, text: str | None = None) -> Analysis:
    """Rebuild an Analysis from its JSON form. The article text comes from ``document.text`` or
    the ``text`` argument; spans are re-sliced from it so they always agree with the text."""
    doc = data["document"]
    body = text if text is not None else doc.get("text", "")
    document = Document(
        id=doc["id"],
        text=body,
        title=doc.get("title"),
        lang=doc.get("lang") or "de",
        published=dt.date.fromisoformat(doc["published"]) if doc.get("published") else None,
        published_granularity=doc.get("published_granularity"),
        published_source=doc.get("published_source"),
        url=doc.get("url"),
    )
    places = tuple(
        Place(
            id=p["id"],
            name=p["name"],
            country=p.get("country", ""),
            lat=p["lat"],
            lon=p["lon"],
            kind=p.get("kind", "other"),
            confidence=p.get("confidence", 0.0),
            mentions=tuple(_mention_from_dict(m) for m in p.get("mentions", [])),
            alternatives=tuple(
                Candidate(
                    id=c["id"],
                    name=c["name"],
                    country=c.get("country", ""),
                    lat=c["lat"],
                    lon=c["lon"],
                    kind=c.get("kind", "other"),
                    score=c.get("score", 0.0),
                )
                for c in p.get("alternatives", [])
            ),
            source=p.get("source", "gazetteer"),
            edited=p.get("edited", False),
        )
        for p in data.get("places", [])
    )
    events = []
    for e in data.get("events", []):
        evidence = e["evidence"]
        quote = e.get("quote")
        speaker = e.get("speaker")
        events.append(
            Event(
                id=e["id"],
                kind=e["kind"],
                summary=e.get("summary", ""),
                evidence=Span(evidence["start"], evidence["end"], body[evidence["start"] : evidence["end"]]),
                date=_date_from_dict(e["date"]) if e.get("date") else None,
                speaker=Speaker(speaker["name"], speaker.get("role")) if speaker else None,
                quote=Span(quote["start"], quote["end"], quote["text"]) if quote else None,
                places=tuple(e.get("places", [])),
                actors=tuple(e.get("actors", [])),
                medium=e.get("medium"),
                said_at=e.get("said_at"),
                indirect=e.get("indirect", False),
                edited=e.get("edited", False),
                hidden=e.get("hidden", False),
            )
        )
    return Analysis(
        document=document,
        places=places,
        unresolved=tuple(_mention_from_dict(m) for m in data.get("unresolved", [])),
        dates=tuple(_date_from_dict(d) for d in data.get("dates", [])),
        events=tuple(events),
        notices=tuple(data.get("notices", [])),
    )


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``placeline.analysis/1``."""
    return json.loads(resources.files("placeline.schema").joinpath("analysis-1.json").read_text("utf-8"))
