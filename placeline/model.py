"""Frozen dataclasses passed between the pipeline stages.

Every offset (``start``/``end``) is a Python ``str`` index into the exact input text of the
document (``Document.text``), never into a cleaned copy, so ``text[start:end] == mention.text``
holds everywhere. Stages never mutate what they receive; they return new objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PLACE_KINDS = ("city", "country", "admin", "region", "water", "landmark", "continent", "other")
GRANULARITIES = ("day", "month", "year", "vague")
EVENT_KINDS = ("event", "statement")
PUBLISHED_SOURCES = ("user", "metadata", "header", "text")


@dataclass(frozen=True)
class Span:
    """A stretch of the document text; ``text`` equals ``document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    """One article as placeline reads it.

    ``published`` is the publication day when known. ``published_granularity`` says how much
    of it is known ("day", "month", "year"): a header like ``date 2016-12`` gives a month.
    """

    id: str
    text: str
    title: str | None = None
    lang: str = "de"
    published: dt.date | None = None
    published_granularity: str | None = None
    published_source: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One gazetteer (or geocoder) entry that a toponym may refer to."""

    id: str  # "geonames:170063", "country:SY", "placeline:middle-east", "nominatim:…"
    name: str
    country: str  # ISO 3166-1 alpha-2, "" when none (seas, continents)
    lat: float
    lon: float
    kind: str  # one of PLACE_KINDS
    population: int = 0
    score: float = 0.0
    source: str = "gazetteer"


@dataclass(frozen=True)
class Mention(Span):
    """A toponym occurrence. ``qualifier`` keeps a direction prefix such as "east" (Ost-Aleppo)."""

    qualifier: str | None = None


@dataclass(frozen=True)
class Place:
    """A resolved place with every mention of it and the candidates it was chosen from."""

    id: str
    name: str
    country: str
    lat: float
    lon: float
    kind: str
    confidence: float
    mentions: tuple[Mention, ...]
    alternatives: tuple[Candidate, ...] = ()
    source: str = "gazetteer"  # which resolver produced it: gazetteer, nominatim, correction…
    edited: bool = False


@dataclass(frozen=True)
class TimeExpression(Span):
    """A temporal expression with its normalised value.

    ``value`` is ISO 8601 at the expression's granularity ("2016-12-07", "2016-12", "2016"),
    or None when it cannot be resolved (no publication date, vague). ``range_start`` and
    ``range_end`` bound vague expressions ("in den vergangenen Monaten") where possible.
    """

    value: str | None = None
    granularity: str = "day"
    range_start: str | None = None
    range_end: str | None = None
    rule: str = ""


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Event:
    """Something that happened, or a statement somebody made, with its evidence in the text."""

    id: str
    kind: str  # "event" or "statement"
    summary: str
    evidence: Span
    date: TimeExpression | None = None
    speaker: Speaker | None = None
    quote: Span | None = None
    places: tuple[str, ...] = ()  # Place.id values
    actors: tuple[str, ...] = ()
    medium: str | None = None
    said_at: str | None = None  # Place.id where the statement was made
    indirect: bool = False
    edited: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class Analysis:
    """What placeline found in one document."""

    document: Document
    places: tuple[Place, ...] = ()
    unresolved: tuple[Mention, ...] = ()
    dates: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    notices: tuple[str, ...] = field(default=())  # messages for the user, e.g. geocoder failures

    def place_by_id(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)
