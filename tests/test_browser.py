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

from placeline.project import place_id_from_tooltip

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# The README's screenshot is refreshed only on request (PLACELINE_UPDATE_SCREENSHOT=1), so that
# `make test` never leaves the working tree changed.
README_SCREENSHOT = REPO / "docs" / "screenshot-explore.png"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]

pytestmark = pytest.mark.browser
# Found by name: which GeoNames entry the gazetteer picks for Aleppo is the places stage's call.
ALEPPO = "Aleppo · "
# The places sit in a leaflet.markercluster group: a marker is on the map on its own, or
# inside the cluster that currently stands for it.
FIND_PLACE = """
    const group = Object.values(map_div._layers).find(
        (layer) => typeof layer.zoomToShowLayer === "function");
    const marker = group && group.getLayers().find((layer) =>
        String(layer.getTooltip().getContent()).includes(placeName));
"""
ZOOM_TO = "(div, [placeName, zoom]) => {" + FIND_PLACE + """
    if (!marker) return false;
    map_div.setView(marker.getLatLng(), zoom, {animate: false});
    return true;
}"""
# Where to click for the place: its own marker when drawn, else its cluster's icon.
PLACE_TARGET = "(div, placeName) => {" + FIND_PLACE + """
    if (!marker) return null;
    let shown = marker;
    while (shown && !shown._map) shown = shown.__parent;
    if (!shown) return null;
    const point = map_div.latLngToContainerPoint(shown.getLatLng());
    return {x: point.x, y: point.y, clustered: shown !== marker,
            tooltip: String(marker.getTooltip().getContent())};
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
def _streamlit_server(database: Path | None = None):
    """`streamlit run app.py` on a free port of 127.0.0.1 with the project ``database`` (a
    fresh temporary one by default: a test must not write into the user's projects); yields
    its URL once healthy."""
    port = _free_port()
    database = database or Path(tempfile.mkdtemp(prefix="placeline-browser-")) / "projects.db"
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


def _settled_target(map_div, place_name: str) -> dict:
    """Where to click for the place once the map stopped moving (cluster animations)."""
    previous = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        target = map_div.evaluate(PLACE_TARGET, place_name)
        if target is not None and target == previous:
            return target
        previous = target
        time.sleep(0.4)
    raise AssertionError(f"no settled marker or cluster for {place_name!r}: {previous}")


def _click_place(page, place_name: str) -> str:
    """Click the place's marker with the mouse like a user, opening the clusters that hold it
    (a cluster click zooms in, or fans out places at one spot); returns the tooltip."""
    map_div = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator("#map_div")
    for _ in range(4):
        target = _settled_target(map_div, place_name)
        box = map_div.bounding_box()
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
        if not target["clustered"]:
            return target["tooltip"]
    raise AssertionError(f"the clusters holding {place_name!r} never opened")


def _expected_event_counts() -> tuple[dict[str, int], int]:
    """Per place id, how many events of the seed name it, by the stages the server runs."""
    from placeline.ingest import document_from_text
    from placeline.pipeline import analyze
    from placeline.project import EventFilter, event_rows, filter_events, seed_article

    seed = seed_article()
    rows = event_rows([analyze(document_from_text(seed.text, title=seed.title))])
    places = {p for row in rows for p in row.places}
    return {p: len(filter_events(rows, EventFilter(place_id=p))) for p in places}, len(rows)


def test_clicking_the_aleppo_marker_narrows_the_events(page):
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    drawn = frame.locator("path.leaflet-interactive, .placeline-cluster")
    drawn.first.wait_for(state="attached", timeout=60_000)
    assert drawn.count() >= 3
    countries = frame.locator(".leaflet-overlay-pane path")
    assert countries.count() > frame.locator("path.leaflet-interactive").count()  # basemap drew

    shown, total = _event_count(page)
    assert shown == total > 0

    # Aleppo sits under Idlib's and Syria's markers at world zoom: zoom in on it through
    # Leaflet, then click it with the mouse like a user would.
    assert frame.locator("#map_div").evaluate(ZOOM_TO, [ALEPPO, 9]), "no Aleppo marker"
    _click_place(page, ALEPPO)
    page.get_by_text(re.compile(r"(Ausgewählter Ort|Selected place): Aleppo")).wait_for(
        timeout=30_000
    )
    shown_after, total_after = _event_count(page)
    assert total_after == total
    assert 0 < shown_after < total
    page.get_by_text(re.compile(r"(Sätze über|Sentences about) Aleppo")).wait_for(timeout=10_000)

    screenshot = page.screenshot(full_page=False)
    assert screenshot[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("PLACELINE_UPDATE_SCREENSHOT") == "1":
        README_SCREENSHOT.write_bytes(screenshot)


def _wait_until_no_place_is_selected(tab):
    """While Streamlit reruns, the stale and the new "Selected place" line can both be on the
    page, so wait for their count to reach zero rather than for one element to detach."""
    from playwright.sync_api import expect

    chosen = tab.get_by_text(re.compile(r"(Ausgewählter Ort|Selected place)"))
    expect(chosen).to_have_count(0, timeout=30_000)
    return chosen


def test_selecting_an_event_outlines_its_places_on_the_map(page):
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    page.get_by_role("button", name=re.compile("Ortsauswahl aufheben|Clear place")).click()
    _wait_until_no_place_is_selected(page)
    outlined = frame.locator('path.leaflet-interactive[stroke="#000000"]')
    assert outlined.count() == 0
    page.get_by_label(re.compile("Ereignis auswählen|Select an event")).click()
    page.get_by_role("option").filter(has_text="Aleppo").first.click()
    outlined.first.wait_for(state="attached", timeout=30_000)
    assert outlined.count() >= 1


def test_places_at_one_spot_are_each_clickable(page, app_url):
    # Regression (issue 5): Moscow and the Kremlin share a point in the seed; one marker hid
    # the other. Their cluster fans out on click, at any zoom, and each place answers.
    page.goto(app_url)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    frame.locator(".placeline-cluster").first.wait_for(state="attached", timeout=60_000)
    expected, total = _expected_event_counts()
    selected = []
    for name, label in (("Moscow · ", "Moscow|Moskau"), ("Kreml", "Kreml")):
        place_id = place_id_from_tooltip(_click_place(page, name))
        page.get_by_text(re.compile(rf"(Ausgewählter Ort|Selected place): ({label})")).wait_for(
            timeout=30_000
        )
        page.get_by_text(re.compile(rf"(Sätze über|Sentences about) ({label})")).wait_for(
            timeout=10_000
        )
        shown, shown_total = _event_count(page)
        assert shown_total == total
        # The seed's events name Moscow; whether one names the Kremlin is the timeline's call.
        assert shown == expected.get(place_id, 0) < total, (name, place_id)
        selected.append(place_id)
    assert len(set(selected)) == 2
    assert expected[selected[0]] > 0

    # A cluster click only opens the cluster: it must not report the last place again.
    page.get_by_role("button", name=re.compile("Ortsauswahl aufheben|Clear place")).click()
    chosen = _wait_until_no_place_is_selected(page)
    map_div = frame.locator("#map_div")
    target = _settled_target(map_div, "Kreml")
    assert target["clustered"]
    box = map_div.bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    assert not _settled_target(map_div, "Kreml")["clustered"]  # fanned out
    time.sleep(1.5)  # longer than st_folium's debounce and a rerun
    assert chosen.count() == 0


def test_present_steps_once(page, app_url):
    page.goto(f"{app_url}/present")
    progress = page.get_by_text(re.compile(r"(Ereignis|Event) 1 (von|of) \d+"))
    progress.wait_for(timeout=30_000)
    page.get_by_role("button", name=re.compile("Weiter|Next")).click()
    page.get_by_text(re.compile(r"(Ereignis|Event) 2 (von|of) \d+")).wait_for(timeout=30_000)


GERMAN_ONLY_MONTHS = {"Januar", "Februar", "März", "Mai", "Juni", "Juli", "Oktober", "Dezember"}
ENGLISH_ONLY_MONTHS = {"January", "February", "March", "May", "June", "July", "October",
                       "December"}


def _wait_for_axis_months(tab, months: set[str]) -> None:
    """Wait until the timeline's time axis shows one of ``months`` (Vega draws SVG text)."""
    deadline = time.monotonic() + 30
    texts: set[str] = set()
    while time.monotonic() < deadline:
        texts = {text.strip() for text in tab.locator(".vega-embed svg text").all_text_contents()}
        if texts & months:
            return
        time.sleep(0.3)
    raise AssertionError(f"no month of {sorted(months)} on the time axis: {sorted(texts)}")


def _click_when_settled(tab, radiogroup_name: re.Pattern, option: str) -> None:
    """Click a radio option once the script run has ended: a fresh server's first run takes
    seconds, and meanwhile the radio shows twice (the stale and the new element) or a click
    on it was seen to be lost."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        idle = tab.get_by_role("button", name="Stop").count() == 0
        groups = tab.get_by_role("radiogroup", name=radiogroup_name)
        if idle and groups.count() == 1:
            groups.get_by_text(option, exact=True).click()
            return
        time.sleep(0.3)
    raise AssertionError(f"the page never settled to click {option!r}")


def _switch_language(tab, option: str, label: str) -> None:
    """Pick a UI language and wait for the sidebar label in it. A click that lands between the
    page's first run and st_folium's follow-up rerun can be lost, so it is tried again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    languages = re.compile("Sprache der Oberfläche|Interface language")
    for _ in range(4):
        _click_when_settled(tab, languages, option)
        with contextlib.suppress(PlaywrightTimeout):
            tab.get_by_text(label).wait_for(timeout=10_000)
            return
    tab.get_by_text(label).wait_for(timeout=10_000)


def test_ui_switches_to_english(page, app_url):
    page.goto(app_url)
    _switch_language(page, "Deutsch", "Sprache der Oberfläche")
    # The seed's dates run from August to December: the axis names them in the UI language.
    _wait_for_axis_months(page, GERMAN_ONLY_MONTHS)
    _switch_language(page, "English", "Interface language")
    page.get_by_role("link", name=re.compile("Explore")).wait_for(timeout=10_000)
    _wait_for_axis_months(page, ENGLISH_ONLY_MONTHS)


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


def test_a_fresh_servers_first_session_keeps_the_switches_defaults(page):
    # Regression: the demonym switch (on by default) showed off in the first session of a
    # fresh server while its default was put into session state before the widget.
    with _streamlit_server() as url:
        tab = page.context.new_page()
        tab.goto(url)
        tab.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
            ".leaflet-marker-icon").first.wait_for(timeout=90_000)
        # A rerun can briefly show the sidebar twice (stale and new): every copy must be on.
        switches = tab.get_by_role("switch", name=re.compile("Nationalit"))
        switches.first.wait_for(state="attached", timeout=10_000)
        assert all(switch.is_checked() for switch in switches.all())
        tab.close()
