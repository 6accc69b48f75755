"""Export: the loaded articles as GeoJSON, CSV, TimelineJS, StoryMapJS and an offline HTML story."""

from __future__ import annotations

import json
from functools import partial

import streamlit as st

from placeline.render import exports
from placeline.render.i18n import t
from ui.common import analyses, ui_lang

FORMATS = (
    ("GeoJSON", "placeline.geojson", "application/geo+json", exports.export_geojson),
    ("CSV", "placeline.csv", "text/csv", exports.export_csv),
    ("TimelineJS", "placeline-timelinejs.json", "application/json", exports.export_timelinejs),
    ("StoryMapJS", "placeline-storymap.json", "application/json", exports.export_storymap),
    ("HTML", "placeline-story.html", "text/html", exports.export_html),
)

lang = ui_lang()
loaded = analyses()
if not loaded:
    st.info(t("no_articles", lang))
    st.stop()

st.title(t("page_export", lang))
st.caption(t("export_intro", lang))


def export_bytes(export) -> bytes:
    result = export(loaded)
    text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, indent=2)
    return text.encode("utf-8")


# Each file is generated when its button is clicked (the HTML story inlines every asset).
for label, file_name, mime, export in FORMATS:
    st.download_button(
        t("download", lang, fmt=label), data=partial(export_bytes, export),
        file_name=file_name, mime=mime, key=f"download_{label}",
    )
