"""Event rows -> an Altair (Vega-Lite) timeline; Vega ships with streamlit and works offline.

Dated events sit on a time axis in one lane per kind; undated events get their own lane (a
second chart) in text order, so they are visible instead of silently dropped. Both charts have
the selection parameter ``event`` (on the field ``key``) that the app reads back.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from placeline.project import EventRow

SELECTION_NAME = "event"
KIND_COLOURS = {"event": "#0072B2", "statement": "#D55E00"}  # Okabe-Ito, colour-blind safe
KIND_SHAPES = {"event": "circle", "statement": "diamond"}


def timeline_frame(rows: Sequence[EventRow], *, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """One line per event with the columns the chart encodes."""
    labels = labels or {}
    records = []
    for order, row in enumerate(rows):
        records.append(
            {
                "key": row.key,
                "kind": labels.get(row.kind, row.kind),
                "kind_code": row.kind,
                "start": pd.Timestamp(row.start) if row.start else pd.NaT,
                "end": pd.Timestamp(row.end) if row.end else pd.NaT,
                "date": row.date_value or labels.get("undated", "undated"),
                "summary": ("✎ " if row.edited else "") + row.summary[:140],
                "speaker": row.speaker or "",
                "article": row.article,
                "order": order,
            }
        )
    columns = ["key", "kind", "kind_code", "start", "end", "date", "summary", "speaker",
               "article", "order"]
    return pd.DataFrame.from_records(records, columns=columns)


def _encodings(labels: dict[str, str], selected_event: str | None) -> dict:
    is_selected = alt.datum.key == (selected_event or "")
    return {
        "color": alt.Color(
            "kind_code:N",
            scale=alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values())),
            legend=None,
        ),
        "shape": alt.Shape(
            "kind_code:N",
            scale=alt.Scale(domain=list(KIND_SHAPES), range=list(KIND_SHAPES.values())),
            legend=None,
        ),
        "size": alt.condition(is_selected, alt.value(420), alt.value(140)),
        "stroke": alt.condition(is_selected, alt.value("#000000"), alt.value("#ffffff")),
        "tooltip": [
            alt.Tooltip("date:N", title=labels.get("date", "date")),
            alt.Tooltip("kind:N", title=labels.get("kind", "kind")),
            alt.Tooltip("speaker:N", title=labels.get("speaker", "speaker")),
            alt.Tooltip("summary:N", title=labels.get("summary", "summary")),
        ],
    }


def build_timeline_chart(
    rows: Sequence[EventRow],
    *,
    selected_event: str | None = None,
    labels: dict[str, str] | None = None,
) -> alt.LayerChart | None:
    """Dated events on a time axis, one lane per kind; month and year dates as bars.

    None when no event is dated. Clicking a point selects it (parameter ``event``).
    """
    labels = labels or {}
    frame = timeline_frame(rows, labels=labels)
    dated = frame[frame["start"].notna()]
    if not len(dated):
        return None
    encodings = _encodings(labels, selected_event)
    y = alt.Y("kind:N", title=None)
    spans = (
        alt.Chart(dated[dated["end"] > dated["start"]])
        .mark_rule(strokeWidth=6, opacity=0.35)
        .encode(x="start:T", x2="end:T", y=y, color=encodings["color"])
    )
    points = (
        alt.Chart(dated)
        .mark_point(filled=True, opacity=0.9, strokeWidth=2)
        .encode(x=alt.X("start:T", title=labels.get("date", "date")), y=y, **encodings)
        .add_params(alt.selection_point(name=SELECTION_NAME, fields=["key"], on="click"))
    )
    return alt.layer(spans, points).properties(height=150)


def build_undated_lane(
    rows: Sequence[EventRow],
    *,
    selected_event: str | None = None,
    labels: dict[str, str] | None = None,
) -> alt.Chart | None:
    """The events without a date, in text order, as their own lane (None when there are none)."""
    labels = labels or {}
    frame = timeline_frame(rows, labels=labels)
    undated = frame[frame["start"].isna()]
    if not len(undated):
        return None
    return (
        alt.Chart(undated)
        .mark_point(filled=True, opacity=0.9, strokeWidth=2)
        .encode(
            x=alt.X("order:O", axis=None),
            y=alt.Y("kind:N", title=labels.get("undated", "undated")),
            **_encodings(labels, selected_event),
        )
        .add_params(alt.selection_point(name=SELECTION_NAME, fields=["key"], on="click"))
        .properties(height=80)
    )


def selected_key(selection_state: object) -> str | None:
    """The event key from ``st.altair_chart(..., on_select="rerun")``'s returned state."""
    try:
        points = selection_state["selection"][SELECTION_NAME]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    if isinstance(points, list) and points and isinstance(points[0], dict):
        return points[0].get("key")
    return None
