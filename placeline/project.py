"""The articles a user has loaded and flat views of their analyses for the app's pages.

Pure Python (no streamlit): the app keeps ``ArticleSource`` values (user choices) in its session
and recomputes analyses through a bounded cache; everything here derives tables from those
analyses so that pages stay thin and the logic is unit-tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from placeline.corrections import (
    AddEvent,
    AddPlace,
    ChooseCandidate,
    Correction,
    FixEvent,
    HideEvent,
    MergeEvents,
    MovePlace,
    RemovePlace,
)
from placeline.errors import InputError
from placeline.model import PLACE_KINDS, Analysis, Candidate, Document, Event, Span
from placeline.render.i18n import t

SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "samples" / "000_57bc9abe0d5d58cd.txt"
SEED_TITLE = "Moskau verhandelt mit Washington über Aleppo"

# The tooltip of every marker ends with "[place id]"; st_folium returns the tooltip's text on a
# click (``last_object_clicked`` only has coordinates), so this is how a click finds its place.
_TOOLTIP_ID = re.compile(r"\[([^\[\]]+)\]\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'“”»«]?\s+|\n\s*\n")


@dataclass(frozen=True)
class ArticleSource:
    """One article as the user supplied it; the analysis is recomputed from this."""

    text: str
    title: str | None = None
    lang: str | None = None
    published: str | None = None  # YYYY-MM-DD as entered by the user or read from metadata
    url: str | None = None
    origin: str = "text"  # text, upload, url, sample
    published_source: str | None = None  # "user" or "metadata"; None lets the header count

    @classmethod
    def from_document(cls, document: Document, *, origin: str) -> ArticleSource:
        """Keep what ingest found in a file or page; a date read from the text's header is
        left out because it is found again from the text."""
        keep_date = document.published is not None and document.published_source in (
            "user", "metadata")
        return cls(
            text=document.text,
            title=document.title,
            lang=document.lang,
            published=document.published.isoformat() if keep_date else None,
            url=document.url,
            origin=origin,
            published_source=document.published_source if keep_date else None,
        )

    def as_dict(self) -> dict:
        return asdict(self)


def seed_article() -> ArticleSource:
    """The reference article the app opens on."""
    return ArticleSource(
        text=SEED_PATH.read_text(encoding="utf-8"), title=SEED_TITLE, origin="sample"
    )


def article_label(analysis: Analysis) -> str:
    document = analysis.document
    if document.title:
        return document.title
    first_line = next((line.strip() for line in document.text.splitlines() if line.strip()), "")
    return first_line[:60] or document.id


EDITED_MARK = "✎"


def tooltip_for(name: str, place_id: str, mentions: int, *, edited: bool = False) -> str:
    """Plain-text tooltip; ``place_id_from_tooltip`` reverses it. The caller escapes it.
    A place a journalist corrected starts with ``EDITED_MARK``."""
    mark = f"{EDITED_MARK} " if edited else ""
    return f"{mark}{name} · {mentions}× [{place_id}]"


def place_id_from_tooltip(tooltip: str | None) -> str | None:
    if not tooltip:
        return None
    match = _TOOLTIP_ID.search(tooltip.strip())
    return match.group(1) if match else None


@dataclass(frozen=True)
class PlaceRow:
    """A place merged over all articles (the same gazetteer id is one marker)."""

    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    mentions: int
    confidence: float
    articles: tuple[str, ...]  # document ids
    edited: bool = False  # a journalist corrected it in at least one article


@dataclass(frozen=True)
class EventRow:
    """One event or statement with what the timeline, the table and the filters need."""

    key: str  # "<document id>/<event id>": unique across articles
    article_id: str
    article: str
    event_id: str
    kind: str
    summary: str
    date_value: str | None
    date_text: str | None
    granularity: str | None
    speaker: str | None
    speaker_role: str | None
    quote: str | None
    places: tuple[str, ...]
    countries: tuple[str, ...]
    position: int  # evidence start in the article: orders undated events
    edited: bool = False  # a journalist corrected or added it

    @property
    def start(self) -> dt.date | None:
        return date_start(self.date_value)

    @property
    def end(self) -> dt.date | None:
        return date_end(self.date_value)


def date_start(value: str | None) -> dt.date | None:
    """First day of an ISO value at day, month or year granularity."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


def date_end(value: str | None) -> dt.date | None:
    """Last day of an ISO value at day, month or year granularity."""
    start = date_start(value)
    if start is None or value is None:
        return None
    parts = value.split("-")
    if len(parts) >= 3:
        return start
    if len(parts) == 2:
        next_month = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return next_month - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)


