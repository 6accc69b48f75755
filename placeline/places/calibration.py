"""Calibrated place confidence: the resolver's raw score mapped to the observed share of
mentions that are a place and resolved within 161 km, on the dev splits.

The map is an isotonic (monotone, pool-adjacent-violators) fit stored as breakpoints in
``data/gazetteer/confidence_calibration.json``; between breakpoints it interpolates linearly.
Rebuild it with ``python -m placeline.places.calibration`` (needs ../shared/eval); the
command prints the expected calibration error before and after, on dev and on test.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_PATH = (
    Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "confidence_calibration.json"
)
CALIBRATION_SETS = ("lgl", "geowebnews", "trnews", "geovirus")
ACCURATE_KM = 161.0


@dataclass(frozen=True)
class ConfidenceCalibration:
    """Monotone map from raw resolver score to probability of a correct marker."""

    raw: tuple[float, ...]
    calibrated: tuple[float, ...]

    def apply(self, score: float) -> float:
        if not self.raw:
            return score
        if score <= self.raw[0]:
            return self.calibrated[0]
        if score >= self.raw[-1]:
            return self.calibrated[-1]
        i = bisect.bisect_right(self.raw, score)
        x0, x1 = self.raw[i - 1], self.raw[i]
        y0, y1 = self.calibrated[i - 1], self.calibrated[i]
        return y0 + (y1 - y0) * (score - x0) / (x1 - x0) if x1 > x0 else y1


def load_calibration(path: Path = CALIBRATION_PATH) -> ConfidenceCalibration | None:
    """The stored map, or None (raw scores are then used) when the file is absent."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return ConfidenceCalibration(tuple(data["raw"]), tuple(data["calibrated"]))


def fit_isotonic(pairs: Iterable[tuple[float, bool]]) -> ConfidenceCalibration:
    """Pool adjacent violators over (raw score, correct) pairs sorted by score; each pooled
    block becomes one breakpoint at its mean score."""
    blocks: list[list[float]] = []  # [score sum, correct sum, count]
    for score, correct in sorted(pairs):
        blocks.append([score, float(correct), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            for k in range(3):
                blocks[-1][k] += last[k]
    return ConfidenceCalibration(
        tuple(round(b[0] / b[2], 4) for b in blocks),
        # A dev share of 0 or 1 is a small sample, not certainty.
        tuple(round(min(0.99, max(0.01, b[1] / b[2])), 4) for b in blocks),
    )


def expected_calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Mean |confidence - accuracy| over equal-width confidence bins, weighted by bin size."""
    if not pairs:
        return 0.0
    totals = [[0.0, 0.0, 0] for _ in range(bins)]
    for confidence, correct in pairs:
        b = min(bins - 1, int(confidence * bins))
        totals[b][0] += confidence
        totals[b][1] += float(correct)
        totals[b][2] += 1
    return sum(abs(c - k) for c, k, n in totals if n) / len(pairs)


def scored_mentions(split: str, *, calibrated: bool) -> list[tuple[float, bool]]:
    """(confidence, correct) for every find on the English geoparsing sets of ``split``: a
    find is correct when it matches a located gold toponym and lies within 161 km of it."""
    from placeline.evaluation.data import load_set
    from placeline.evaluation.scoring import PredictedSpan, match_spans, resolution_error_km
    from placeline.model import Document
    from placeline.places import PlaceFinder, find_places

    finder = PlaceFinder(raw_confidence=not calibrated)
    pairs: list[tuple[float, bool]] = []
    for name in CALIBRATION_SETS:
        gold_set = load_set(name, split=split)
        if gold_set is None:
            continue
        for doc in gold_set.documents:
            gold = doc.scored_spans(located_only=True)
            result = find_places(Document(id=doc.id, text=doc.text, lang=doc.lang), finder=finder)
            finds = [(place, m) for place in result.places for m in place.mentions]
            pred = [
                PredictedSpan(m.start, m.end, m.text, p.lat, p.lon,
                              p.country if p.kind == "country" else None)
                for p, m in finds
            ]
            matched = {pi: gi for gi, pi in match_spans(gold, pred)}
            for pi, (place, _) in enumerate(finds):
                correct = pi in matched and resolution_error_km(
                    gold[matched[pi]], pred[pi]) < ACCURATE_KM
                pairs.append((place.confidence, correct))
    return pairs


def main() -> None:
    dev_raw = scored_mentions("dev", calibrated=False)
    if not dev_raw:
        print("../shared/eval is absent: nothing to calibrate on")
        return
    calibration = fit_isotonic(dev_raw)
    CALIBRATION_PATH.write_text(
        json.dumps({"fitted_on": f"dev splits of {', '.join(CALIBRATION_SETS)}",
                    "target": "find matches a gold toponym and lies within 161 km",
                    "raw": calibration.raw, "calibrated": calibration.calibrated}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    for split in ("dev", "test"):
        raw = dev_raw if split == "dev" else scored_mentions(split, calibrated=False)
        after = [(calibration.apply(score), correct) for score, correct in raw]
        print(f"{split}: {len(raw)} finds, ECE raw {expected_calibration_error(raw):.3f} -> "
              f"calibrated {expected_calibration_error(after):.3f}")


if __name__ == "__main__":
    main()
