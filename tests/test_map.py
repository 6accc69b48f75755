"""Map render tests: element ids are random, so they compare normalised HTML."""

from __future__ import annotations

import json
import re

from placeline.ingest import document_from_text
from placeline.model import Analysis, Event, Mention, Place, Span, Speaker, TimeExpression
from placeline.project import place_id_from_tooltip, place_rows
from placeline.render.escape import escape_html
from placeline.render.map import (
    CLUSTER_RADIUS_PX,
    SPIDERFY_FROM_ZOOM,
    PlaceMarkers,
    build_base_map,
    build_map,
    build_marker_layer,
    fit_view,
    marker_specs,
)
from tests.conftest import SEED_TEXT_PATH

HOSTILE = "Evil`${alert(1)}`</script><img src=x onerror=alert(2)>"


def _mentions(text: str, word: str) -> tuple[Mention, ...]:
    return tuple(
        Mention(m.start(), m.end(), m.group(0)) for m in re.finditer(re.escape(word), text)
    )


def _place(text: str, place_id: str, name: str, word: str, country: str, lat: float,
           lon: float, kind: str = "city") -> Place:
    return Place(place_id, name, country, lat, lon, kind, 0.9, _mentions(text, word))


def hand_made_analysis(text: str | None = None, *, extra_place_name: str | None = None) -> Analysis:
    """The seed article with a few places and events set by hand, independent of the stages."""
    text = text if text is not None else SEED_TEXT_PATH.read_text(encoding="utf-8")
    document = document_from_text(text, title="Moskau verhandelt mit Washington über Aleppo")
    places = [
        _place(text, "geonames:170063", "Aleppo", "Aleppo", "SY", 36.20, 37.16),
        _place(text, "geonames:524901", "Moskau", "Moskau", "RU", 55.75, 37.62),
        _place(text, "geonames:2911298", "Hamburg", "Hamburg", "DE", 53.55, 10.0),
    ]
    if extra_place_name is not None:
        places.append(Place("test:hostile", extra_place_name, "XX", 10.0, 10.0, "other", 0.5,
                            (Mention(0, 1, text[:1]),)))
    quote_start = text.index("Wir stehen")
    quote = Span(quote_start, quote_start + 40, text[quote_start:quote_start + 40])
    wed = text.index("am Mittwochabend")
    events = (
        Event("e1", "statement", "Rybakow äußert sich verhalten optimistisch",
              Span(quote_start, quote_start + 40, quote.text),
              date=TimeExpression(wed, wed + 16, "am Mittwochabend", value="2016-12-07"),
              speaker=Speaker("Sergej Rybakow", "Vize-Außenminister"), quote=quote,
              places=("geonames:524901",)),
        Event("e2", "event", "Lawrow und Kerry beraten in Hamburg über Aleppo",
              Span(0, 50, text[:50]),
              date=TimeExpression(0, 5, text[:5], value="2016-12-08"),
              places=("geonames:2911298", "geonames:170063")),
        Event("e3", "event", "Regierungschefs fordern Feuerpause in Aleppo", Span(60, 70, text[60:70]),
              places=("geonames:170063",)),
    )
    return Analysis(document=document, places=tuple(places), events=events)


def _markers(html: str) -> list[dict]:
    """The marker list the map's script loops over."""
    return json.loads(re.search(r"var markers = (\[.*?\]);\n", html).group(1))


def test_map_has_one_marker_per_place_with_its_id_in_the_tooltip():
    html = build_map([hand_made_analysis()]).get_root().render()
    markers = _markers(html)
    assert len(markers) == 3
    assert html.count("L.circleMarker(") == 1  # one loop, not one folium element per marker
    tooltips = [place_id_from_tooltip(m["tooltip"]) for m in markers]
    assert tooltips == ["geonames:170063", "geonames:524901", "geonames:2911298"]
    assert markers[0]["location"] == [36.2, 37.16]


def test_marker_json_cannot_close_the_script_block():
    layer = PlaceMarkers([{"location": [0, 0], "style": {}, "tooltip": "</script><b>x</b>"}])
    assert "</" not in layer.markers_json and "<b>" not in layer.markers_json
    assert json.loads(layer.markers_json)[0]["tooltip"] == "</script><b>x</b>"


def test_large_markers_are_drawn_first_so_small_ones_stay_clickable():
    specs = marker_specs(place_rows([hand_made_analysis()]))
    radii = [spec["style"]["radius"] for spec in specs]
    assert radii == sorted(radii, reverse=True) and radii[0] > radii[-1]


def test_tooltip_round_trips_to_the_place_id():
    rows = place_rows([hand_made_analysis()])
    aleppo = next(r for r in rows if r.name == "Aleppo")
    assert aleppo.mentions >= 3
    html = build_map([hand_made_analysis()]).get_root().render()
    tooltip = re.search(r"Aleppo · \d+× \[[^\]]+\]", html).group(0)
    assert place_id_from_tooltip(tooltip) == "geonames:170063"


def test_hostile_article_text_is_escaped_in_tooltips():
    analysis = hand_made_analysis(extra_place_name=HOSTILE)
    html = build_map([analysis]).get_root().render()
    assert "<img src=x" not in html
    assert "${alert" not in html
    assert "`</script>" not in html
    assert escape_html(HOSTILE) in html


