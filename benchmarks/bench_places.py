"""Speed and memory of the places stage: gazetteer load in a fresh process, then documents
per second on the LGL dev split (needs ../shared; prints what it can without it).

Run: .venv/bin/python benchmarks/bench_places.py
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

LGL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "geoparsing" / "lgl.jsonl"


def main() -> None:
    started = time.perf_counter()
    from placeline.model import Document
    from placeline.places import PlaceFinder, find_places

    finder = PlaceFinder()
    print(f"gazetteer ready: {time.perf_counter() - started:.2f} s "
          f"({len(finder.gazetteer.entries):,} places, {len(finder.gazetteer.names):,} names)")
    if not LGL.exists():
        print("LGL absent (../shared/eval): skipping the throughput figure")
        return
    documents = [
        Document(id=record["id"], text=record["text"], lang="en")
        for n, line in enumerate(LGL.open(encoding="utf-8"))
        if n % 10 < 7 and (record := json.loads(line))
    ]
    started = time.perf_counter()
    cpu_started = time.process_time()
    for document in documents:
        find_places(document, finder=finder)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"LGL dev: {len(documents)} docs in {wall:.2f} s wall, {cpu:.2f} s CPU: "
          f"{len(documents) / cpu:.0f} docs/s/core")
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
