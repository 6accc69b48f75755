"""Present: a large-type mode for class that steps through the events in time order."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from placeline.project import event_rows, place_rows
from placeline.render.escape import escape_html, escape_multiline
from placeline.render.i18n import format_date, kind_labels, t
from placeline.render.map import build_base_map, build_marker_layer, fit_view
from ui.common import analyses, ui_lang

INDEX = "present_index"
# Sized for a projector at 1280×720: the quote is the largest thing on the page.
STYLE = """
<style>
.pl-present { font-size: 1.6rem; line-height: 1.45; }
.pl-present .pl-date { font-size: 2.1rem; font-weight: 700; }
.pl-present blockquote { font-size: 1.9rem; font-style: italic; border-left: .3rem solid #D55E00;
  margin: .6rem 0; padding-left: 1rem; }
.pl-present .pl-speaker { font-weight: 700; }
.pl-present .pl-progress { font-size: 1.1rem; color: #555; }
</style>
"""

lang = ui_lang()
loaded = analyses()
rows = event_rows(loaded)
if not rows:
    st.info(t("no_events", lang))
    st.stop()

state = st.session_state
state[INDEX] = min(max(int(state.get(INDEX, 0)), 0), len(rows) - 1)


def step(delta: int) -> None:
    state[INDEX] = min(max(state[INDEX] + delta, 0), len(rows) - 1)


event = rows[state[INDEX]]
places = place_rows(loaded)
place_by_id = {p.id: p for p in places}
event_places = [place_by_id[p] for p in event.places if p in place_by_id]
labels = kind_labels(lang)

st.html(STYLE)
back, progress, forward = st.columns([1, 3, 1])
back.button(t("previous", lang), on_click=step, args=(-1,), key="present_previous",
            disabled=state[INDEX] == 0, shortcut="Left", width="stretch")
forward.button(t("next", lang), on_click=step, args=(1,), key="present_next",
               disabled=state[INDEX] == len(rows) - 1, shortcut="Right", width="stretch")
progress.progress((state[INDEX] + 1) / len(rows),
                  text=t("progress", lang, i=state[INDEX] + 1, n=len(rows)))

map_column, story_column = st.columns([3, 2])
with map_column:
    center, zoom = fit_view(event_places or places, max_zoom=6)
    st_folium(
        build_base_map(online_tiles=bool(state.get("online_tiles"))),
        key="present_map",
        center=center,
        zoom=zoom,
        feature_group_to_add=build_marker_layer(places, highlighted=event.places),
        returned_objects=[],
        height=520,
        use_container_width=True,
    )
with story_column:
    parts = [
        f'<div class="pl-date">{escape_html(format_date(event.date_value, lang) or t("undated", lang))}</div>',
        f"<div>{escape_html(labels[event.kind])} · {escape_html(event.article)}</div>",
    ]
    if event.quote:
        parts.append(f"<blockquote>{escape_multiline(event.quote)}</blockquote>")
    if event.speaker:
        role = f", {event.speaker_role}" if event.speaker_role else ""
        parts.append(f'<div class="pl-speaker">{escape_html(event.speaker + role)}</div>')
    parts.append(f"<p>{escape_html(event.summary)}</p>")
    if event_places:
        parts.append(f"<p>{escape_html(', '.join(p.name for p in event_places))}</p>")
    parts.append(f'<p class="pl-progress">{t("present_hint", lang)}</p>')
    st.html(f'<div class="pl-present">{"".join(parts)}</div>')
