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
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from placeline.model import Candidate, Document, Mention, Place
from placeline.places.calibration import ConfidenceCalibration, load_calibration
from placeline.places.gazetteer import Gazetteer, GazetteerEntry, distance_km, load_gazetteer
from placeline.places.geocoders import OfflineGeocoder
from placeline.places.recognize import (
    GERMAN_DETERMINERS,
    RecognizedMention,
    gazetteer_key,
    recognize_toponyms,
)

__all__ = ["OfflineGeocoder", "PlaceFinder", "PlacesResult", "find_places", "load_gazetteer"]

KIND_PRIOR = {"country": 4.0, "continent": 3.5, "admin": 3.0, "region": 3.2, "water": 3.2,
              "landmark": 3.2, "other": 1.0}
COUNTY_PRIOR = 2.0
# The learned tagger (places/tagger.py) per language, on by default where it raised F1 on
# data it never saw without costing the seed. German: held-out HIPE/Europeana lines F1
# .584 -> .718, GermEval test .701 -> .731 (.743 with name tiers, data/models/README.md).
# English stays off: with it the places stage runs
# at ~90 LGL docs/s/core against the 200 target, and unresolved tagger finds cost Acc@161.
# ``TAGGER_GATE`` is the place probability a gazetteer match outside the tagger's LOC spans
# needs to stay (0.2: best on held-out data, flat from 0.1 to 0.3; 0.3 loses a seed place).
TAGGER_DEFAULT = {"de": True, "en": False}
TAGGER_GATE = {"de": 0.2, "en": 0.2}
TAGGER_SPAN_MIN = 0.0  # tagger LOC spans below this marginal are not mentions
TAGGER_PERSON = 0.5  # PER spans at least this sure make their words persons...
TAGGER_PERSON_LOC = 0.5  # ...for matches the tagger itself does not read as places
TAGGER_LOC_SURE = 0.8  # a LOC span made of such person words needs this much
TAGGER_PLACE = 0.5  # a LOC span this sure makes its name a place for the whole article
TAGGER_BACKING = 2.0  # evidence the tagger's backing adds to a gazetteer match
ALTERNATE_NAME_PENALTY = 0.6
COUNTRY_WEIGHT = 2.0
ADMIN1_WEIGHT = 1.5
ADMIN1_SHARE = 3.0  # full division support once it holds a third of the country's names
NEAR_WEIGHT = 0.5
NEAR_KM = 300.0
NEAR_CLOSE_WEIGHT = 0.5  # more the closer the nearest other pick: a town next door
DIVISION_WEIGHT = 0.5
PAIR_WEIGHT = 0.5  # the same for two names' candidates lying together ("Paris", "Henry County")
PAIR_CELL = 0.25  # degrees: candidates in the same or a neighbouring cell lie together
CONTAINER_WEIGHT = 3.0  # "Dublin, Ohio", "Paris, Texas": the name right after says where
COHERENCE_ROUNDS = 2
# A town named like a country or state needs this many other names picked among the towns
# and counties of its state before the state's presence speaks for it.
LOCAL_PICKS = 2
# A town named like a big city of the name ("Portland", Texas, for the Trail Blazers' city;
# "Boston", New York) is a namesake news rarely means: sports pages and national stories
# name the big city in passing, and the big cities they name beside it (Houston, Dallas)
# say nothing about a local story. Such a town gets no support from the article's other
# names unless the text puts it in its state, or names the state or a small place in it.
DOMINANT_POPULATION = 300_000
DOMINANCE_RATIO = 20.0
METRO_KM = 150.0  # a big city this close is the town's own region: Nashville for Paris, Tenn.
SEAT_POPULATION = 100_000
SEAT_DIVISION_PENALTY = 1.0
SEAT_ALIAS_POPULATION = 1_000_000  # a city this big yields its division's name to itself
SEAT_KM = 50.0  # "Queens, New York" names the city, "Buffalo, New York" the state
DIVISION_CUE_WEIGHT = 2.0  # "New York state", "New York Gov.": the division after all
DIVISION_WORD_RE = re.compile(
    r"[ \t]+(?:Gov\.|(?:state|State|Governor|governor|border|Legislature|legislature)\b)")
