"""The pipeline: ingest -> places -> timeline. ``analyze`` is the one entry point that the CLI,
the app and the evaluation share; dependencies come in as keyword arguments so tests can pass
fakes."""

from __future__ import annotations

from placeline.model import Analysis, Document
from placeline.places import PlaceFinder, find_places
from placeline.timeline import build_timeline


def analyze(document: Document, *, place_finder: PlaceFinder | None = None) -> Analysis:
    """Find the places and the timeline of one document.

    ``place_finder`` defaults to the embedded offline gazetteer; pass one built with an online
    geocoder (``PlaceFinder(online_geocoder=…)``) to look up names the gazetteer lacks.
    """
    places = find_places(document, finder=place_finder)
    timeline = build_timeline(places.document, places=places.places)
    return Analysis(
        document=timeline.document,
        places=places.places,
        unresolved=places.unresolved,
        dates=timeline.dates,
        events=timeline.events,
        notices=places.notices + timeline.notices,
    )
