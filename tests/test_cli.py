"""The CLI is a public contract: exit codes, one-line errors, JSON that validates."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from placeline.serialize import load_schema
from tests.conftest import REPO, SEED_TEXT_PATH


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "placeline.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def seed_analysis() -> dict:
    result = run_cli("analyze", str(SEED_TEXT_PATH), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_analyze_seed_validates_against_schema(seed_analysis: dict) -> None:
    jsonschema.validate(seed_analysis, load_schema())
    assert seed_analysis["schema"] == "placeline.analysis/1"
    assert seed_analysis["id"] == "000_57bc9abe0d5d58cd"
    assert seed_analysis["document"]["lang"] == "de"


def test_analyze_seed_offsets_index_the_exact_input(seed_analysis: dict, seed_text: str) -> None:
    spans = [m for p in seed_analysis["places"] for m in p["mentions"]]
    spans += seed_analysis["dates"] + [e["quote"] for e in seed_analysis["events"] if e["quote"]]
    assert spans, "the seed article must yield places, dates or quotes"
    for span in spans:
        assert seed_text[span["start"] : span["end"]] == span["text"]


def test_analyze_seed_finds_the_story_places(seed_analysis: dict) -> None:
    names = {p["id"] for p in seed_analysis["places"]}
    # GeoNames ids of Aleppo, Hamburg, Idlib, Damascus, Moscow (gold.json referents).
    for geonameid in (170063, 2911298, 169389, 170654, 524901):
        assert f"geonames:{geonameid}" in names


def test_analyze_reads_stdin_and_honours_options() -> None:
    result = run_cli(
        "analyze", "-", "--lang", "en", "--published", "2020-05-04",
        stdin="The mayor of Paris spoke in Berlin on Monday.",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["document"]["lang"] == "en"
    assert data["document"]["published"] == "2020-05-04"
    assert data["document"]["published_source"] == "user"


def test_analyze_jsonl_keeps_input_order_and_ids(tmp_path) -> None:
    records = [
        {"id": "b", "text": "Die Kanzlerin reiste nach Paris.", "lang": "de"},
        {"id": "a", "text": "Flooding hit Texas last week.", "published": "2019-03-01"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = run_cli("analyze", "--jsonl", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["b", "a"]
    assert lines[1]["document"]["published"] == "2019-03-01"
    for line in lines:
        jsonschema.validate(line, load_schema())


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("analyze", "does-not-exist.txt"), None, "no such file"),
        (("analyze", "-"), "   \n", "empty"),
        (("analyze", "-", "--published", "08.12.2016"), "Text in Berlin.", "YYYY-MM-DD"),
        (("analyze",), None, "either PATH or --jsonl"),
        (("export", "x.txt", "--format", "pdf"), None, "invalid choice"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args, stdin, message) -> None:
    result = run_cli(*args, stdin=stdin)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_bad_jsonl_line_names_the_line(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "text": "Berlin."}\nnot json\n', encoding="utf-8")
    result = run_cli("analyze", "--jsonl", str(path))
    assert result.returncode != 0
    assert "line 2" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["geojson", "timelinejs", "storymap", "csv", "html"])
def test_export_writes_each_format(tmp_path, fmt: str) -> None:
    out = tmp_path / f"seed.{fmt}"
    result = run_cli("export", str(SEED_TEXT_PATH), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    body = out.read_text(encoding="utf-8")
    if fmt in ("geojson", "timelinejs", "storymap"):
        json.loads(body)
    assert "Aleppo" in body


def test_export_reads_analysis_json_back(tmp_path) -> None:
    analysis = tmp_path / "seed.json"
    result = run_cli("analyze", str(SEED_TEXT_PATH), "--include-text")
    assert result.returncode == 0, result.stderr
    analysis.write_text(result.stdout, encoding="utf-8")
    from_json = run_cli("export", str(analysis), "--format", "geojson")
    from_text = run_cli("export", str(SEED_TEXT_PATH), "--format", "geojson")
    assert from_json.returncode == 0, from_json.stderr
    assert json.loads(from_json.stdout) == json.loads(from_text.stdout)


def test_console_script_is_installed() -> None:
    from pathlib import Path

    script = Path(sys.executable).parent / "placeline"
    result = subprocess.run(
        [str(script), "analyze", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "--jsonl" in result.stdout


def test_project_corrections_apply_to_analyze_and_export(tmp_path, seed_text: str) -> None:
    from placeline.corrections import MovePlace, RemovePlace, document_hash, span_of
    from placeline.ingest import document_from_text
    from placeline.store import Store

    hamburg = seed_text.index("Hamburg")
    idlib = seed_text.index("Idlib")
    db = tmp_path / "projects.sqlite3"
    with Store.open(db) as store:
        store.create_project("newsroom")
        store.add_document("newsroom", document_from_text(seed_text))
        doc_hash = document_hash(seed_text)
        store.add_correction(
            RemovePlace(doc_hash=doc_hash, mention=span_of(seed_text, hamburg, hamburg + 7))
        )
        store.add_correction(
            MovePlace(doc_hash=doc_hash, mention=span_of(seed_text, idlib, idlib + 5),
                      lat=35.0, lon=36.0)
        )

    corrected = run_cli("analyze", str(SEED_TEXT_PATH), "--project", "newsroom", "--db", str(db))
    assert corrected.returncode == 0, corrected.stderr
    places = {p["name"]: p for p in json.loads(corrected.stdout)["places"]}
    assert "Hamburg" not in places
    assert (places["Idlib"]["lat"], places["Idlib"]["lon"]) == (35.0, 36.0)
    assert places["Idlib"]["edited"] is True

    exported = run_cli("export", str(SEED_TEXT_PATH), "--format", "geojson",
                       "--project", "newsroom", "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    names = {f["properties"]["name"] for f in json.loads(exported.stdout)["features"]}
    assert "Hamburg" not in names and "Idlib" in names

    missing = run_cli("analyze", str(SEED_TEXT_PATH), "--project", "nope", "--db", str(db))
    assert missing.returncode != 0 and "no project named 'nope'" in missing.stderr


def test_a_text_over_the_limit_gets_a_clear_message_not_a_long_wait(tmp_path) -> None:
    from placeline.settings import Settings

    limit = Settings().max_text_chars
    path = tmp_path / "huge.txt"
    path.write_text("Berlin liegt an der Spree. " * (limit // 27 + 10), encoding="utf-8")
    result = run_cli("analyze", str(path))
    assert result.returncode != 0
    assert "split it into several articles" in result.stderr and "Traceback" not in result.stderr
