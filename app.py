"""placeline's Streamlit app: the router and the shared sidebar, nothing else.

Run with ``streamlit run app.py``; the pages live in ``pages/`` and call the package; what the
pages share for the UI (session defaults, cached resources) is in ``ui/common.py``.

The page files are named ``page_*.py`` on purpose: while a ``pages/`` folder exists, Streamlit
runs a fresh server's first request as an old-style multipage app, and a bookmarked URL such as
``/present`` would run ``pages/present.py`` without this router. With file names that differ
from the router's URL paths, that first request falls through to this script, which routes it.
"""

import streamlit as st

from placeline.errors import PlacelineError
from placeline.render.i18n import LANGUAGES, t
from ui.common import (
    PROJECT,
    STORE_PROBLEM,
    init_session,
    persistent_widget,
    project,
    settings,
    store,
    ui_lang,
)

st.set_page_config(page_title="placeline", page_icon=":material/map:", layout="wide")
init_session()
lang = ui_lang()
if st.session_state.get(STORE_PROBLEM):
    st.error(t("store_unusable", lang, message=st.session_state[STORE_PROBLEM]))
    st.warning(t("session_only", lang))


def create_project() -> None:
    name = st.session_state.get("new_project_name", "").strip()
    try:
        store().create_project(name)
    except PlacelineError as exc:
        st.session_state["project_message"] = t("error", ui_lang(), message=str(exc))
        return
    st.session_state[PROJECT] = name
    st.session_state["new_project_name"] = ""
    st.session_state["project_message"] = None


with st.sidebar:
    st.selectbox(
        t("project", lang),
        [p.name for p in store().list_projects()],
        **persistent_widget(PROJECT, "project_picker"),
    )
    with st.expander(t("new_project", lang)):
        st.text_input(t("project_name", lang), key="new_project_name")
        st.button(t("create_project", lang), key="create_project", on_click=create_project)
        if st.session_state.get("project_message"):
            st.error(st.session_state["project_message"])
    st.caption(t("project_saved", lang, name=project()))
    st.radio(
        t("language", lang),
        LANGUAGES,
        key="ui_lang",
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        horizontal=True,
    )
    lang = ui_lang()
    st.toggle(t("online_tiles", lang), key="online_tiles", help=t("online_tiles_help", lang))
    # Defaults from the settings go in as the widgets' values, not as session state set before
    # them: a fresh server's first session lost a True set that way (the switch showed off).
    st.toggle(
        t("online_geocoder", lang), key="online_geocoder", help=t("online_geocoder_help", lang),
        value=bool(settings().online_geocoder),
    )
    st.toggle(t("demonyms", lang), key="demonyms", help=t("demonyms_help", lang),
              value=settings().demonyms)

# (file, title key, Material icon, URL path). Material icons come with Streamlit's own font, so
# they draw offline; emoji need a system emoji font that classroom machines often lack.
# An explicit url_path for Explore: the inferred one ("page_explore") would give it the id an
# old-style multipage run gives pages/page_explore.py, which then runs without this router.
PAGES = [
    ("page_explore.py", "page_explore", "map", "explore"),
    ("page_text.py", "page_text", "article", "text"),
    ("page_sources.py", "page_sources", "add_notes", "sources"),
    ("page_corrections.py", "page_corrections", "edit_location_alt", "corrections"),
    ("page_present.py", "page_present", "co_present", "present"),
    ("page_export.py", "page_export", "download", "export"),
]
navigation = st.navigation(
    [
        st.Page(f"pages/{file}", title=t(title, lang), icon=f":material/{icon}:",
                url_path=url_path, default=index == 0)
        for index, (file, title, icon, url_path) in enumerate(PAGES)
    ]
)
navigation.run()