def place_rows(analyses: tuple[Analysis, ...] | list[Analysis]) -> list[PlaceRow]:
    merged: dict[str, PlaceRow] = {}
    for analysis in analyses:
        for place in analysis.places:
            known = merged.get(place.id)
            if known is None:
                merged[place.id] = PlaceRow(
                    id=place.id,
                    name=place.name,
                    country=place.country,
                    kind=place.kind,
                    lat=place.lat,
                    lon=place.lon,
                    mentions=len(place.mentions),
                    confidence=place.confidence,
                    articles=(analysis.document.id,),
                    edited=place.edited,
                )
            else:
                merged[place.id] = PlaceRow(
                    **{
                        **asdict(known),
                        "mentions": known.mentions + len(place.mentions),
                        "confidence": max(known.confidence, place.confidence),
                        "articles": tuple(dict.fromkeys(
                            (*known.articles, analysis.document.id))),
                        "edited": known.edited or place.edited,
                    }
                )
    return sorted(merged.values(), key=lambda row: (-row.mentions, row.name))


def _event_row(analysis: Analysis, event: Event, countries_by_place: dict[str, str]) -> EventRow:
    quote = event.quote.text if event.quote else None
    return EventRow(
        key=f"{analysis.document.id}/{event.id}",
        article_id=analysis.document.id,
        article=article_label(analysis),
        event_id=event.id,
        kind=event.kind,
        summary=event.summary,
        date_value=event.date.value if event.date else None,
        date_text=event.date.text if event.date else None,
        granularity=event.date.granularity if event.date else None,
        speaker=event.speaker.name if event.speaker else None,
        speaker_role=event.speaker.role if event.speaker else None,
        quote=quote,
        places=event.places,
        countries=tuple(
            sorted({countries_by_place[p] for p in event.places if countries_by_place.get(p)})
        ),
        position=event.evidence.start,
        edited=event.edited,
    )


def event_rows(analyses: tuple[Analysis, ...] | list[Analysis]) -> list[EventRow]:
    """All visible events in time order; undated ones after, in text order."""
    rows: list[EventRow] = []
    for analysis in analyses:
        countries = {place.id: place.country for place in analysis.places}
        rows.extend(
            _event_row(analysis, event, countries) for event in analysis.events if not event.hidden
        )
    return sorted(
        rows,
        key=lambda r: (r.start is None, r.start or dt.date.min, r.article_id, r.position),
    )


@dataclass(frozen=True)
class EventFilter:
    """What the user narrowed the timeline to; empty means "all"."""

    place_id: str | None = None
    kinds: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def filter_events(rows: list[EventRow], event_filter: EventFilter) -> list[EventRow]:
    """Rows that pass every filter; undated events pass the date filter (they have their lane)."""
    f = event_filter
    kept = []
    for row in rows:
        if f.place_id and f.place_id not in row.places:
            continue
        if f.kinds and row.kind not in f.kinds:
            continue
        if f.speakers and row.speaker not in f.speakers:
            continue
        if f.countries and not set(row.countries) & set(f.countries):
            continue
        if f.articles and row.article_id not in f.articles:
            continue
        if row.start is not None:
            if f.date_from and (row.end or row.start) < f.date_from:
                continue
            if f.date_to and row.start > f.date_to:
                continue
        kept.append(row)
    return kept


@dataclass(frozen=True)
class SentenceHit:
    article: str
    sentence: str
    mentions: tuple[tuple[int, int], ...]  # offsets into ``sentence``


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (enough to show a mention in context)."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start() + len(match.group(0).rstrip())))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def sentences_mentioning(analyses: list[Analysis], place_id: str) -> list[SentenceHit]:
    """Every sentence that mentions the place, with the mention offsets inside it."""
    hits: list[SentenceHit] = []
    for analysis in analyses:
        place = analysis.place_by_id(place_id)
        if place is None:
            continue
        text = analysis.document.text
        for start, end in sentence_bounds(text):
            inside = tuple(
                (m.start - start, m.end - start)
                for m in place.mentions
                if start <= m.start and m.end <= end
            )
            if inside:
                hits.append(SentenceHit(article_label(analysis), text[start:end], inside))
    return hits


