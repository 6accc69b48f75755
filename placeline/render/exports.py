"""Exports of a project (one or more analysed articles): GeoJSON, CSV, TimelineJS, StoryMapJS
and a standalone offline HTML story.

Pure functions over ``placeline.model.Analysis``. Places with the same id in several articles
become one place; events keep their article. Events the user hid are left out. Undated events
are kept and marked undated: they never borrow the publication date. Article text is escaped
wherever it becomes HTML (TimelineJS/StoryMapJS text fields, the HTML story) and neutralised
against formula injection in the CSV.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import folium

from placeline.model import Analysis, Event, Place
from placeline.render.assets import add_basemap, inline_assets
from placeline.render.escape import (
    csv_safe_cell,
    escape_html,
    escape_multiline,
    json_for_script,
    popup_html,
)

GEOJSON_SCHEMA = "placeline.geojson/1"
#: Encoding to write ``export_csv`` with: the byte-order mark makes spreadsheets read UTF-8.
CSV_ENCODING = "utf-8-sig"

CSV_COLUMNS = (
    "record_type", "article_id", "article_title", "article_published",
    "id", "name", "kind", "country", "lat", "lon", "confidence", "mentions",
    "date", "date_granularity", "date_text", "undated",
    "speaker", "speaker_role", "quote", "summary", "place_ids", "place_names",
    "start", "end",
)

_LABELS = {
    "en": {"undated": "Undated", "events": "Events", "places": "Places", "said": "said",
           "mentions": "mentions", "placeless": "Events without a place"},
    "de": {"undated": "Ohne Datum", "events": "Ereignisse", "places": "Orte", "said": "sagte",
           "mentions": "Erwähnungen", "placeless": "Ereignisse ohne Ort"},
}


@dataclass
class _MergedPlace:
    place: Place
    mentions: int = 0
    confidence: float = 0.0
    articles: list[str] = field(default_factory=list)
    events: list[tuple[Analysis, Event]] = field(default_factory=list)


def _visible_events(analysis: Analysis) -> list[Event]:
    return [e for e in analysis.events if not e.hidden]


def _date_value(event: Event) -> str | None:
    """The ISO (partial) date an event is placed at, or None when it is undated."""
    if event.date is None:
        return None
    return event.date.value or event.date.range_start


def _first_day(value: str) -> str:
    parts = value.split("-")
    year, month, day = parts[0], (parts[1:2] or ["01"])[0], (parts[2:3] or ["01"])[0]
    return f"{year}-{month}-{day}"


def _last_day(value: str) -> str:
    parts = value.split("-")
    if len(parts) >= 3:
        return value[:10]
    year = int(parts[0])
    month = int(parts[1]) if len(parts) == 2 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _event_end(event: Event) -> str | None:
    if event.date is None:
        return None
    if event.date.value:
        return _last_day(event.date.value)
    if event.date.range_end:
        return _last_day(event.date.range_end)
    return None


def _sorted_events(analyses: Sequence[Analysis]) -> list[tuple[Analysis, Event]]:
    """Dated events in time order, then the undated ones in article order."""
    pairs = [(a, e) for a in analyses for e in _visible_events(a)]
    dated = [p for p in pairs if _date_value(p[1])]
    undated = [p for p in pairs if not _date_value(p[1])]
    dated.sort(key=lambda p: _first_day(_date_value(p[1]) or ""))
    return dated + undated


def _merge_places(analyses: Sequence[Analysis]) -> dict[str, _MergedPlace]:
    merged: dict[str, _MergedPlace] = {}
    for analysis in analyses:
        for place in analysis.places:
            entry = merged.setdefault(place.id, _MergedPlace(place))
            entry.mentions += len(place.mentions)
            entry.confidence = max(entry.confidence, place.confidence)
            if analysis.document.id not in entry.articles:
                entry.articles.append(analysis.document.id)
    for analysis, event in _sorted_events(analyses):
        for place_id in dict.fromkeys(event.places):
            if place_id in merged:
                merged[place_id].events.append((analysis, event))
    return merged


def _place_names(analysis: Analysis, event: Event) -> list[str]:
    return [p.name for pid in event.places if (p := analysis.place_by_id(pid)) is not None]


def _event_record(analysis: Analysis, event: Event) -> dict:
    value = _date_value(event)
    return {
        "id": event.id,
        "article": analysis.document.id,
        "kind": event.kind,
        "summary": event.summary,
        "date": value,
        "granularity": event.date.granularity if event.date else None,
        "date_text": event.date.text if event.date else None,
        "undated": value is None,
        "speaker": event.speaker.name if event.speaker else None,
        "speaker_role": event.speaker.role if event.speaker else None,
        "quote": event.quote.text if event.quote else None,
    }


def export_geojson(analyses: Sequence[Analysis]) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946) with one Point per place.

    Properties: ``id``, ``name``, ``country``, ``kind``, ``confidence``, ``mentions`` (count over
    all articles), ``articles``, ``events`` (each with ``date`` and ``undated``), and the time
    of the place's dated events as ``times`` (sorted first days, "YYYY-MM-DD"), ``start`` and
    ``end`` (null when it has none), as TimestampedGeoJson-style tools read them.
    """
    features = []
    for place_id, entry in _merge_places(analyses).items():
        place = entry.place
        dated = [(e, _date_value(e)) for _, e in entry.events if _date_value(e)]
        times = sorted({_first_day(value) for _, value in dated if value})
        ends = sorted(end for e, _ in dated if (end := _event_end(e)))
        features.append({
            "type": "Feature",
            "id": place_id,
            "geometry": {"type": "Point",
                         "coordinates": [round(place.lon, 6), round(place.lat, 6)]},
            "properties": {
                "id": place_id,
                "name": place.name,
                "country": place.country,
                "kind": place.kind,
                "confidence": round(entry.confidence, 4),
                "mentions": entry.mentions,
                "articles": entry.articles,
                "events": [_event_record(a, e) for a, e in entry.events],
                "undated_events": sum(1 for _, e in entry.events if not _date_value(e)),
                "times": times,
                "start": times[0] if times else None,
                "end": ends[-1] if ends else None,
            },
        })
    return {
        "type": "FeatureCollection",
        "features": features,
        "placeline": {
            "schema": GEOJSON_SCHEMA,
            "articles": [_article_record(a) for a in analyses],
        },
    }


