"""``placeline evaluate``: the argument parsing and the exit codes (``main``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from placeline.evaluation.baseline import (
    BASELINE_PATH,
    GateConfig,
    changes,
    read_baseline,
    write_baseline,
)
from placeline.evaluation.data import ALL_SETS, DEFAULT_SETS, SPLITS
from placeline.evaluation.report import format_report, report_to_json
from placeline.evaluation.runner import DEMONYM_MODES, run_evaluation
from placeline.evaluation.seed import SEED_DATE_MODES, Analyzer

EXIT_OK = 0
EXIT_NO_DATA = 1
EXIT_USAGE = 2


def _names(value: str, known: Sequence[str], what: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    if names == ("all",):
        return tuple(known)
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(unknown) or value!r}; choose from {', '.join(known)}"
        )
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="placeline evaluate",
        description="Score placeline on the gold data in ../shared (or $PLACELINE_SHARED): "
        "P/R/F1, Acc@161 km, mean error, AUC and speed per set, the peers side by side.",
    )
    parser.add_argument("--split", choices=SPLITS, default="dev", help="default: dev")
    parser.add_argument(
        "--sets",
        type=lambda v: _names(v, ALL_SETS, "set"),
        default=DEFAULT_SETS,
        help=f"comma-separated, or 'all' (default: {','.join(DEFAULT_SETS)}; "
        f"known: {','.join(ALL_SETS)})",
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N documents per set")
    parser.add_argument(
        "--seed-dates",
        type=lambda v: _names(v, SEED_DATE_MODES, "seed date mode"),
        default=("given", "none"),
        help="how the seed gets its publication date: given (gold day), header (the header "
        "line only), none (header blanked, the date must be inferred); default: given,none",
    )
    parser.add_argument(
        "--demonyms",
        choices=DEMONYM_MODES,
        default="scheme",
        help="count nationality words (Russian) as places as each set's annotation does "
        "(scheme: all but GeoVirus), on every set, or on none; default: scheme",
    )
    parser.add_argument("--no-peers", action="store_true", help="leave out the peer systems")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="score the gate's configuration and rewrite the baseline file "
        "(say why in the commit message)",
    )
    parser.add_argument("--baseline", type=Path, default=BASELINE_PATH, help=argparse.SUPPRESS)
    parser.add_argument("--shared-dir", type=Path, default=None, help="the shared data folder")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    analyzer: Analyzer | None = None,
) -> int:
    """Run ``placeline evaluate``; returns the exit code (0 ok, 1 no data, 2 usage)."""
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.limit is not None and args.limit < 1:
        print("placeline evaluate: --limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.update_baseline:
        previous = read_baseline(args.baseline)
        config = previous.config if previous else GateConfig()
        report = run_evaluation(
            sets=config.sets,
            split=config.split,
            shared_dir=args.shared_dir,
            strides=config.strides,
            seed_date_modes=config.seed_date_modes,
            with_peers=False,
            analyzer=analyzer,
        )
    else:
        report = run_evaluation(
            sets=args.sets,
            split=args.split,
            shared_dir=args.shared_dir,
            limit=args.limit,
            seed_date_modes=args.seed_dates,
            with_peers=not args.no_peers,
            analyzer=analyzer,
            demonyms=args.demonyms,
        )
    if report is None:
        print(
            "placeline evaluate: no evaluation data found; put it in ../shared next to the "
            "repository or set PLACELINE_SHARED",
            file=sys.stderr,
        )
        return EXIT_NO_DATA
    print(report_to_json(report) if args.json else format_report(report), file=out)
    if args.update_baseline:
        write_baseline(report, config, path=args.baseline)
        lines = changes(report.metrics(), previous) or ["no change"]
        print(f"\nbaseline written to {args.baseline}:", file=out)
        print("\n".join(f"  {line}" for line in lines), file=out)
    return EXIT_OK
