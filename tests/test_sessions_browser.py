"""Issue 7, properties, in a real browser: two people on one server, each on their own
project at the same time, never see each other's articles or selections.

One `streamlit run` (as in tests/test_browser.py) on a database with two projects; two
Chromium contexts are two independent users (separate cookies and websocket sessions).
"""

from __future__ import annotations

import contextlib
import re

import pytest

from placeline.ingest import document_from_text
from placeline.store import Store
from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _require_chromium,
    _streamlit_server,
    _switch_language,
)
from tests.test_sessions import ARTICLES

pytestmark = pytest.mark.browser
TITLE = {project: title for project, (title, _text) in ARTICLES.items()}


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    _require_chromium()
    path = tmp_path_factory.mktemp("sessions") / "sessions.db"
    store = Store.open(path)
    for project, (title, text) in ARTICLES.items():
        store.create_project(project)
        store.add_document(project, document_from_text(text, title=title))
    store.close()
    with _streamlit_server(path) as url:
        yield url


def test_two_browser_sessions_on_one_server_keep_their_own_project(shared_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tabs = {}
            for project in ARTICLES:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route(
                    re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort()
                )
                tabs[project] = context.new_page()
            for tab in tabs.values():  # both load at once
                tab.goto(shared_server, wait_until="commit")
            first, second = list(ARTICLES)
            # The server opens every new session on the same (first) project.
            for tab in tabs.values():
                tab.get_by_role("heading", name=TITLE[first]).wait_for(timeout=60_000)

            # The second user switches project; the first one must not follow.
            _switch_project(tabs[second], second)
            # A rerun in the first session after the switch (its UI language changes).
            _switch_language(tabs[first], "English", "Interface language")
            for project, tab in tabs.items():
                tab.get_by_role("heading", name=TITLE[project]).wait_for(timeout=30_000)
                other = next(p for p in ARTICLES if p != project)
                assert tab.get_by_role("heading", name=TITLE[other]).count() == 0, project
            # ... and the first user's language switch stayed in the first session.
            assert tabs[second].get_by_text("Sprache der Oberfläche").count() == 1
        finally:
            browser.close()


def _switch_project(tab, project: str) -> None:
    """Pick a project and wait for its article's heading. A pick that lands between a page's
    first run and st_folium's follow-up rerun can be lost (as in test_browser's language
    switch), so it is tried again; the heading must still appear."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    heading = tab.get_by_role("heading", name=TITLE[project])
    for _ in range(4):
        tab.get_by_role("combobox", name="Projekt", exact=True).click()
        with contextlib.suppress(PlaywrightTimeout):
            tab.get_by_role("option", name=project, exact=True).click(timeout=10_000)
            heading.wait_for(timeout=15_000)
            return
        tab.keyboard.press("Escape")  # close a list left open by a lost pick
    heading.wait_for(timeout=15_000)
