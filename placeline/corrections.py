"""Corrections a journalist makes to an analysis, and how they are re-applied.

A correction never names an object by the id an analysis run gave it ("p3", "e7"): those ids
change whenever the analysis code changes. It is anchored instead to the document hash and to a
span of the text (start, end and the span's text): a place by one of its mentions, an event by
its kind and its evidence span. ``apply_corrections`` finds each anchor again in a fresh
analysis (at the same offsets, or, when the text was edited, at the nearest place where the same
text occurs) and reports every correction it cannot apply, so nothing is dropped silently.

Corrections are frozen dataclasses; ``correction_to_dict`` / ``correction_from_dict`` give the
JSON payload that ``placeline.store`` keeps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from placeline.errors import InputError
from placeline.model import (
    EVENT_KINDS,
    GRANULARITIES,
    PLACE_KINDS,
    Analysis,
    Candidate,
    Event,
    Mention,
    Place,
    Span,
    Speaker,
    TimeExpression,
)

# An anchor whose text moved further than this (in characters) is not looked for: beyond it a
# second occurrence of a common name is more likely to be another mention than the same one.
RELOCATE_WINDOW = 5_000
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def document_hash(text: str) -> str:
    """The key corrections are stored under: the sha256 hex digest of the document text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def span_of(text: str, start: int, end: int) -> Span:
    """A ``Span`` of ``text``; raises ``InputError`` when the offsets lie outside the text."""
    if not 0 <= start < end <= len(text):
        raise InputError(f"span {start}-{end} lies outside the text ({len(text)} characters)")
    return Span(start, end, text[start:end])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_id() -> str:
    return uuid.uuid4().hex


def _check_span(span: Span, what: str) -> None:
    if span.start < 0 or span.end <= span.start or len(span.text) != span.end - span.start:
        raise InputError(f"{what} span {span.start}-{span.end} {span.text!r} is not a valid span")


@dataclass(frozen=True)
class PlaceRef:
    """A place named by one of its mentions (stable across runs), with the id it had as a hint."""

    mention: Span | None
    place_id: str = ""


@dataclass(frozen=True)
class EventRef:
    """An event named by its kind and evidence span; ``event_id`` is only a hint for messages."""

    kind: str
    evidence: Span
    event_id: str = ""

    @classmethod
    def of(cls, event: Event) -> EventRef:
        """The reference to an event of an analysis."""
        return cls(kind=event.kind, evidence=event.evidence, event_id=event.id)


