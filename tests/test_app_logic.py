"""Unit tests for the app's pure helpers: project views, timeline chart and UI strings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

from placeline.project import (
    ArticleSource,
    EventFilter,
    date_end,
    date_start,
    event_rows,
    filter_events,
    place_id_from_tooltip,
    place_rows,
    sentences_mentioning,
    text_highlights,
    tooltip_for,
)
from placeline.render.i18n import LANGUAGES, STRINGS, t
from placeline.render.timeline_chart import (
    build_timeline_chart,
    build_undated_lane,
    selected_key,
    timeline_frame,
)
from tests.test_map import hand_made_analysis

REPO = Path(__file__).resolve().parents[1]


def test_tooltip_id_survives_hostile_names():
    assert place_id_from_tooltip(tooltip_for("Ost-[Aleppo]", "geonames:1", 2)) == "geonames:1"
    assert place_id_from_tooltip("no id here") is None
    assert place_id_from_tooltip(None) is None


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [("2016-12-07", dt.date(2016, 12, 7), dt.date(2016, 12, 7)),
     ("2016-12", dt.date(2016, 12, 1), dt.date(2016, 12, 31)),
     ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
     ("2016", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
     ("bogus", None, None), (None, None, None)],
)
def test_date_bounds(value, start, end):
    assert date_start(value) == start
    assert date_end(value) == end


def test_event_rows_sort_dated_first_and_keep_undated():
    rows = event_rows([hand_made_analysis()])
    assert [r.date_value for r in rows] == ["2016-12-07", "2016-12-08", None]
    assert len({r.key for r in rows}) == 3


def test_filters_narrow_by_place_kind_speaker_country_and_date():
    rows = event_rows([hand_made_analysis()])
    aleppo = filter_events(rows, EventFilter(place_id="geonames:170063"))
    assert [r.event_id for r in aleppo] == ["e2", "e3"]
    assert [r.event_id for r in filter_events(rows, EventFilter(kinds=("statement",)))] == ["e1"]
    assert [r.event_id for r in filter_events(rows, EventFilter(speakers=("Sergej Rybakow",)))] \
        == ["e1"]
    assert [r.event_id for r in filter_events(rows, EventFilter(countries=("RU",)))] == ["e1"]
    later = filter_events(rows, EventFilter(date_from=dt.date(2016, 12, 8)))
    assert [r.event_id for r in later] == ["e2", "e3"]  # undated stays in its lane


def test_places_merge_across_articles():
    first = hand_made_analysis()
    second = hand_made_analysis(first.document.text + "\nAleppo.")
    rows = {r.id: r for r in place_rows([first, second])}
    assert rows["geonames:170063"].mentions == 2 * len(first.places[0].mentions) + 1
    assert len(rows["geonames:170063"].articles) == 2


def test_sentences_mentioning_a_place_contain_it():
    hits = sentences_mentioning([hand_made_analysis()], "geonames:524901")
    assert hits
    for hit in hits:
        for start, end in hit.mentions:
            assert hit.sentence[start:end] == "Moskau"


def test_highlights_do_not_overlap_and_keep_places_inside_quotes():
    analysis = hand_made_analysis()
    spans = text_highlights(analysis)
    for (_s1, e1, *_), (s2, _e2, *_) in pairwise(spans):
        assert e1 <= s2
    kinds = {span[2] for span in spans}
    assert {"place", "quote"} <= kinds


def test_article_source_from_document_keeps_metadata_dates_only():
    from placeline.ingest import document_from_text

    header_dated = document_from_text(" date 2016-12 Text über Aleppo.")
    assert ArticleSource.from_document(header_dated, origin="upload").published is None
    user_dated = document_from_text("Text über Aleppo.", published="2016-12-08")
    assert ArticleSource.from_document(user_dated, origin="upload").published == "2016-12-08"


def test_timeline_chart_has_an_undated_lane_and_marks_the_selection():
    rows = event_rows([hand_made_analysis()])
    frame = timeline_frame(rows)
    assert frame["start"].isna().sum() == 1
    spec = build_timeline_chart(rows, selected_event=rows[0].key).to_dict()
    assert rows[0].key in str(spec)
    assert {v["start"] for v in spec["datasets"].values() for v in v} >= {"2016-12-07T00:00:00"}
    lane = build_undated_lane(rows).to_dict()
    assert [r["key"] for d in lane["datasets"].values() for r in d] == [rows[2].key]
    assert build_undated_lane(rows[:2]) is None
    assert build_timeline_chart(rows[2:]) is None
    assert selected_key({"selection": {"event": [{"key": rows[1].key}]}}) == rows[1].key
    assert selected_key({"selection": {"event": []}}) is None
    assert selected_key(None) is None


def test_every_ui_string_exists_in_both_languages():
    for key, entry in STRINGS.items():
        assert set(entry) == set(LANGUAGES), key
    sources = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "ui").glob("*.py"))]
    used = set()
    for path in sources:
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    assert used, "no t(...) calls found"
    assert used <= set(STRINGS), used - set(STRINGS)
    assert t("event_count", "de", n=1, total=2) == "1 von 2 Ereignissen"


def test_a_place_listed_twice_in_one_article_is_one_row():
    analysis = hand_made_analysis()
    doubled = replace(analysis, places=analysis.places + analysis.places[:1])
    rows = {r.id: r for r in place_rows([doubled])}
    assert rows["geonames:170063"].articles == (analysis.document.id,)
    assert rows["geonames:170063"].mentions == 2 * len(analysis.places[0].mentions)


def test_every_place_kind_has_a_label_and_a_colour():
    from placeline.model import PLACE_KINDS
    from placeline.render.i18n import place_kind_labels
    from placeline.render.map import KIND_COLOURS

    for lang in LANGUAGES:
        assert set(place_kind_labels(lang)) == set(PLACE_KINDS)
    assert set(KIND_COLOURS) == set(PLACE_KINDS)


def test_browser_test_skips_locally_and_fails_in_ci_without_chromium(monkeypatch, tmp_path):
    from tests import test_browser

    monkeypatch.setattr(test_browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        test_browser._require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        test_browser._require_chromium()


def test_dates_read_as_people_write_them_in_each_language():
    from placeline.render.i18n import format_date

    assert format_date("2016-07-07", "de") == "7. Juli 2016"
    assert format_date("2016-07-07", "en") == "July 7, 2016"
    assert format_date("2016-12", "de") == "Dezember 2016"
    assert format_date("2016", "en") == "2016"
    assert format_date(None, "de") is None
    assert format_date("not a date", "de") == "not a date"
