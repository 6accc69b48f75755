"""Event rows -> an Altair (Vega-Lite) timeline; Vega ships with streamlit and works offline.

Dated events sit on a time axis in one lane per kind; undated events get their own lane (a
second chart) in text order, so they are visible instead of silently dropped. Both charts have
the selection parameter ``event`` (on the field ``key``) that the app reads back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from placeline.project import EventRow

SELECTION_NAME = "event"
# d3-time-format locale definitions (the shape of d3's locale files) for Vega-Lite's
# ``config.locale``: the axis names months and weekdays in the UI language. English is
# Vega's default and needs none.
TIME_LOCALES: dict[str, dict] = {
    "de": {
        "dateTime": "%A, der %e. %B %Y, %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag",
                 "Samstag"],
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                   "September", "Oktober", "November", "Dezember"],
        "shortMonths": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt",
                        "Nov", "Dez"],
    },
}
NUMBER_LOCALES: dict[str, dict] = {
    "de": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
}
KIND_COLOURS = {"event": "#0072B2", "statement": "#D55E00"}  # Okabe-Ito, colour-blind safe
KIND_SHAPES = {"event": "circle", "statement": "diamond"}


def timeline_frame(rows: Sequence[EventRow], *, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """One line per event with the columns the chart encodes."""
    labels = labels or {}
    undated = labels.get("undated", "undated")
    # Column by column: one pd.Timestamp per row was most of the chart's time for 2,000 events.
    return pd.DataFrame(
        {
            "key": [row.key for row in rows],
            "kind": [labels.get(row.kind, row.kind) for row in rows],
            "kind_code": [row.kind for row in rows],
            "start": pd.to_datetime(pd.Series([row.start for row in rows], dtype=object)),
            "end": pd.to_datetime(pd.Series([row.end for row in rows], dtype=object)),
            "date": [row.date_value or undated for row in rows],
            "summary": [row.summary[:140] for row in rows],
            "speaker": [row.speaker or "" for row in rows],
            "article": [row.article for row in rows],
            "order": range(len(rows)),
        }
    )


def _encodings(labels: dict[str, str], selected_event: str | None) -> dict:
    # Typed channels and value definitions throughout: a shorthand string or an
    # ``alt.condition`` dict makes Altair search its schema for the matching class, several
    # milliseconds per channel on every rerun.
    is_selected = f"datum.key === {json.dumps(selected_event or '')}"
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
        "size": alt.SizeValue(140, condition={"test": is_selected, "value": 420}),
        "stroke": alt.StrokeValue("#ffffff", condition={"test": is_selected, "value": "#000000"}),
        "tooltip": [
            alt.Tooltip("date:N", title=labels.get("date", "date")),
            alt.Tooltip("kind:N", title=labels.get("kind", "kind")),
            alt.Tooltip("speaker:N", title=labels.get("speaker", "speaker")),
            alt.Tooltip("summary:N", title=labels.get("summary", "summary")),
        ],
    }


def chart_locale(lang: str) -> alt.Locale | None:
    """Vega-Lite's ``config.locale`` for the UI language (None: Vega's English default)."""
    if lang not in TIME_LOCALES:
        return None
    return alt.Locale(
        time=alt.TimeLocale(**TIME_LOCALES[lang]),
        number=alt.NumberLocale(**NUMBER_LOCALES[lang]),
    )


def build_timeline_chart(
    rows: Sequence[EventRow],
    *,
    selected_event: str | None = None,
    labels: dict[str, str] | None = None,
    lang: str = "en",
) -> alt.LayerChart | None:
    """Dated events on a time axis, one lane per kind; month and year dates as bars.

    None when no event is dated. Clicking a point selects it (parameter ``event``). The time
    axis names months and weekdays in ``lang`` (``chart_locale``); ``labels`` translate the
    titles.
    """
    labels = labels or {}
    dated = timeline_frame([row for row in rows if row.start is not None], labels=labels)
    if not len(dated):
        return None
    encodings = _encodings(labels, selected_event)
    y = alt.Y("kind:N", title=None)
    spans = (
        alt.Chart(dated[dated["end"] > dated["start"]])
        .mark_rule(strokeWidth=6, opacity=0.35)
        .encode(x=alt.X("start:T"), x2=alt.X2("end"), y=y, color=encodings["color"])
    )
    points = (
        alt.Chart(dated)
        .mark_point(filled=True, opacity=0.9, strokeWidth=2)
        .encode(x=alt.X("start:T", title=labels.get("date", "date")), y=y, **encodings)
        .add_params(alt.selection_point(name=SELECTION_NAME, fields=["key"], on="click"))
    )
    chart = alt.layer(spans, points).properties(height=150)
    locale = chart_locale(lang)
    return chart if locale is None else chart.configure(locale=locale)


def build_undated_lane(
    rows: Sequence[EventRow],
    *,
    selected_event: str | None = None,
    labels: dict[str, str] | None = None,
) -> alt.Chart | None:
    """The events without a date, in text order, as their own lane (None when there are none)."""
    labels = labels or {}
    undated = timeline_frame([row for row in rows if row.start is None], labels=labels)
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