@dataclass(frozen=True, kw_only=True)
class Correction:
    """What all corrections share: an id, the document hash, when made and when undone."""

    KIND: ClassVar[str] = ""

    doc_hash: str
    id: str = field(default_factory=_new_id)
    created_at: dt.datetime = field(default_factory=_now)
    undone_at: dt.datetime | None = None

    @property
    def kind(self) -> str:
        """The stored name of this correction's kind, e.g. ``"choose_candidate"``."""
        return self.KIND

    @property
    def anchor(self) -> Span:
        """The span of the text this correction is attached to."""
        raise NotImplementedError

    def describe(self) -> str:
        """A one-line description for the list of corrections."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class _PlaceCorrection(Correction):
    """A correction attached to one toponym mention: the span it is re-found by."""

    mention: Span

    def __post_init__(self) -> None:
        _check_span(self.mention, "mention")

    @property
    def anchor(self) -> Span:
        return self.mention


@dataclass(frozen=True, kw_only=True)
class ChooseCandidate(_PlaceCorrection):
    """Resolve a mention (or, with ``all_mentions``, every mention of the same name) to
    ``candidate`` instead of what the resolver chose."""

    KIND: ClassVar[str] = "choose_candidate"
    candidate: Candidate
    all_mentions: bool = False

    def describe(self) -> str:
        scope = "every mention of" if self.all_mentions else "the mention"
        return f"{scope} “{self.mention.text}” is {self.candidate.name} ({self.candidate.id})"


@dataclass(frozen=True, kw_only=True)
class MovePlace(_PlaceCorrection):
    """Move the place that ``mention`` belongs to onto new coordinates."""

    KIND: ClassVar[str] = "move_place"
    lat: float
    lon: float

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise InputError(f"coordinates {self.lat}, {self.lon} are not a latitude/longitude")

    def describe(self) -> str:
        return f"moved “{self.mention.text}” to {self.lat:.5f}, {self.lon:.5f}"


@dataclass(frozen=True, kw_only=True)
class RemovePlace(_PlaceCorrection):
    """Remove a false place: the whole place ``mention`` belongs to, or with ``only_mention``
    just that one mention."""

    KIND: ClassVar[str] = "remove_place"
    only_mention: bool = False

    def describe(self) -> str:
        what = "the mention" if self.only_mention else "the place"
        return f"removed {what} “{self.mention.text}”"


@dataclass(frozen=True, kw_only=True)
class AddPlace(_PlaceCorrection):
    """Add a place the recogniser missed: the text span ``mention`` refers to ``candidate``."""

    KIND: ClassVar[str] = "add_place"
    candidate: Candidate

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.candidate.kind not in PLACE_KINDS:
            raise InputError(f"place kind {self.candidate.kind!r} is not one of {PLACE_KINDS}")

    def describe(self) -> str:
        return f"added “{self.mention.text}” as {self.candidate.name} ({self.candidate.id})"


@dataclass(frozen=True, kw_only=True)
class FixEvent(Correction):
    """Change fields of an event. ``None`` leaves a field as found; ``clear`` names fields to
    empty ("date", "speaker"). ``date`` is ISO 8601 at ``granularity`` ("2016-12-07")."""

    KIND: ClassVar[str] = "fix_event"
    event: EventRef
    date: str | None = None
    granularity: str = "day"
    speaker: Speaker | None = None
    event_kind: str | None = None
    summary: str | None = None
    places: tuple[PlaceRef, ...] | None = None
    clear: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_span(self.event.evidence, "evidence")
        if self.date is not None and not _ISO_DATE.match(self.date):
            raise InputError(f"date {self.date!r} is not of the form YYYY, YYYY-MM or YYYY-MM-DD")
        if self.granularity not in GRANULARITIES:
            raise InputError(f"granularity {self.granularity!r} is not one of {GRANULARITIES}")
        if self.event_kind is not None and self.event_kind not in EVENT_KINDS:
            raise InputError(f"event kind {self.event_kind!r} is not one of {EVENT_KINDS}")
        unknown = set(self.clear) - {"date", "speaker"}
        if unknown:
            raise InputError(f"cannot clear {sorted(unknown)}; only date and speaker")

    @property
    def anchor(self) -> Span:
        return self.event.evidence

    def describe(self) -> str:
        changes = [
            name
            for name, value in (
                ("date", self.date),
                ("speaker", self.speaker),
                ("kind", self.event_kind),
                ("summary", self.summary),
                ("places", self.places),
            )
            if value is not None
        ] + [f"no {name}" for name in self.clear]
        return f"fixed {', '.join(changes) or 'nothing'} of “{_short(self.event.evidence.text)}”"


@dataclass(frozen=True, kw_only=True)
class HideEvent(Correction):
    """Hide an event from the timeline (it stays in the analysis with ``hidden=True``)."""

    KIND: ClassVar[str] = "hide_event"
    event: EventRef

    def __post_init__(self) -> None:
        _check_span(self.event.evidence, "evidence")

    @property
    def anchor(self) -> Span:
        return self.event.evidence

    def describe(self) -> str:
        return f"hid “{_short(self.event.evidence.text)}”"


@dataclass(frozen=True, kw_only=True)
class MergeEvents(Correction):
    """Merge duplicates into ``keep``: it gains their places and actors (and their date and
    speaker when it has none); the duplicates leave the timeline."""

    KIND: ClassVar[str] = "merge_events"
    keep: EventRef
    duplicates: tuple[EventRef, ...]

    def __post_init__(self) -> None:
        if not self.duplicates:
            raise InputError("a merge needs at least one duplicate event")
        for ref in (self.keep, *self.duplicates):
            _check_span(ref.evidence, "evidence")

    @property
    def anchor(self) -> Span:
        return self.keep.evidence

    def describe(self) -> str:
        return (
            f"merged {len(self.duplicates)} duplicate(s) into “{_short(self.keep.evidence.text)}”"
        )


@dataclass(frozen=True, kw_only=True)
class AddEvent(Correction):
    """An event added by hand, with its evidence span in the text."""

    KIND: ClassVar[str] = "add_event"
    evidence: Span
    event_kind: str = "event"
    summary: str = ""
    date: str | None = None
    granularity: str = "day"
    speaker: Speaker | None = None
    places: tuple[PlaceRef, ...] = ()

    def __post_init__(self) -> None:
        _check_span(self.evidence, "evidence")
        if self.event_kind not in EVENT_KINDS:
            raise InputError(f"event kind {self.event_kind!r} is not one of {EVENT_KINDS}")
        if self.date is not None and not _ISO_DATE.match(self.date):
            raise InputError(f"date {self.date!r} is not of the form YYYY, YYYY-MM or YYYY-MM-DD")
        if self.granularity not in GRANULARITIES:
            raise InputError(f"granularity {self.granularity!r} is not one of {GRANULARITIES}")

    @property
    def anchor(self) -> Span:
        return self.evidence

    @property
    def event_id(self) -> str:
        """The id the added event carries in every analysis it is applied to."""
        return f"added-{self.id}"

    def describe(self) -> str:
        return f"added the {self.event_kind} “{_short(self.summary or self.evidence.text)}”"


CORRECTION_KINDS: dict[str, type[Correction]] = {
    cls.KIND: cls
    for cls in (
        ChooseCandidate,
        MovePlace,
        RemovePlace,
        AddPlace,
        FixEvent,
        HideEvent,
        MergeEvents,
        AddEvent,
    )
}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- JSON payload ----------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def correction_to_dict(correction: Correction) -> dict[str, Any]:
    """The JSON-ready form of a correction, with its ``kind``; inverse of
    ``correction_from_dict``."""
    return {"kind": correction.KIND, **_encode(correction)}


def _span(data: dict[str, Any] | None) -> Span | None:
    return None if data is None else Span(int(data["start"]), int(data["end"]), str(data["text"]))


def _place_refs(data: list[dict[str, Any]] | None) -> tuple[PlaceRef, ...] | None:
    if data is None:
        return None
    return tuple(
        PlaceRef(mention=_span(d.get("mention")), place_id=d.get("place_id", "")) for d in data
    )


def _event_ref(data: dict[str, Any]) -> EventRef:
    return EventRef(
        kind=data["kind"], evidence=_span(data["evidence"]), event_id=data.get("event_id", "")
    )


def _datetime(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


_FIELD_DECODERS: dict[str, Callable[[Any], Any]] = {
    "mention": _span,
    "evidence": _span,
    "candidate": lambda d: Candidate(**d),
    "speaker": lambda d: None if d is None else Speaker(**d),
    "places": _place_refs,
    "event": _event_ref,
    "keep": _event_ref,
    "duplicates": lambda items: tuple(_event_ref(d) for d in items),
    "clear": tuple,
    "created_at": _datetime,
    "undone_at": _datetime,
}


def correction_from_dict(data: dict[str, Any]) -> Correction:
    """Rebuild a correction from ``correction_to_dict`` output; unknown fields (written by a
    newer placeline) are ignored, an unknown kind raises ``InputError``."""
    cls = CORRECTION_KINDS.get(data.get("kind", ""))
    if cls is None:
        raise InputError(f"unknown correction kind {data.get('kind')!r}")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            decode = _FIELD_DECODERS.get(f.name)
            kwargs[f.name] = decode(data[f.name]) if decode else data[f.name]
    try:
        return cls(**kwargs)
    except (TypeError, KeyError) as exc:
        raise InputError(f"correction {data.get('id')!r} is incomplete: {exc}") from exc


# --- applying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionProblem:
    """A correction that could not be applied (fully), with a message for the user."""

    correction: Correction
    message: str


@dataclass(frozen=True)
class AppliedCorrections:
    """The corrected analysis; ``problems`` lists what could not be applied, ``relocated`` the
    ids of corrections whose span was found again at other offsets (the text was edited)."""

    analysis: Analysis
    problems: tuple[CorrectionProblem, ...] = ()
    relocated: tuple[str, ...] = ()
    applied: tuple[str, ...] = ()


class _NotApplicable(Exception):
    """Raised inside one correction's application; becomes a ``CorrectionProblem``."""


