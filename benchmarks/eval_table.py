"""Print the evaluation table: placeline and the nine peers, per set, on one split.

Usage: python benchmarks/eval_table.py [--split test] [--sets all] [--limit N] [--json]
(the same options as `placeline evaluate`).
"""

from __future__ import annotations

import sys

from placeline.evaluation import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