# "Mississippi State’s center", "Ohio State University": a team or a university named after
# its state, not a story set in the state (a capital word after "State" is the state's own
# body: "New York State Police").
STATE_TEAM_RE = re.compile(r"[ \t]+State(?:[ \t]+(?:University|College))?(?![ \t]+[A-Z])\b")
DATELINE_CITY_RE = re.compile(r"\b([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*), $")
LIST_GAP_RE = re.compile(r",? and |, | or |, or ")
UNKNOWN_PLACE_RE = re.compile(
    r"\b((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+) (?:County|Parish|Township|Landkreis|Island)\b"
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
                 raw_confidence: bool = False, use_tagger: bool | None = None,
                 tagger_loader: Callable[[str], Any] | None = None,
                 tagger_gate: float | None = None, demonyms: bool = True) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        # ``use_tagger``: True or False for every language, None for the language's default
        # (``TAGGER_DEFAULT``). ``tagger_loader(lang)`` returns an object with
        # ``annotate(text) -> TaggedText`` (default ``ToponymTagger.load``); ``tagger_gate``
        # overrides ``TAGGER_GATE`` for every language.
        self.use_tagger = use_tagger
        self.tagger_loader = tagger_loader
        self.tagger_gate = tagger_gate
        self.online_geocoder = online_geocoder
        # ``demonyms``: whether nationality words ("Russian officials") count as mentions of
        # their country. Annotation schemes differ (LGL and GeoWebNews count them, GeoVirus
        # never does), and so do newsrooms: a map of a story may or may not want them.
        self.demonyms = demonyms
        self.min_evidence = min_evidence
        # Confidence is the stored dev calibration of the resolver score unless a map is
        # given or ``raw_confidence`` asks for the uncalibrated score (to fit a new map).
        self.calibration = None if raw_confidence else (calibration or load_calibration())

    def tagger_enabled(self, lang: str) -> bool:
        """Whether documents in ``lang`` go through the learned tagger."""
        if self.use_tagger is not None:
            return self.use_tagger
        return TAGGER_DEFAULT.get(lang, False)

    def gate(self, lang: str) -> float:
        return self.tagger_gate if self.tagger_gate is not None else TAGGER_GATE.get(lang, 0.2)


_default_finder: PlaceFinder | None = None
_default_lock = threading.Lock()


def default_finder() -> PlaceFinder:
    """The offline finder every caller shares, with the environment's settings
    (``PLACELINE_DEMONYMS``), so the CLI, the pipeline and scripts agree."""
    global _default_finder
    with _default_lock:
        if _default_finder is None:
            from placeline.settings import Settings

            _default_finder = PlaceFinder(demonyms=Settings.from_env().demonyms)
        return _default_finder


def find_places(document: Document, *, finder: PlaceFinder | None = None) -> PlacesResult:
    finder = finder or default_finder()
    gazetteer = finder.gazetteer
    matches = recognize_toponyms(document.text, gazetteer=gazetteer, lang=document.lang)
    tagged = (_tagged_text(document, finder.tagger_loader)
              if finder.tagger_enabled(document.lang) else None)
    unknown = _unknown_place_mentions(document.text, gazetteer)
    if tagged is None:
        recognized = [r for r in matches if r.evidence > finder.min_evidence]
    else:
        recognized, tagger_unknown = _combine_with_tagger(
            matches, document, gazetteer, tagged, finder.gate(document.lang),
            min_evidence=finder.min_evidence,
        )
        taken = [(m.start, m.end) for group in unknown.values() for m in group]
        for surface, mentions in tagger_unknown.items():
            for m in mentions:
                if not any(s < m.end and m.start < e for s, e in taken):
                    unknown[surface].append(m)
    if not finder.demonyms:
        recognized = [r for r in recognized if r.name not in gazetteer.english_only]
    unknown_spans = [(m.start, m.end) for group in unknown.values() for m in group]
    # "Rapides Parish" is one unknown place, not the alternate name "Rapides" of Rapid City.
    recognized = [r for r in recognized if not any(
        s < r.mention.end and r.mention.start < e for s, e in unknown_spans)]
    places = _resolve(recognized, finder.calibration, document.text)
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


# A run of capitalised tokens whose LOC marginal is at least this is a place mention even
# where the CRF's best labelling says O: German recall is the tagger's weak side.
TAGGER_MARGINAL_LOC = 0.4


def _tagged_text(document: Document, tagger_loader: Callable[[str], Any] | None):
    """The tagger's reading of the document, or None when there is no model for its
    language (the rules alone decide then)."""
    from placeline.errors import PlacelineError
    from placeline.places.tagger import ToponymTagger

    try:
        return (tagger_loader or ToponymTagger.load)(document.lang).annotate(document.text)
    except (PlacelineError, ImportError, ValueError):
        return None


