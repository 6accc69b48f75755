"""The scorer: span matching, recognition counts and resolution errors.

Definitions follow ../shared/eval/geoparsing/README.md ("Metric definitions"): micro-averaged
P/R/F1 with one-to-one matching; Acc@161 km, mean error and AUC over matched pairs in
end-to-end mode, a matched find without coordinates counting as wrong at 20,039 km.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of an unresolved find
ACCURATE_KM = 161.0  # 100 miles
MATCH_MODES = ("overlap", "exact", "gritta")
GRITTA_MAX_MID_DISTANCE = 10.0


class SpanLike(Protocol):
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class PredictedSpan:
    """One find of a system. ``lat``/``lon`` are None when it was found but not resolved;
    ``country`` is the ISO code of a resolved country (kind "country"), else None."""

    start: int
    end: int
    surface: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def resolution_error_km(gold, pred: PredictedSpan) -> float:
    """Distance from the gold point; a gold country found as the same country is exact
    (a country's centroid says nothing about where in it the text means)."""
    if gold.kind == "country" and gold.country and pred.country == gold.country:
        return 0.0
    if pred.lat is None or pred.lon is None or gold.lat is None or gold.lon is None:
        return MAX_ERROR_KM
    return min(MAX_ERROR_KM, haversine_km(gold.lat, gold.lon, pred.lat, pred.lon))


def _pairs(gold: Sequence[SpanLike], pred: Sequence[SpanLike], mode: str):
    """Candidate (key, gold index, pred index) pairs; smaller key = better pair."""
    if mode == "overlap":
        for gi, g in enumerate(gold):
            for pi, p in enumerate(pred):
                overlap = min(g.end, p.end) - max(g.start, p.start)
                if overlap > 0:
                    yield (-overlap, gi, pi), gi, pi
    elif mode == "exact":
        for gi, g in enumerate(gold):
            for pi, p in enumerate(pred):
                if g.start == p.start and g.end == p.end:
                    yield (0, gi, pi), gi, pi
    elif mode == "gritta":
        for gi, g in enumerate(gold):
            g_mid = (g.start + g.end) / 2
            g_surface = g.surface.lower()
            for pi, p in enumerate(pred):
                distance = abs((p.start + p.end) / 2 - g_mid)
                if distance < GRITTA_MAX_MID_DISTANCE and p.surface.lower() == g_surface:
                    yield (distance, gi, pi), gi, pi
    else:
        raise ValueError(f"unknown match mode {mode!r}; use one of {MATCH_MODES}")


def match_spans(
    gold: Sequence[SpanLike], pred: Sequence[SpanLike], *, mode: str = "overlap"
) -> list[tuple[int, int]]:
    """One-to-one matching: each gold and each predicted span used once, best pairs first
    (largest overlap; for ``gritta`` the nearest midpoints). Returns (gold, pred) indices."""
    candidates = sorted(_pairs(gold, pred, mode))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matches.append((gi, pi))
    return sorted(matches)


NIL_RULES = ("wrong", "drop")


@dataclass
class PlaceTally:
    """Counts accumulated over documents (mutable while scoring, frozen by ``score``).

    ``nil``: a matched find without coordinates is "wrong" (20,039 km, our rule) or is
    left out of the error statistics ("drop", the rule behind the README's peer table).
    """

    mode: str = "overlap"
    nil: str = "wrong"
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[float] = field(default_factory=list)

    def add(self, gold: Sequence, pred: Sequence[PredictedSpan], *, resolve: bool = True) -> None:
        """Score one document. Gold spans marked ``optional`` are matched after the required
        ones; finds matched to them count neither as hits nor as false finds."""
        required = [g for g in gold if not getattr(g, "optional", False)]
        optional = [g for g in gold if getattr(g, "optional", False)]
        matches = match_spans(required, pred, mode=self.mode)
        matched_pred = {pi for _, pi in matches}
        rest = [i for i in range(len(pred)) if i not in matched_pred]
        absorbed = (
            match_spans(optional, [pred[i] for i in rest], mode=self.mode) if optional else []
        )
        self.tp += len(matches)
        self.fn += len(required) - len(matches)
        self.fp += len(rest) - len(absorbed)
        if not resolve:
            return
        for gi, pi in matches:
            found = pred[pi]
            if self.nil == "drop" and (found.lat is None or found.lon is None):
                continue
            self.errors.append(resolution_error_km(required[gi], found))

    def score(self, *, has_precision: bool = True) -> PlaceScore:
        return place_score(self.tp, self.fp, self.fn, self.errors, has_precision=has_precision)


@dataclass(frozen=True)
class PlaceScore:
    """Recognition and resolution figures of one system on one set.

    ``precision``/``f1`` are None where false finds cannot be counted (WikToR); resolution
    figures are None when there are no matched pairs with gold coordinates.
    """

    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float
    f1: float | None
    resolved_pairs: int
    acc161: float | None
    mean_error_km: float | None
    median_error_km: float | None
    auc: float | None


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def acc_at_161(errors: Sequence[float]) -> float | None:
    return sum(e < ACCURATE_KM for e in errors) / len(errors) if errors else None


def error_auc(errors: Sequence[float]) -> float | None:
    """Area under the curve of sorted ln(1+err)/ln(20039), trapezoids spaced 1/(n-1);
    0 is perfect, 1 is every find on the far side of the Earth."""
    if not errors:
        return None
    scale = math.log(MAX_ERROR_KM)
    ys = [min(1.0, math.log1p(e) / scale) for e in sorted(errors)]
    if len(ys) == 1:
        return ys[0]
    return (sum(ys) - (ys[0] + ys[-1]) / 2) / (len(ys) - 1)


def place_score(
    tp: int, fp: int, fn: int, errors: Sequence[float], *, has_precision: bool = True
) -> PlaceScore:
    recall = _ratio(tp, tp + fn)
    precision = _ratio(tp, tp + fp) if has_precision else None
    f1 = None
    if precision is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ordered = sorted(errors)
    median = None
    if ordered:
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return PlaceScore(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=precision,
        recall=recall,
        f1=f1,
        resolved_pairs=len(ordered),
        acc161=acc_at_161(ordered),
        mean_error_km=sum(ordered) / len(ordered) if ordered else None,
        median_error_km=median,
        auc=error_auc(ordered),
    )
