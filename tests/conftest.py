"""Shared fixtures. The gold data lives outside the repo in ../shared; tests that need it skip
cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_TEXT_PATH = REPO / "data" / "samples" / "000_57bc9abe0d5d58cd.txt"


def shared_dir() -> Path | None:
    candidates = [os.environ.get("PLACELINE_SHARED"), REPO.parent / "shared"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    import json

    shared = shared_dir()
    if shared is None or not (shared / "seed" / "gold.json").exists():
        pytest.skip("../shared/seed/gold.json is not here")
    return json.loads((shared / "seed" / "gold.json").read_text(encoding="utf-8"))