def _combine_with_tagger(matches: list[RecognizedMention], document: Document,
                         gazetteer: Gazetteer, tagged: Any, gate: float, *,
                         min_evidence: float = 0.0) -> tuple[list[RecognizedMention], dict[str, list[Mention]]]:
    """Gazetteer matches and the tagger's spans as one list of mentions, plus the tagger's
    places the gazetteer lacks (by surface, for ``unresolved`` or the online geocoder).

    The tagger decides where a place is, the gazetteer what it is: every tagger LOC span is a
    mention (resolved through the gazetteer with German inflection and direction prefixes),
    unless a gazetteer match covers it whole ("New York City" against "New York"). A match
    outside every LOC span stays only when the tagger gives it a place probability of at
    least ``gate`` and the rules accepted it (in German also when the rules are sure of it on
    their own, ``_sure_despite_tagger``), and never when its surface is a name the tagger
    reads as a person elsewhere in the article (one sense per discourse: "John Kerry" ...
    "Kerry sagte").
    """
    text = document.text
    persons = _tagged_person_words(tagged, text)
    loc_spans = [
        span for span in (*tagged.spans, *_marginal_loc_spans(tagged, TAGGER_MARGINAL_LOC))
        if span.label == "LOC" and span.prob >= TAGGER_SPAN_MIN
        and not (span.prob < TAGGER_LOC_SURE
                 and _surface_words(text[span.start:span.end]) <= persons
                 and _surface_words(text[span.start:span.end]))
    ]
    kept: list[RecognizedMention] = []
    unknown: dict[str, list[Mention]] = defaultdict(list)
    decided: set[int] = set()  # matches a tagger span replaced
    backed: set[int] = set()  # matches the tagger reads as places
    place_names: set[str] = set()  # gazetteer keys the tagger confidently reads as places
    matches_over = _overlap_index([(r.mention.start, r.mention.end) for r in matches])
    # Persons and organisations the tagger is sure of, for ``_sure_despite_tagger``.
    named_over = _overlap_index([(s.start, s.end) for s in tagged.spans
                                 if s.label != "LOC" and s.prob >= TAGGER_PERSON])
    for span in loc_spans:
        inside = matches_over(span.start, span.end)
        whole = [k for k in inside
                 if matches[k].mention.start <= span.start and span.end <= matches[k].mention.end
                 and matches[k].mention.end - matches[k].mention.start > span.end - span.start]
        if whole:
            backed.update(whole)  # the longer gazetteer name wins ("#Hamburg", "New York City")
            if span.prob >= TAGGER_PLACE:
                place_names.update(matches[k].name for k in whole)
            continue
        surface = text[span.start:span.end]
        found = gazetteer_key(surface, gazetteer)
        if found is not None:
            decided.update(inside)
            key, qualifier = found
            evidence = max([2.0 * span.prob] + [matches[k].evidence for k in inside])
            kept.append(RecognizedMention(
                Mention(start=span.start, end=span.end, text=surface, qualifier=qualifier),
                key, gazetteer.lookup(key), evidence, "tagger",
            ))
            if span.prob >= TAGGER_PLACE:
                place_names.add(key)
        elif inside:
            # A name the gazetteer lacks around names it knows ("Aleppo Citadel"): the known
            # parts keep their referents rather than the whole going unresolved.
            backed.update(inside)
        else:
            unknown[surface].append(Mention(start=span.start, end=span.end, text=surface))
    place_ids = {e.id for name in place_names for e in gazetteer.lookup(name)}
    for k, r in enumerate(matches):
        if k in decided:
            continue
        if k in backed:
            if r.evidence + TAGGER_BACKING > min_evidence:
                kept.append(r)
            continue
        if r.evidence <= min_evidence:
            continue
        if r.name in place_names or place_ids.intersection(e.id for e in r.entries):
            # One sense per discourse: a name the tagger reads as a place once stays one,
            # also in another form ("Hamburg" ... "Гамбурге").
            kept.append(r)
            continue
        loc = tagged.probability(r.mention.start, r.mention.end, "LOC")
        if loc < gate and document.lang == "de" and _sure_despite_tagger(r, named_over, text):
            kept.append(r)
            continue
        if loc < gate or (loc < TAGGER_PERSON_LOC and _surface_words(r.mention.text) & persons):
            continue
        kept.append(r)
    kept.sort(key=lambda r: r.mention.start)
    return kept, unknown


# German matches the rules are sure of, kept whatever the tagger says (held-out GermEval
# folds: the CRF gives "Elfenbeinküste", "Den Haag", "Nordhessen", "Portugals Liga-Präsident"
# or a "RIEDLINGEN -" dateline P(LOC) < 0.1 in sentences unlike its training data). Only
# countries, continents, regions, waters and the states of Germany and Austria: first-level
# divisions elsewhere are common words too often ("Grad", "Zug", "Jura", "Van", "Male").
SURE_KINDS = frozenset(["country", "continent", "region", "water"])
SURE_DIVISION_COUNTRIES = frozenset(["DE", "AT"])
SURE_EVIDENCE = 2.0
# A name right after one of these with this much evidence (the cue's +0.7 included).
LOCATIVE_PREPOSITIONS = frozenset(["in", "nach", "aus", "bei", "über", "durch", "auf"])
CUED_EVIDENCE = 1.0
GENITIVE_NOUN_ZIPF = 3.0  # "Erfurts Trainer": the noun after is a common German word
GENITIVE_NOUN_RE = re.compile(r" ([A-ZÄÖÜ][a-zäöüß]+)(?!\w)")


