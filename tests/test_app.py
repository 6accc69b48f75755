"""AppTest: every page opens without an exception, and the Explore page's links work.

The pipeline is replaced by a hand-made analysis of the seed (tests build documents by hand
instead of depending on the extraction stages), so these tests check the app, not the models.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from placeline import pipeline
from placeline.model import Analysis, Mention, Place
from placeline.project import event_rows
from placeline.store import Store
from tests.conftest import SEED_TEXT_PATH
from tests.test_map import hand_made_analysis

PAGES = [f"pages/page_{name}.py"
         for name in ("explore", "text", "sources", "corrections", "present", "export")]


@pytest.fixture(autouse=True)
def project_db(tmp_path, monkeypatch):
    """Each test works on a fresh project database of its own."""
    path = tmp_path / "placeline.db"
    monkeypatch.setenv("PLACELINE_DB", str(path))
    return path


def _article_count(db_path) -> int:
    with Store.open(db_path) as store:
        return len(store.documents("placeline"))


@pytest.fixture
def fake_pipeline(monkeypatch):
    def analyze(document, *, place_finder=None):
        if document.text == SEED_TEXT_PATH.read_text(encoding="utf-8"):
            return hand_made_analysis(document.text)
        start = document.text.find("Aleppo")
        mentions = (Mention(start, start + 6, "Aleppo"),) if start >= 0 else ()
        aleppo = Place("geonames:170063", "Aleppo", "SY", 36.2, 37.16, "city", 0.9, mentions)
        return Analysis(document=document, places=(aleppo,) if mentions else ())

    monkeypatch.setattr(pipeline, "analyze", analyze)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _app() -> AppTest:
    return AppTest.from_file("../app.py", default_timeout=60)


def _event_table(at: AppTest):
    return at.dataframe[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_exception(fake_pipeline, page):
    at = _app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_explore_opens_on_the_seed_with_its_markers(fake_pipeline):
    at = _app().run()
    assert not at.exception
    assert at.title[0].value == "Moskau verhandelt mit Washington über Aleppo"
    places = at.dataframe[1].value
    assert set(places["id"]) == {"geonames:170063", "geonames:524901", "geonames:2911298"}
    assert len(_event_table(at)) == 3


def test_a_map_click_narrows_the_events_to_the_place(fake_pipeline):
    at = _app().run()
    at.session_state["explore_map"] = {
        "last_object_clicked_tooltip": "Moskau · 2× [geonames:524901]",
        "last_object_clicked_count": 1,
    }
    at.run()
    assert not at.exception
    assert at.session_state["selected_place"] == "geonames:524901"
    events = _event_table(at)
    assert len(events) == 1
    assert "Rybakow" in events.iloc[0].tolist()[3]
    assert any("Moskau" in m.value for m in at.markdown)
    at.button(key="clear_place").click().run()
    assert len(_event_table(at)) == 3


def test_selecting_an_event_shows_its_quote_and_speaker(fake_pipeline):
    at = _app().run()
    statement = next(r for r in event_rows([hand_made_analysis()]) if r.speaker)
    at.selectbox(key="event_picker").set_value(statement.key).run()
    assert not at.exception
    assert at.session_state["selected_event"] == statement.key
    texts = " ".join(m.value for m in at.markdown)
    assert "Sergej Rybakow" in texts
    assert "Wir stehen" in texts


def test_ui_switches_to_english(fake_pipeline):
    at = _app().run()
    at.radio(key="ui_lang").set_value("en").run()
    assert not at.exception
    assert any(e.label == "Filters" for e in at.expander)


def test_text_page_highlights_places_with_what_they_resolved_to(fake_pipeline):
    at = _app().run()
    at.switch_page("pages/page_text.py").run()
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert 'class="pl-place" title="Aleppo (SY, city) · geonames:170063 · 0.90">Aleppo' in bodies
    assert 'class="pl-quote"' in bodies
    assert "Legende" in bodies


def test_sources_adds_a_pasted_article_and_both_reach_the_map(fake_pipeline, project_db):
    at = _app().run()
    at.switch_page("pages/page_sources.py").run()
    at.text_area(key="paste_text").input("In Aleppo wurde am Montag gekämpft.")
    at.text_input(key="paste_title").input("Zweiter Artikel")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert _article_count(project_db) == 2
    at.switch_page("pages/page_explore.py").run()
    assert at.title[0].value.startswith("2 ")


def test_sources_shows_a_user_error_for_an_empty_article(fake_pipeline, project_db):
    at = _app().run()
    at.switch_page("pages/page_sources.py").run()
    at.text_area(key="paste_text").input("   ")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "empty" in at.error[0].value
    assert _article_count(project_db) == 1


def test_present_steps_through_the_events(fake_pipeline):
    at = _app().run()
    at.switch_page("pages/page_present.py").run()
    first = " ".join(h.proto.body for h in at.get("html"))
    assert "7. Dezember 2016" in first and "Sergej Rybakow" in first
    at.button(key="present_next").click().run()
    second = " ".join(h.proto.body for h in at.get("html"))
    assert at.session_state["present_index"] == 1
    assert "8. Dezember 2016" in second and "Lawrow und Kerry" in second


def test_export_offers_every_format(fake_pipeline):
    at = _app().run()
    at.switch_page("pages/page_export.py").run()
    labels = [button.label for button in at.get("download_button")]
    assert labels == [f"{fmt} herunterladen" for fmt in
                      ("GeoJSON", "CSV", "TimelineJS", "StoryMapJS", "HTML")]


def test_filters_survive_a_visit_to_another_page(fake_pipeline):
    at = _app().run()
    at.multiselect(key="f_kinds").select("statement").run()
    assert len(_event_table(at)) == 1
    at.switch_page("pages/page_text.py").run()
    at.switch_page("pages/page_explore.py").run()
    assert not at.exception
    assert at.multiselect(key="f_kinds").value == ["statement"]
    assert len(_event_table(at)) == 1


def test_explore_with_the_real_pipeline_shows_the_seed_places_and_events():
    st.cache_data.clear()
    at = _app().run()
    assert not at.exception and not at.error
    places = at.dataframe[1].value
    assert "Aleppo" in set(places.iloc[:, 0])
    assert len(_event_table(at)) > 0
    aleppo_id = places[places.iloc[:, 0] == "Aleppo"]["id"].iloc[0]
    at.session_state["explore_map"] = {
        "last_object_clicked_tooltip": f"Aleppo · 1× [{aleppo_id}]",
        "last_object_clicked_count": 1,
    }
    before = len(_event_table(at))
    at.run()
    assert at.session_state["selected_place"] == aleppo_id
    assert 0 < len(_event_table(at)) < before
