"""Vendored assets, local links for the Streamlit map, inlining for standalone files, and the
offline basemap."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import folium.plugins
import pytest

from placeline.render.assets import (
    STREAMLIT_VENDOR_URL,
    VENDOR_DIR,
    VENDORED_PACKAGES,
    add_basemap,
    basemap_geojson,
    inline_assets,
    local_asset_path,
    remote_asset_urls,
    remote_urls_in_html,
    use_local_assets,
)

REPO = Path(__file__).resolve().parents[1]
PLUGINS = (folium.plugins.MarkerCluster, folium.plugins.FastMarkerCluster,
           folium.plugins.FeatureGroupSubGroup, folium.plugins.Timeline,
           folium.plugins.TimelineSlider, folium.plugins.Fullscreen)


def _map_with_plugins() -> folium.Map:
    m = folium.Map(tiles=None)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    folium.CircleMarker([36.2, 37.16]).add_to(cluster)
    folium.plugins.FeatureGroupSubGroup(cluster, "sub").add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    folium.plugins.Timeline({"type": "FeatureCollection", "features": []}).add_to(m)
    return m


def test_every_vendored_file_and_licence_is_present():
    for package in VENDORED_PACKAGES:
        folder = VENDOR_DIR / package.folder
        assert (folder / package.licence).stat().st_size > 100, package.npm
        for _, local in package.files:
            assert (folder / local).stat().st_size > 0, local


@pytest.mark.parametrize("element", [folium.Map, *PLUGINS], ids=lambda c: c.__name__)
def test_every_cdn_link_of_map_and_plugins_has_a_local_copy_or_is_dropped(element):
    for _, url in [*element.default_js, *getattr(element, "default_css", [])]:
        if re.search(r"bootstrap|glyphicons|fontawesome|awesome", url, re.IGNORECASE):
            continue
        local = local_asset_path(url)
        assert local is not None, url
        assert (VENDOR_DIR / local).is_file(), local


def test_use_local_assets_rewrites_map_and_plugins_without_touching_class_defaults():
    default_before = list(folium.Map.default_js)
    m = use_local_assets(_map_with_plugins())
    assert remote_asset_urls(m) == []
    page = m.get_root().render()
    assert remote_urls_in_html(page) == []
    assert f'src="{STREAMLIT_VENDOR_URL}/leaflet/leaflet.js"' in page
    assert f"{STREAMLIT_VENDOR_URL}/leaflet.markercluster/MarkerCluster.css" in page
    assert "bootstrap" not in page
    image_path = f'L.Icon.Default.imagePath = "{STREAMLIT_VENDOR_URL}/leaflet/images/";'
    assert -1 < page.find(image_path) < page.find("L.markerClusterGroup(")
    assert folium.Map.default_js == default_before
    assert remote_asset_urls(_map_with_plugins())  # a fresh map still has CDN links


def test_local_urls_resolve_to_files_under_static():
    page = use_local_assets(_map_with_plugins()).get_root().render()
    urls = re.findall(r'(?:src|href)="(/app/static/[^"]+)"', page)
    assert len(urls) >= 8
    for url in urls:
        assert (REPO / "static" / url.removeprefix("/app/static/")).is_file(), url


def test_streamlit_serves_the_static_folder():
    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    pattern = r"^\[server\][^\[]*^enableStaticServing\s*=\s*true"
    assert re.search(pattern, config, re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("localise", [False, True])
def test_inline_assets_leaves_no_network_links(localise):
    m = _map_with_plugins()
    if localise:
        use_local_assets(m)
    page = inline_assets(m.get_root().render())
    assert remote_urls_in_html(page) == []
    assert "/app/static/" not in page
    assert "Leaflet 1.9.3" in page and "jQuery v3.7.1" in page
    assert 'url("data:image/png;base64,' in page  # leaflet.css images travel along


def test_inline_assets_keeps_inlined_code_from_closing_its_script_tag():
    page = inline_assets('<script src="https://cdn.jsdelivr.net/npm/jquery@3.7.1/jquery.min.js">'
                         "</script>")
    body = page[len("<script>"):-len("</script>")]
    assert "</script" not in body.lower()


def test_basemap_is_valid_country_geojson():
    basemap = basemap_geojson()
    assert basemap["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in basemap["features"]}
    assert {"Germany", "Syria", "Russia", "Brazil"} <= names
    assert len(basemap["features"]) > 150
    for feature in basemap["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)
    germany = next(f for f in basemap["features"] if f["properties"]["name"] == "Germany")
    xs = [x for ring in germany["geometry"]["coordinates"][0] for x, _ in [ring[0]]]
    lons = [x for p in germany["geometry"]["coordinates"] for r in p for x, _ in r]
    lats = [y for p in germany["geometry"]["coordinates"] for r in p for _, y in r]
    assert xs and 5 < min(lons) < 7 and 14 < max(lons) < 16 and 47 < min(lats) < 48.5


def test_basemap_returns_a_fresh_copy():
    basemap_geojson()["features"].clear()
    assert basemap_geojson()["features"]


@pytest.mark.parametrize("online", [False, True])
def test_add_basemap_draws_land_on_sea_and_tiles_only_when_asked(online):
    m = add_basemap(folium.Map(tiles=None), online_tiles=online)
    page = m.get_root().render()
    assert "#b3d1e6" in page and "#f2efe9" in page
    assert re.search(r'"maxZoom": \d+', page)  # MarkerCluster needs it when no tiles are on
    assert ("tile.openstreetmap.org" in page) is online
    assert ("L.control.layers" in page) is online


def test_basemap_layer_control_only_lists_layers_that_exist_before_it():
    m = add_basemap(folium.Map(tiles=None), online_tiles=True)
    cluster = folium.plugins.MarkerCluster(name="Places").add_to(m)
    page = m.get_root().render()
    control = page[page.index("base_layers"):page.index("L.control.layers")]
    assert "OpenStreetMap (online)" in control
    assert cluster.get_name() not in control
    assert page.index("L.control.layers") < page.index(f"var {cluster.get_name()}")
