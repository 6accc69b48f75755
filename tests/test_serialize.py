"""Round trip of the analysis JSON and the schema contract, on hand-built analyses."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from placeline.model import (
    Analysis,
    Candidate,
    Document,
    Event,
    Mention,
    Place,
    Span,
    Speaker,
    TimeExpression,
)
from placeline.serialize import analysis_from_dict, analysis_to_dict, load_schema

TEXT = 'Am Mittwoch sagte Anna Beispiel in Berlin: "Alles gut."'


def hand_built() -> Analysis:
    document = Document(
        id="d1", text=TEXT, lang="de", published=dt.date(2020, 1, 2),
        published_granularity="day", published_source="user",
    )
    berlin = Place(
        id="geonames:2950159", name="Berlin", country="DE", lat=52.52437, lon=13.41053,
        kind="city", confidence=0.9, mentions=(Mention(35, 41, "Berlin"),),
        alternatives=(Candidate("geonames:1", "Berlin", "US", 44.4, -71.2, "city", score=0.1),),
    )
    date = TimeExpression(0, 11, "Am Mittwoch", value="2020-01-01", granularity="day", rule="weekday")
    event = Event(
        id="e1", kind="statement", summary="Anna Beispiel: Alles gut.",
        evidence=Span(0, len(TEXT), TEXT), date=date, speaker=Speaker("Anna Beispiel", None),
        quote=Span(44, 53, "Alles gut"), places=("geonames:2950159",), actors=("Anna Beispiel",),
    )
    return Analysis(document=document, places=(berlin,), dates=(date,), events=(event,))


def test_round_trip_is_lossless() -> None:
    analysis = hand_built()
    data = analysis_to_dict(analysis, include_text=True)
    jsonschema.validate(data, load_schema())
    assert analysis_from_dict(data) == analysis


def test_schema_rejects_a_broken_analysis() -> None:
    data = analysis_to_dict(hand_built())
    data["places"][0]["kind"] = "planet"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, load_schema())
    del data["places"][0]
    data["events"][0]["kind"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, load_schema())


def test_text_is_left_out_unless_asked_for() -> None:
    assert "text" not in analysis_to_dict(hand_built())["document"]
    assert analysis_to_dict(hand_built(), include_text=True)["document"]["text"] == TEXT
