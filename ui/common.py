"""What every page shares: the project database, session defaults, the cached gazetteer and
analyses, error display.

The articles of the chosen project and the corrections made to them live in the SQLite
database (``PLACELINE_DB``), so they are there tomorrow and for a colleague. Session state holds
only user choices (the project, selections, filters). Analyses come from a bounded
``st.cache_data`` keyed by the article text and options; the corrections are applied after it,
on every run, so a new correction or an undo shows at once without re-running the pipeline.

A database that cannot be opened (damaged, or from a newer placeline) is never written to: the
session then works on a temporary database of its own and says so.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from placeline import pipeline
from placeline.corrections import Correction, apply_corrections
from placeline.errors import PlacelineError, StoreError
from placeline.ingest import document_from_text
from placeline.model import Analysis, Document
from placeline.places import PlaceFinder
from placeline.places.gazetteer import Gazetteer, load_gazetteer
from placeline.places.geocoders import online_geocoder_from_settings
from placeline.project import ArticleSource, origin_of, seed_article
from placeline.render.i18n import DEFAULT_LANGUAGE, t
from placeline.settings import Settings
from placeline.store import Store, StoredDocument

PROJECT = "project"  # the name of the project the session works on
DEFAULT_PROJECT = "placeline"  # created with the seed article when the database has no project
STORE_PROBLEM = "store_problem"  # why the configured database could not be opened
SESSION_DB = "session_db"  # the session's own temporary database, when that happened
SELECTED_PLACE = "selected_place"
SELECTED_EVENT = "selected_event"


def init_session() -> None:
    state = st.session_state
    state.setdefault("ui_lang", DEFAULT_LANGUAGE)
    state.setdefault("online_tiles", False)
    state.setdefault(SELECTED_PLACE, None)
    state.setdefault(SELECTED_EVENT, None)
    if SESSION_DB not in state:
        try:
            open_store(str(configured_db_path()))
        except StoreError as exc:
            state[STORE_PROBLEM] = str(exc)
            state[SESSION_DB] = str(Path(tempfile.mkdtemp(prefix="placeline-")) / "session.db")
        else:
            state[SESSION_DB] = None
    try:
        names = [p.name for p in store().list_projects()]
        if not names:
            names = [create_default_project()]
    except StoreError as exc:
        show_error(exc)
        st.stop()
    if state.get(PROJECT) not in names:
        state[PROJECT] = DEFAULT_PROJECT if DEFAULT_PROJECT in names else names[0]


def configured_db_path() -> Path:
    """Read from the environment on every run (not cached): tests point it at a tmp file."""
    return Settings.from_env().resolved_db_path


@st.cache_resource(max_entries=8, show_spinner=False)
def open_store(path: str) -> Store:
    """One connection per database file, shared by the sessions (the store serialises calls).
    A file that cannot be opened raises ``StoreError`` and is not cached, so it is retried."""
    return Store.open(path)


def store() -> Store:
    """The database this session works on: the configured one, or its own temporary one."""
    return open_store(st.session_state.get(SESSION_DB) or str(configured_db_path()))


def project() -> str:
    return st.session_state[PROJECT]


def create_default_project() -> str:
    """The first start: a project holding the seed article. Another session may be doing the
    same at this moment; then its project is used."""
    try:
        store().create_project(DEFAULT_PROJECT)
    except StoreError:
        if DEFAULT_PROJECT not in [p.name for p in store().list_projects()]:
            raise
        return DEFAULT_PROJECT
    store().add_document(DEFAULT_PROJECT, source_document(seed_article()))
    return DEFAULT_PROJECT


def source_document(source: ArticleSource) -> Document:
    """The document stored for an article; its id is the one the analysis gets (the text's)."""
    return document_from_text(
        source.text, title=source.title, lang=source.lang, published=source.published,
        url=source.url, published_source=source.published_source, settings=settings(),
    )


def ui_lang() -> str:
    return st.session_state.get("ui_lang", DEFAULT_LANGUAGE)


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the gazetteer…")
def gazetteer() -> Gazetteer:
    """Heavy and read-only: one per process, shared by every session, never mutated."""
    return load_gazetteer()


@st.cache_resource(show_spinner=False)
def place_finder(online_geocoder: bool, demonyms: bool = True) -> PlaceFinder:
    """The offline finder, or one that also asks the online geocoder the user opted into
    (the one named in the settings, Nominatim when none is named); ``demonyms``: whether
    nationality words count as mentions of their country."""
    geocoder = None
    if online_geocoder:
        chosen = settings().online_geocoder or "nominatim"
        geocoder = online_geocoder_from_settings(replace(settings(), online_geocoder=chosen))
    return PlaceFinder(gazetteer=gazetteer(), online_geocoder=geocoder, demonyms=demonyms)


@st.cache_data(max_entries=128, show_spinner=False)
def analyze_article(
    text: str,
    title: str | None,
    lang: str | None,
    published: str | None,
    url: str | None,
    published_source: str | None,
    online_geocoder: bool,
    demonyms: bool = True,
) -> Analysis:
    document = document_from_text(
        text, title=title, lang=lang, published=published, url=url,
        published_source=published_source, settings=settings(),
    )
    return pipeline.analyze(document, place_finder=place_finder(online_geocoder, demonyms))


def stored_articles() -> list[StoredDocument]:
    try:
        return store().documents(project())
    except StoreError as exc:
        show_error(exc)
        return []


def articles() -> list[ArticleSource]:
    """The project's articles as the user supplied them."""
    return [
        ArticleSource.from_document(stored.document, origin=origin_of(stored.document))
        for stored in stored_articles()
    ]


def add_article(source: ArticleSource) -> bool:
    """Store an article in the project (committed at once); False when it was already there."""
    document = source_document(source)
    if any(stored.document.id == document.id for stored in stored_articles()):
        return False
    store().add_document(project(), document)
    return True


def remove_article(doc_id: str) -> None:
    """Remove an article from the project; its corrections stay, keyed to its text."""
    store().remove_document(project(), doc_id)


def save_correction(correction: Correction) -> None:
    """Save a correction; it is committed before this returns."""
    try:
        store().add_correction(correction)
    except PlacelineError as exc:
        show_error(exc)


def corrections_of(doc_id: str, *, include_undone: bool = False) -> list[Correction]:
    try:
        return store().corrections_for_document(project(), doc_id, include_undone=include_undone)
    except StoreError as exc:
        show_error(exc)
        return []


def analyses() -> list[Analysis]:
    """The corrected analyses of the project's articles. An article that fails shows its error
    and is left out, so one bad upload does not hide the others; a correction that no longer
    fits its text is shown as a warning, never dropped silently."""
    results = []
    online = bool(st.session_state.get("online_geocoder"))
    demonyms = bool(st.session_state.get("demonyms", settings().demonyms))
    lang = ui_lang()
    for source in articles():
        try:
            analysis = analyze_article(
                source.text, source.title, source.lang, source.published, source.url,
                source.published_source, online, demonyms,
            )
        except PlacelineError as exc:
            show_error(exc)
            continue
        corrections = corrections_of(analysis.document.id)
        if not corrections:
            results.append(analysis)
            continue
        applied = apply_corrections(analysis, corrections)
        for problem in applied.problems:
            st.warning(t("correction_problem", lang, message=problem.message), icon="⚠️")
        results.append(applied.analysis)
    return results


def show_error(exc: PlacelineError) -> None:
    st.error(t("error", ui_lang(), message=str(exc)))


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def md_escape(text: str) -> str:
    """Article text shown through st.markdown must not become links, images or formatting."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def persistent_widget(key: str, widget_key: str, *, options: list | None = None) -> dict:
    """Keyword arguments that tie a widget to a session value that outlives the page.

    Streamlit drops a widget's state when another page is shown; the value is kept under
    ``key`` and copied into the widget before it is drawn. With ``options`` the value is a
    list (a multiselect) and entries no longer offered (a removed article) are dropped.
    """
    value = st.session_state.get(key)
    if options is not None:
        value = [entry for entry in value or [] if entry in options]
    st.session_state[widget_key] = value

    def copy_back() -> None:
        st.session_state[key] = st.session_state[widget_key]

    return {"key": widget_key, "on_change": copy_back}


def is_new_interaction(widget_key: str, value: object) -> bool:
    """True once per new value: st_folium and chart selections keep returning the last click
    on every rerun, and a selection should follow only the user's latest click."""
    marker = f"_handled_{widget_key}"
    if value is None or value == st.session_state.get(marker):
        return False
    st.session_state[marker] = value
    return True
