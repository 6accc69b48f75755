"""What every page shares: session defaults, the cached gazetteer and analyses, error display.

Session state holds only user choices (articles as entered, selections, filters); analyses come
from a bounded ``st.cache_data`` keyed by the article text and options.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from placeline import pipeline
from placeline.errors import PlacelineError
from placeline.ingest import document_from_text
from placeline.model import Analysis
from placeline.places import PlaceFinder
from placeline.places.gazetteer import Gazetteer, load_gazetteer
from placeline.places.geocoders import online_geocoder_from_settings
from placeline.project import ArticleSource, seed_article
from placeline.render.i18n import DEFAULT_LANGUAGE, t
from placeline.settings import Settings

ARTICLES = "articles"  # list of ArticleSource.as_dict()
SELECTED_PLACE = "selected_place"
SELECTED_EVENT = "selected_event"


def init_session() -> None:
    state = st.session_state
    state.setdefault("ui_lang", DEFAULT_LANGUAGE)
    state.setdefault("online_tiles", False)
    state.setdefault("online_geocoder", bool(settings().online_geocoder))
    state.setdefault(ARTICLES, [seed_article().as_dict()])
    state.setdefault(SELECTED_PLACE, None)
    state.setdefault(SELECTED_EVENT, None)


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
def place_finder(online_geocoder: bool) -> PlaceFinder:
    """The offline finder, or one that also asks the online geocoder the user opted into
    (the one named in the settings, Nominatim when none is named)."""
    geocoder = None
    if online_geocoder:
        chosen = settings().online_geocoder or "nominatim"
        geocoder = online_geocoder_from_settings(replace(settings(), online_geocoder=chosen))
    return PlaceFinder(gazetteer=gazetteer(), online_geocoder=geocoder)


@st.cache_data(max_entries=128, show_spinner=False)
def analyze_article(
    text: str,
    title: str | None,
    lang: str | None,
    published: str | None,
    url: str | None,
    published_source: str | None,
    online_geocoder: bool,
) -> Analysis:
    document = document_from_text(
        text, title=title, lang=lang, published=published, url=url,
        published_source=published_source, settings=settings(),
    )
    return pipeline.analyze(document, place_finder=place_finder(online_geocoder))


def articles() -> list[ArticleSource]:
    return [ArticleSource(**entry) for entry in st.session_state.get(ARTICLES, [])]


def analyses() -> list[Analysis]:
    """The analyses of all loaded articles; an article that fails shows its error and is left
    out, so one bad upload does not hide the others."""
    results = []
    online = bool(st.session_state.get("online_geocoder"))
    for source in articles():
        try:
            results.append(
                analyze_article(
                    source.text, source.title, source.lang, source.published, source.url,
                    source.published_source, online,
                )
            )
        except PlacelineError as exc:
            show_error(exc)
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
