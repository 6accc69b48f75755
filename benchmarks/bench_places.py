"""Speed and memory of the places stage: gazetteer load in a fresh process, then documents
per second on the LGL dev split with the default (English: rules alone) and with the learned
tagger, and on GermEval dev (German: tagger on by default). Needs ../shared; prints what it
can without it.

Run: .venv/bin/python benchmarks/bench_places.py
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
LGL = SHARED_EVAL / "geoparsing" / "lgl.jsonl"
GERMEVAL_DEV = SHARED_EVAL / "german-ner" / "germeval2014-dev.jsonl"


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
    started = time.perf_counter()
    from placeline.model import Document
    from placeline.places import PlaceFinder

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
    _throughput("LGL dev, default", documents, finder)
    tagged = PlaceFinder(gazetteer=finder.gazetteer, use_tagger=True)
    _throughput("LGL dev, with the tagger", documents, tagged)
    if GERMEVAL_DEV.exists():
        german = [
            Document(id=str(n), text=json.loads(line)["text"], lang="de")
            for n, line in enumerate(GERMEVAL_DEV.open(encoding="utf-8"))
        ]
        _throughput("GermEval dev (one sentence per doc), default", german, finder)
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