def bounds_of(rows: list[PlaceRow]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """South-west and north-east corners around the places, for fitting the map."""
    if not rows:
        return None
    lats = [r.lat for r in rows]
    lons = [r.lon for r in rows]
    return (min(lats), min(lons)), (max(lats), max(lons))


HIGHLIGHT_KINDS = ("place", "unresolved", "date", "speaker", "quote")


def _minus(start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) not covered by ``taken`` (sorted, non-overlapping)."""
    parts, cursor = [], start
    for s, e in taken:
        if e <= cursor or s >= end:
            continue
        if s > cursor:
            parts.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        parts.append((cursor, end))
    return parts


def text_highlights(analysis: Analysis) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, explanation)`` for every place, date, speaker and quote.

    Places, dates and speakers win over quotes; a quote is split around them so that a place
    inside a quote keeps its own highlight. The explanation says what a span resolved to.
    """
    text = analysis.document.text
    spans: list[tuple[int, int, str, str]] = []
    for place in analysis.places:
        label = f"{place.name} ({place.country or '–'}, {place.kind}) · {place.id} · " \
                f"{place.confidence:.2f}"
        spans.extend((m.start, m.end, "place", label) for m in place.mentions)
    spans.extend((m.start, m.end, "unresolved", m.text) for m in analysis.unresolved)
    for expression in analysis.dates:
        value = expression.value or "?"
        spans.append((expression.start, expression.end, "date",
                      f"{value} ({expression.granularity})"))
    quotes = []
    for event in analysis.events:
        if event.speaker:
            lo, hi = event.evidence.start, event.evidence.end
            found = text.find(event.speaker.name, lo, hi)
            if found < 0:
                surname = event.speaker.name.split()[-1]
                found = text.find(surname, lo, hi)
                length = len(surname)
            else:
                length = len(event.speaker.name)
            if found >= 0:
                role = f", {event.speaker.role}" if event.speaker.role else ""
                spans.append((found, found + length, "speaker", event.speaker.name + role))
        if event.quote:
            who = event.speaker.name if event.speaker else "?"
            quotes.append((event.quote.start, event.quote.end, who))
    spans.sort(key=lambda s: (s[0], -s[1]))
    taken: list[tuple[int, int]] = []
    for start, end, _kind, _title in spans:
        if taken and start < taken[-1][1]:
            continue
        taken.append((start, end))
    for start, end, who in quotes:
        spans.extend((s, e, "quote", who) for s, e in _minus(start, end, taken))
    return sorted(spans, key=lambda s: (s[0], -s[1]))


# --- corrections: what the correction forms need --------------------------------------------


def origin_of(document: Document) -> str:
    """How a stored article came in, as far as the document tells (the seed is a sample)."""
    if document.text == SEED_PATH.read_text(encoding="utf-8"):
        return "sample"
    return "url" if document.url else "text"


def candidates_from_locations(locations: object, *, limit: int = 25) -> list[Candidate]:
    """Candidates from a geopy-style ``geocode(…, exactly_one=False)`` answer: the offline
    geocoder puts the gazetteer row in ``Location.raw``; an online one its payload."""
    if locations is None:
        return []
    if not isinstance(locations, list | tuple):
        locations = [locations]
    found: dict[str, Candidate] = {}
    for location in locations[:limit]:
        raw = getattr(location, "raw", None) or {}
        place_id = str(raw.get("id") or raw.get("place_id") or location.address)
        kind = raw.get("kind") if raw.get("kind") in PLACE_KINDS else "other"
        found.setdefault(place_id, Candidate(
            id=place_id if ":" in place_id else f"geocoder:{place_id}",
            name=str(raw.get("name") or location.address),
            country=str(raw.get("country") or ""),
            lat=float(location.latitude),
            lon=float(location.longitude),
            kind=kind,
            population=int(raw.get("population") or 0),
            source="gazetteer" if "id" in raw else "geocoder",
        ))
    return list(found.values())


def span_in_sentence(text: str, sentence: tuple[int, int], words: str) -> Span:
    """The first occurrence of ``words`` (typed exactly as in the text) inside ``sentence``;
    ``InputError`` when they are not there."""
    words = words.strip()
    if not words:
        raise InputError("type the words exactly as they stand in the sentence")
    start = text.find(words, sentence[0], sentence[1])
    if start < 0:
        raise InputError(f"“{words}” does not occur in the chosen sentence")
    return Span(start, start + len(words), words)


def date_granularity(value: str) -> str:
    """The granularity of an ISO date typed by hand: "2016" year, "2016-12" month, else day."""
    return {1: "year", 2: "month"}.get(len(value.strip().split("-")), "day")


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def describe_correction(correction: Correction, lang: str) -> str:
    """One line for the list of corrections, in the UI language."""
    c = correction
    if isinstance(c, ChooseCandidate):
        key = "c_choose_all" if c.all_mentions else "c_choose"
        return t(key, lang, text=_quoted(c.mention.text), name=c.candidate.name,
                 id=c.candidate.id)
    if isinstance(c, MovePlace):
        return t("c_move", lang, text=_quoted(c.mention.text), lat=f"{c.lat:.4f}",
                 lon=f"{c.lon:.4f}")
    if isinstance(c, RemovePlace):
        key = "c_remove_mention" if c.only_mention else "c_remove"
        return t(key, lang, text=_quoted(c.mention.text))
    if isinstance(c, AddPlace):
        return t("c_add_place", lang, text=_quoted(c.mention.text), name=c.candidate.name)
    if isinstance(c, FixEvent):
        fields = [t(name, lang) for name, value in (
            ("date", c.date), ("speaker", c.speaker), ("kind", c.event_kind),
            ("summary", c.summary), ("places", c.places)) if value is not None]
        fields += [t(name, lang) + " ∅" for name in c.clear]
        return t("c_fix", lang, fields=", ".join(fields), text=_quoted(c.event.evidence.text))
    if isinstance(c, HideEvent):
        return t("c_hide", lang, text=_quoted(c.event.evidence.text))
    if isinstance(c, MergeEvents):
        return t("c_merge", lang, n=len(c.duplicates), text=_quoted(c.keep.evidence.text))
    if isinstance(c, AddEvent):
        return t("c_add_event", lang, text=_quoted(c.summary or c.evidence.text))
    return c.describe()
