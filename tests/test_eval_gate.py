"""The accuracy gate (as trafilatura's tests/eval_gate.py): the scores stored in
data/eval_baseline.json may only fall when a commit lowers the baseline on purpose and says
why (`placeline evaluate --update-baseline`). Skipped when ../shared is absent."""

from __future__ import annotations

import pytest

from placeline.evaluation import find_shared_dir, read_baseline, regressions, run_evaluation

pytestmark = [
    pytest.mark.eval,
    pytest.mark.skipif(find_shared_dir() is None, reason="../shared evaluation data absent"),
]


def test_scores_do_not_fall_below_the_baseline():
    baseline = read_baseline()
    assert baseline is not None, (
        "data/eval_baseline.json is missing: run placeline evaluate --update-baseline"
    )
    config = baseline.config
    report = run_evaluation(
        sets=config.sets,
        split=config.split,
        strides=config.strides,
        seed_date_modes=config.seed_date_modes,
        with_peers=False,
    )
    failures = regressions(report.metrics(), baseline)
    assert not failures, "accuracy fell below data/eval_baseline.json:\n" + "\n".join(failures)
