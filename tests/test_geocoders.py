"""Geocoders behind geopy's interface: the offline gazetteer, and Nominatim (faked on
127.0.0.1) behind the rate limiter and the SQLite cache, with the offline fallback."""

from __future__ import annotations

import json
import threading
import time
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
    # Scripted answers for the next requests, first one first: an HTTP status (429, 503), or
    # "malformed" (a 200 whose JSON is not what Nominatim sends), or "slow" (past the timeout).
    script: ClassVar[list] = []

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        type(self).queries.append(query)
        answer = type(self).script.pop(0) if type(self).script else None
        if type(self).fail or isinstance(answer, int):
            self.send_response(answer if isinstance(answer, int) else 503)
            if answer == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            return
        if answer == "slow":
            time.sleep(1.5)
        if answer == "malformed":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'[{"display_name": "no coordinates here"}]')
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

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a "slow" answer, as it should


@pytest.fixture()
def nominatim():
    FakeNominatim.queries = []
    FakeNominatim.fail = False
    FakeNominatim.script = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _settings(tmp_path, server, **overrides) -> Settings:
    options = {
        "cache_dir": tmp_path, "online_geocoder": "nominatim",
        "geocoder_url": f"http://127.0.0.1:{server.server_address[1]}",
        "geocoder_min_delay": 0.0, "geocoder_timeout": 2.0, "geocoder_retry_wait": 0.0,
    }
    return Settings(**{**options, **overrides})


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


def _online_finder(tmp_path, server, finder, **overrides) -> PlaceFinder:
    online = online_geocoder_from_settings(_settings(tmp_path, server, **overrides))
    return PlaceFinder(online_geocoder=online, gazetteer=finder.gazetteer)


@pytest.mark.parametrize("status", [429, 502, 503])
def test_rate_limits_and_server_errors_are_retried_a_bounded_number_of_times(
    tmp_path, nominatim, finder, status
):
    FakeNominatim.script = [status, status]
    online_finder = _online_finder(tmp_path, nominatim, finder, geocoder_retries=2)
    text = "Flooding hit Quillmoor Parish."
    result = find_places(Document(id="t", text=text, lang="en"), finder=online_finder)
    assert FakeNominatim.queries == ["Quillmoor Parish"] * 3  # two failures, then an answer
    assert [p.name for p in result.places if p.source == "nominatim"] == ["Quillmoor Parish"]
    assert result.notices == ()


def test_a_service_that_stays_down_is_asked_once_per_analysis(tmp_path, nominatim, finder):
    FakeNominatim.fail = True
    online_finder = _online_finder(tmp_path, nominatim, finder, geocoder_retries=1)
    text = "Storms hit Quillmoor Parish, Brackenfold County and Ossory Vale Parish."
    result = find_places(Document(id="t", text=text, lang="en"), finder=online_finder)
    assert len(FakeNominatim.queries) == 2  # one name, one retry; the others are not asked
    notice = " ".join(result.notices)
    assert "Quillmoor Parish" in notice and "Brackenfold County" in notice
    assert {m.text for m in result.unresolved} >= {"Quillmoor Parish", "Brackenfold County"}


@pytest.mark.parametrize("answer", ["malformed", "slow"])
def test_malformed_or_late_answers_leave_the_analysis_offline(tmp_path, nominatim, finder, answer):
    FakeNominatim.script = [answer] * 3
    online_finder = _online_finder(
        tmp_path, nominatim, finder, geocoder_retries=0, geocoder_timeout=0.5
    )
    text = "Flooding hit Quillmoor Parish and Alexandria, Louisiana."
    result = find_places(Document(id="t", text=text, lang="en"), finder=online_finder)
    assert "Quillmoor Parish" in " ".join(result.notices)
    assert [m.text for m in result.unresolved] == ["Quillmoor Parish"]
    assert any(p.name == "Alexandria" for p in result.places)
