"""One real-browser test: `streamlit run` on 127.0.0.1 driven by Debian's Chromium.

Skips when /usr/bin/chromium is missing on a developer machine; fails in CI (CI=true), where
.ci/run installs it. Never `playwright install`: it downloads a browser and fails offline.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO / "docs" / "screenshot-explore.png"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]

pytestmark = pytest.mark.browser
# Found by name: which GeoNames entry the gazetteer picks for Aleppo is the places stage's call.
ALEPPO = "Aleppo · "
FIND_AND_ZOOM_TO = """(div, placeName) => {
    let found = null;
    map_div.eachLayer((layer) => {
        const tooltip = layer.getTooltip && layer.getTooltip();
        if (tooltip && String(tooltip.getContent()).includes(placeName)) found = layer;
    });
    if (!found) return null;
    map_div.setView(found.getLatLng(), 9, {animate: false});
    const point = map_div.latLngToContainerPoint(found.getLatLng());
    return [point.x, point.y];
}"""


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must apt-get install chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); set CI=true to make it fail")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _streamlit_server():
    """`streamlit run app.py` on a free port of 127.0.0.1; yields its URL once healthy."""
    port = _free_port()
    # A project database of its own: the test must not write into the user's projects.
    database = Path(tempfile.mkdtemp(prefix="placeline-browser-")) / "projects.db"
    env = {**os.environ, "PLACELINE_GEOCODER": "", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "PLACELINE_DB": str(database)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                output = server.stdout.read().decode(errors="replace") if server.stdout else ""
                pytest.fail(f"streamlit did not start:\n{output[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@contextlib.contextmanager
def _offline_tab():
    """A Chromium tab that refuses every request not to 127.0.0.1: the app must work offline."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route(
            re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort()
        )
        try:
            yield context.new_page()
        finally:
            browser.close()


@pytest.fixture(scope="module")
def app_url():
    _require_chromium()
    with _streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    with _offline_tab() as tab:
        tab.goto(app_url)
        yield tab


def _event_count(tab) -> tuple[int, int]:
    caption = tab.get_by_text(re.compile(r"\d+ (von|of) \d+ (Ereignissen|events)")).first
    numbers = re.findall(r"\d+", caption.inner_text(timeout=30_000))
    return int(numbers[0]), int(numbers[1])


def test_clicking_the_aleppo_marker_narrows_the_events(page):
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    markers = frame.locator("path.leaflet-interactive")
    markers.first.wait_for(state="attached", timeout=60_000)
    assert markers.count() >= 3
    countries = frame.locator(".leaflet-overlay-pane path")
    assert countries.count() > markers.count()  # the offline basemap drew

    shown, total = _event_count(page)
    assert shown == total > 0

    # Aleppo sits under Idlib's and Syria's markers at world zoom: zoom in on it through
    # Leaflet, then click it with the mouse like a user would.
    point = frame.locator("#map_div").evaluate(FIND_AND_ZOOM_TO, ALEPPO)
    assert point is not None, "no marker with Aleppo in its tooltip"
    box = frame.locator("#map_div").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.get_by_text(re.compile(r"(Ausgewählter Ort|Selected place): Aleppo")).wait_for(
        timeout=30_000
    )
    shown_after, total_after = _event_count(page)
    assert total_after == total
    assert 0 < shown_after < total
    page.get_by_text(re.compile(r"(Sätze über|Sentences about) Aleppo")).wait_for(timeout=10_000)

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_selecting_an_event_outlines_its_places_on_the_map(page):
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    page.get_by_role("button", name=re.compile("Ortsauswahl aufheben|Clear place")).click()
    page.get_by_text(re.compile(r"(Ausgewählter Ort|Selected place)")).wait_for(
        state="detached", timeout=30_000
    )
    outlined = frame.locator('path.leaflet-interactive[stroke="#000000"]')
    assert outlined.count() == 0
    page.get_by_label(re.compile("Ereignis auswählen|Select an event")).click()
    page.get_by_role("option").filter(has_text="Aleppo").first.click()
    outlined.first.wait_for(state="attached", timeout=30_000)
    assert outlined.count() >= 1


def test_present_steps_once(page, app_url):
    page.goto(f"{app_url}/present")
    progress = page.get_by_text(re.compile(r"(Ereignis|Event) 1 (von|of) \d+"))
    progress.wait_for(timeout=30_000)
    page.get_by_role("button", name=re.compile("Weiter|Next")).click()
    page.get_by_text(re.compile(r"(Ereignis|Event) 2 (von|of) \d+")).wait_for(timeout=30_000)


def test_ui_switches_to_english(page, app_url):
    page.goto(app_url)
    page.get_by_role("radiogroup", name=re.compile("Sprache der Oberfläche|Interface language")).get_by_text(
        "English", exact=True
    ).click()
    page.get_by_text("Interface language").wait_for(timeout=30_000)
    page.get_by_role("link", name=re.compile("Explore")).wait_for(timeout=10_000)


def test_geojson_download_is_valid(page, app_url):
    page.goto(f"{app_url}/export")
    button = page.get_by_role("button", name=re.compile("GeoJSON"))
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    collection = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    points = [f for f in collection["features"] if f["geometry"]["type"] == "Point"]
    assert any(f["properties"].get("name") == "Aleppo" for f in points)
    for feature in points:
        lon, lat = feature["geometry"]["coordinates"][:2]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_a_bookmarked_page_on_a_fresh_server_goes_through_the_router(page):
    # Regression: with a pages/ folder, Streamlit runs a fresh server's first request as an
    # old-style multipage app; /present must still get the router's sidebar and the seed.
    with _streamlit_server() as url:
        tab = page.context.new_page()
        tab.goto(f"{url}/present")
        tab.get_by_text(re.compile(r"(Ereignis|Event) 1 (von|of) \d+")).wait_for(timeout=60_000)
        tab.get_by_text(re.compile("Sprache der Oberfläche|Interface language")).wait_for(timeout=10_000)
        tab.close()
