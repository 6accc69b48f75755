"""Temporal expressions, one rule at a time, German and English, built by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from placeline.model import Document
from placeline.timeline import build_timeline

THURSDAY = dt.date(2016, 12, 8)


def _dates(text: str, *, published: dt.date | None = THURSDAY, lang: str = "de"):
    document = Document(
        id="t",
        text=text,
        lang=lang,
        published=published,
        published_granularity="day" if published else None,
        published_source="user" if published else None,
    )
    return build_timeline(document)


def _only(text: str, **kwargs):
    result = _dates(text, **kwargs)
    assert len(result.dates) == 1, [d.text for d in result.dates]
    date = result.dates[0]
    assert text[date.start : date.end] == date.text
    return date


@pytest.mark.parametrize(
    ("text", "surface", "value", "rule"),
    [
        (
            "Bereits am Mittwochabend hatten beide geredet.",
            "am Mittwochabend",
            "2016-12-07",
            "weekday",
        ),
        (
            "Am Mittwoch hatten die Chefs eine Feuerpause gefordert.",
            "Am Mittwoch",
            "2016-12-07",
            "weekday",
        ),
        (
            "Am Donnerstag sagte Kerry, er sei hoffnungsvoll.",
            "Am Donnerstag",
            "2016-12-08",
            "weekday",
        ),
        ("Das Treffen wird am Montag stattfinden.", "am Montag", "2016-12-12", "weekday"),
        ("The talks were held last Tuesday.", "last Tuesday", "2016-12-06", "weekday"),
        ("Police arrested him on Monday night.", "on Monday night", "2016-12-05", "weekday"),
        (
            "In der Nacht zum Freitag gab es Angriffe.",
            "In der Nacht zum Freitag",
            "2016-12-02",
            "night-to-weekday",
        ),
        ("Der Stadtrat tagte gestern.", "gestern", "2016-12-07", "relative-day"),
        ("Vorgestern kam der Brief.", "Vorgestern", "2016-12-06", "relative-day"),
        ("Die Entscheidung fällt morgen.", "morgen", "2016-12-09", "relative-day"),
        ("He said so yesterday.", "yesterday", "2016-12-07", "relative-day"),
        ("Die Belagerung begann am 7. Juli.", "am 7. Juli", "2016-07-07", "day-month"),
        ("The siege began on 7 July 2016.", "on 7 July 2016", "2016-07-07", "day-month"),
        ("Stand: 07.07.2016, abends.", "07.07.2016", "2016-07-07", "numeric-date"),
        (
            "The ministry tweeted on December 8, 2016.",
            "on December 8, 2016",
            "2016-12-08",
            "month-day",
        ),
        ("Die Wahl war im März 2015.", "im März 2015", "2015-03", "month"),
        ("Er regiert seit 2000.", "seit 2000", "2000", "year"),
        ("Das war vor drei Tagen.", "vor drei Tagen", "2016-12-05", "ago"),
        ("It happened two years ago.", "two years ago", "2014", "ago"),
    ],
)
def test_expression_and_value(text, surface, value, rule):
    date = _only(text)
    assert (date.text, date.value, date.rule) == (surface, value, rule)
    assert date.granularity in ("day", "month", "year")


def test_anfang_dezember_is_a_month_with_a_range():
    date = _only("Anfang Dezember begannen die Gespräche.")
    assert (date.value, date.granularity) == ("2016-12", "month")
    assert (date.range_start, date.range_end) == ("2016-12-01", "2016-12-10")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Tausende sind in den vergangenen Monaten geflohen.", "2016-09-08", "2016-12-08"),
        ("Vergangene Woche wurde verhandelt.", "2016-11-28", "2016-12-04"),
        ("Prices rose in recent months.", "2016-09-08", "2016-12-08"),
        ("Vor zwei Wochen begann es.", "2016-11-21", "2016-11-27"),
    ],
)
def test_vague_expressions_have_a_range(text, start, end):
    date = _only(text)
    assert date.granularity == "vague" and date.value is None
    assert (date.range_start, date.range_end) == (start, end)


def test_dateparser_pitfalls_are_not_dates():
    text = (
        "Die Menschen und die Stadt: die Lage ist unklar. Das war die Frage, die alle stellten. "
        "May we ask? 2015 Menschen kamen, 60 Kilometer entfernt."
    )
    assert _dates(text).dates == ()


def test_without_publication_date_relative_expressions_stay_unresolved():
    result = _dates("Am Mittwoch hatten die Chefs verhandelt, gestern nicht.", published=None)
    assert [d.value for d in result.dates] == [None, None]
    assert result.notices and "unresolved" in result.notices[0]
    assert result.document.published is None


def test_latest_full_date_gives_the_day_when_the_text_speaks_of_recent_days():
    text = "Am Mittwoch hatten beide geredet. Das Ministerium twitterte am 8. Dezember 2016."
    result = _dates(text, published=None)
    assert result.document.published == THURSDAY
    assert result.document.published_source == "text"
    assert result.dates[0].value == "2016-12-07"


def test_a_history_date_alone_does_not_become_the_publication_date():
    result = _dates("The law was passed on March 3, 2009.", published=None, lang="en")
    assert result.document.published is None
    assert result.dates[0].value == "2009-03-03"


def test_month_header_keeps_only_dates_of_that_month():
    text = "date 2016-12 Die Belagerung begann am 7. Juli 2016. Am Mittwoch wurde verhandelt."
    document = Document(
        id="t",
        text=text,
        published=dt.date(2016, 12, 1),
        published_granularity="month",
        published_source="header",
    )
    result = build_timeline(document)
    assert result.document.published == dt.date(2016, 12, 1)
    assert result.dates[0].rule == "header" and result.dates[0].value == "2016-12"
    weekday = next(d for d in result.dates if d.rule == "weekday")
    assert weekday.value is None
    assert any("month" in notice for notice in result.notices)
