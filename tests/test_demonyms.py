"""Nationality words ("Russian officials") as mentions of their country: on by default, off
by option in the finder, the settings, the CLI, the app and the evaluation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from placeline import pipeline
from placeline.evaluation import run_evaluation
from placeline.evaluation.cli import main as evaluate_main
from placeline.ingest import document_from_text
from placeline.model import Analysis
from placeline.places import PlaceFinder, find_places
from placeline.settings import Settings
from tests.test_cli import run_cli

TEXT = "Russian officials met in Berlin. Russia denied it, said a Canadian diplomat."


@pytest.fixture(scope="module")
def finders() -> tuple[PlaceFinder, PlaceFinder]:
    counting = PlaceFinder()
    literal = PlaceFinder(gazetteer=counting.gazetteer, demonyms=False)
    return counting, literal


def _surfaces(finder: PlaceFinder, text: str, lang: str = "en") -> list[str]:
    result = find_places(document_from_text(text, lang=lang), finder=finder)
    return sorted(m.text for p in result.places for m in p.mentions)


def test_demonyms_count_by_default_and_can_be_left_out(finders):
    counting, literal = finders
    assert counting.demonyms is True
    found = _surfaces(counting, TEXT)
    assert {"Russian", "Canadian", "Russia", "Berlin"} <= set(found)
    without = _surfaces(literal, TEXT)
    assert "Russian" not in without and "Canadian" not in without
    assert {"Russia", "Berlin"} <= set(without)


def test_leaving_out_demonyms_does_not_touch_german_place_names(finders):
    counting, literal = finders
    text = "In Moskau und Hamburg sprachen Vertreter Russlands."
    assert _surfaces(literal, text, "de") == _surfaces(counting, text, "de")


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("off", False), ("1", True)])
def test_setting_comes_from_the_environment(value, expected):
    assert Settings.from_env({"PLACELINE_DEMONYMS": value}).demonyms is expected
    assert Settings.from_env({}).demonyms is True


def test_cli_no_demonyms_leaves_nationality_words_out():
    def places(*options: str) -> set[str]:
        result = run_cli("analyze", "-", "--lang", "en", *options, stdin=TEXT)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        return {m["text"] for p in data["places"] for m in p["mentions"]}

    assert "Russian" in places()
    without = places("--no-demonyms")
    assert "Russian" not in without and "Russia" in without


def test_app_toggle_reaches_the_place_finder(monkeypatch, tmp_path):
    monkeypatch.setenv("PLACELINE_DB", str(tmp_path / "placeline.db"))
    seen: list[bool] = []

    def analyze(document, *, place_finder=None):
        seen.append(place_finder.demonyms)
        return Analysis(document=document)

    monkeypatch.setattr(pipeline, "analyze", analyze)
    st.cache_data.clear()
    try:
        at = AppTest.from_file("../app.py", default_timeout=60).run()
        assert not at.exception
        assert seen and seen[-1] is True
        at.toggle(key="demonyms").set_value(False).run()
        assert not at.exception
        assert seen[-1] is False
    finally:
        st.cache_data.clear()


def _write_geoparsing_set(root: Path, name: str) -> None:
    text = "Canadian farmers in Canada."
    records = [
        {
            "id": f"{name}-{n}",
            "text": text,
            "toponyms": [{"start": 20, "end": 26, "surface": "Canada", "lat": 60.0, "lon": -95.0}],
        }
        for n in range(3)
    ]
    path = root / "eval" / "geoparsing" / f"{name}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_evaluation_follows_each_sets_annotation_scheme(tmp_path):
    # Same texts, same gold: "Canadian" is a false find where the scheme has no demonyms
    # (GeoVirus) only when placeline counts them; by scheme it is left out there.
    for name in ("geovirus", "lgl"):
        _write_geoparsing_set(tmp_path, name)
    by_scheme = run_evaluation(sets=("geovirus", "lgl"), shared_dir=tmp_path, with_peers=False)
    scores = {r.name: (r.demonyms, r.placeline.score) for r in by_scheme.sets}
    assert scores["geovirus"][0] is False and scores["geovirus"][1].precision == 1.0
    assert scores["lgl"][0] is True and scores["lgl"][1].precision == 0.5
    always = run_evaluation(
        sets=("geovirus",), shared_dir=tmp_path, with_peers=False, demonyms="on"
    )
    assert always.sets[0].placeline.score.precision == 0.5
    out = io.StringIO()
    assert evaluate_main(["--sets", "geovirus", "--no-peers", "--shared-dir", str(tmp_path)],
                         out=out) == 0
    assert "geovirus*" in out.getvalue() and "--no-demonyms" in out.getvalue()
    with pytest.raises(ValueError, match="demonym mode"):
        run_evaluation(sets=("lgl",), shared_dir=tmp_path, demonyms="sometimes")


def test_region_adjectives_are_demonyms_too(finders):
    counting, literal = finders
    text = "Latin American leaders met in Lima. Central American migrants reached Mexico."
    found = _surfaces(counting, text)
    assert "Latin American" in found and "Central American" in found
    without = _surfaces(literal, text)
    assert "Latin American" not in without and "Central American" not in without
    assert {"Lima", "Mexico"} <= set(without)


def test_the_default_finder_follows_the_environment(monkeypatch):
    """The pipeline without an explicit finder (scripts, the CLI's default) and the CLI agree
    with PLACELINE_DEMONYMS; a fresh process, since the default finder is made once."""
    import subprocess
    import sys

    from tests.conftest import REPO

    script = (
        "import sys; from placeline.ingest import document_from_text; "
        "from placeline.pipeline import analyze; "
        "a = analyze(document_from_text(sys.stdin.read(), lang='en')); "
        "print(sorted(m.text for p in a.places for m in p.mentions))"
    )
    monkeypatch.setenv("PLACELINE_DEMONYMS", "0")
    found = subprocess.run([sys.executable, "-c", script], input=TEXT, capture_output=True,
                           text=True, cwd=REPO, timeout=120, check=True).stdout
    assert "'Russia'" in found and "'Russian'" not in found
    result = run_cli("analyze", "-", "--lang", "en", stdin=TEXT)
    data = json.loads(result.stdout)
    assert "Russian" not in {m["text"] for p in data["places"] for m in p["mentions"]}
