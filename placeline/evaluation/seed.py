"""Scoring the reference article: places, dates, statements and events against gold.json."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from placeline.evaluation.data import SeedGold
from placeline.evaluation.scoring import PlaceScore, PlaceTally, PredictedSpan, match_spans
from placeline.model import Analysis, Document, Event, Span

# How the seed gets its publication date: "given" by the user (gold.json's day), from the
# "header" line only (published=None), or "none": header blanked, the timeline must infer it.
SEED_DATE_MODES = ("given", "header", "none")

Analyzer = Callable[[Document], Analysis]


@dataclass(frozen=True)
class SeedReport:
    """The seed's scores under one publication-date mode. ``misses`` lists what went wrong,
    one line each, so a failing gate points at the gold item."""

    date_mode: str
    published: str | None  # the publication day the analysis ended up with
    places: PlaceScore
    dates_right: int
    dates_total: int
    false_dates: int
    statements_found: int
    statements_right_speaker: int
    statements_total: int
    extra_statements: int
    events_found: int
    events_total: int
    extra_events: int
    seconds: float
    misses: tuple[str, ...] = ()

    @property
    def dates_share(self) -> float:
        return self.dates_right / self.dates_total if self.dates_total else 0.0

    @property
    def statements_share(self) -> float:
        return (
            self.statements_right_speaker / self.statements_total if self.statements_total else 0.0
        )

    @property
    def events_share(self) -> float:
        return self.events_found / self.events_total if self.events_total else 0.0


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return min(a_end, b_end) > max(a_start, b_start)


_LEADING_ARTICLE = re.compile(r"^(?:der|die|das|des|dem|den|the)\s+")


def normalize_speaker(name: str) -> str:
    """Casefolded, whitespace collapsed, without a leading article ("der Stadtrat von Idlib")."""
    return _LEADING_ARTICLE.sub("", " ".join(name.casefold().split()))


def predicted_spans(analysis: Analysis) -> list[PredictedSpan]:
    """Every find of the analysis; a country carries its code for the country rule, and an
    unresolved find has no coordinates (it counts as found, and as wrong at 20,039 km)."""
    spans = [
        PredictedSpan(
            m.start,
            m.end,
            m.text,
            place.lat,
            place.lon,
            place.country if place.kind == "country" else None,
        )
        for place in analysis.places
        for m in place.mentions
    ]
    spans.extend(PredictedSpan(m.start, m.end, m.text) for m in analysis.unresolved)
    return sorted(spans, key=lambda s: (s.start, s.end))


def seed_document_text(seed: SeedGold, date_mode: str) -> str:
    """The text to analyse: in mode "none" the header is blanked with spaces, so offsets hold
    and the timeline has to infer the date from the article itself."""
    if date_mode not in SEED_DATE_MODES:
        raise ValueError(f"unknown seed date mode {date_mode!r}; use one of {SEED_DATE_MODES}")
    text = seed.document.text
    if date_mode == "none" and seed.header:
        start, end = seed.header
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _quote_span(event: Event) -> Span:
    return event.quote or event.evidence


def score_seed_analysis(
    seed: SeedGold, analysis: Analysis, *, date_mode: str = "given", seconds: float = 0.0
) -> SeedReport:
    misses: list[str] = []
    places = PlaceTally(mode="overlap", nil="wrong")
    places.add(seed.document.spans, predicted_spans(analysis))

    header_blanked = date_mode == "none" and seed.header is not None
    gold_dates = [d for d in seed.dates if not (header_blanked and (d.start, d.end) == seed.header)]
    dates_right = 0
    required_dates = [d for d in gold_dates if not d.optional]
    for gold in required_dates:
        overlapping = [t for t in analysis.dates if _overlaps(t.start, t.end, gold.start, gold.end)]
        if any(t.value == gold.value for t in overlapping):
            dates_right += 1
        else:
            found = ", ".join(f"{t.text!r}={t.value}" for t in overlapping) or "nothing"
            misses.append(f"date {gold.surface!r} should be {gold.value}, found {found}")
    false_dates = sum(
        not any(_overlaps(t.start, t.end, g.start, g.end) for g in seed.dates)
        for t in analysis.dates
        if not (header_blanked and _overlaps(t.start, t.end, *seed.header))
    )

    statements = [e for e in analysis.events if e.kind == "statement" and not e.hidden]
    required = [s for s in seed.statements if not s.optional]
    optional = [s for s in seed.statements if s.optional]
    quote_spans = [_quote_span(e) for e in statements]
    matches = match_spans(
        [Span(s.start, s.end, s.surface) for s in required], quote_spans, mode="overlap"
    )
    right_speaker = 0
    matched_gold = {gi for gi, _ in matches}
    for gi, pi in matches:
        said_by = statements[pi].speaker.name if statements[pi].speaker else None
        if said_by and normalize_speaker(said_by) == normalize_speaker(required[gi].speaker):
            right_speaker += 1
        else:
            misses.append(
                f"statement {required[gi].surface[:40]!r}: speaker {said_by!r}, "
                f"gold {required[gi].speaker!r}"
            )
    misses.extend(
        f"statement {s.surface[:40]!r} ({s.speaker}) not found"
        for gi, s in enumerate(required)
        if gi not in matched_gold
    )
    matched_pred = {pi for _, pi in matches}
    extra_statements = sum(
        pi not in matched_pred
        and not any(_overlaps(q.start, q.end, s.start, s.end) for s in optional)
        for pi, q in enumerate(quote_spans)
    )

    events = [e for e in analysis.events if e.kind == "event" and not e.hidden]
    required_events = [e for e in seed.events if not e.optional]
    events_found = 0
    for gold in required_events:
        overlapping = [
            e for e in events if _overlaps(e.evidence.start, e.evidence.end, gold.start, gold.end)
        ]
        dates = [e.date.value if e.date else None for e in overlapping]
        if gold.date in dates:
            events_found += 1
        else:
            found = ", ".join(str(d) for d in dates) or "nothing"
            misses.append(f"event {gold.summary!r} ({gold.date}) found with date(s): {found}")
    extra_events = sum(
        not any(_overlaps(e.evidence.start, e.evidence.end, g.start, g.end) for g in seed.events)
        for e in events
    )
    published = analysis.document.published
    return SeedReport(
        date_mode=date_mode,
        published=published.isoformat() if published else None,
        places=places.score(),
        dates_right=dates_right,
        dates_total=len(required_dates),
        false_dates=false_dates,
        statements_found=len(matches),
        statements_right_speaker=right_speaker,
        statements_total=len(required),
        extra_statements=extra_statements,
        events_found=events_found,
        events_total=len(required_events),
        extra_events=extra_events,
        seconds=seconds,
        misses=tuple(misses),
    )
