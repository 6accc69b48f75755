"""The SQLite store on real files: round trip, re-analysis with corrections, edited texts,
concurrent writers, a killed writer, corrupt and newer-schema files, export and import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from placeline.corrections import (
    AddEvent,
    AddPlace,
    ChooseCandidate,
    Correction,
    EventRef,
    HideEvent,
    MovePlace,
    PlaceRef,
    apply_corrections,
    document_hash,
)
from placeline.errors import StoreError
from placeline.ingest.text import document_from_text
from placeline.model import Analysis, Candidate, Event, Mention, Place, Span
from placeline.pipeline import analyze
from placeline.settings import Settings
from placeline.store import MIGRATIONS, SCHEMA_VERSION, Store

REPO = Path(__file__).resolve().parents[1]
TEXT = (
    "Am Donnerstag trafen sich Lawrow und Kerry in Hamburg. "
    "In Aleppo wird weiter gekämpft, sagte Kerry in Hamburg.\n"
)
HAMBURG = Candidate("geonames:2911298", "Hamburg", "DE", 53.55, 10.0, "city")
ALEPPO = Candidate("geonames:170063", "Aleppo", "SY", 36.2, 37.16, "city")


def at(text: str, word: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Span(start, start + len(word), word)


def hand_built(text: str = TEXT) -> Analysis:
    """An analysis as the stages might give it: Hamburg resolved wrongly, one event."""
    wrong = Place(
        "geonames:0",
        "Hamburg",
        "US",
        42.7,
        -78.8,
        "city",
        0.3,
        tuple(
            Mention(s.start, s.end, s.text) for s in (at(text, "Hamburg"), at(text, "Hamburg", 1))
        ),
    )
    first = text.index(".") + 1
    event = Event("e1", "event", "Treffen", Span(0, first, text[:first]), places=(wrong.id,))
    return Analysis(document=document_from_text(text, lang="de"), places=(wrong,), events=(event,))


def corrections_for(text: str = TEXT) -> list[Correction]:
    doc_hash = document_hash(text)
    first = text.index(".") + 1
    return [
        ChooseCandidate(
            doc_hash=doc_hash, mention=at(text, "Hamburg"), candidate=HAMBURG, all_mentions=True
        ),
        AddPlace(doc_hash=doc_hash, mention=at(text, "Aleppo"), candidate=ALEPPO),
        MovePlace(doc_hash=doc_hash, mention=at(text, "Aleppo"), lat=36.21, lon=37.17),
        AddEvent(
            doc_hash=doc_hash,
            evidence=at(text, "In Aleppo wird weiter gekämpft"),
            date="2016-12-08",
            places=(PlaceRef(at(text, "Aleppo"), ALEPPO.id),),
        ),
        HideEvent(doc_hash=doc_hash, event=EventRef("event", Span(0, first, text[:first]))),
    ]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "projects.sqlite3"


def seeded(db: Path) -> tuple[Store, list[Correction]]:
    store = Store.open(db)
    store.create_project("Aleppo")
    store.add_document("Aleppo", document_from_text(TEXT, lang="de", title="Gespräche"))
    corrections = [store.add_correction(c) for c in corrections_for()]
    return store, corrections


def test_round_trip_on_disk(db):
    store, corrections = seeded(db)
    store.undo_correction(corrections[2].id)
    store.close()
    with Store.open(db) as again:
        assert [p.name for p in again.list_projects()] == ["Aleppo"]
        (stored,) = again.documents("Aleppo")
        assert stored.document == document_from_text(TEXT, lang="de", title="Gespräche")
        assert stored.sha256 == document_hash(TEXT)
        active = again.corrections(document_hash(TEXT))
        assert [c.id for c in active] == [c.id for c in corrections if c is not corrections[2]]
        assert active == [c for c in corrections if c is not corrections[2]]
        every = again.corrections(document_hash(TEXT), include_undone=True)
        assert len(every) == 5 and every[2].undone_at is not None
        assert replace(every[2], undone_at=None) == corrections[2]
        again.redo_correction(corrections[2].id)
        assert len(again.corrections(document_hash(TEXT))) == 5
        assert again.schema_version == SCHEMA_VERSION
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_projects_and_documents(db):
    with Store.open(db) as store:
        store.create_project("B")
        store.create_project("A")
        with pytest.raises(StoreError, match="already exists"):
            store.create_project("A")
        doc = document_from_text(TEXT, lang="de")
        store.add_document("A", doc)
        store.add_document("A", doc)  # the same text again is a no-op
        with pytest.raises(StoreError, match="another text"):
            store.add_document("A", replace(doc, text=TEXT + "x"))
        assert [p.name for p in store.list_projects()] == ["A", "B"]
        assert store.documents("B") == []
        store.remove_document("A", doc.id)
        assert store.documents("A") == []
        with pytest.raises(StoreError, match="no project"):
            store.documents("C")


def test_default_path_comes_from_settings(tmp_path):
    with Store.open(settings=Settings(cache_dir=tmp_path / "cache")) as store:
        store.create_project("x")
    assert (tmp_path / "cache" / "placeline.sqlite3").exists()


def test_reanalysis_reapplies_corrections(db):
    store, _ = seeded(db)
    (stored,) = store.documents("Aleppo")
    found = store.corrections_for_document("Aleppo", stored.document.id)
    for analysis in (hand_built(stored.document.text), analyze(stored.document)):
        result = apply_corrections(analysis, found)
        if any(e.hidden for e in result.analysis.events):
            assert result.problems == ()
        else:  # the timeline stage found no such event to hide: reported, not dropped
            assert [p.correction.kind for p in result.problems] == ["hide_event"]
            assert "no longer on the timeline" in result.analysis.notices[-1]
        places = {m.text: p for p in result.analysis.places for m in p.mentions}
        assert places["Hamburg"].id == HAMBURG.id and places["Hamburg"].edited
        assert (places["Aleppo"].lat, places["Aleppo"].lon) == (36.21, 37.17)
        added = [e for e in result.analysis.events if e.date and e.date.rule == "correction"]
        assert len(added) == 1 and added[0].places == (ALEPPO.id,)
    store.close()


def test_edited_text_keeps_its_corrections(db):
    store, corrections = seeded(db)
    (stored,) = store.documents("Aleppo")
    edited = "Update: " + TEXT.replace("In Aleppo", "Im Osten von Aleppo")
    store.update_document("Aleppo", replace(stored.document, text=edited))
    store.close()
    with Store.open(db) as again:
        found = again.corrections_for_document("Aleppo", stored.document.id)
        assert [c.id for c in found] == [c.id for c in corrections]
        assert again.corrections(document_hash(edited)) == []
        result = apply_corrections(hand_built(edited), found)
    # Hamburg and the Aleppo mention moved and are found again; the added event's evidence
    # ("In Aleppo wird ...") was rewritten, so it is reported, not dropped.
    assert {p.correction.kind for p in result.problems} == {"add_event"}
    assert "no longer in the text" in result.problems[0].message
    assert {c.kind for c in corrections if c.id in result.relocated} >= {
        "choose_candidate",
        "add_place",
        "move_place",
    }
    aleppo = next(p for p in result.analysis.places if p.id == ALEPPO.id)
    assert edited[aleppo.mentions[0].start : aleppo.mentions[0].end] == "Aleppo"


def _add_many(path: Path, prefix: str, count: int) -> None:
    with Store.open(path) as store:
        for n in range(count):
            store.add_correction(
                MovePlace(doc_hash="h", id=f"{prefix}{n}", mention=Span(0, 1, "A"), lat=n, lon=0)
            )


def test_two_sessions_writing_at_once_lose_nothing(db):
    Store.open(db).close()
    threads = [threading.Thread(target=_add_many, args=(db, p, 40)) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Store.open(db) as store:
        assert len(store.corrections("h")) == 80


WRITER = """
import sys
from placeline.corrections import MovePlace
from placeline.model import Span
from placeline.store import Store
path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store.open(path)
for n in range(count):
    store.add_correction(MovePlace(doc_hash="h", id=f"{prefix}{n}", mention=Span(0, 1, "A"),
                                   lat=n, lon=0))
