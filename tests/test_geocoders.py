"""Geocoders behind geopy's interface: the offline gazetteer, and Nominatim (faked on
127.0.0.1) behind the rate limiter and the SQLite cache, with the offline fallback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.location import Location

from placeline.model import Document
from placeline.places import PlaceFinder, find_places
from placeline.places.geocoders import OfflineGeocoder, online_geocoder_from_settings
from placeline.settings import Settings


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder()


class FakeNominatim(BaseHTTPRequestHandler):
    queries: ClassVar[list[str]] = []
    fail = False

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        type(self).queries.append(query)
        if type(self).fail:
            self.send_response(503)
            self.end_headers()
            return
        body = json.dumps([{
            "place_id": 1, "osm_type": "relation", "osm_id": 1234, "lat": "31.17",
            "lon": "-92.48", "display_name": f"{query}, Louisiana, USA", "class": "boundary",
            "address": {"country_code": "us"},
        }]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def nominatim():
    FakeNominatim.queries = []
    FakeNominatim.fail = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _settings(tmp_path, server) -> Settings:
    return Settings(cache_dir=tmp_path, online_geocoder="nominatim",
                    geocoder_url=f"http://127.0.0.1:{server.server_address[1]}",
                    geocoder_min_delay=0.0, geocoder_timeout=2.0)


def test_offline_geocoder_returns_geopy_locations(finder):
    geocoder = OfflineGeocoder(finder.gazetteer)
    location = geocoder.geocode("Aleppo")
    assert isinstance(location, Location)
    assert location.raw["id"] == "geonames:170063"
    assert location.latitude == pytest.approx(36.2, abs=0.05)
    several = geocoder.geocode("Washington", exactly_one=False)
    assert len(several) > 1 and several[0].raw["country"] == "US"
    assert geocoder.geocode("Nirgendwoland") is None


def test_online_lookup_for_names_the_gazetteer_lacks_is_cached(tmp_path, nominatim, finder):
    online = online_geocoder_from_settings(_settings(tmp_path, nominatim))
    online_finder = PlaceFinder(online_geocoder=online, gazetteer=finder.gazetteer)
    text = "A fire in Quillmoor Parish near Alexandria, Louisiana, was investigated."
    document = Document(id="t", text=text, lang="en")
    result = find_places(document, finder=online_finder)
    parish = [p for p in result.places if p.source == "nominatim"]
    assert [m.text for m in parish[0].mentions] == ["Quillmoor Parish"]
    assert parish[0].lat == pytest.approx(31.17)
    find_places(document, finder=online_finder)
    assert FakeNominatim.queries == ["Quillmoor Parish"]  # the second run came from the cache


def test_failing_service_leaves_the_analysis_offline_with_a_notice(tmp_path, nominatim, finder):
    FakeNominatim.fail = True
    online = online_geocoder_from_settings(_settings(tmp_path, nominatim))
    online_finder = PlaceFinder(online_geocoder=online, gazetteer=finder.gazetteer)
    text = "Flooding hit Quillmoor Parish and Alexandria, Louisiana."
    result = find_places(Document(id="t", text=text, lang="en"), finder=online_finder)
    assert "Quillmoor Parish" in " ".join(result.notices)
    assert [m.text for m in result.unresolved] == ["Quillmoor Parish"]
    assert any(p.name == "Alexandria" for p in result.places)
