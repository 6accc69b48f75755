"""Whole-pipeline figures: the seed analysed in a fresh process (wall time and peak RSS), then
warm throughput over the seed. Prints figures; asserts nothing (targets are in the README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "samples" / "000_57bc9abe0d5d58cd.txt"

_FRESH_PROCESS = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from placeline.ingest import document_from_text
from placeline.pipeline import analyze
t_import = time.perf_counter()
doc = document_from_text(open(sys.argv[1], encoding="utf-8").read())
analysis = analyze(doc)
t_done = time.perf_counter()
print(json.dumps({"import_s": t_import - t0, "first_analysis_s": t_done - t_import,
                  "total_s": t_done - t0,
                  "places": len(analysis.places), "events": len(analysis.events),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_WARM = r"""
import sys, time
from placeline.ingest import document_from_text
from placeline.pipeline import analyze
doc = document_from_text(open(sys.argv[1], encoding="utf-8").read())
analyze(doc)
started = time.perf_counter()
for _ in range(20):
    analyze(doc)
print((time.perf_counter() - started) / 20 * 1000)
"""


def main() -> None:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _FRESH_PROCESS, str(SEED)],
            capture_output=True, text=True, check=True, cwd=REPO,
        )
        figures = json.loads(out.stdout)
        figures["process_wall_s"] = time.perf_counter() - started
        runs.append(figures)
    best = min(runs, key=lambda r: r["process_wall_s"])
    warm = subprocess.run(
        [sys.executable, "-c", _WARM, str(SEED)], capture_output=True, text=True, check=True, cwd=REPO
    )
    best["warm_ms"] = float(warm.stdout)
    print(f"seed article, fresh process (best of 3; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores):")
    print(f"  process wall time      {best['process_wall_s']:.2f} s   (target <= 2 s)")
    print(f"  imports                {best['import_s']:.2f} s")
    print(f"  first analysis         {best['first_analysis_s']:.2f} s   (includes gazetteer load)")
    print(f"  warm analysis          {best['warm_ms']:.1f} ms")
    print(f"  peak RSS               {best['peak_rss_mb']:.0f} MB   (target < 400 MB)")
    print(f"  places / events        {best['places']} / {best['events']}")


_LONG_TEXT = r"""
import json, sys, time
from placeline.ingest import document_from_text
from placeline.pipeline import analyze
from placeline.settings import Settings
seed = open(sys.argv[1], encoding="utf-8").read()
analyze(document_from_text(seed))  # load the gazetteer first
for size in (50_000, 200_000, Settings().max_text_chars):
    text = (seed * (size // len(seed) + 1))[:size]
    started = time.perf_counter()
    analysis = analyze(document_from_text(text))
    print(json.dumps({"chars": size, "s": time.perf_counter() - started,
                      "places": len(analysis.places), "events": len(analysis.events)}))
"""


def long_texts() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _LONG_TEXT, str(SEED)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    print("long texts (the seed repeated; the last size is the accepted maximum):")
    for line in out.stdout.splitlines():
        figures = json.loads(line)
        print(f"  {figures['chars']:>9,} chars   {figures['s']:6.1f} s   "
              f"{figures['events']:>5} events")


if __name__ == "__main__":
    main()
    long_texts()