def test_local_assets_leave_no_cdn_urls():
    html = build_map([hand_made_analysis()]).get_root().render()
    remote = re.findall(r"(?:src|href)=\"(https?://[^\"]+)\"", html)
    assert remote == []
    assert "/app/static/vendor/" in html


def test_cdn_assets_when_no_local_base_url():
    html = build_map([hand_made_analysis()], asset_base_url=None).get_root().render()
    assert re.search(r"src=\"https://", html)


def test_selected_place_is_outlined_and_others_fade():
    html = build_map([hand_made_analysis()], selected_place="geonames:170063").get_root().render()
    assert html.count('"color": "#000000"') == 1
    assert html.count('"fillOpacity": 0.25') == 2


def test_fit_view_centres_on_the_places():
    rows = place_rows([hand_made_analysis()])
    (lat, lon), zoom = fit_view(rows)
    assert 36 < lat < 56 and 10 < lon < 38
    assert 1 <= zoom <= 7
    (lat, lon), zoom = fit_view([r for r in rows if r.name == "Aleppo"])
    assert (round(lat, 2), round(lon, 2)) == (36.2, 37.16) and zoom == 7


def test_base_map_bounds_are_the_world_without_walking_the_outlines(monkeypatch):
    import folium.features

    def walked(*_args, **_kwargs):
        raise AssertionError("the basemap outlines were walked")

    monkeypatch.setattr(folium.features, "get_bounds", walked)
    assert build_base_map().get_bounds() == [[-90.0, -180.0], [90.0, 180.0]]


def test_places_at_one_spot_go_into_a_cluster_group_that_fans_them_out():
    html = build_map([hand_made_analysis()]).get_root().render()
    assert "L.markerClusterGroup(" in html
    assert f"maxClusterRadius: {CLUSTER_RADIUS_PX}," in html
    assert f">= {SPIDERFY_FROM_ZOOM})" in html and "cluster.spiderfy()" in html
    # the markers join the cluster group, not the layer st_folium binds its click handler to
    assert "group.addLayers(drawn)" in html
    assert re.search(r"setTimeout\(function \(\) \{ layer\.addLayer\(group\); \}, 0\)", html)


def test_cluster_plugin_comes_from_the_vendored_copy_after_leaflet():
    from placeline.render.assets import VENDOR_DIR

    m = build_base_map()
    build_marker_layer(place_rows([hand_made_analysis()])).add_to(m)  # as st_folium does
    scripts = [url for element in _elements(m) for _, url in getattr(element, "default_js", [])]
    styles = [url for element in _elements(m) for _, url in getattr(element, "default_css", [])]
    plugin = "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js"
    assert plugin in scripts
    assert scripts.index("/app/static/vendor/leaflet/leaflet.js") < scripts.index(plugin)
    assert "/app/static/vendor/leaflet.markercluster/MarkerCluster.css" in styles
    for url in [*scripts, *styles]:
        assert (VENDOR_DIR / url.removeprefix("/app/static/vendor/")).is_file(), url
    cdn = build_marker_layer(place_rows([hand_made_analysis()]), asset_base_url=None)
    links = [url for element in _elements(cdn) for _, url in getattr(element, "default_js", [])]
    assert links and all(url.startswith("https://") for url in links)


def _elements(element):
    yield element
    for child in element._children.values():
        yield from _elements(child)


def test_emphasised_places_are_flagged_for_their_cluster_outline():
    specs = marker_specs(place_rows([hand_made_analysis()]), highlighted=["geonames:524901"])
    flagged = [place_id_from_tooltip(spec["tooltip"]) for spec in specs if spec["emphasised"]]
    assert flagged == ["geonames:524901"]
    assert not any(spec["emphasised"] for spec in marker_specs(place_rows([hand_made_analysis()])))


def test_timeline_axis_speaks_the_ui_language():
    from placeline.project import event_rows
    from placeline.render.i18n import kind_labels
    from placeline.render.timeline_chart import build_timeline_chart

    rows = event_rows([hand_made_analysis()])
    german = build_timeline_chart(rows, labels=kind_labels("de"), lang="de").to_dict()
    time_locale = german["config"]["locale"]["time"]
    assert time_locale["months"][11] == "Dezember" and time_locale["shortDays"][3] == "Mi"
    assert len(time_locale["days"]) == 7 and len(time_locale["shortMonths"]) == 12
    assert german["config"]["locale"]["number"]["decimal"] == ","
    x_titles = {layer["encoding"]["x"].get("title") for layer in german["layer"]}
    assert kind_labels("de")["date"] in x_titles
    english = build_timeline_chart(rows, labels=kind_labels("en"), lang="en").to_dict()
    assert "locale" not in english.get("config", {})


def test_live_map_loads_no_jquery_and_needs_none():
    m = build_base_map()
    build_marker_layer(place_rows([hand_made_analysis()])).add_to(m)
    scripts = [url for element in _elements(m) for _, url in getattr(element, "default_js", [])]
    assert not [url for url in scripts if "jquery" in url]
    assert "$(" not in m.get_root().render()  # nothing on the map calls jQuery
