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
from collections import Counter, defaultdict
from dataclasses import dataclass

from placeline.model import Candidate, Document, Mention, Place
from placeline.places.gazetteer import Gazetteer, GazetteerEntry, distance_km, load_gazetteer
from placeline.places.geocoders import OfflineGeocoder
from placeline.places.recognize import RecognizedMention, recognize_toponyms

__all__ = ["OfflineGeocoder", "PlaceFinder", "PlacesResult", "find_places", "load_gazetteer"]

KIND_PRIOR = {"country": 4.0, "continent": 3.5, "admin": 3.0, "region": 3.2, "water": 3.2,
              "landmark": 3.2, "other": 1.0}
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
                 min_evidence: float = 0.0) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.online_geocoder = online_geocoder
        self.min_evidence = min_evidence


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
    unknown = _unknown_place_mentions(document.text, gazetteer)
    unknown_spans = [(m.start, m.end) for group in unknown.values() for m in group]
    # "Rapides Parish" is one unknown place, not the alternate name "Rapides" of Rapid City.
    recognized = [r for r in recognized if not any(
        s < r.mention.end and r.mention.start < e for s, e in unknown_spans)]
    places = _resolve(recognized)
    notices: list[str] = []
    unresolved: list[Mention] = []
    if unknown and finder.online_geocoder is not None:
        online_places, unresolved, notices = _geocode_online(unknown, finder.online_geocoder)
        places.extend(online_places)
    else:
        unresolved = [m for group in unknown.values() for m in group]
    places.sort(key=lambda p: p.mentions[0].start)
    return PlacesResult(document=document, places=tuple(places), unresolved=tuple(unresolved),
                        notices=tuple(notices))


def _prior(entry: GazetteerEntry) -> float:
    if entry.kind == "city":
        return 0.4 * math.log10(entry.population + 1) + (1.5 if entry.capital else 0.0)
    return KIND_PRIOR.get(entry.kind, 1.0)


def _resolve(recognized: list[RecognizedMention]) -> list[Place]:
    """One sense per discourse: every mention of a name shares one referent, chosen by prior
    plus coherence with the countries and US states the article names unambiguously."""
    by_name: dict[str, list[RecognizedMention]] = defaultdict(list)
    for r in recognized:
        by_name[r.name].append(r)
    named_countries: Counter[str] = Counter()
    named_states: set[str] = set()
    first_picks: dict[str, GazetteerEntry] = {}
    for name, group in by_name.items():
        best = max(group[0].entries, key=_prior)
        first_picks[name] = best
        weight = len(group) if len(group[0].entries) == 1 or best.kind == "country" else 0.5
        if best.country:
            named_countries[best.country] += weight
        if best.kind == "admin" and best.country == "US":
            named_states.add(best.admin1)
    total = sum(named_countries.values()) or 1.0
    anchors = [e for e in first_picks.values() if e.kind == "city"]
    places: list[Place] = []
    for name, group in by_name.items():
        scored = []
        for entry in group[0].entries:
            score = _prior(entry)
            own = named_countries[entry.country] - (
                len(group) if first_picks[name].country == entry.country else 0
            )
            score += 2.0 * max(0.0, own) / total
            if entry.country == "US" and entry.admin1 in named_states and entry.kind == "city":
                score += 1.5
            if entry.kind == "city" and any(
                a is not first_picks[name] and distance_km(a.lat, a.lon, entry.lat, entry.lon) < 300
                for a in anchors
            ):
                score += 0.5
            scored.append((score, entry))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        places.append(_place(group, scored))
    return places


def _place(group: list[RecognizedMention], scored: list[tuple[float, GazetteerEntry]]) -> Place:
    top_score, top = scored[0]
    weights = [math.exp(s - top_score) for s, _ in scored]
    share = 1.0 / sum(weights)
    evidence = max(r.evidence for r in group)
    recognition = 1.0 / (1.0 + math.exp(-2.0 * evidence))
    alternatives = tuple(
        Candidate(id=e.id, name=e.name, country=e.country, lat=e.lat, lon=e.lon, kind=e.kind,
                  population=e.population, score=round(w / sum(weights), 4))
        for (s, e), w in list(zip(scored, weights))[1:6]
    )
    return Place(
        id=top.id, name=top.name, country=top.country, lat=top.lat, lon=top.lon, kind=top.kind,
        confidence=round(min(1.0, max(0.0, share * recognition)), 4),
        mentions=tuple(r.mention for r in group), alternatives=alternatives,
    )


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
