"""Shared fixtures. The gold data lives outside the repo in ../shared; tests that need it skip
cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from placeline.evaluation.data import find_shared_dir

REPO = Path(__file__).resolve().parents[1]
SEED_TEXT_PATH = REPO / "data" / "samples" / "000_57bc9abe0d5d58cd.txt"
# The gold annotation of the seed (../shared/seed or PLACELINE_SHARED); tests skip when absent.
SEED_DIR = (find_shared_dir() or REPO / "shared-is-absent") / "seed"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT_PATH.read_text(encoding="utf-8")
