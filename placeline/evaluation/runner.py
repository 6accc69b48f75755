"""Running the analyzer over the gold sets and collecting one ``EvaluationReport``."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from placeline.evaluation.data import (
    ALL_SETS,
    DEFAULT_SETS,
    ENGLISH_NEWS_SETS,
    PEER_SYSTEMS,
    SPLITS,
    GoldSet,
    PeerSpan,
    SeedGold,
    find_shared_dir,
    load_peer_outputs,
    load_seed,
    load_set,
)
from placeline.evaluation.scoring import PlaceScore, PlaceTally, PredictedSpan
from placeline.evaluation.seed import (
    SEED_DATE_MODES,
    Analyzer,
    SeedReport,
    predicted_spans,
    score_seed_analysis,
    seed_document_text,
)
from placeline.ingest import document_from_text


@dataclass(frozen=True)
class SystemScore:
    """One system on one set: overlap matching (P/R/F1 and resolution over its pairs) and
    the F1 under Gritta's surface-and-midpoint rule, for comparison with published tables."""

    system: str
    score: PlaceScore
    f1_gritta: float | None


@dataclass(frozen=True)
class SetReport:
    name: str
    lang: str
    split: str
    documents: int
    gold_toponyms: int
    stride: int
    placeline: SystemScore
    seconds: float  # time spent in ingest + analyze
    peers: tuple[SystemScore, ...] = ()
    has_coordinates: bool = True
    demonyms: bool | None = None  # placeline counted nationality words (None: a custom analyzer)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class EvaluationReport:
    split: str
    shared_dir: str
    sets: tuple[SetReport, ...]
    seed: tuple[SeedReport, ...] = ()
    warmup_seconds: float = 0.0  # first analysis (loads the gazetteer), kept out of docs/s

    def metrics(self) -> dict[str, float]:
        """Flat ``name -> value`` figures that the baseline stores and the gate compares;
        higher is better for every one of them."""
        figures: dict[str, float] = {}
        for seed in self.seed:
            prefix = f"seed[{seed.date_mode}]"
            figures[f"{prefix}.places.f1"] = seed.places.f1 or 0.0
            figures[f"{prefix}.places.acc161"] = seed.places.acc161 or 0.0
            figures[f"{prefix}.dates"] = seed.dates_share
            figures[f"{prefix}.statements"] = seed.statements_share
            figures[f"{prefix}.events"] = seed.events_share
        for report in self.sets:
            score = report.placeline.score
            if score.f1 is not None:
                figures[f"{report.name}.f1"] = score.f1
            else:
                figures[f"{report.name}.recall"] = score.recall
            if report.has_coordinates:
                figures[f"{report.name}.acc161"] = score.acc161 or 0.0
        return {name: round(value, 4) for name, value in figures.items()}


DEMONYM_MODES = ("scheme", "on", "off")


def _default_analyzer() -> Analyzer:
    from placeline.pipeline import analyze

    return analyze


def _analyzer_counting_demonyms(counts: bool) -> Analyzer:
    """The pipeline with a finder that counts nationality words or not, whatever the
    environment's PLACELINE_DEMONYMS says; the gazetteer is the default finder's."""
    from functools import partial

    from placeline.pipeline import analyze
    from placeline.places import PlaceFinder, default_finder

    finder = PlaceFinder(gazetteer=default_finder().gazetteer, demonyms=counts)
    return partial(analyze, place_finder=finder)


def _counts_demonyms(gold_set: GoldSet, mode: str) -> bool:
    """Whether placeline counts nationality words on this set: as the set's annotation
    scheme does ("scheme"), or always ("on") or never ("off")."""
    return gold_set.counts_demonyms if mode == "scheme" else mode == "on"


def evaluate_seed(
    seed: SeedGold, *, date_mode: str = "given", analyzer: Analyzer | None = None
) -> SeedReport:
    analyzer = analyzer or _default_analyzer()
    text = seed_document_text(seed, date_mode)
    started = time.perf_counter()
    document = document_from_text(
        text,
        doc_id=seed.document.id,
        lang=seed.document.lang,
        published=seed.published if date_mode == "given" else None,
    )
    analysis = analyzer(document)
    seconds = time.perf_counter() - started
    return score_seed_analysis(seed, analysis, date_mode=date_mode, seconds=seconds)


def _peer_score(
    system: str, gold_set: GoldSet, documents, outputs: Mapping[str, tuple[PeerSpan, ...]]
) -> SystemScore:
    overlap = PlaceTally(mode="overlap", nil="wrong")
    gritta = PlaceTally(mode="gritta")
    for doc in documents:
        gold = doc.scored_spans(located_only=gold_set.has_coordinates)
        pred = [
            PredictedSpan(p.start, p.end, p.surface, p.lat, p.lon) for p in outputs.get(doc.id, ())
        ]
        overlap.add(gold, pred, resolve=gold_set.has_coordinates)
        gritta.add(gold, pred, resolve=False)
    return SystemScore(
        system=system,
        score=overlap.score(has_precision=gold_set.has_precision),
        f1_gritta=gritta.score(has_precision=gold_set.has_precision).f1,
    )


