"""placeline's Streamlit app: the router and the shared sidebar, nothing else.

Run with ``streamlit run app.py``; the pages live in ``pages/`` and call the package; what the
pages share for the UI (session defaults, cached resources) is in ``ui/common.py``.

The page files are named ``page_*.py`` on purpose: while a ``pages/`` folder exists, Streamlit
runs a fresh server's first request as an old-style multipage app, and a bookmarked URL such as
``/present`` would run ``pages/present.py`` without this router. With file names that differ
from the router's URL paths, that first request falls through to this script, which routes it.
"""

import streamlit as st

from placeline.render.i18n import LANGUAGES, t
from ui.common import init_session, ui_lang

st.set_page_config(page_title="placeline", page_icon="🗺️", layout="wide")
init_session()
lang = ui_lang()

with st.sidebar:
    st.radio(
        t("language", lang),
        LANGUAGES,
        key="ui_lang",
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        horizontal=True,
    )
    lang = ui_lang()
    st.toggle(t("online_tiles", lang), key="online_tiles", help=t("online_tiles_help", lang))
    st.toggle(
        t("online_geocoder", lang), key="online_geocoder", help=t("online_geocoder_help", lang)
    )

navigation = st.navigation(
    [
        st.Page("pages/page_explore.py", title=t("page_explore", lang), icon="🗺️", default=True),
        st.Page("pages/page_text.py", title=t("page_text", lang), icon="📝", url_path="text"),
        st.Page("pages/page_sources.py", title=t("page_sources", lang), icon="📥", url_path="sources"),
        st.Page("pages/page_present.py", title=t("page_present", lang), icon="🎓", url_path="present"),
        st.Page("pages/page_export.py", title=t("page_export", lang), icon="💾", url_path="export"),
    ]
)
navigation.run()
