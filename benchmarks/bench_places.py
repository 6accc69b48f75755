"""Speed and memory of the places stage: gazetteer load in fresh processes (median of 5;
target <= 1 s), then documents per second on the LGL dev split with the default (English: rules alone) and with the learned
tagger, and on GermEval dev (German: tagger on by default). Needs ../shared (or
$PLACELINE_SHARED); prints what it can without it.

Run: .venv/bin/python benchmarks/bench_places.py
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_FRESH_LOAD = r"""
import json, resource, time
t0 = time.perf_counter()
from placeline.places.gazetteer import load_gazetteer
t1 = time.perf_counter()
gazetteer = load_gazetteer()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def fresh_loads(runs: int = 5) -> None:
    """The issue's target is a fresh process, so each run is one: the first call builds the
    cache file if needed and is not counted."""
    def one() -> dict:
        out = subprocess.run([sys.executable, "-c", _FRESH_LOAD], capture_output=True,
                             text=True, check=True, cwd=REPO)
        return json.loads(out.stdout)

    one()
    figures = [one() for _ in range(runs)]
    load = statistics.median(f["load_s"] for f in figures)
    imports = statistics.median(f["import_s"] for f in figures)
    print(f"gazetteer load, fresh process (median of {runs}): {load:.3f} s "
          f"(+ {imports:.2f} s imports; target <= 1 s), "
          f"peak RSS {max(f['rss_mb'] for f in figures):.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def _throughput(label: str, documents, finder) -> None:
    from placeline.places import find_places

    find_places(documents[0], finder=finder)  # load the tagger outside the clock
    started = time.perf_counter()
    cpu_started = time.process_time()
    for document in documents:
        find_places(document, finder=finder)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"{label}: {len(documents)} docs in {wall:.2f} s wall, {cpu:.2f} s CPU: "
          f"{len(documents) / cpu:.0f} docs/s/core")


def main() -> None:
    fresh_loads()
    started = time.perf_counter()
    from placeline.model import Document
    from placeline.places import PlaceFinder

    finder = PlaceFinder()
    print(f"gazetteer ready: {time.perf_counter() - started:.2f} s "
          f"({len(finder.gazetteer.entries):,} places, {len(finder.gazetteer.names):,} names)")
    # Imported after the clock: the evaluation package is no part of loading the gazetteer.
    from placeline.evaluation.data import find_shared_dir

    shared = find_shared_dir()
    shared_eval = (shared or Path("shared-absent")) / "eval"
    lgl = shared_eval / "geoparsing" / "lgl.jsonl"
    germeval_dev = shared_eval / "german-ner" / "germeval2014-dev.jsonl"
    if not lgl.exists():
        print("LGL absent (../shared/eval): skipping the throughput figure")
        return
    documents = [
        Document(id=record["id"], text=record["text"], lang="en")
        for n, line in enumerate(lgl.open(encoding="utf-8"))
        if n % 10 < 7 and (record := json.loads(line))
    ]
    _throughput("LGL dev, default", documents, finder)
    tagged = PlaceFinder(gazetteer=finder.gazetteer, use_tagger=True)
    _throughput("LGL dev, with the tagger", documents, tagged)
    if germeval_dev.exists():
        german = [
            Document(id=str(n), text=json.loads(line)["text"], lang="de")
            for n, line in enumerate(germeval_dev.open(encoding="utf-8"))
        ]
        _throughput("GermEval dev (one sentence per doc), default", german, finder)
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