def _sure_despite_tagger(r: RecognizedMention, named_over: Callable[[int, int], list[int]],
                         text: str) -> bool:
    """Whether a German gazetteer match below the tagger gate stays all the same: a dateline
    in capitals ("BOCHUM (dpa)"), a direction-prefixed name ("Nordhessen") or a country,
    region, water or German or Austrian state the rules accept outright; outside a tagger
    person or organisation ("Bremerhavens Guards") also a town they accept after a locative
    preposition ("in Den Haag") and a place's genitive before a common noun ("Erfurts
    Trainer", "Portugals Liga-Präsident"). ``named_over``: the tagger's sure person and
    organisation spans over a range (``_overlap_index``)."""
    if r.rule == "dateline":
        return True
    if r.mention.text.isupper() and len(r.mention.text) <= 4:
        return False  # "DRC" in "Danish Refugee Council ( DRC )": the tagger decides those
    if r.evidence >= SURE_EVIDENCE and (r.rule == "direction" or any(
            e.kind in SURE_KINDS
            or (e.kind == "admin" and e.level <= 1 and e.country in SURE_DIVISION_COUNTRIES)
            for e in r.entries)):
        return True
    before = text[max(0, r.mention.start - 30):r.mention.start].split()
    if named_over(r.mention.start, r.mention.end):
        return False
    if r.rule == "name" and r.evidence >= CUED_EVIDENCE and before \
            and before[-1] in LOCATIVE_PREPOSITIONS:
        return True  # "in Den Haag", "bei Celle": a town the rules like after "in"
    if r.rule != "name" or r.evidence <= 0 or r.mention.text == r.name \
            or not r.mention.text.endswith("s"):
        return False
    if before and before[-1].lower() in GERMAN_DETERMINERS:
        return False  # "des Kantons Bern": a noun's genitive, not a place's before a noun
    noun = GENITIVE_NOUN_RE.match(text, r.mention.end)
    return noun is not None and _german_zipf(noun.group(1)) >= GENITIVE_NOUN_ZIPF


def _german_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "de")


def _marginal_loc_spans(tagged: Any, threshold: float) -> list[Any]:
    """LOC spans from the token marginals where the best labelling has no name at all: runs
    of tokens with P(LOC) >= ``threshold`` that start with a capital letter."""
    from placeline.places.tagger import TaggedSpan

    if threshold >= 1.0 or not getattr(tagged, "marginals", None):
        return []
    named_over = _overlap_index([(s.start, s.end) for s in tagged.spans])
    text = tagged.text
    spans: list[Any] = []
    run: list[int] = []
    for i in range(len(tagged.token_starts) + 1):
        if i < len(tagged.token_starts) and tagged.marginals[i].get("LOC", 0.0) >= threshold:
            run.append(i)
            continue
        while run and not text[tagged.token_starts[run[-1]]].isalnum():
            run.pop()  # never end on punctuation
        if run and text[tagged.token_starts[run[0]]].isupper():
            start, end = tagged.token_starts[run[0]], tagged.token_ends[run[-1]]
            if not named_over(start, end):
                prob = min(tagged.marginals[k].get("LOC", 0.0) for k in run)
                spans.append(TaggedSpan(start, end, "LOC", round(prob, 4)))
        run = []
    return spans


def _overlap_index(spans: list[tuple[int, int]]) -> Callable[[int, int], list[int]]:
    """For (start, end) spans, a function from a range to the indices, ascending, of the
    spans that overlap it. It bisects on the starts rather than scanning every span (a scan
    of every gazetteer match per tagger span took 1.3 s on a 200,000-character text)."""
    order = sorted(range(len(spans)), key=lambda k: spans[k][0])
    starts = [spans[k][0] for k in order]
    longest = max((end - start for start, end in spans), default=0)

    def overlapping(start: int, end: int) -> list[int]:
        nearby = order[bisect_left(starts, start - longest):bisect_left(starts, end)]
        return sorted(k for k in nearby if spans[k][0] < end and start < spans[k][1])

    return overlapping


def _surface_words(surface: str) -> set[str]:
    return {word for word in surface.lstrip("#").split() if word[:1].isupper()}


def _tagged_person_words(tagged: Any, text: str) -> set[str]:
    """Capitalised words of the names the tagger reads as persons: "John Kerry" makes "Kerry"
    a person for the whole article."""
    return {word for span in tagged.spans
            if span.label == "PER" and span.prob >= TAGGER_PERSON
            for word in _surface_words(text[span.start:span.end])}


def _prior(entry: GazetteerEntry, name: str) -> float:
    if entry.kind == "city":
        prior = 0.4 * math.log10(entry.population + 1) + (1.5 if entry.capital else 0.0)
        # A city reached through an alternate name ("Mexico" for Mexico City) yields to a
        # place that carries the name itself.
        return prior - (ALTERNATE_NAME_PENALTY if entry.name != name else 0.0)
    if entry.kind == "admin" and entry.level == 2:
        return COUNTY_PRIOR
    return KIND_PRIOR.get(entry.kind, 1.0)