def evaluate_set(
    gold_set: GoldSet,
    *,
    analyzer: Analyzer | None = None,
    peers: Mapping[str, Mapping[str, tuple[PeerSpan, ...]]] | None = None,
    stride: int = 1,
    limit: int | None = None,
    demonyms: bool | None = None,
) -> SetReport:
    """Analyse every ``stride``-th document of the set (the first ``limit`` of those) and
    score placeline, and each peer on exactly the same documents."""
    analyzer = analyzer or _default_analyzer()
    documents = gold_set.documents[::stride][:limit]
    overlap = PlaceTally(mode="overlap", nil="wrong")
    gritta = PlaceTally(mode="gritta")
    seconds = 0.0
    gold_count = 0
    for doc in documents:
        gold = doc.scored_spans(located_only=gold_set.has_coordinates)
        gold_count += sum(not g.optional for g in gold)
        pred: list[PredictedSpan] = []
        if doc.text.strip():
            started = time.perf_counter()
            analysis = analyzer(
                document_from_text(doc.text, doc_id=doc.id, lang=doc.lang, published=doc.published)
            )
            seconds += time.perf_counter() - started
            pred = predicted_spans(analysis)
        overlap.add(gold, pred, resolve=gold_set.has_coordinates)
        gritta.add(gold, pred, resolve=False)
    peer_scores = tuple(
        _peer_score(system, gold_set, documents, peers[system])
        for system in PEER_SYSTEMS
        if peers and system in peers
    )
    return SetReport(
        name=gold_set.name,
        lang=gold_set.lang,
        split=gold_set.split,
        documents=len(documents),
        gold_toponyms=gold_count,
        stride=stride,
        placeline=SystemScore(
            system="placeline",
            score=overlap.score(has_precision=gold_set.has_precision),
            f1_gritta=gritta.score(has_precision=gold_set.has_precision).f1,
        ),
        seconds=seconds,
        peers=peer_scores,
        has_coordinates=gold_set.has_coordinates,
        demonyms=demonyms,
    )


def run_evaluation(
    *,
    sets: Sequence[str] = DEFAULT_SETS,
    split: str = "dev",
    shared_dir: str | os.PathLike[str] | None = None,
    limit: int | None = None,
    strides: Mapping[str, int] | None = None,
    seed_date_modes: Sequence[str] = ("given", "none"),
    with_peers: bool = True,
    analyzer: Analyzer | None = None,
    demonyms: str = "scheme",
) -> EvaluationReport | None:
    """Score placeline (and the stored peer outputs) on the named sets.

    Returns None when the shared data folder is absent; sets whose files are missing are
    left out. ``strides`` picks every k-th document of a set (a deterministic subset, used by
    the gate); ``limit`` caps the documents per set. The seed is scored once per date mode.
    ``demonyms`` (default analyzer only): count nationality words as the set's annotation
    scheme does ("scheme"), on every set ("on") or on none ("off").
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS}")
    unknown = [name for name in sets if name not in ALL_SETS]
    if unknown:
        raise ValueError(
            f"unknown evaluation set(s) {', '.join(unknown)}; known: {', '.join(ALL_SETS)}"
        )
    bad_modes = [mode for mode in seed_date_modes if mode not in SEED_DATE_MODES]
    if bad_modes:
        raise ValueError(f"unknown seed date mode(s) {', '.join(bad_modes)}; use {SEED_DATE_MODES}")
    if demonyms not in DEMONYM_MODES:
        raise ValueError(f"unknown demonym mode {demonyms!r}; use one of {DEMONYM_MODES}")
    root = find_shared_dir(shared_dir)
    if root is None:
        return None
    custom_analyzer = analyzer is not None
    analyzer = analyzer or _default_analyzer()
    by_demonyms: dict[bool, Analyzer] = {}  # one finder per setting for the whole run
    strides = strides or {}
    started = time.perf_counter()
    analyzer(document_from_text("Berlin und Paris. Berlin and Paris.", lang="de"))
    warmup_seconds = time.perf_counter() - started
    seed_reports: tuple[SeedReport, ...] = ()
    if "seed" in sets:
        seed = load_seed(shared_dir=root)
        if seed is not None:
            seed_reports = tuple(
                evaluate_seed(seed, date_mode=mode, analyzer=analyzer) for mode in seed_date_modes
            )
    set_reports = []
    for name in sets:
        if name == "seed":
            continue
        gold_set = load_set(name, split=split, shared_dir=root)
        if gold_set is None:
            continue
        peers = (
            load_peer_outputs(name, shared_dir=root)
            if with_peers and name in ENGLISH_NEWS_SETS
            else None
        )
        counts = None if custom_analyzer else _counts_demonyms(gold_set, demonyms)
        if counts is not None and counts not in by_demonyms:
            by_demonyms[counts] = _analyzer_counting_demonyms(counts)
        set_analyzer = analyzer if counts is None else by_demonyms[counts]
        set_reports.append(
            evaluate_set(
                gold_set,
                analyzer=set_analyzer,
                peers=peers,
                stride=strides.get(name, 1),
                limit=limit,
                demonyms=counts,
            )
        )
    return EvaluationReport(
        split=split,
        shared_dir=str(root),
        sets=tuple(set_reports),
        seed=seed_reports,
        warmup_seconds=warmup_seconds,
    )
