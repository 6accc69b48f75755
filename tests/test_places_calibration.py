"""The confidence calibration: isotonic fit, interpolation, the stored map."""

from __future__ import annotations

import pytest

from placeline.places.calibration import (
    ConfidenceCalibration,
    expected_calibration_error,
    fit_isotonic,
    load_calibration,
)


def test_isotonic_fit_is_monotone_and_pools_violators():
    pairs = [(0.1, False), (0.2, True), (0.3, False), (0.8, True), (0.9, True), (0.95, False)]
    calibration = fit_isotonic(pairs)
    assert list(calibration.calibrated) == sorted(calibration.calibrated)
    assert calibration.raw[0] == 0.1 and calibration.calibrated[0] == 0.01
    # 0.2 (right) and 0.3 (wrong) pool into one block of accuracy 1/2.
    assert 0.5 in calibration.calibrated


def test_apply_interpolates_and_clamps():
    calibration = ConfidenceCalibration(raw=(0.2, 0.6), calibrated=(0.1, 0.5))
    assert calibration.apply(0.0) == 0.1
    assert calibration.apply(0.4) == pytest.approx(0.3)
    assert calibration.apply(1.0) == 0.5


def test_expected_calibration_error():
    assert expected_calibration_error([(0.9, True), (0.9, False)]) == pytest.approx(0.4)
    assert expected_calibration_error([(0.55, True), (0.55, False)]) == pytest.approx(0.05)


def test_stored_map_is_monotone_and_within_bounds():
    calibration = load_calibration()
    assert calibration is not None
    assert list(calibration.raw) == sorted(calibration.raw)
    assert list(calibration.calibrated) == sorted(calibration.calibrated)
    assert all(0.0 < y < 1.0 for y in calibration.calibrated)