def _priors(name: str, entries: tuple[GazetteerEntry, ...], seats: set[GazetteerEntry], *,
            division_cue: bool = False) -> list[float]:
    """Priors of one name's candidates. A province named after its big city ("Aleppo", the
    governorate Ḩalab; "New York", whose city GeoNames calls New York City) yields to the
    city, which is what news means by the name, unless the text marks the division
    (``division_cue``: "New York state", "Buffalo, New York", a list of states).
    ``seats``: ``_seat_cities(name, entries)``."""
    seat_countries = {e.country for e in seats if e.name == name}
    seat_divisions = {(e.country, e.admin1) for e in seats if e.name != name}
    countries = [e for e in entries if e.kind == "country" and e.name == name]
    priors = []
    for e in entries:
        prior = _prior(e, name)
        if e.kind == "admin" and e.level == 1:
            if division_cue and e.name == name and not countries:
                prior += DIVISION_CUE_WEIGHT
            elif e.country in seat_countries or (
                    e.name == name and (e.country, e.admin1) in seat_divisions):
                prior -= SEAT_DIVISION_PENALTY
        elif (not division_cue and e.kind == "city" and e.name != name
              and e in seats):
            prior += ALTERNATE_NAME_PENALTY  # the division's own city, not a namesake
        priors.append(prior)
    return priors


def _seat_cities(name: str, entries: tuple[GazetteerEntry, ...]) -> set[GazetteerEntry]:
    """The big cities a division of the same name yields it to: a city called so itself
    ("Aleppo"), or a very big one in the division called so ("New York City" in New York)."""
    named_divisions = {(e.country, e.admin1) for e in entries
                       if e.kind == "admin" and e.level == 1 and e.name == name}
    return {e for e in entries if e.kind == "city" and e.population >= SEAT_POPULATION
            and (e.name == name or (e.population >= SEAT_ALIAS_POPULATION
                                    and (e.country, e.admin1) in named_divisions))}


def _division_cues(recognized: list[RecognizedMention], text: str,
                   picks: dict[str, GazetteerEntry]) -> set[str]:
    """Names the text marks as a first-level division rather than its big city: followed
    by "state" or "Governor", the container in "Buffalo, New York" (a place outside the
    city), or an item of a list whose neighbours are divisions ("Ohio, New York and
    Indiana"). Items of a list share a feature level."""
    cues: set[str] = set()
    ordered = sorted(recognized, key=lambda r: r.mention.start)
    for r in ordered:
        if DIVISION_WORD_RE.match(text, r.mention.end):
            cues.add(r.name)
    for k, (r, nxt) in enumerate(pairwise(ordered)):
        gap = text[r.mention.end:nxt.mention.start]
        if gap == ", " and not _in_longer_list(ordered, k, text):
            big = [e for e in nxt.entries if e.kind == "city" and e.population >= SEAT_POPULATION]
            divisions = {(d.country, d.admin1) for d in nxt.entries
                         if d.kind == "admin" and d.level == 1 and d.name == nxt.name}
            if any((e.country, e.admin1) in divisions and not any(
                    distance_km(c.lat, c.lon, e.lat, e.lon) < SEAT_KM for c in big)
                   for e in r.entries):
                cues.add(nxt.name)
        if LIST_GAP_RE.fullmatch(gap):
            for a, b in ((r, nxt), (nxt, r)):
                pick = picks.get(b.name)
                if pick is not None and pick.kind == "admin" and pick.level == 1:
                    cues.add(a.name)
    return cues


def _context_weight(entries: tuple[GazetteerEntry, ...]) -> float:
    """How much a name's current pick may speak for the article's geography: fully when the
    name is unambiguous about its country, half otherwise."""
    return 1.0 if len({e.country for e in entries}) == 1 else 0.5


def _coherence(entry: GazetteerEntry, context: list[tuple[GazetteerEntry, float]],
               *, country_only: bool = False) -> float:
    """Support from the other names' current picks: same country (share of the article's
    weight), same first-level division (a state named with its towns), nearness.
    ``country_only``: only the country share (for a town that shares its name with a
    country or state)."""
    total = sum(weight for _, weight in context)
    if not total:
        return 0.0
    same_country = sum(w for e, w in context if e.country and e.country == entry.country)
    score = COUNTRY_WEIGHT * same_country / total
    if country_only:
        return score
    if entry.admin1 and same_country:
        # Scaled by the division's share of the names in its country: a Boston in New York
        # state is not the article's Boston because New York City is named once among ten
        # other American places; a local article names its state's towns again and again.
        same_division = sum(w for e, w in context
                            if e.country == entry.country and e.admin1 == entry.admin1)
        score += ADMIN1_WEIGHT * min(1.0, ADMIN1_SHARE * same_division / same_country)
    if entry.kind in ("city", "admin"):
        nearest = min((distance_km(e.lat, e.lon, entry.lat, entry.lon) for e, _ in context
                       if e.kind in ("city", "admin") and e.level != 1),
                      default=NEAR_KM)
        if nearest < NEAR_KM:
            score += NEAR_WEIGHT + NEAR_CLOSE_WEIGHT * (1.0 - nearest / NEAR_KM)
    return score


