"""The standalone HTML story in a real Chromium with every network request refused: the map
draws, popups open, and hostile article text never runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from placeline.render.exports import export_html
from tests.test_exports import IMG, SCRIPT, make_analyses

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]
HOSTILE = SCRIPT + IMG + "${alert(2)}`"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def story_page(tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    story = tmp_path_factory.mktemp("story") / "story.html"
    story.write_text(export_html(make_analyses(hostile=HOSTILE)), encoding="utf-8")
    seen = {"requests": [], "dialogs": [], "errors": []}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})

        def refuse_network(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                seen["requests"].append(route.request.url)
                route.abort()

        page.route("**/*", refuse_network)
        page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message),
                                          dialog.dismiss()))
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.goto(story.as_uri())
        page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=15_000)
        yield page, seen
        browser.close()


def test_story_draws_offline_with_basemap_and_markers(story_page):
    page, seen = story_page
    markers = page.locator("path.leaflet-interactive").count()
    assert markers == 2
    assert page.locator("svg path").count() > 150  # the country outlines
    assert seen["requests"] == [] and seen["errors"] == []


def test_hostile_text_shows_as_text_and_never_runs(story_page):
    page, seen = story_page
    page.locator("path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    assert SCRIPT in popup.inner_text()
    assert page.locator("#placeline-story").inner_text().count(IMG) >= 1
    page.locator("#placeline-story li").first.click()
    page.wait_for_timeout(300)
    assert page.locator("img[src=x]").count() == 0
    assert seen["dialogs"] == [] and seen["errors"] == []