print("committed", flush=True)
if prefix == "killed":
    # Begin a write and never finish it: the parent kills this process mid-transaction.
    store._conn.execute("BEGIN IMMEDIATE")
    store._conn.execute(
        "INSERT INTO corrections (id, doc_hash, kind, created_at, payload) "
        "VALUES ('in-flight', 'h', 'move_place', '2020-01-01', '{}')"
    )
    print("in flight", flush=True)
    sys.stdin.read()
"""


def _writer(db: Path, prefix: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), prefix, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def test_two_processes_writing_at_once_lose_nothing(db):
    Store.open(db).close()
    writers = [_writer(db, prefix, 30) for prefix in ("p", "q")]
    for writer in writers:
        assert writer.communicate(timeout=60)[0].strip() == "committed"
        assert writer.returncode == 0
    with Store.open(db) as store:
        assert len(store.corrections("h")) == 60


def test_writer_killed_mid_transaction_loses_only_the_edit_in_flight(db):
    Store.open(db).close()
    writer = _writer(db, "killed", 20)
    assert writer.stdout.readline().strip() == "committed"
    assert writer.stdout.readline().strip() == "in flight"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    with Store.open(db, busy_timeout=2) as store:
        found = store.corrections("h")
        assert sorted(c.id for c in found) == sorted(f"killed{n}" for n in range(20))
        store.add_correction(MovePlace(doc_hash="h", mention=Span(0, 1, "A"), lat=0, lon=0))
        assert len(store.corrections("h")) == 21


@pytest.mark.parametrize(
    "content",
    [b"this is a CSV file, not a database\n" * 40, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "bad-header"],
)
def test_corrupt_file_is_refused_and_left_alone(db, content):
    db.write_bytes(content)
    with pytest.raises(StoreError, match="is not a placeline database"):
        Store.open(db)
    assert db.read_bytes() == content


def test_damaged_page_is_refused_and_left_alone(db):
    store, _ = seeded(db)
    store.close()
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page : 2 * page] = b"\xa5" * page
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|not a placeline database"):
        Store.open(db)
    assert db.read_bytes() == bytes(data)


def test_foreign_sqlite_file_is_refused(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="is not a placeline database"):
        Store.open(db)
    assert db.read_bytes() == before


def test_newer_schema_is_refused_and_left_byte_identical(db):
    seeded(db)[0].close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer placeline"):
        Store.open(db)
    assert db.read_bytes() == before


def test_older_schema_is_migrated(db):
    conn = sqlite3.connect(db, isolation_level=None)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA application_id = 1347176782")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO projects (name, created) VALUES ('old', '2024-01-01T00:00:00+00:00')")
    conn.close()
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [p.name for p in store.list_projects()] == ["old"]


def test_export_then_import_into_an_empty_database(tmp_path, db):
    store, corrections = seeded(db)
    store.undo_correction(corrections[4].id)
    (stored,) = store.documents("Aleppo")
    store.update_document("Aleppo", replace(stored.document, text="Neu: " + TEXT))
    exported = json.loads(json.dumps(store.export_project("Aleppo")))
    assert exported["format"] == "placeline.project" and exported["version"] == 1

    with Store.open(tmp_path / "colleague.sqlite3") as other:
        other.import_project(exported)
        assert other.documents("Aleppo") == store.documents("Aleppo")
        doc_id = stored.document.id
        theirs = other.corrections_for_document("Aleppo", doc_id, include_undone=True)
        assert theirs == store.corrections_for_document("Aleppo", doc_id, include_undone=True)
        (document,) = [d.document for d in other.documents("Aleppo")]
        for analysis in (hand_built(document.text), analyze(document)):
            ours = apply_corrections(analysis, store.corrections_for_document("Aleppo", doc_id))
            mine = apply_corrections(analysis, other.corrections_for_document("Aleppo", doc_id))
            assert mine == ours
        with pytest.raises(StoreError, match="already exists"):
            other.import_project(exported)
        other.import_project(exported, name="Kopie")
        assert len(other.documents("Kopie")) == 1
    store.close()


def test_damaged_export_is_refused_without_a_trace(tmp_path, db):
    store, _ = seeded(db)
    exported = store.export_project("Aleppo")
    store.close()
    tampered = json.loads(json.dumps(exported))
    tampered["documents"][0]["text"] += "!"
    with Store.open(tmp_path / "other.sqlite3") as other:
        with pytest.raises(StoreError, match="does not match its sha256"):
            other.import_project(tampered)
        with pytest.raises(StoreError, match="not a placeline project"):
            other.import_project({"format": "something else"})
        with pytest.raises(StoreError, match="version"):
            other.import_project({**exported, "version": 99})
        assert other.list_projects() == []
