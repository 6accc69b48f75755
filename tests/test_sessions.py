"""Issue 7, properties: sessions on one server never see each other's data.

Two AppTest sessions in one process share what a real server shares (``st.cache_data``,
``st.cache_resource``, the project database) while each works on its own project. The real
pipeline runs, and the two analyses are forced to overlap, so a result leaking through a
cache, a module global or the shared gazetteer would show up in the other session's tables.
"""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import streamlit as st
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from placeline import pipeline
from placeline.ingest import document_from_text
from placeline.store import Store

ARTICLES = {
    "aleppo": (
        "Kämpfe um Aleppo",
        (
            "Am 7. Dezember 2016 wurde in Aleppo weiter gekämpft. Ein Sprecher der Regierung "
            "sagte in Damaskus: „Wir verhandeln über eine Feuerpause.“"
        ),
    ),
    "hamburg": (
        "Streik in Hamburg",
        (
            "Am 3. März 2020 wurde in Hamburg weiter gestreikt. Ein Sprecher der Gewerkschaft "
            "sagte in Bremen: „Wir verhandeln über einen Tarifvertrag.“"
        ),
    ),
}
OWN_PLACE = {"aleppo": "Aleppo", "hamburg": "Hamburg"}
OTHER_PLACES = {
    "aleppo": {"Hamburg", "Bremen"},
    "hamburg": {"Aleppo", "Damaskus", "Damascus"},
}


@pytest.fixture(autouse=True)
def one_script_compile_at_a_time(monkeypatch):
    """Each AppTest has a runtime and a script cache of its own, so two sessions compile the
    app's scripts at the same moment, which a real server (one script cache, one lock) never
    does. CPython 3.11 before 3.11.9 is not thread-safe there (gh-106905: "AST constructor
    recursion depth mismatch"), which failed this module now and then under load. One lock
    for every compile; the analyses still overlap (the barrier below)."""
    compile_lock = threading.Lock()
    get_bytecode = ScriptCache.get_bytecode

    def locked(self, script_path):
        with compile_lock:
            return get_bytecode(self, script_path)

    monkeypatch.setattr(ScriptCache, "get_bytecode", locked)


@pytest.fixture
def two_projects(tmp_path, monkeypatch):
    """A database with one project per article; the pipeline waits until both sessions are
    inside it, so the two analyses run at the same time."""
    path = tmp_path / "sessions.db"
    monkeypatch.setenv("PLACELINE_DB", str(path))
    store = Store.open(path)
    for project, (title, text) in ARTICLES.items():
        store.create_project(project)
        store.add_document(project, document_from_text(text, title=title))
    store.close()

    both_inside = threading.Barrier(len(ARTICLES), timeout=60)
    real_analyze = pipeline.analyze

    first_time: set[str] = set()

    def analyze_together(document, **options):
        # Only an article's first analysis waits for the other one. A later call for the same
        # text (Streamlit's cache, created lazily by two threads at once, can lose one entry)
        # would otherwise wait 60 s for a partner that never comes.
        if document.text not in first_time:
            first_time.add(document.text)
            both_inside.wait()
        return real_analyze(document, **options)

    monkeypatch.setattr(pipeline, "analyze", analyze_together)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _session(project: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["project"] = project
    return at


def _run_at_once(sessions: dict[str, AppTest]) -> None:
    with ThreadPoolExecutor(len(sessions)) as pool:
        list(pool.map(lambda at: at.run(), sessions.values()))
    for name, at in sessions.items():
        assert not at.exception, (name, at.exception)


def _places(at: AppTest):
    return next(frame.value for frame in at.dataframe if "id" in frame.value.columns)


def _events(at: AppTest):
    return next(frame.value for frame in at.dataframe if "id" not in frame.value.columns)


def test_two_sessions_analysing_different_articles_at_once_see_only_their_own(two_projects):
    sessions = {project: _session(project) for project in ARTICLES}
    _run_at_once(sessions)

    for project, at in sessions.items():
        title, _text = ARTICLES[project]
        assert at.session_state["project"] == project
        assert at.title[0].value == title
        names = set(_places(at).iloc[:, 0])
        assert OWN_PLACE[project] in names, (project, names)
        assert not names & OTHER_PLACES[project], (project, names)
        articles = set(_events(at)["Artikel"])
        assert articles == {title}, (project, articles)

    # Both click their own place at the same moment: each selection stays in its session.
    for project, at in sessions.items():
        places = _places(at)
        place_id = places[places.iloc[:, 0] == OWN_PLACE[project]]["id"].iloc[0]
        at.session_state["explore_map"] = {
            "last_object_clicked_tooltip": f"{OWN_PLACE[project]} · 1× [{place_id}]",
            "last_object_clicked_count": 1,
        }
    _run_at_once(sessions)
    for project, at in sessions.items():
        selected = at.session_state["selected_place"]
        assert selected in set(_places(at)["id"])
        sentences = " ".join(m.value for m in at.markdown)
        assert OWN_PLACE[project] in sentences
        assert not any(other in sentences for other in OTHER_PLACES[project])


def _gazetteer_fingerprint(gazetteer) -> tuple:
    """Cheap but complete enough: any added, removed or edited entry or name changes it."""
    return (
        len(gazetteer.entries),
        hash(gazetteer.entries),
        hash(tuple(gazetteer.names.items())),
        hash(tuple(gazetteer.word_zipf.items())),
        gazetteer.source_key,
        gazetteer.english_only,
    )


def _finder_fingerprint(finder) -> dict:
    """Which objects the finder holds (identity), so a page swapping one out shows."""
    return {name: id(value) for name, value in sorted(vars(finder).items())}


def test_pages_never_mutate_what_cache_resource_returns(tmp_path, monkeypatch):
    import ui.common

    monkeypatch.setenv("PLACELINE_DB", str(tmp_path / "resources.db"))
    gazetteer = ui.common.gazetteer()
    finder = ui.common.place_finder(False)
    before = (_gazetteer_fingerprint(gazetteer), _finder_fingerprint(finder))
    if dataclasses.is_dataclass(gazetteer):
        assert gazetteer.__dataclass_params__.frozen

    at = AppTest.from_file("../app.py", default_timeout=120).run()
    places = _places(at)
    at.session_state["explore_map"] = {
        "last_object_clicked_tooltip": f"{places.iloc[0, 0]} · 1× [{places['id'].iloc[0]}]",
        "last_object_clicked_count": 1,
    }
    at.run()
    for page in ("text", "present", "export"):
        at.switch_page(f"pages/page_{page}.py").run()
        assert not at.exception, (page, at.exception)

    assert ui.common.gazetteer() is gazetteer
    assert ui.common.place_finder(False) is finder
    assert finder.gazetteer is gazetteer
    assert (_gazetteer_fingerprint(gazetteer), _finder_fingerprint(finder)) == before
