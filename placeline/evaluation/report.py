"""The evaluation as a plain-text table (CLI, benchmarks) or as JSON."""

from __future__ import annotations

import dataclasses
import json

from placeline.evaluation.runner import EvaluationReport, SetReport, SystemScore
from placeline.evaluation.seed import SeedReport

_HEADER = (
    f"{'set / system':<22}{'docs':>6}{'gold':>7}{'P':>7}{'R':>7}{'F1':>7}{'F1gr':>7}"
    f"{'Acc@161':>9}{'mean km':>9}{'AUC':>7}{'docs/s':>9}"
)


def _figure(value: float | None, width: int = 7, digits: int = 3) -> str:
    return f"{'–':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def _system_row(label: str, system: SystemScore, *, docs: str, gold: str, speed: str) -> str:
    score = system.score
    mean = "–" if score.mean_error_km is None else f"{score.mean_error_km:,.0f}"
    return (
        f"{label:<22}{docs:>6}{gold:>7}{_figure(score.precision)}{_figure(score.recall)}"
        f"{_figure(score.f1)}{_figure(system.f1_gritta)}{_figure(score.acc161, 9)}{mean:>9}"
        f"{_figure(score.auc)}{speed:>9}"
    )


def _set_rows(report: SetReport) -> list[str]:
    subset = f" (1 in {report.stride})" if report.stride > 1 else ""
    # A set scored without nationality words (its annotation scheme has none) is marked "*".
    unmarked = "*" if report.demonyms is False else ""
    label = f"{report.name}{unmarked}{subset}"
    rows = [
        _system_row(
            label,
            report.placeline,
            docs=str(report.documents),
            gold=str(report.gold_toponyms),
            speed=f"{report.docs_per_second:,.0f}",
        )
    ]
    rows.extend(
        _system_row(f"  {peer.system}", peer, docs="", gold="", speed="") for peer in report.peers
    )
    return rows


def _seed_lines(seed: SeedReport) -> list[str]:
    places = seed.places
    summary = (
        f"seed [{seed.date_mode}] published {seed.published or 'unknown'}: "
        f"places P {places.precision or 0:.3f} R {places.recall:.3f} F1 {places.f1 or 0:.3f} "
        f"Acc@161 {_figure(places.acc161, 0)}; "
        f"dates {seed.dates_right}/{seed.dates_total} (false {seed.false_dates}); "
        f"statements right speaker {seed.statements_right_speaker}/{seed.statements_total} "
        f"(quote found {seed.statements_found}, extra {seed.extra_statements}); "
        f"events {seed.events_found}/{seed.events_total} (extra {seed.extra_events}); "
        f"{seed.seconds * 1000:.0f} ms"
    )
    lines = [summary]
    lines.extend(f"    miss: {miss}" for miss in seed.misses)
    return lines


def format_report(report: EvaluationReport, *, show_misses: bool = True) -> str:
    lines = [
        f"placeline evaluation, split {report.split}, data {report.shared_dir}",
        (
            "overlap matching one-to-one (F1gr: Gritta's surface+midpoint rule); Acc@161, mean "
            "error and AUC over matched pairs, unresolved finds at 20,039 km; peers on the same docs"
        ),
        f"warm-up (first analysis, loads the gazetteer): {report.warmup_seconds:.2f} s",
        "",
    ]
    for seed in report.seed:
        seed_lines = _seed_lines(seed)
        lines.extend(seed_lines if show_misses else seed_lines[:1])
    if report.seed:
        lines.append("")
    if report.sets:
        lines.append(_HEADER)
        lines.append("-" * len(_HEADER))
        for set_report in report.sets:
            lines.extend(_set_rows(set_report))
        if any(set_report.demonyms is False for set_report in report.sets):
            lines.append(
                "* placeline without nationality words (--no-demonyms), as the set's "
                "annotation scheme has none; --demonyms on scores them as found"
            )
    return "\n".join(lines)


def report_to_json(report: EvaluationReport) -> str:
    payload = dataclasses.asdict(report)
    payload["metrics"] = report.metrics()
    for set_payload, set_report in zip(payload["sets"], report.sets, strict=True):
        set_payload["docs_per_second"] = set_report.docs_per_second
    return json.dumps(payload, ensure_ascii=False, indent=2)