def _needs_local_evidence(entry: GazetteerEntry, sovereign: set[str],
                          seats: set[GazetteerEntry], containers: set[tuple[str, str]],
                          context: list[tuple[GazetteerEntry, float]]) -> bool:
    """Whether a candidate gets only the country share of coherence: a town named like a
    country, state or region of the name (``sovereign``: their countries; "China" in
    Kagoshima, "Nevada" in Missouri, "Middle East" in Baltimore) without local evidence.
    A state named elsewhere in the article is not enough against the country or state
    itself; "Nevada, Missouri" is, and so is, for a town named like a foreign country,
    a local article ("Lebanon" with Zionsville and Boone County, Indiana). A division's own
    big city ("New York City", "Aleppo") is no namesake."""
    if _broad_level(entry) or entry in seats or _in_container(entry, containers):
        return False
    return bool(sovereign) and (entry.country in sovereign
                                or _local_picks(entry, context) < LOCAL_PICKS)


def _dominated(entry: GazetteerEntry, dominant_population: int, containers: set[tuple[str, str]],
               context: list[tuple[GazetteerEntry, float]]) -> bool:
    """Whether a town (below SEAT_POPULATION: London, Ontario is a city in its own right)
    is a small namesake of a big city of the name (``dominant_population``:
    the biggest city's) that the text gives no local evidence for: no "Portland, Texas",
    no Texas named, no small place of Texas named. Big cities of its state named beside it
    (Houston, Dallas on a sports page) are none: national news names them anyway."""
    return (entry.kind == "city" and entry.population < SEAT_POPULATION
            and dominant_population >= DOMINANT_POPULATION
            and dominant_population >= DOMINANCE_RATIO * entry.population
            and not _in_container(entry, containers)
            and not _small_local_pick(entry, context))


def _local_picks(entry: GazetteerEntry, context: list[tuple[GazetteerEntry, float]]) -> int:
    """How many of the other names' picks are towns or counties in the entry's first-level
    division."""
    if not entry.admin1:
        return 0
    return sum(1 for e, _ in context
               if e.country == entry.country and e.admin1 == entry.admin1
               and not _broad_level(e))


def _small_local_pick(entry: GazetteerEntry,
                      context: list[tuple[GazetteerEntry, float]]) -> bool:
    """Whether another name's pick is the entry's first-level division itself, or a county
    or a town below SEAT_POPULATION in it, or a big city of it next door (METRO_KM): what
    a local story names, unlike the big cities of the state elsewhere."""
    return bool(entry.admin1) and any(
        e.country == entry.country and e.admin1 == entry.admin1
        and _broad_level(e) in ("", "division")
        and not (e.kind == "city" and e.population >= SEAT_POPULATION
                 and distance_km(e.lat, e.lon, entry.lat, entry.lon) >= METRO_KM)
        for e, _ in context)


def _passing_divisions(recognized: list[RecognizedMention], text: str) -> set[str]:
    """Names of first-level divisions the text names only in passing: as the state of a big
    city ("Columbus, Ohio", a dateline) or in a team's or university's name ("Mississippi
    State"). Such a mention is no local evidence for a small namesake of a big city
    (Louisville, Ohio or Mississippi for the Louisville a sports page plays)."""
    ordered = sorted(recognized, key=lambda r: r.mention.start)
    entries_of = {r.mention.text: r.entries for r in ordered}
    names: dict[str, bool] = {}
    for k, r in enumerate(ordered):
        divisions = {(e.country, e.admin1) for e in r.entries
                     if e.kind == "admin" and e.level == 1}
        if not divisions:
            continue
        prev = ordered[k - 1] if k else None
        city: tuple[GazetteerEntry, ...] = ()
        if prev is not None and text[prev.mention.end:r.mention.start] == ", ":
            city = prev.entries
        else:  # an AP dateline, "COLUMBUS, Ohio (AP)": the city named elsewhere in the text
            caps = DATELINE_CITY_RE.search(text, max(0, r.mention.start - 40), r.mention.start)
            if caps is not None:
                city = entries_of.get(caps.group(1).title(), ())
        dateline = any(e.kind == "city" and e.population >= SEAT_POPULATION
                       and (e.country, e.admin1) in divisions for e in city)
        team = STATE_TEAM_RE.match(text, r.mention.end) is not None
        names[r.name] = names.get(r.name, True) and (dateline or team)
    return {name for name, only_passing in names.items() if only_passing}