def relocate_span(text: str, span: Span, *, window: int = RELOCATE_WINDOW) -> Span | None:
    """Find ``span`` in ``text``: at its offsets if the text there is unchanged, else at the
    nearest occurrence of the same text within ``window`` characters; None when gone."""
    if text[span.start : span.end] == span.text:
        return span
    best: int | None = None
    low = max(0, span.start - window)
    position = text.find(span.text, low)
    while position != -1 and position <= span.start + window:
        if best is None or abs(position - span.start) < abs(best - span.start):
            best = position
        position = text.find(span.text, position + 1)
    if best is None:
        return None
    return Span(best, best + len(span.text), span.text)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


class _Working:
    """The analysis being corrected, as lists; turned back into an ``Analysis`` at the end."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.text = analysis.document.text
        self.places: list[Place] = list(analysis.places)
        self.unresolved: list[Mention] = list(analysis.unresolved)
        self.events: list[Event] = list(analysis.events)
        self.relocated = False

    def locate(self, span: Span, what: str) -> Span:
        found = relocate_span(self.text, span)
        if found is None:
            raise _NotApplicable(
                f"the {what} “{_short(span.text)}” (characters {span.start}-{span.end}) is no "
                "longer in the text"
            )
        if found != span:
            self.relocated = True
        return found

    def place_at(self, span: Span) -> int | None:
        """Index of the place with a mention at ``span``, else the one whose mention overlaps it
        most (the recogniser may now cut the name differently, "Ost-Aleppo" / "Aleppo")."""
        best, best_overlap = None, 0
        for index, place in enumerate(self.places):
            for mention in place.mentions:
                if (mention.start, mention.end) == (span.start, span.end):
                    return index
                overlap = _overlap(mention, span)
                if overlap > best_overlap:
                    best, best_overlap = index, overlap
        return best

    def resolve_place_ref(self, ref: PlaceRef) -> str:
        if ref.mention is not None:
            found = relocate_span(self.text, ref.mention)
            index = self.place_at(found) if found else None
            if index is not None:
                return self.places[index].id
        if any(p.id == ref.place_id for p in self.places):
            return ref.place_id
        name = ref.mention.text if ref.mention else ref.place_id
        raise _NotApplicable(f"the place “{name}” is no longer on the map")

    def event_at(self, ref: EventRef) -> int:
        span = self.locate(ref.evidence, "event evidence")
        exact = [
            i
            for i, e in enumerate(self.events)
            if (e.evidence.start, e.evidence.end) == (span.start, span.end)
        ]
        if exact:
            return next((i for i in exact if self.events[i].kind == ref.kind), exact[0])
        # The timeline code may now cut the evidence differently: accept the same kind of event
        # whose evidence shares more than half of the longer of the two spans.
        best, best_score = None, 0.5
        for index, event in enumerate(self.events):
            if event.kind != ref.kind:
                continue
            longer = max(event.evidence.end - event.evidence.start, span.end - span.start)
            score = _overlap(event.evidence, span) / longer if longer else 0.0
            if score > best_score:
                best, best_score = index, score
        if best is None:
            raise _NotApplicable(
                f"the {ref.kind} “{_short(ref.evidence.text)}” is no longer on the timeline"
            )
        return best

    def drop_place_ids(self, removed: dict[str, str | None]) -> None:
        """Point events at the replacement of each removed place (or at nothing)."""
        if not removed:
            return
        for index, event in enumerate(self.events):
            ids = [removed.get(pid, pid) for pid in event.places]
            places = tuple(dict.fromkeys(pid for pid in ids if pid))
            said_at = removed.get(event.said_at) if event.said_at in removed else event.said_at
            if places != event.places or said_at != event.said_at:
                self.events[index] = replace(event, places=places, said_at=said_at)

    def assign_mentions(self, spans: list[Span], candidate: Candidate) -> None:
        keys = {(s.start, s.end) for s in spans}
        moved: dict[tuple[int, int], Mention] = {}
        removed: dict[str, str | None] = {}
        alternatives: list[Candidate] = []
        kept: list[Place] = []
        for place in self.places:
            leaving = [m for m in place.mentions if (m.start, m.end) in keys]
            if not leaving:
                kept.append(place)
                continue
            moved.update({(m.start, m.end): m for m in leaving})
            if place.id != candidate.id:
                alternatives.extend(place.alternatives)
                alternatives.append(_as_candidate(place))
            staying = tuple(m for m in place.mentions if (m.start, m.end) not in keys)
            if staying:
                kept.append(replace(place, mentions=staying, edited=True))
            elif place.id != candidate.id:
                removed[place.id] = candidate.id
        self.unresolved = [m for m in self.unresolved if (m.start, m.end) not in keys]
        for span in spans:
            moved.setdefault((span.start, span.end), Mention(span.start, span.end, span.text))
        self.places = kept
        target = next((i for i, p in enumerate(self.places) if p.id == candidate.id), None)
        if target is None:
            unique = {c.id: c for c in alternatives if c.id != candidate.id}
            self.places.append(
                Place(
                    id=candidate.id,
                    name=candidate.name,
                    country=candidate.country,
                    lat=candidate.lat,
                    lon=candidate.lon,
                    kind=candidate.kind,
                    confidence=1.0,
                    mentions=_sorted_mentions(moved.values()),
                    alternatives=tuple(unique.values()),
                    source="correction",
                    edited=True,
                )
            )
        else:
            place = self.places[target]
            mentions = {(m.start, m.end): m for m in place.mentions} | moved
            self.places[target] = replace(
                place, mentions=_sorted_mentions(mentions.values()), edited=True
            )
        self.drop_place_ids(removed)

    def result(self) -> Analysis:
        return replace(
            self.analysis,
            places=tuple(self.places),
            unresolved=tuple(self.unresolved),
            events=tuple(self.events),
        )


def _sorted_mentions(mentions: Any) -> tuple[Mention, ...]:
    return tuple(sorted(mentions, key=lambda m: (m.start, m.end)))


def _as_candidate(place: Place) -> Candidate:
    return Candidate(
        id=place.id,
        name=place.name,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        kind=place.kind,
        score=place.confidence,
        source=place.source,
    )


def _manual_date(value: str, granularity: str, evidence: Span) -> TimeExpression:
    # A date typed in by hand has no text of its own: an empty span at the evidence keeps the
    # offset invariant (text[start:end] == text) and places it in the document.
    return TimeExpression(
        evidence.start, evidence.start, "", value=value, granularity=granularity, rule="correction"
    )


def _apply_choose(work: _Working, c: ChooseCandidate | AddPlace) -> None:
    span = work.locate(c.mention, "mention")
    spans = [span]
    if isinstance(c, ChooseCandidate) and c.all_mentions:
        name = span.text.casefold()
        found = [m for p in work.places for m in p.mentions] + work.unresolved
        spans += [Span(m.start, m.end, m.text) for m in found if m.text.casefold() == name]
    work.assign_mentions(spans, c.candidate)


def _apply_move(work: _Working, c: MovePlace) -> None:
    index = work.place_at(work.locate(c.mention, "mention"))
    if index is None:
        raise _NotApplicable(f"“{c.mention.text}” is no longer a place on the map")
    work.places[index] = replace(work.places[index], lat=c.lat, lon=c.lon, edited=True)


def _apply_remove(work: _Working, c: RemovePlace) -> None:
    span = work.locate(c.mention, "mention")
    index = work.place_at(span)
    if index is None:
        raise _NotApplicable(f"“{c.mention.text}” is no longer a place on the map")
    place = work.places[index]
    if c.only_mention:
        best = max(place.mentions, key=lambda m: _overlap(m, span))
        staying = tuple(m for m in place.mentions if m is not best)
        if staying:
            work.places[index] = replace(place, mentions=staying, edited=True)
            return
    del work.places[index]
    work.drop_place_ids({place.id: None})


def _apply_fix(work: _Working, c: FixEvent) -> None:
    index = work.event_at(c.event)
    event = work.events[index]
    changes: dict[str, Any] = {"edited": True}
    if c.date is not None:
        changes["date"] = _manual_date(c.date, c.granularity, event.evidence)
    if c.speaker is not None:
        changes["speaker"] = c.speaker
    if c.event_kind is not None:
        changes["kind"] = c.event_kind
    if c.summary is not None:
        changes["summary"] = c.summary
    for name in c.clear:
        changes[name] = None
    missing: list[str] = []
    if c.places is not None:
        ids = []
        for ref in c.places:
            try:
                ids.append(work.resolve_place_ref(ref))
            except _NotApplicable as exc:
                missing.append(str(exc))
        changes["places"] = tuple(dict.fromkeys(ids))
    work.events[index] = replace(event, **changes)
    if missing:
        raise _NotApplicable("; ".join(missing) + " (the rest of the fix was applied)")


def _apply_hide(work: _Working, c: HideEvent) -> None:
    index = work.event_at(c.event)
    work.events[index] = replace(work.events[index], hidden=True, edited=True)


def _apply_merge(work: _Working, c: MergeEvents) -> None:
    keep_index = work.event_at(c.keep)
    keep = work.events[keep_index]
    duplicates: list[int] = []
    missing: list[str] = []
    for ref in c.duplicates:
        try:
            index = work.event_at(ref)
        except _NotApplicable as exc:
            missing.append(str(exc))
            continue
        if index != keep_index and index not in duplicates:
            duplicates.append(index)
    for index in duplicates:
        other = work.events[index]
        keep = replace(
            keep,
            places=tuple(dict.fromkeys(keep.places + other.places)),
            actors=tuple(dict.fromkeys(keep.actors + other.actors)),
            date=keep.date or other.date,
            speaker=keep.speaker or other.speaker,
        )
    work.events[keep_index] = replace(keep, edited=True)
    work.events = [e for i, e in enumerate(work.events) if i not in duplicates]
    if missing:
        raise _NotApplicable("; ".join(missing) + " (the other events were merged)")


def _apply_add_event(work: _Working, c: AddEvent) -> None:
    evidence = work.locate(c.evidence, "event evidence")
    missing: list[str] = []
    ids = []
    for ref in c.places:
        try:
            ids.append(work.resolve_place_ref(ref))
        except _NotApplicable as exc:
            missing.append(str(exc))
    work.events = [e for e in work.events if e.id != c.event_id]
    work.events.append(
        Event(
            id=c.event_id,
            kind=c.event_kind,
            summary=c.summary or evidence.text,
            evidence=evidence,
            date=_manual_date(c.date, c.granularity, evidence) if c.date else None,
            speaker=c.speaker,
            places=tuple(dict.fromkeys(ids)),
            edited=True,
        )
    )
    if missing:
        raise _NotApplicable("; ".join(missing) + " (the event was added without it)")


_APPLIERS: dict[type[Correction], Callable[[_Working, Any], None]] = {
    ChooseCandidate: _apply_choose,
    AddPlace: _apply_choose,
    MovePlace: _apply_move,
    RemovePlace: _apply_remove,
    FixEvent: _apply_fix,
    HideEvent: _apply_hide,
    MergeEvents: _apply_merge,
    AddEvent: _apply_add_event,
}


def apply_corrections(analysis: Analysis, corrections: Sequence[Correction]) -> AppliedCorrections:
    """Apply ``corrections`` (oldest first; undone ones are skipped) to a fresh ``analysis``.

    Pure: returns a new ``Analysis`` whose corrected places and events carry ``edited=True``.
    Each correction that cannot be applied, fully or partly, is listed in ``problems`` with a
    message and also added to ``analysis.notices``, so it is never lost silently.
    """
    work = _Working(analysis)
    problems: list[CorrectionProblem] = []
    relocated: list[str] = []
    applied: list[str] = []
    active = [c for c in corrections if c.undone_at is None]
    for correction in sorted(active, key=lambda c: (c.created_at, c.id)):
        work.relocated = False
        try:
            _APPLIERS[type(correction)](work, correction)
        except _NotApplicable as exc:
            problems.append(CorrectionProblem(correction, f"{correction.describe()}: {exc}"))
        else:
            applied.append(correction.id)
        if work.relocated:
            relocated.append(correction.id)
    corrected = work.result()
    if problems:
        notices = tuple(f"correction not applied: {p.message}" for p in problems)
        corrected = replace(corrected, notices=corrected.notices + notices)
    return AppliedCorrections(
        analysis=corrected,
        problems=tuple(problems),
        relocated=tuple(relocated),
        applied=tuple(applied),
    )
