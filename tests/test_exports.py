"""Exports over hand-built analyses: GeoJSON structure, CSV parse-back, TimelineJS and
StoryMapJS fields, and a standalone HTML story that is offline and inert."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest

from placeline.model import (
    Analysis,
    Document,
    Event,
    Mention,
    Place,
    Span,
    Speaker,
    TimeExpression,
)
from placeline.render.assets import remote_urls_in_html
from placeline.render.exports import (
    CSV_COLUMNS,
    export_csv,
    export_geojson,
    export_html,
    export_storymap,
    export_timelinejs,
)

SCRIPT = "<script>alert('xss')</script>"
IMG = "<img src=x onerror=alert(1)>"


def _place(place_id: str, name: str, lat: float, lon: float, *spans: tuple[int, int, str],
           kind: str = "city", country: str = "SY") -> Place:
    return Place(id=place_id, name=name, country=country, lat=lat, lon=lon, kind=kind,
                 confidence=0.9, mentions=tuple(Mention(s, e, t) for s, e, t in spans))


def _date(value: str | None, granularity: str = "day", text: str = "am Mittwoch",
          range_start: str | None = None, range_end: str | None = None) -> TimeExpression:
    return TimeExpression(0, len(text), text, value=value, granularity=granularity,
                          range_start=range_start, range_end=range_end)


def make_analyses(hostile: str = "") -> list[Analysis]:
    """Two articles sharing Aleppo; dated, month-granular, ranged, undated and hidden events."""
    text_a = f"Aleppo und Moskau. {hostile} Lawrow sagte etwas."
    aleppo = _place("geonames:170063", f"Aleppo{hostile}", 36.2, 37.16, (0, 6, "Aleppo"))
    moscow = _place("geonames:524901", "Moskau", 55.75, 37.62, (11, 17, "Moskau"),
                    country="RU")
    first = Analysis(
        document=Document(id="art-1", text=text_a, title=f"Syrien {hostile}", lang="de",
                          published=dt.date(2016, 12, 8)),
        places=(aleppo, moscow),
        events=(
            Event("e1", "event", f"Angriff auf Aleppo {hostile}", Span(0, 6, "Aleppo"),
                  date=_date("2016-12-07"), places=(aleppo.id,)),
            Event("e2", "statement", "Lawrow kündigt Gespräche an", Span(0, 6, "Aleppo"),
                  date=_date("2016-12", "month", "im Dezember"),
                  speaker=Speaker(f"Sergej Lawrow{hostile}", "Außenminister"),
                  quote=Span(0, 6, f"=HYPERLINK(\"http://evil\"){hostile}"),
                  places=(moscow.id, aleppo.id)),
            Event("e3", "event", "Belagerung ohne Datum", Span(0, 6, "Aleppo"),
                  date=None, places=(aleppo.id,)),
            Event("e4", "event", "Versteckt", Span(0, 6, "Aleppo"),
                  date=_date("2016-01-01"), places=(aleppo.id,), hidden=True),
            Event("e5", "event", "In den vergangenen Monaten", Span(0, 6, "Aleppo"),
                  date=_date(None, "vague", "in den vergangenen Monaten",
                             range_start="2016-09", range_end="2016-11"),
                  places=(moscow.id,)),
        ),
    )
    second = Analysis(
        document=Document(id="art-2", text="Aleppo again.", title="Second", lang="en",
                          published=dt.date(2016, 12, 9)),
        places=(_place("geonames:170063", "Aleppo", 36.2, 37.16, (0, 6, "Aleppo")),),
        events=(Event("e1", "event", "-1+2 talks fail", Span(0, 6, "Aleppo"),
                      date=_date("2016-11-30"), places=("geonames:170063",)),
                Event("e2", "event", "No place at all", Span(0, 6, "Aleppo"),
                      date=_date("2016-12-01"))),
    )
    return [first, second]


# --- GeoJSON ---------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def validate_geojson(document: dict) -> None:
    """A small RFC 7946 validator for what placeline writes (FeatureCollection of Points)."""
    assert document["type"] == "FeatureCollection"
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        properties = feature["properties"]
        assert isinstance(properties["times"], list)
        assert all(_ISO_DAY.match(t) for t in properties["times"])
        assert properties["times"] == sorted(properties["times"])
        if properties["times"]:
            assert properties["start"] == properties["times"][0]
            assert _ISO_DAY.match(properties["end"]) and properties["end"] >= properties["start"]
        else:
            assert properties["start"] is None and properties["end"] is None
    json.dumps(document, allow_nan=False)


def test_geojson_merges_places_across_articles_and_keeps_time():
    collection = export_geojson(make_analyses())
    validate_geojson(collection)
    by_id = {f["id"]: f for f in collection["features"]}
    assert set(by_id) == {"geonames:170063", "geonames:524901"}
    aleppo = by_id["geonames:170063"]
    assert aleppo["geometry"]["coordinates"] == [37.16, 36.2]
    properties = aleppo["properties"]
    assert properties["mentions"] == 2
    assert properties["articles"] == ["art-1", "art-2"]
    assert properties["times"] == ["2016-11-30", "2016-12-01", "2016-12-07"]
    assert (properties["start"], properties["end"]) == ("2016-11-30", "2016-12-31")
    summaries = [e["summary"] for e in properties["events"]]
    assert "Versteckt" not in summaries  # hidden by the user
    undated = [e for e in properties["events"] if e["undated"]]
    assert [e["summary"] for e in undated] == ["Belagerung ohne Datum"]
    assert undated[0]["date"] is None  # never the publication date
    assert properties["undated_events"] == 1
    moscow = by_id["geonames:524901"]["properties"]
    assert moscow["times"] == ["2016-09-01", "2016-12-01"]
    assert moscow["end"] == "2016-12-31"


def test_geojson_of_no_analyses_is_an_empty_collection():
    collection = export_geojson([])
    validate_geojson(collection)
    assert collection["features"] == []


def test_geojson_validator_rejects_swapped_coordinates():
    collection = export_geojson(make_analyses())
    collection["features"][0]["geometry"]["coordinates"] = [37.16, 136.2]
    with pytest.raises(AssertionError):
        validate_geojson(collection)


# --- CSV -------------------------------------------------------------------------------------

def test_csv_parses_back_with_places_and_events():
    rows = list(csv.DictReader(io.StringIO(export_csv(make_analyses()))))
    assert list(rows[0].keys()) == list(CSV_COLUMNS)
    places = [r for r in rows if r["record_type"] == "place"]
    events = [r for r in rows if r["record_type"] == "event"]
    assert len(places) == 3 and len(events) == 6
    moscow = next(r for r in places if r["name"] == "Moskau")
    assert float(moscow["lat"]) == 55.75 and moscow["mentions"] == "1"
    dated = [r["date"] for r in events if r["undated"] == "false"]
    assert dated == sorted(dated, key=lambda d: d + "-01" * ((10 - len(d)) // 3))
    undated = [r for r in events if r["undated"] == "true"]
    assert [r["summary"] for r in undated] == ["Belagerung ohne Datum"]
    assert undated[0]["date"] == ""
    statement = next(r for r in events if r["kind"] == "statement")
    assert statement["place_names"] == "Moskau; Aleppo"
    assert statement["speaker_role"] == "Außenminister"


def test_csv_neutralises_formulas_but_keeps_negative_numbers():
    analyses = make_analyses()
    west = _place("geonames:1", "@SUM(A1)", 40.7, -74.0, (0, 6, "Aleppo"), country="US")
    analyses[1] = Analysis(document=analyses[1].document, places=(west,),
                           events=analyses[1].events)
    rows = list(csv.DictReader(io.StringIO(export_csv(analyses))))
    for row in rows:
        for column, cell in row.items():
            if column in ("lat", "lon", "start", "end", "confidence", "mentions"):
                continue
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    west_row = next(r for r in rows if r["id"] == "geonames:1")
    assert west_row["name"] == "'@SUM(A1)" and float(west_row["lon"]) == -74.0
    quote = next(r["quote"] for r in rows if r["kind"] == "statement")
    assert quote.startswith("'=HYPERLINK")
    assert any(r["summary"] == "'-1+2 talks fail" for r in rows)


# --- TimelineJS and StoryMapJS ---------------------------------------------------------------

def test_timelinejs_has_documented_fields_and_keeps_undated_on_title():
    timeline = export_timelinejs(make_analyses(hostile=SCRIPT))
    assert set(timeline["title"]["text"]) == {"headline", "text"}
    assert len(timeline["events"]) == 5
    for slide in timeline["events"]:
        assert isinstance(slide["start_date"]["year"], int)
        assert 1 <= slide["start_date"].get("month", 1) <= 12
        assert 1 <= slide["start_date"].get("day", 1) <= 31
        assert set(slide["text"]) == {"headline", "text"}
        assert slide["group"] in ("event", "statement")
        assert "<script" not in json.dumps(slide).lower()
    month_only = next(s for s in timeline["events"] if s["group"] == "statement")
    assert month_only["start_date"] == {"year": 2016, "month": 12}
    ranged = next(s for s in timeline["events"] if "Monaten" in s["text"]["headline"])
    assert ranged["start_date"] == {"year": 2016, "month": 9}
    assert ranged["end_date"] == {"year": 2016, "month": 11}
    assert "Belagerung ohne Datum" in timeline["title"]["text"]["text"]
    assert "&lt;script&gt;" in timeline["title"]["text"]["headline"]


def test_storymap_slides_have_location_text_and_date():
    storymap = export_storymap(make_analyses(hostile=IMG))["storymap"]
    overview, *slides = storymap["slides"]
    assert overview["type"] == "overview"
    assert len(slides) == 5  # the placeless event is counted on the overview, not dropped
    assert "1" in overview["text"]["text"]
    for slide in slides:
        location = slide["location"]
        assert isinstance(location["lat"], float) and isinstance(location["lon"], float)
        assert location["name"]
        assert set(slide["text"]) == {"headline", "text"}
        assert "<img" not in json.dumps(slide)
    assert slides[-1]["date"] == "Ohne Datum"
    assert slides[0]["date"] == "2016-09"


class _TagCollector(HTMLParser):
    """Start tags as (name, attributes, text up to the next tag), as a browser parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs, ""))

    def handle_data(self, data):
        if self.tags:
            tag, attrs, text = self.tags[-1]
            self.tags[-1] = (tag, attrs, text + data)


def parse_tags(page: str) -> list[tuple[str, list, str]]:
    collector = _TagCollector()
    collector.feed(page)
    return collector.tags


# --- HTML story ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_html() -> str:
    return export_html(make_analyses(hostile=SCRIPT + IMG))


def test_html_story_is_standalone(hostile_html):
    assert remote_urls_in_html(hostile_html) == []
    tags = parse_tags(hostile_html)
    assert [t for t in tags if t[0] in ("script", "link", "img") and
            any(k in ("src", "href") for k, _ in t[1])] == []
    assert "L.map(" in hostile_html and "jQuery" in hostile_html  # inlined, not linked
    assert "Belagerung ohne Datum" in hostile_html and "Ohne Datum" in hostile_html


def test_html_story_keeps_article_text_inert(hostile_html):
    assert "alert('xss')" not in hostile_html.replace("alert(&#x27;xss&#x27;)", "")
    assert "<img src=x" not in hostile_html
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in hostile_html
    tags = parse_tags(hostile_html)
    assert not [t for t in tags if t[0] == "img"]
    assert not [t for t in tags if any(k.startswith("on") for k, _ in t[1])]
    assert not [t for t in tags if t[0] == "script" and (SCRIPT in t[2] or IMG in t[2])]
