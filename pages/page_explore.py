"""Explore: the map and the timeline side by side, linked both ways."""

from __future__ import annotations

from collections import Counter

import streamlit as st
from streamlit_folium import st_folium

from placeline.project import (
    EventFilter,
    article_label,
    event_rows,
    filter_events,
    place_id_from_tooltip,
    place_rows,
    sentences_mentioning,
)
from placeline.render.escape import escape_html
from placeline.render.i18n import kind_labels, place_kind_labels, t
from placeline.render.map import KIND_COLOURS, build_base_map, build_marker_layer, fit_view
from placeline.render.timeline_chart import (
    build_timeline_chart,
    build_undated_lane,
    selected_key,
)
from ui.common import (
    SELECTED_EVENT,
    SELECTED_PLACE,
    analyses,
    is_new_interaction,
    md_escape,
    persistent_widget,
    ui_lang,
)

MAP_KEY = "explore_map"
CHART_KEY = "timeline_chart"
LANE_KEY = "timeline_undated"

lang = ui_lang()
state = st.session_state
loaded = analyses()
if not loaded:
    st.info(t("no_articles", lang))
    st.stop()

places = place_rows(loaded)
place_by_id = {p.id: p for p in places}
rows = event_rows(loaded)


map_state = state.get(MAP_KEY) or {}
clicked_tooltip = map_state.get("last_object_clicked_tooltip")
click_signature = (clicked_tooltip, map_state.get("last_object_clicked_count"))
if clicked_tooltip and is_new_interaction(MAP_KEY, click_signature):
    clicked_place = place_id_from_tooltip(clicked_tooltip)
    if clicked_place in place_by_id:
        state[SELECTED_PLACE] = clicked_place
        state[SELECTED_EVENT] = None

for chart_key in (CHART_KEY, LANE_KEY):
    chart_event = selected_key(state.get(chart_key))
    if chart_event and is_new_interaction(chart_key, chart_event):
        state[SELECTED_EVENT] = chart_event

if len(loaded) == 1:
    st.title(article_label(loaded[0]))
else:
    st.title(t("articles_loaded", lang, n=len(loaded)))
# Once per distinct notice: 50 articles without a date pushed the map below the fold.
for notice, count in Counter(n for analysis in loaded for n in analysis.notices).items():
    st.caption(notice if count == 1 else f"{notice} ({count}×)")

labels = kind_labels(lang)
place_labels = place_kind_labels(lang)
with st.expander(t("filters", lang)):
    columns = st.columns(4)
    titles = {a.document.id: article_label(a) for a in loaded}
    choices = {
        "kinds": ["event", "statement"],
        "speakers": sorted({r.speaker for r in rows if r.speaker}),
        "countries": sorted({p.country for p in places if p.country}),
        "articles": list(titles),
    }
    kinds = columns[0].multiselect(
        t("filter_kind", lang), choices["kinds"], format_func=labels.get,
        **persistent_widget("filter_kinds", "f_kinds", options=choices["kinds"]),
    )
    speakers = columns[1].multiselect(
        t("filter_speaker", lang), choices["speakers"],
        **persistent_widget("filter_speakers", "f_speakers", options=choices["speakers"]),
    )
    countries = columns[2].multiselect(
        t("filter_country", lang), choices["countries"],
        **persistent_widget("filter_countries", "f_countries", options=choices["countries"]),
    )
    articles = columns[3].multiselect(
        t("filter_article", lang), choices["articles"], format_func=titles.get,
        **persistent_widget("filter_articles", "f_articles", options=choices["articles"]),
    )
    dated = sorted(r.start for r in rows if r.start)
    date_from = date_to = None
    if len(dated) >= 2 and dated[0] < dated[-1]:
        date_from, date_to = st.slider(
            t("filter_dates", lang), min_value=dated[0], max_value=dated[-1],
            value=(dated[0], dated[-1]), key="f_dates",
        )

selected_place = state.get(SELECTED_PLACE)
if selected_place not in place_by_id:
    selected_place = state[SELECTED_PLACE] = None
event_filter = EventFilter(
    place_id=selected_place,
    kinds=tuple(kinds),
    speakers=tuple(speakers),
    countries=tuple(countries),
    articles=tuple(articles),
    date_from=date_from,
    date_to=date_to,
)
visible_rows = filter_events(rows, event_filter)
row_by_key = {r.key: r for r in visible_rows}
if state.get(SELECTED_EVENT) not in row_by_key:
    state[SELECTED_EVENT] = None
selected_event = row_by_key.get(state.get(SELECTED_EVENT))

visible_places = [
    p for p in places
    if (not articles or set(p.articles) & set(articles))
    and (not countries or p.country in countries)
]
highlighted = selected_event.places if selected_event else ()
if selected_event and selected_event.places:
    center, zoom = fit_view([place_by_id[p] for p in selected_event.places if p in place_by_id])
elif selected_place:
    center, zoom = (place_by_id[selected_place].lat, place_by_id[selected_place].lon), 6
