"""Issue 6 in the app: corrections made in the UI are saved at once, change every view, can be
undone, are seen by the next session on the same database, travel in a project export, and a
database that cannot be opened is left untouched.

Real SQLite files in tmp_path; the pipeline is the hand-made analysis of test_app.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from geopy.location import Location
from geopy.point import Point
from streamlit.testing.v1 import AppTest

from placeline.corrections import MovePlace
from placeline.errors import InputError
from placeline.model import Span
from placeline.project import (
    candidates_from_locations,
    date_granularity,
    describe_correction,
    sentence_bounds,
    span_in_sentence,
)
from placeline.store import Store
from tests.test_app import fake_pipeline, project_db  # noqa: F401  (fixtures)

CORRECTIONS = "pages/page_corrections.py"
EXPLORE = "pages/page_explore.py"


def _app() -> AppTest:
    return AppTest.from_file("../app.py", default_timeout=60)


def _explore(at: AppTest):
    """(events table, places table) of the Explore page."""
    at.switch_page(EXPLORE).run()
    assert not at.exception, at.exception
    return at.dataframe[0].value, at.dataframe[1].value


def _stored_corrections(db_path, *, include_undone: bool = True):
    with Store.open(db_path) as store:
        (stored,) = store.documents("placeline")
        return store.corrections_for_document(
            "placeline", stored.document.id, include_undone=include_undone
        )


def _submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def test_hiding_an_event_is_saved_changes_the_timeline_and_undo_restores_it(
    fake_pipeline, project_db  # noqa: F811
):
    at = _app().run()
    events, _ = _explore(at)
    assert len(events) == 3
    at.switch_page(CORRECTIONS).run()
    at.selectbox(key="corr_event").set_value("e3").run()
    at.button(key="hide_event").click().run()
    assert not at.exception and not at.error

    (saved,) = _stored_corrections(project_db)
    assert saved.kind == "hide_event" and saved.undone_at is None
    assert any("Gespeichert" in s.value for s in at.success)
    events, _ = _explore(at)
    assert len(events) == 2
    assert not any("Feuerpause" in summary for summary in events.iloc[:, 3])

    at.switch_page(CORRECTIONS).run()
    at.button(key=f"undo_{saved.id}").click().run()
    assert not at.exception
    (undone,) = _stored_corrections(project_db)
    assert undone.undone_at is not None
    assert _stored_corrections(project_db, include_undone=False) == []
    events, _ = _explore(at)
    assert len(events) == 3
    at.switch_page(CORRECTIONS).run()
    at.button(key=f"redo_{saved.id}").click().run()
    assert len(_explore(at)[0]) == 2


def test_a_removed_place_stays_removed_for_the_next_session(
    fake_pipeline, project_db  # noqa: F811
):
    at = _app().run()
    at.switch_page(CORRECTIONS).run()
    at.selectbox(key="corr_place").set_value("geonames:2911298").run()
    at.radio(key="corr_scope").set_value(True).run()
    at.button(key="remove_place").click().run()
    assert not at.exception and not at.error
    assert [c.kind for c in _stored_corrections(project_db)] == ["remove_place"]

    tomorrow = _app().run()  # a colleague, or the same journalist tomorrow
    _, places = _explore(tomorrow)
    assert "geonames:2911298" not in set(places["id"])
    assert {"geonames:170063", "geonames:524901"} <= set(places["id"])
    tomorrow.switch_page(CORRECTIONS).run()
    history = " ".join(m.value for m in tomorrow.markdown)
    assert "Hamburg" in history and "entfernt" in history


def test_fixing_a_date_and_moving_a_place_are_marked_as_edited(
    fake_pipeline, project_db  # noqa: F811
):
    at = _app().run()
    at.switch_page(CORRECTIONS).run()
    at.selectbox(key="corr_event").set_value("e3").run()
    at.text_input(key="fix_date_e3").input("2016-12-09")
    _submit(at, "Korrektur speichern")
    at.selectbox(key="corr_place").set_value("geonames:524901").run()
    at.number_input(key="corr_lat_geonames:524901").set_value(55.0)
    at.number_input(key="corr_lon_geonames:524901").set_value(38.0)
    at.button(key="move_place").click().run()
    assert not at.exception and not at.error
    kinds = [c.kind for c in _stored_corrections(project_db)]
    assert kinds == ["fix_event", "move_place"]

    events, places = _explore(at)
    fixed = events[events.iloc[:, 3].str.contains("Feuerpause")].iloc[0]
    assert fixed.iloc[0] == "2016-12-09" and fixed.iloc[5] == "✎"
    moscow = places[places["id"] == "geonames:524901"].iloc[0]
    assert moscow.iloc[-1] == "✎"
    assert (places[places["id"] == "geonames:170063"].iloc[:, -1] == "").all()


def test_a_missed_place_is_added_from_the_text(fake_pipeline, project_db):  # noqa: F811
    at = _app().run()
    at.switch_page(CORRECTIONS).run()
    with Store.open(project_db) as store:
        text = store.documents("placeline")[0].document.text
    index = next(i for i, (s, e) in enumerate(sentence_bounds(text)) if "Washington" in text[s:e])
    at.selectbox(key="add_place_sentence").set_value(index)
    at.text_input(key="add_place_words").input("Washington").run()
    assert at.selectbox(key="add_place_candidate_Washington").value == 0  # a gazetteer hit is offered
    at.button(key="add_place").click().run()
    assert not at.exception and not at.error
    (added,) = _stored_corrections(project_db)
    assert added.kind == "add_place" and added.mention.text == "Washington"
    assert text[added.mention.start:added.mention.end] == "Washington"
    _, places = _explore(at)
    assert added.candidate.id in set(places["id"])


def test_a_project_export_imported_into_an_empty_database_shows_the_same(
    fake_pipeline, project_db, tmp_path, monkeypatch  # noqa: F811
):
    at = _app().run()
    at.switch_page(CORRECTIONS).run()
    at.selectbox(key="corr_event").set_value("e1").run()
    at.button(key="hide_event").click().run()
    events_before, places_before = _explore(at)
    with Store.open(project_db) as store:
        exported = json.dumps(store.export_project("placeline")).encode()

    empty = tmp_path / "colleague.db"
    monkeypatch.setenv("PLACELINE_DB", str(empty))
    colleague = _app().run()
    colleague.switch_page("pages/page_sources.py").run()
    colleague.file_uploader(key="import_file").upload("p.json", exported, "application/json")
    colleague.text_input(key="import_name").input("vom Kollegen")
    _submit(colleague, "Importieren")
    assert not colleague.exception and not colleague.error
    assert colleague.session_state["project"] == "vom Kollegen"
    events_after, places_after = _explore(colleague)
    assert events_after.equals(events_before)
    assert places_after.equals(places_before)
    assert len(events_after) == 2


def test_switching_projects_shows_each_projects_articles(fake_pipeline, project_db):  # noqa: F811
    at = _app().run()
    at.text_input(key="new_project_name").input("Leer")
    at.button(key="create_project").click().run()
    assert at.session_state["project"] == "Leer"
    at.switch_page(EXPLORE).run()
    assert at.info and not at.dataframe
    at.selectbox(key="project_picker").set_value("placeline").run()
    assert len(_explore(at)[0]) == 3


@pytest.mark.parametrize(
    "content", [b"this is not a database" * 50, b"SQLite format 3\x00" + b"\x07" * 4000]
)
def test_a_corrupt_database_gives_an_error_and_is_left_byte_identical(
    fake_pipeline, project_db, content  # noqa: F811
):
    project_db.write_bytes(content)
    at = _app().run()
    assert not at.exception
    assert any("Projektdatenbank" in e.value for e in at.error)
    assert any("vorübergehenden Projekt" in w.value for w in at.warning)
    events, _ = _explore(at)  # the session still works, on a temporary project
    assert len(events) == 3
    assert project_db.read_bytes() == content


def test_a_database_from_a_newer_placeline_is_refused_and_left_untouched(
    fake_pipeline, project_db  # noqa: F811
):
    Store.open(project_db).close()
    with sqlite3.connect(project_db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = project_db.read_bytes()
    at = _app().run()
    assert not at.exception
    assert any("newer placeline" in e.value for e in at.error)
    assert project_db.read_bytes() == before


def test_choosing_another_candidate_for_every_mention_of_a_name(
    fake_pipeline, project_db  # noqa: F811
):
    at = _app().run()
    at.switch_page(CORRECTIONS).run()
    at.selectbox(key="corr_place").set_value("geonames:170063").run()
    at.radio(key="corr_scope").set_value(True).run()
    at.text_input(key="corr_search").input("Aleppo").run()
    picker = at.selectbox(key="corr_candidate_geonames:170063_Aleppo")
    assert "geonames:170062" in picker.options[0]  # the province; the city itself is not offered
    at.button(key="apply_candidate").click().run()
    assert not at.exception and not at.error
    (chosen,) = _stored_corrections(project_db)
    assert chosen.kind == "choose_candidate" and chosen.all_mentions
    _, places = _explore(at)
    assert "geonames:170063" not in set(places["id"])
    province = places[places["id"] == "geonames:170062"].iloc[0]
    assert province.iloc[-1] == "✎" and province.iloc[3] >= 3


def test_a_correction_that_no_longer_fits_the_text_is_shown_as_a_warning(
    fake_pipeline, project_db  # noqa: F811
):
    _app().run()  # creates the project with the seed
    with Store.open(project_db) as store:
        (stored,) = store.documents("placeline")
        store.add_correction(MovePlace(doc_hash=stored.sha256, mention=Span(0, 8, "Xanadu99"),
                                       lat=1.0, lon=2.0))
    at = _app().run()
    assert not at.exception
    assert any("Xanadu99" in w.value and "passt nicht mehr" in w.value for w in at.warning)


def test_the_correction_helpers():
    text = "Er kam aus Halab. Dann flog er nach Moskau und zurück."
    second = sentence_bounds(text)[1]
    assert span_in_sentence(text, second, "Moskau") == Span(36, 42, "Moskau")
    with pytest.raises(InputError):
        span_in_sentence(text, second, "Halab")  # in the text, but not in that sentence
    assert [date_granularity(v) for v in ("2016", "2016-12", "2016-12-07")] == [
        "year", "month", "day"]
    location = Location("Moskau", Point(55.75, 37.62), {
        "id": "geonames:524901", "name": "Moskau", "country": "RU", "kind": "city",
        "population": 10_000_000})
    (candidate,) = candidates_from_locations([location, location])
    assert (candidate.id, candidate.country, candidate.kind) == ("geonames:524901", "RU", "city")
    move = MovePlace(doc_hash="x", mention=Span(36, 42, "Moskau"), lat=1.0, lon=2.0)
    assert describe_correction(move, "de") == "“Moskau” verschoben nach 1.0000, 2.0000"
    assert describe_correction(move, "en") == "“Moskau” moved to 1.0000, 2.0000"
