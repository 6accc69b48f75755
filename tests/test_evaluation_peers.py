"""The scorer reproduces the recomputed peer table of ../shared/eval/geoparsing/README.md
(F1 gritta / F1 overlap / Acc@161 / AUC; gold = toponyms with coordinates; resolution over
Gritta-matched pairs with NIL answers dropped, as that table was computed)."""

from __future__ import annotations

import pytest

from placeline.evaluation import (
    PlaceTally,
    PredictedSpan,
    find_shared_dir,
    load_peer_outputs,
    load_set,
)

pytestmark = [
    pytest.mark.eval,
    pytest.mark.skipif(find_shared_dir() is None, reason="../shared evaluation data absent"),
]

README_TABLE = [
    ("lgl", "CamCoder", (0.65, 0.67, 0.72, 0.25)),
    ("lgl", "Edinburgh", (0.61, 0.67, 0.82, 0.17)),
    ("geowebnews", "Edinburgh", (0.64, 0.67, 0.91, 0.08)),
    ("trnews", "TopoCluster", (0.79, 0.82, 0.62, 0.39)),
    ("geovirus", "StanfordNER", (0.92, 0.93, 0.66, 0.38)),
]


@pytest.mark.parametrize(("name", "system", "expected"), README_TABLE)
def test_scorer_reproduces_readme_peer_table(name, system, expected):
    gold_set = load_set(name, split="all")
    outputs = load_peer_outputs(name)[system]
    gritta = PlaceTally(mode="gritta", nil="drop")
    overlap = PlaceTally(mode="overlap")
    for doc in gold_set.documents:
        gold = doc.scored_spans(located_only=True)
        pred = [
            PredictedSpan(p.start, p.end, p.surface, p.lat, p.lon) for p in outputs.get(doc.id, ())
        ]
        gritta.add(gold, pred)
        overlap.add(gold, pred, resolve=False)
    by_gritta, by_overlap = gritta.score(), overlap.score()
    got = (by_gritta.f1, by_overlap.f1, by_gritta.acc161, by_gritta.auc)
    assert [round(value, 2) for value in got] == list(expected), got
