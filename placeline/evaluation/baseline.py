"""The accuracy gate's baseline: which documents it scores and the scores it must keep.

``data/eval_baseline.json`` holds the configuration (split, sets, strides, seed date modes,
tolerance) and the figures of ``EvaluationReport.metrics()``. The gate recomputes them and
fails when one falls more than ``tolerance`` below the stored value; raising or lowering the
baseline on purpose is ``placeline evaluate --update-baseline`` plus a commit saying why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from placeline.evaluation.data import repo_root
from placeline.evaluation.runner import EvaluationReport

BASELINE_PATH = repo_root() / "data" / "eval_baseline.json"


@dataclass(frozen=True)
class GateConfig:
    """What the gate scores. Strides keep it under a minute on two cores: every k-th dev
    document of a large set (a deterministic subset, stored with the scores)."""

    split: str = "dev"
    sets: tuple[str, ...] = ("seed", "lgl", "geowebnews", "trnews", "geovirus", "germeval")
    strides: dict[str, int] = field(default_factory=dict)
    seed_date_modes: tuple[str, ...] = ("given", "none")
    tolerance: float = 0.005


@dataclass(frozen=True)
class Baseline:
    config: GateConfig
    metrics: dict[str, float]
    note: str = ""


def read_baseline(path: Path = BASELINE_PATH) -> Baseline | None:
    if not path.is_file():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    config = payload.get("config", {})
    return Baseline(
        config=GateConfig(
            split=config.get("split", "dev"),
            sets=tuple(config.get("sets", GateConfig().sets)),
            strides=dict(config.get("strides", {})),
            seed_date_modes=tuple(config.get("seed_date_modes", GateConfig().seed_date_modes)),
            tolerance=float(config.get("tolerance", GateConfig().tolerance)),
        ),
        metrics={name: float(value) for name, value in payload.get("metrics", {}).items()},
        note=payload.get("note", ""),
    )


def write_baseline(
    report: EvaluationReport, config: GateConfig, *, path: Path = BASELINE_PATH, note: str = ""
) -> Baseline:
    baseline = Baseline(config=config, metrics=report.metrics(), note=note)
    payload = {
        "note": note
        or "Scores the accuracy gate keeps (tests/test_eval_gate.py). Rewrite with "
        "`placeline evaluate --update-baseline` and say why in the commit message.",
        "config": {
            "split": config.split,
            "sets": list(config.sets),
            "strides": dict(sorted(config.strides.items())),
            "seed_date_modes": list(config.seed_date_modes),
            "tolerance": config.tolerance,
        },
        "metrics": dict(sorted(baseline.metrics.items())),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return baseline


def regressions(current: dict[str, float], baseline: Baseline) -> list[str]:
    """One message per metric that fell more than the tolerance below the baseline, or that
    the current run no longer produces."""
    messages = []
    for name, stored in sorted(baseline.metrics.items()):
        value = current.get(name)
        if value is None:
            messages.append(f"{name}: missing from this run (baseline {stored:.4f})")
        elif value < stored - baseline.config.tolerance:
            messages.append(
                f"{name}: {value:.4f} is below the baseline {stored:.4f} "
                f"(tolerance {baseline.config.tolerance})"
            )
    return messages


def _shown(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def changes(current: dict[str, float], previous: Baseline | None) -> list[str]:
    """Human-readable differences for --update-baseline, so the commit can say why."""
    old = previous.metrics if previous else {}
    lines = []
    for name in sorted(set(old) | set(current)):
        before, after = old.get(name), current.get(name)
        if before != after:
            lines.append(f"{name}: {_shown(before)} -> {_shown(after)}")
    return lines
