"""Evaluation: accuracy measured, not assumed.

Scores placeline against the gold data in the shared folder (``../shared`` next to the repo,
or ``$PLACELINE_SHARED``; never copied into the repo) with the metric definitions of
``shared/eval/geoparsing/README.md``, prints the peers' stored outputs side by side, and
keeps the accuracy gate's baseline (``data/eval_baseline.json``).

Stages: ``data`` (loaders, split rule) -> ``scoring`` (matching and metrics) ->
``seed``/``runner`` (analyse and score) -> ``report`` (table, JSON); ``baseline`` (gate);
``cli`` (``placeline evaluate``).
"""

from placeline.evaluation.baseline import (
    BASELINE_PATH,
    Baseline,
    GateConfig,
    read_baseline,
    regressions,
    write_baseline,
)
from placeline.evaluation.cli import main
from placeline.evaluation.data import (
    ALL_SETS,
    DEFAULT_SETS,
    find_shared_dir,
    in_split,
    load_peer_outputs,
    load_seed,
    load_set,
)
from placeline.evaluation.report import format_report, report_to_json
from placeline.evaluation.runner import (
    EvaluationReport,
    SetReport,
    SystemScore,
    evaluate_seed,
    evaluate_set,
    run_evaluation,
)
from placeline.evaluation.scoring import PlaceScore, PlaceTally, PredictedSpan, match_spans
from placeline.evaluation.seed import SEED_DATE_MODES, SeedReport

__all__ = [
    "ALL_SETS",
    "BASELINE_PATH",
    "DEFAULT_SETS",
    "SEED_DATE_MODES",
    "Baseline",
    "EvaluationReport",
    "GateConfig",
    "PlaceScore",
    "PlaceTally",
    "PredictedSpan",
    "SeedReport",
    "SetReport",
    "SystemScore",
    "evaluate_seed",
    "evaluate_set",
    "find_shared_dir",
    "format_report",
    "in_split",
    "load_peer_outputs",
    "load_seed",
    "load_set",
    "main",
    "match_spans",
    "read_baseline",
    "regressions",
    "report_to_json",
    "run_evaluation",
    "write_baseline",
]