def _article_record(analysis: Analysis) -> dict:
    document = analysis.document
    return {
        "id": document.id,
        "title": document.title,
        "lang": document.lang,
        "published": document.published.isoformat() if document.published else None,
    }


def export_csv(analyses: Sequence[Analysis]) -> str:
    """One CSV table of places and events, told apart by the ``record_type`` column.

    Places come first (one row per place and article), then events in time order with the
    undated ones last (``undated`` = true, empty date). Columns are ``CSV_COLUMNS``; every text
    cell is neutralised against formula injection; numbers stay numbers. Write the string
    with ``CSV_ENCODING`` so spreadsheets read umlauts correctly.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for analysis in analyses:
        document = analysis.document
        article = [document.id, document.title,
                   document.published.isoformat() if document.published else None]
        for place in analysis.places:
            row = {
                "record_type": "place", "id": place.id, "name": place.name, "kind": place.kind,
                "country": place.country, "lat": place.lat, "lon": place.lon,
                "confidence": place.confidence, "mentions": len(place.mentions),
            }
            writer.writerow(_csv_row("place", article, row))
    for analysis, event in _sorted_events(analyses):
        document = analysis.document
        article = [document.id, document.title,
                   document.published.isoformat() if document.published else None]
        value = _date_value(event)
        row = {
            "id": event.id, "kind": event.kind, "summary": event.summary,
            "date": value, "date_granularity": event.date.granularity if event.date else None,
            "date_text": event.date.text if event.date else None,
            "undated": value is None,
            "speaker": event.speaker.name if event.speaker else None,
            "speaker_role": event.speaker.role if event.speaker else None,
            "quote": event.quote.text if event.quote else None,
            "place_ids": "; ".join(event.places),
            "place_names": "; ".join(_place_names(analysis, event)),
            "start": event.evidence.start, "end": event.evidence.end,
        }
        writer.writerow(_csv_row("event", article, row))
    return buffer.getvalue()


def _csv_row(record_type: str, article: list, values: dict) -> list[str]:
    values = {**values, "record_type": record_type, "article_id": article[0],
              "article_title": article[1], "article_published": article[2]}
    return [csv_safe_cell(values.get(column)) for column in CSV_COLUMNS]


def _timelinejs_date(value: str) -> dict:
    parts = value.split("-")
    date = {"year": int(parts[0])}
    if len(parts) > 1:
        date["month"] = int(parts[1])
    if len(parts) > 2:
        date["day"] = int(parts[2][:2])
    return date


def _event_body_html(analysis: Analysis, event: Event, labels: dict) -> str:
    pieces = []
    if event.quote is not None:
        speaker = ""
        if event.speaker is not None:
            role = f", {escape_html(event.speaker.role)}" if event.speaker.role else ""
            speaker = f"<br>— {escape_html(event.speaker.name)}{role}"
        pieces.append(f"<blockquote>{escape_multiline(event.quote.text)}{speaker}</blockquote>")
    elif event.speaker is not None:
        pieces.append(f"<p>{escape_html(event.speaker.name)} {labels['said']}</p>")
    names = _place_names(analysis, event)
    if names:
        pieces.append(f"<p>{escape_html(', '.join(names))}</p>")
    if event.date is not None and event.date.text:
        pieces.append(f"<p><i>{escape_html(event.date.text)}</i></p>")
    return "".join(pieces)


def _labels(analyses: Sequence[Analysis]) -> dict:
    lang = analyses[0].document.lang if analyses else "en"
    return _LABELS.get(lang, _LABELS["en"])


def _project_title(analyses: Sequence[Analysis]) -> str:
    titles = [a.document.title or a.document.id for a in analyses]
    if len(titles) == 1:
        return titles[0]
    return f"{titles[0]} (+{len(titles) - 1})" if titles else "placeline"


def export_timelinejs(analyses: Sequence[Analysis]) -> dict:
    """TimelineJS3 JSON (``events`` with ``start_date``/``text``, a ``title`` slide).

    Each dated event is a slide: ``start_date`` (year, month, day as far as known), ``end_date``
    for ranges, ``text.headline`` (the summary) and ``text.text`` (quote, speaker, places), all
    HTML-escaped, ``group`` (event or statement), ``unique_id`` (article:event). TimelineJS needs
    a date on every slide, so undated events are listed on the title slide, never dated.
    """
    labels = _labels(analyses)
    events = []
    undated = []
    for analysis, event in _sorted_events(analyses):
        value = _date_value(event)
        if value is None:
            undated.append((analysis, event))
            continue
        slide = {
            "start_date": _timelinejs_date(value),
            "text": {"headline": escape_html(event.summary),
                     "text": _event_body_html(analysis, event, labels)},
            "group": event.kind,
            "unique_id": f"{analysis.document.id}:{event.id}",
            "autolink": False,
        }
        if event.date is not None and event.date.value is None and event.date.range_end:
            slide["end_date"] = _timelinejs_date(event.date.range_end)
        if event.date is not None and event.date.text:
            slide["display_date"] = escape_html(event.date.text)
        events.append(slide)
    title_text = ""
    if undated:
        items = "".join(f"<li>{escape_html(e.summary)}</li>" for _, e in undated)
        title_text = f"<p>{labels['undated']}:</p><ul>{items}</ul>"
    return {
        "title": {"text": {"headline": escape_html(_project_title(analyses)),
                           "text": title_text}},
        "events": events,
        "scale": "human",
    }


def export_storymap(analyses: Sequence[Analysis]) -> dict:
    """StoryMapJS JSON: ``storymap.slides``, an overview slide then one slide per event.

    Event slides have ``location`` (lat, lon, name and zoom of the event's first place),
    ``text.headline`` / ``text.text`` (HTML-escaped) and ``date`` (the ISO date, or the word
    for undated; undated events come last). StoryMapJS needs a location on every slide after
    the overview, so events without a place are counted on the overview instead.
    """
    labels = _labels(analyses)
    slides = []
    placeless = 0
    for analysis, event in _sorted_events(analyses):
        place = next((p for pid in event.places if (p := analysis.place_by_id(pid))), None)
        if place is None:
            placeless += 1
            continue
        value = _date_value(event)
        slides.append({
            "date": value or labels["undated"],
            "location": {"lat": place.lat, "lon": place.lon, "name": escape_html(place.name),
                         "zoom": 6 if place.kind in ("country", "region", "continent") else 9,
                         "line": True},
            "text": {"headline": escape_html(event.summary),
                     "text": _event_body_html(analysis, event, labels)},
        })
    overview_text = ""
    if placeless:
        overview_text = f"<p>{labels['placeless']}: {placeless}</p>"
    overview = {
        "type": "overview",
        "date": "",
        "location": {"line": False},
        "text": {"headline": escape_html(_project_title(analyses)), "text": overview_text},
    }
    lang = analyses[0].document.lang if analyses else "en"
    return {
        "storymap": {
            "language": lang,
            "calculate_zoom": False,
            "map_as_image": False,
            "slides": [overview, *slides],
        }
    }


_STORY_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; }
#placeline-story { padding: 0.5rem 1.5rem 2rem; max-width: 60rem; }
#placeline-story h1 { font-size: 1.4rem; }
#placeline-story li { margin: 0.4rem 0; cursor: pointer; }
#placeline-story li:focus, #placeline-story li:hover { background: #fff3c4; outline: none; }
#placeline-story .when { font-weight: bold; margin-right: 0.5rem; }
#placeline-story .kind-statement { color: #5b3a8c; }
#placeline-story blockquote { margin: 0.2rem 0 0.2rem 1rem; font-style: italic; }
"""


def export_html(analyses: Sequence[Analysis], *, online_tiles: bool = False) -> str:
    """A standalone HTML story that works offline: a Leaflet map of the places and the event
    list in time order (undated events in their own section); clicking or pressing Enter on an
    event flies the map to its places. Every script, stylesheet and the basemap are inlined;
    all article text is escaped. ``online_tiles`` adds the optional OpenStreetMap layer.
    """
    labels = _labels(analyses)
    merged = _merge_places(analyses)
    story_map = folium.Map(location=[20, 10], zoom_start=2, tiles=None, height="60%",
                           control_scale=True)
    add_basemap(story_map, online_tiles=online_tiles)
    for entry in merged.values():
        place = entry.place
        lines = [place.country, f"{entry.mentions} {labels['mentions']}"]
        lines += [e.summary for _, e in entry.events[:5]]
        folium.CircleMarker(
            location=[place.lat, place.lon],
            radius=5 + min(entry.mentions, 10),
            color="#b2182b", fill=True, fill_opacity=0.8, weight=1,
            popup=folium.Popup(popup_html(place.name, lines), max_width=320),
            tooltip=folium.Tooltip(escape_html(place.name)),
        ).add_to(story_map)
    if merged:
        lats = [e.place.lat for e in merged.values()]
        lons = [e.place.lon for e in merged.values()]
        story_map.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]],
                             padding=(30, 30), max_zoom=7)

    coordinates: dict[str, list[list[float]]] = {}
    dated_items, undated_items = [], []
    for index, (analysis, event) in enumerate(_sorted_events(analyses)):
        key = f"ev{index}"
        coordinates[key] = [[p.lat, p.lon] for pid in event.places
                            if (p := analysis.place_by_id(pid)) is not None]
        value = _date_value(event)
        item = (
            f'<li tabindex="0" data-event="{key}" class="kind-{escape_html(event.kind)}">'
            f'<span class="when">{escape_html(value) if value else ""}</span>'
            f"{escape_html(event.summary)}"
            f"{_event_body_html(analysis, event, labels)}</li>"
        )
        (dated_items if value else undated_items).append(item)
    title = escape_html(_project_title(analyses))
    sections = [f"<h1>{title}</h1>", f"<h2>{labels['events']}</h2>",
                f"<ol>{''.join(dated_items)}</ol>"]
    if undated_items:
        sections += [f"<h2>{labels['undated']}</h2>", f"<ul>{''.join(undated_items)}</ul>"]
    script = f"""
(function () {{
  var coordinates = {json_for_script(coordinates)};
  function show(item) {{
    var points = coordinates[item.getAttribute('data-event')] || [];
    if (points.length === 1) {{ {story_map.get_name()}.flyTo(points[0], 7); }}
    else if (points.length > 1) {{ {story_map.get_name()}.flyToBounds(points, {{maxZoom: 7}}); }}
  }}
  document.querySelectorAll('#placeline-story li[data-event]').forEach(function (item) {{
    item.addEventListener('click', function () {{ show(item); }});
    item.addEventListener('keydown', function (e) {{ if (e.key === 'Enter') show(item); }});
  }});
}})();
"""
    root = story_map.get_root()
    root.header.add_child(folium.Element(f"<title>{title}</title><style>{_STORY_CSS}</style>"),
                          name="placeline_story_head")
    page = root.render()
    story = f'<section id="placeline-story">{"".join(sections)}</section><script>{script}</script>'
    page = page.replace("</body>", story + "\n</body>", 1)
    return inline_assets(page)
