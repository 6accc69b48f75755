"""Speed of the timeline stage on the seed (warm), and its precision signals on eval texts.

Run: .venv/bin/python benchmarks/bench_timeline.py
Prints ms per seed document (target <= 20 ms warm) and, when ../shared/eval is present, how many
dates and statements it finds on a dev sample of LGL (English) and GermEval (German).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from placeline.ingest.text import document_from_text
from placeline.timeline import build_timeline

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "samples" / "000_57bc9abe0d5d58cd.txt"
EVAL = ROOT.parent / "shared" / "eval"


def bench_seed(rounds: int = 50) -> None:
    document = document_from_text(SEED.read_text(encoding="utf-8"))
    build_timeline(document)  # warm: compiled regexes, imports
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        build_timeline(document)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"seed timeline: median {statistics.median(timings):.1f} ms, "
        f"min {min(timings):.1f} ms over {rounds} warm runs (target <= 20 ms)"
    )


def _dev_sample(path: Path, limit: int) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % 10 < 7:
                rows.append(json.loads(line))
            if len(rows) >= limit:
                break
    return rows


def bench_eval_texts() -> None:
    for path, limit, lang in (
        (EVAL / "geoparsing" / "lgl.jsonl", 200, "en"),
        (EVAL / "german-ner" / "germeval2014-dev.jsonl", 3000, "de"),
    ):
        if not path.exists():
            print(f"{path.name}: absent, skipped")
            continue
        rows = _dev_sample(path, limit)
        dates = statements = characters = 0
        start = time.perf_counter()
        for row in rows:
            published = (row.get("date") or "")[:10] or None
            document = document_from_text(row["text"], lang=lang, published=published)
            result = build_timeline(document)
            dates += len(result.dates)
            statements += sum(e.kind == "statement" for e in result.events)
            characters += len(row["text"])
        seconds = time.perf_counter() - start
        print(
            f"{path.name}: {len(rows)} docs, {dates} dates, {statements} statements, "
            f"{len(rows) / seconds:.0f} docs/s, {characters / seconds / 1000:.0f} k chars/s"
        )


if __name__ == "__main__":
    bench_seed()
    bench_eval_texts()