def _containers(recognized: list[RecognizedMention], text: str) -> dict[str, set[tuple[str, str]]]:
    """Name -> (country, first-level division or "") of the places named right after it in a
    "City, State" or "City, Country" pattern ("Dublin, Ohio"; "Paris, Texas")."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    ordered = sorted(recognized, key=lambda r: r.mention.start)
    for k, (r, nxt) in enumerate(pairwise(ordered)):
        if text[r.mention.end:nxt.mention.start] != ", ":
            continue
        # "Mexico, China, Japan", "Ohio, Oregon, Utah", "Washington, New York and Boston": a
        # name that is itself a country (a state) before a country (a state) is an item of
        # a longer list, not a place inside the next one ("Nevada, Missouri" alone is).
        levels = ({_broad_level(e) for e in r.entries if e.name == r.name}
                  if _in_longer_list(ordered, k, text) else set())
        for e in nxt.entries:
            if _broad_level(e) in levels:
                continue
            if e.kind == "country":
                found[r.name].add((e.country, ""))
            elif e.kind == "admin" and e.level == 1:
                found[r.name].add((e.country, e.admin1))
    return found


def _in_longer_list(ordered: list[RecognizedMention], k: int, text: str) -> bool:
    """Whether the pair ``ordered[k], ordered[k + 1]`` (written "A, B") sits in a list of
    three or more names ("A, B, C", "Z, A, B", "A, B and C")."""
    def listed(i: int) -> bool:
        return (0 <= i and i + 1 < len(ordered) and LIST_GAP_RE.fullmatch(
            text[ordered[i].mention.end:ordered[i + 1].mention.start]) is not None)
    return listed(k - 1) or listed(k + 1)


def _broad_level(entry: GazetteerEntry) -> str:
    """"country", "region" (continents, seas, regions) or "division" (first-level
    divisions), else "" (towns, counties, landmarks)."""
    if entry.kind == "country":
        return "country"
    if entry.kind in ("continent", "region", "water"):
        return "region"
    if entry.kind == "admin" and entry.level == 1:
        return "division"
    return ""


def _in_container(entry: GazetteerEntry, containers: set[tuple[str, str]]) -> bool:
    return entry.kind not in ("country", "continent") and any(
        entry.country == country and (not admin1 or entry.admin1 == admin1)
        for country, admin1 in containers
    )


def _division_support(entry: GazetteerEntry,
                      others: list[set[tuple[str, str]]]) -> float:
    """Support from the first-level divisions the article's other names could be in, whatever
    their current pick: "Huntsville" with "Walker County" and "Houston" is the one in Texas,
    where all three can be. A name with candidates in many divisions ("Springfield") speaks
    for each of them only weakly."""
    if not entry.admin1 or entry.kind not in ("city", "admin"):
        return 0.0
    key = (entry.country, entry.admin1)
    support = sum(1.0 / len(division) for division in others if key in division)
    return DIVISION_WEIGHT * min(1.0, support)


def _pair_cells(entries_of: dict[str, tuple[GazetteerEntry, ...]]) -> dict[tuple[int, int], set[str]]:
    """Grid cell -> names with a town or county candidate in it."""
    cells: dict[tuple[int, int], set[str]] = defaultdict(set)
    for name, entries in entries_of.items():
        for e in entries:
            if e.kind in ("city", "admin") and e.level != 1:
                cells[(math.floor(e.lat / PAIR_CELL), math.floor(e.lon / PAIR_CELL))].add(name)
    return cells


def _pair_support(entry: GazetteerEntry, name: str, cells: dict[tuple[int, int], set[str]],
                  divisions: dict[str, set[tuple[str, str]]]) -> float:
    """Support from the other names with a candidate right beside this one, whatever their
    current pick: "Paris" and "Henry County" are the Tennessee pair, as the county seat
    lies in the county. Like ``_division_support``, a name with candidates in many
    divisions speaks only weakly for each."""
    if entry.kind not in ("city", "admin") or entry.level == 1:
        return 0.0
    row, col = math.floor(entry.lat / PAIR_CELL), math.floor(entry.lon / PAIR_CELL)
    near = {other for dr in (-1, 0, 1) for dc in (-1, 0, 1)
            for other in cells.get((row + dr, col + dc), ())} - {name}
    support = sum(1.0 / len(divisions[other]) for other in near if divisions[other])
    return PAIR_WEIGHT * min(1.0, support)


def _resolve(recognized: list[RecognizedMention],
             calibration: ConfidenceCalibration | None = None, text: str = "") -> list[Place]:
    """One sense per discourse: every mention of a name shares one referent, chosen by prior
    plus coherence with the picks for the article's other names, refined over a few rounds
    (the picks of one round are the context of the next). A "City, State" pattern anywhere
    in the article is strong evidence for the candidates in that state."""
    by_name: dict[str, list[RecognizedMention]] = defaultdict(list)
    for r in recognized:
        by_name[r.name].append(r)
    entries_of = {name: group[0].entries for name, group in by_name.items()}
    containers = _containers(recognized, text) if text else {}
    seats = {name: _seat_cities(name, entries) for name, entries in entries_of.items()}
    cues: set[str] = set()
    for _ in range(2):  # the cues of a list come from its items' picks by prior
        priors = {name: [prior + (CONTAINER_WEIGHT
                                  if _in_container(e, containers.get(name, set())) else 0.0)
                         for prior, e in zip(_priors(name, entries, seats[name],
                                                     division_cue=name in cues), entries)]
                  for name, entries in entries_of.items()}
        picks = {name: max(zip(priors[name], entries))[1]
                 for name, entries in entries_of.items()}
        cues = _division_cues(recognized, text, picks) if text else set()
    weights = {name: _context_weight(entries) * (1.0 + 0.25 * (len(by_name[name]) - 1))
               for name, entries in entries_of.items()}
    divisions = {name: {(e.country, e.admin1) for e in entries
                        if e.admin1 and e.kind in ("city", "admin")}
                 for name, entries in entries_of.items()}
    cells = _pair_cells(entries_of) if len(entries_of) > 1 else {}
    broad = {name for name, entries in entries_of.items()
             if any(e.kind in ("country", "continent") or (e.kind == "admin" and e.level == 1)
                    for e in entries)}
    # Supplement regions carry their German name first ("Naher Osten" for Middle East).
    sovereign = {name: {e.country for e in entries if _broad_level(e) and (
                            e.name == name or _broad_level(e) == "region")}
                 for name, entries in entries_of.items()}
    sovereign = {name: countries for name, countries in sovereign.items() if countries}
    # Only a city carrying the name itself: Harare, once Salisbury, does not make the
    # English city a namesake.
    dominant = {name: max((e.population for e in entries if e.kind == "city" and e.name == name),
                          default=0)
                for name, entries in entries_of.items()}
    passing = _passing_divisions(recognized, text) if text else set()
    scored_by_name: dict[str, list[tuple[float, GazetteerEntry]]] = {}
    for _ in range(COHERENCE_ROUNDS):
        for name, entries in entries_of.items():
            context = [(picks[other], weights[other]) for other in entries_of if other != name]
            local_context = [(picks[other], weights[other]) for other in entries_of
                             if other != name and other not in passing]
            # Only among towns and counties: "Mexico" and "Louisiana" stay the country and
            # the state, whatever towns of that name the article's states hold.
            others = ([] if name in broad else
                      [divisions[other] for other in entries_of if other != name])
            scored = [(prior if _dominated(e, dominant[name], containers.get(name, set()),
                                           local_context) else
                       prior + _coherence(e, context, country_only=_needs_local_evidence(
                           e, sovereign.get(name, set()), seats[name],
                           containers.get(name, set()), context))
                       + _division_support(e, others)
                       + (0.0 if name in broad else _pair_support(e, name, cells, divisions)), e)
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
    """Names the gazetteer lacks but the text marks as places ("Rapides Parish"). A known
    name at the end of the phrase is that name, the capitalised words before it are no part
    of it ("Republican Orange County", "The Walker County"): recognition finds it."""
    unknown: dict[str, list[Mention]] = defaultdict(list)
    for match in UNKNOWN_PLACE_RE.finditer(text):
        start, end = match.span()
        words = match.group(0).split(" ")
        if any(" ".join(words[k:]) in gazetteer for k in range(len(words) - 1)):
            continue
        unknown[match.group(0)].append(Mention(start=start, end=end, text=match.group(0)))
    return unknown


def _has_coordinates(raw: object) -> bool:
    """geopy turns a Nominatim answer without lat/lon into a point at 0, 0 (Null Island)."""
    if not isinstance(raw, dict):
        return True
    return ("lat" in raw and "lon" in raw) or "geometry" in raw or "latitude" in raw


def _geocode_online(unknown: dict[str, list[Mention]], geocoder) -> tuple[list[Place], list[Mention], list[str]]:
    from geopy.exc import GeopyError

    places: list[Place] = []
    unresolved: list[Mention] = []
    failed: list[str] = []
    service = getattr(geocoder, "name", "online")
    for query, mentions in unknown.items():
        if failed:
            # The geocoder already failed after its retries: asking again for every other
            # name would make the user wait a timeout per name for the same answer.
            failed.append(query)
            unresolved.extend(mentions)
            continue
        try:
            location = geocoder.geocode(query, exactly_one=True)
            if location is not None and not _has_coordinates(location.raw):
                raise ValueError(f"answer without coordinates: {location.raw!r:.200}")
        except (GeopyError, OSError, TimeoutError, ValueError, TypeError, KeyError):
            # KeyError/ValueError/TypeError: an answer that is not what the service documents.
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