else:
    center, zoom = fit_view(visible_places)

map_column, timeline_column = st.columns([3, 2])
with map_column:
    st_folium(
        build_base_map(online_tiles=bool(state.get("online_tiles"))),
        key=MAP_KEY,
        center=center,
        zoom=zoom,
        feature_group_to_add=build_marker_layer(
            visible_places, selected_place=selected_place, highlighted=highlighted
        ),
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked_count"],
        height=480,
        use_container_width=True,
    )
    if places:
        shown_kinds = sorted({p.kind for p in visible_places})
        st.html(
            '<div style="font-size:.85rem">' + " ".join(
                f'<span style="display:inline-block;width:.8em;height:.8em;border-radius:50%;'
                f'background:{KIND_COLOURS.get(kind, "#999")}"></span> '
                f"{escape_html(place_labels.get(kind, kind))}"
                for kind in shown_kinds
            ) + "</div>"
        )
    else:
        st.info(t("no_places", lang))
with timeline_column:
    st.subheader(t("timeline", lang))
    selected_key_now = selected_event.key if selected_event else None
    charts = (
        (CHART_KEY, build_timeline_chart(
            visible_rows, selected_event=selected_key_now, labels=labels, lang=lang
        )),
        (LANE_KEY, build_undated_lane(visible_rows, selected_event=selected_key_now, labels=labels)),
    )
    for chart_key, chart in charts:
        if chart is not None:
            st.altair_chart(chart, on_select="rerun", key=chart_key, width="stretch")
    st.caption(t("event_count", lang, n=len(visible_rows), total=len(rows)))
    if selected_place:
        st.markdown(t("selected_place", lang, name=md_escape(place_by_id[selected_place].name)))
        if st.button(t("clear_place", lang), key="clear_place"):
            state[SELECTED_PLACE] = None
            state[SELECTED_EVENT] = None
            st.rerun()
    if selected_event:
        with st.container(border=True):
            st.markdown(
                f"**{md_escape(selected_event.date_value or t('undated', lang))}** · "
                f"{labels[selected_event.kind]}"
            )
            if selected_event.speaker:
                role = f" ({selected_event.speaker_role})" if selected_event.speaker_role else ""
                st.markdown(md_escape(selected_event.speaker + role))
            if selected_event.quote:
                st.markdown("> " + md_escape(selected_event.quote))
            st.markdown(md_escape(selected_event.summary))
            names = [place_by_id[p].name for p in selected_event.places if p in place_by_id]
            if names:
                st.caption(t("places", lang) + ": " + ", ".join(names))



def event_label(row) -> str:
    names = [place_by_id[p].name for p in row.places if p in place_by_id]
    where = f" — {', '.join(names[:3])}" if names else ""
    return f"{row.date_value or t('undated', lang)} · {row.summary[:90]}{where}"


event_keys = [None] + [r.key for r in visible_rows]
st.selectbox(
    t("select_event", lang),
    event_keys,
    format_func=lambda key: t("none", lang) if key is None else event_label(row_by_key[key]),
    placeholder=t("none", lang),
    **persistent_widget(SELECTED_EVENT, "event_picker"),
)
st.selectbox(
    t("select_place", lang),
    [None] + [p.id for p in places],
    format_func=lambda pid: t("none", lang) if pid is None else (
        f"{place_by_id[pid].name} ({place_by_id[pid].country or '–'})"
    ),
    placeholder=t("none", lang),
    **persistent_widget(SELECTED_PLACE, "place_picker"),
)

if selected_place:
    place = place_by_id[selected_place]
    st.subheader(t("sentences_about", lang, name=place.name))
    for hit in sentences_mentioning(loaded, selected_place):
        pieces, cursor = [], 0
        for start, end in hit.mentions:
            pieces.append(md_escape(hit.sentence[cursor:start]))
            pieces.append("**" + md_escape(hit.sentence[start:end]) + "**")
            cursor = end
        pieces.append(md_escape(hit.sentence[cursor:]))
        st.markdown("".join(pieces).replace("\n", " "))

events_column, places_column = st.columns([3, 2])
with events_column:
    st.subheader(t("events", lang))
    if visible_rows:
        st.dataframe(
            [
                {
                    t("date", lang): r.date_value or t("undated", lang),
                    t("kind", lang): labels[r.kind],
                    t("speaker", lang): r.speaker or "",
                    t("summary", lang): r.summary,
                    t("article", lang): r.article,
                    t("edited", lang): "✎" if r.edited else "",
                }
                for r in visible_rows
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(t("no_events", lang))
with places_column:
    st.subheader(t("places", lang))
    st.dataframe(
        [
            {
                t("place", lang): p.name,
                t("country", lang): p.country,
                t("kind", lang): place_labels.get(p.kind, p.kind),
                t("mentions", lang): p.mentions,
                t("confidence", lang): round(p.confidence, 2),
                "id": p.id,
                t("edited", lang): "✎" if p.edited else "",
            }
            for p in visible_places
        ],
        hide_index=True,
        width="stretch",
    )
