"""Places stage: recognise toponyms in the text, then resolve each to a gazetteer entry.

``find_places(document, finder=…)`` returns a ``PlacesResult``; ``PlaceFinder`` bundles the
read-only resources (compiled gazetteer, optional online geocoder). Place ids are
"geonames:<geonameid>" for GeoNames places, countries and continents alike (the gold files
carry geonameids), "placeline:<slug>" for supplement entries and "<service>:<query>" for
online results.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from placeline.model import Candidate, Document, Mention, Place
from placeline.places.calibration import ConfidenceCalibration, load_calibration
from placeline.places.gazetteer import Gazetteer, GazetteerEntry, distance_km, load_gazetteer
from placeline.places.geocoders import OfflineGeocoder
from placeline.places.recognize import RecognizedMention, gazetteer_key, recognize_toponyms

__all__ = ["OfflineGeocoder", "PlaceFinder", "PlacesResult", "find_places", "load_gazetteer"]

KIND_PRIOR = {"country": 4.0, "continent": 3.5, "admin": 3.0, "region": 3.2, "water": 3.2,
              "landmark": 3.2, "other": 1.0}
COUNTY_PRIOR = 2.0
TAGGER_VETO = 0.8  # PER/ORG probability above which a gazetteer match is dropped...
TAGGER_VETO_LOC = 0.1  # ...unless the tagger also sees a place there
TAGGER_ADD = 0.7
ALTERNATE_NAME_PENALTY = 0.6
COUNTRY_WEIGHT = 2.0
ADMIN1_WEIGHT = 1.5
NEAR_WEIGHT = 0.5
NEAR_KM = 300.0
COHERENCE_ROUNDS = 2
SEAT_POPULATION = 100_000
SEAT_DIVISION_PENALTY = 1.0
UNKNOWN_PLACE_RE = re.compile(
    r"\b((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+) (?:County|Parish|Township|Landkreis)\b"
)


@dataclass(frozen=True)
class PlacesResult:
    document: Document
    places: tuple[Place, ...] = ()
    unresolved: tuple[Mention, ...] = ()
    notices: tuple[str, ...] = ()


class PlaceFinder:
    """Holds the heavy read-only resources (gazetteer index, optional online geocoder).

    Safe to share between threads and sessions: nothing is mutated after construction.
    ``online_geocoder`` is any geopy-style geocoder (``geocode(query, exactly_one=True)``),
    normally ``geocoders.online_geocoder_from_settings()``; it is asked only for names the
    gazetteer lacks.
    """

    def __init__(self, *, online_geocoder=None, gazetteer: Gazetteer | None = None,
                 min_evidence: float = 0.0, calibration: ConfidenceCalibration | None = None,
                 raw_confidence: bool = False, use_tagger: bool = False,
                 tagger_loader: Callable[[str], Any] | None = None) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        # The learned tagger (places/tagger.py) vetoes gazetteer words it reads as persons or
        # organisations and adds places the gazetteer rules missed: +1.6 F1 on LGL test, +3
        # on GeoWebNews, +1.2 on GermEval, at about a third of the speed, hence opt-in.
        # ``tagger_loader(lang)`` returns an object with ``annotate(text) -> TaggedText``;
        # the default is ``ToponymTagger.load``.
        self.use_tagger = use_tagger
        self.tagger_loader = tagger_loader
        self.online_geocoder = online_geocoder
        self.min_evidence = min_evidence
        # Confidence is the stored dev calibration of the resolver score unless a map is
        # given or ``raw_confidence`` asks for the uncalibrated score (to fit a new map).
        self.calibration = None if raw_confidence else (calibration or load_calibration())


_default_finder: PlaceFinder | None = None
_default_lock = threading.Lock()


def default_finder() -> PlaceFinder:
    global _default_finder
    with _default_lock:
        if _default_finder is None:
            _default_finder = PlaceFinder()
        return _default_finder


def find_places(document: Document, *, finder: PlaceFinder | None = None) -> PlacesResult:
    finder = finder or default_finder()
    gazetteer = finder.gazetteer
    recognized = [
        r for r in recognize_toponyms(document.text, gazetteer=gazetteer, lang=document.lang)
        if r.evidence > finder.min_evidence
    ]
    if finder.use_tagger:
        recognized = _with_tagger(recognized, document, gazetteer, finder.tagger_loader)
    unknown = _unknown_place_mentions(document.text, gazetteer)
    unknown_spans = [(m.start, m.end) for group in unknown.values() for m in group]
    # "Rapides Parish" is one unknown place, not the alternate name "Rapides" of Rapid City.
    recognized = [r for r in recognized if not any(
        s < r.mention.end and r.mention.start < e for s, e in unknown_spans)]
    places = _resolve(recognized, finder.calibration)
    notices: list[str] = []
    unresolved: list[Mention] = []
    if unknown and finder.online_geocoder is not None:
        online_places, unresolved, notices = _geocode_online(unknown, finder.online_geocoder)
        places.extend(online_places)
    else:
        unresolved = [m for group in unknown.values() for m in group]
    places = _merge_same_referent(places)
    places.sort(key=lambda p: p.mentions[0].start)
    return PlacesResult(document=document, places=tuple(places), unresolved=tuple(unresolved),
                        notices=tuple(notices))


def _with_tagger(recognized: list[RecognizedMention], document: Document,
                 gazetteer: Gazetteer,
                 tagger_loader: Callable[[str], Any] | None = None) -> list[RecognizedMention]:
    """Gazetteer matches the tagger reads as a person or organisation (and not as a place)
    are dropped; the tagger's confident place names that no match covers are added when the
    gazetteer knows them (with German inflection and direction prefixes)."""
    from placeline.errors import PlacelineError
    from placeline.places.tagger import ToponymTagger

    try:
        tagged = (tagger_loader or ToponymTagger.load)(document.lang).annotate(document.text)
    except (PlacelineError, ImportError, ValueError):
        return recognized  # no model for this language: the rules alone decide
    kept = []
    for r in recognized:
        start, end = r.mention.start, r.mention.end
        other = max(tagged.probability(start, end, "PER"), tagged.probability(start, end, "ORG"))
        if other >= TAGGER_VETO and tagged.probability(start, end, "LOC") < TAGGER_VETO_LOC:
            continue
        kept.append(r)
    for span in tagged.spans:
        if span.label != "LOC" or span.prob < TAGGER_ADD or any(
            r.mention.start < span.end and span.start < r.mention.end for r in recognized
        ):
            continue
        surface = document.text[span.start:span.end]
        found = gazetteer_key(surface, gazetteer)
        if found is not None:
            key, qualifier = found
            kept.append(RecognizedMention(
                Mention(start=span.start, end=span.end, text=surface, qualifier=qualifier),
                key, gazetteer.lookup(key), span.prob, "tagger",
            ))
    kept.sort(key=lambda r: r.mention.start)
    return kept


def _prior(entry: GazetteerEntry, name: str) -> float:
    if entry.kind == "city":
        prior = 0.4 * math.log10(entry.population + 1) + (1.5 if entry.capital else 0.0)
        # A city reached through an alternate name ("Mexico" for Mexico City) yields to a
        # place that carries the name itself.
        return prior - (ALTERNATE_NAME_PENALTY if entry.name != name else 0.0)
    if entry.kind == "admin" and entry.level == 2:
        return COUNTY_PRIOR
    return KIND_PRIOR.get(entry.kind, 1.0)


def _priors(name: str, entries: tuple[GazetteerEntry, ...]) -> list[float]:
    """Priors of one name's candidates. A province named after its big city ("Aleppo", the
    governorate Ḩalab) yields to the city, which is what news means by the name."""
    seat_countries = {e.country for e in entries
                      if e.kind == "city" and e.name == name and e.population >= SEAT_POPULATION}
    return [
        _prior(e, name) - (SEAT_DIVISION_PENALTY
                           if e.kind == "admin" and e.level == 1 and e.country in seat_countries
                           else 0.0)
        for e in entries
    ]


def _context_weight(entries: tuple[GazetteerEntry, ...]) -> float:
    """How much a name's current pick may speak for the article's geography: fully when the
    name is unambiguous about its country, half otherwise."""
    return 1.0 if len({e.country for e in entries}) == 1 else 0.5


def _coherence(entry: GazetteerEntry, context: list[tuple[GazetteerEntry, float]]) -> float:
    """Support from the other names' current picks: same country (share of the article's
    weight), same first-level division (a state named with its towns), nearness."""
    total = sum(weight for _, weight in context)
    if not total:
        return 0.0
    same_country = sum(w for e, w in context if e.country and e.country == entry.country)
    score = COUNTRY_WEIGHT * same_country / total
    if entry.admin1 and any(
        e.country == entry.country and e.admin1 == entry.admin1 for e, _ in context
    ):
        score += ADMIN1_WEIGHT
    if entry.kind in ("city", "admin") and any(
        e.kind in ("city", "admin") and e.level != 1
        and distance_km(e.lat, e.lon, entry.lat, entry.lon) < NEAR_KM
        for e, _ in context
    ):
        score += NEAR_WEIGHT
    return score


def _resolve(recognized: list[RecognizedMention],
             calibration: ConfidenceCalibration | None = None) -> list[Place]:
    """One sense per discourse: every mention of a name shares one referent, chosen by prior
    plus coherence with the picks for the article's other names, refined over a few rounds
    (the picks of one round are the context of the next)."""
    by_name: dict[str, list[RecognizedMention]] = defaultdict(list)
    for r in recognized:
        by_name[r.name].append(r)
    entries_of = {name: group[0].entries for name, group in by_name.items()}
    priors = {name: _priors(name, entries) for name, entries in entries_of.items()}
    picks = {name: max(zip(priors[name], entries))[1] for name, entries in entries_of.items()}
    weights = {name: _context_weight(entries) * (1.0 + 0.25 * (len(by_name[name]) - 1))
               for name, entries in entries_of.items()}
    scored_by_name: dict[str, list[tuple[float, GazetteerEntry]]] = {}
    for _ in range(COHERENCE_ROUNDS):
        for name, entries in entries_of.items():
            context = [(picks[other], weights[other]) for other in entries_of if other != name]
            scored = [(prior + _coherence(e, context), e)
                      for prior, e in zip(priors[name], entries)]
            scored.sort(key=lambda pair: pair[0], reverse=True)
            scored_by_name[name] = scored
        picks = {name: scored[0][1] for name, scored in scored_by_name.items()}
    return [_place(by_name[name], scored, calibration)
            for name, scored in scored_by_name.items()]


def _place(group: list[RecognizedMention], scored: list[tuple[float, GazetteerEntry]],
           calibration: ConfidenceCalibration | None = None) -> Place:
    top_score, top = scored[0]
    weights = [math.exp(s - top_score) for s, _ in scored]
    share = 1.0 / sum(weights)
    evidence = max(r.evidence for r in group)
    recognition = 1.0 / (1.0 + math.exp(-2.0 * evidence))
    raw = share * recognition
    alternatives = tuple(
        Candidate(id=e.id, name=e.name, country=e.country, lat=e.lat, lon=e.lon, kind=e.kind,
                  population=e.population, score=round(w / sum(weights), 4))
        for (s, e), w in list(zip(scored, weights))[1:6]
    )
    return Place(
        id=top.id, name=top.name, country=top.country, lat=top.lat, lon=top.lon, kind=top.kind,
        confidence=round(min(1.0, max(0.0, calibration.apply(raw) if calibration else raw)), 4),
        mentions=tuple(r.mention for r in group), alternatives=alternatives,
    )


def _merge_same_referent(places: list[Place]) -> list[Place]:
    """Names are resolved one by one (Hamburg, #Hamburg, Гамбурге; USA, Vereinigte Staaten),
    but the map and the corrections need one place per referent with all its mentions."""
    by_id: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        by_id[place.id].append(place)
    merged = []
    for group in by_id.values():
        best = max(group, key=lambda p: p.confidence)
        if len(group) > 1:
            best = replace(
                best,
                mentions=tuple(sorted((m for p in group for m in p.mentions),
                                      key=lambda m: m.start)),
            )
        merged.append(best)
    return merged


def _unknown_place_mentions(text: str, gazetteer: Gazetteer) -> dict[str, list[Mention]]:
    """Names the gazetteer lacks but the text marks as places ("Rapides Parish")."""
    unknown: dict[str, list[Mention]] = defaultdict(list)
    for match in UNKNOWN_PLACE_RE.finditer(text):
        start, end = match.span()
        if match.group(0) in gazetteer:
            continue
        unknown[match.group(0)].append(Mention(start=start, end=end, text=match.group(0)))
    return unknown


def _geocode_online(unknown: dict[str, list[Mention]], geocoder) -> tuple[list[Place], list[Mention], list[str]]:
    from geopy.exc import GeopyError

    places: list[Place] = []
    unresolved: list[Mention] = []
    failed: list[str] = []
    service = getattr(geocoder, "name", "online")
    for query, mentions in unknown.items():
        try:
            location = geocoder.geocode(query, exactly_one=True)
        except (GeopyError, OSError, TimeoutError):
            failed.append(query)
            unresolved.extend(mentions)
            continue
        if location is None:
            unresolved.extend(mentions)
            continue
        raw = location.raw if isinstance(location.raw, dict) else {}
        country = str((raw.get("address") or {}).get("country_code", "")).upper()[:2]
        places.append(Place(
            id=f"{service}:{raw.get('osm_type', '')}{raw.get('osm_id', query)}",
            name=query, country=country, lat=location.latitude, lon=location.longitude,
            kind="admin" if raw.get("class") == "boundary" else "other", confidence=0.5,
            mentions=tuple(mentions), source=service,
        ))
    notices = [f"Online geocoder unavailable; not looked up: {', '.join(failed)}"] if failed else []
    return places, unresolved, notices
