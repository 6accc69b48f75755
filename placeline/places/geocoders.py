"""Geocoders behind geopy's interface: the offline gazetteer as a geopy geocoder, and the opt-in
online one (Nominatim) wrapped in geopy's ``RateLimiter`` and a SQLite cache.

This module is the only place in the places stage that talks to the network.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placeline.places.gazetteer import Gazetteer, GazetteerEntry
from placeline.settings import Settings

if TYPE_CHECKING:
    from geopy.location import Location

# geopy is imported where a Location is made: importing it costs 80-165 ms in every process,
# and the offline analysis never makes one.
KIND_RANK = {"country": 5, "continent": 4, "admin": 3, "region": 3, "water": 3, "landmark": 2}


def entry_location(entry: GazetteerEntry) -> Location:
    from geopy.location import Location
    from geopy.point import Point

    return Location(entry.name, Point(entry.lat, entry.lon), entry._asdict())


SEAT_POPULATION = 100_000


def rank_entries(entries: tuple[GazetteerEntry, ...]) -> list[GazetteerEntry]:
    """Most prominent first: kind, then capital status, then population. A province named
    like its big city ("Aleppo") ranks as a city, after it."""
    seat_countries = {e.country for e in entries
                      if e.kind == "city" and e.population >= SEAT_POPULATION}

    def prominence(entry: GazetteerEntry) -> tuple:
        kind = entry.kind
        if kind == "admin" and entry.level == 1 and entry.country in seat_countries:
            kind = "city"
        return (KIND_RANK.get(kind, 0), entry.capital, entry.population)

    return sorted(entries, key=prominence, reverse=True)


class OfflineGeocoder:
    """geopy-compatible geocoder over the embedded gazetteer; ``Location.raw`` is the row."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        if gazetteer is None:
            from placeline.places.gazetteer import load_gazetteer

            gazetteer = load_gazetteer()
        self.gazetteer = gazetteer

    def geocode(
        self, query: str, *, exactly_one: bool = True, timeout: float | None = None, **_: Any
    ) -> Location | list[Location] | None:
        del timeout  # offline lookups never wait
        name = " ".join(str(query).split())
        entries = self.gazetteer.lookup(name)
        if not entries and name[:1].islower():
            entries = self.gazetteer.lookup(name[:1].upper() + name[1:])
        if not entries:
            return None
        locations = [entry_location(e) for e in rank_entries(entries)]
        return locations[0] if exactly_one else locations


class CachedGeocoder:
    """Any geopy geocoder behind ``RateLimiter`` and a SQLite cache, so nothing is asked twice.

    Misses (None) are cached too; errors are not, so a later run may retry. Timeouts, HTTP 429
    and 5xx answers are retried ``retries`` times (geopy's RateLimiter waits ``retry_wait``
    seconds between tries); then the error goes to the caller, which carries on offline.
    """

    def __init__(self, geocoder: Any, *, cache_path: Path, min_delay_seconds: float = 1.0,
                 timeout: float | None = None, name: str = "nominatim", retries: int = 2,
                 retry_wait: float = 2.0) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.name = name
        self.timeout = timeout
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=retries, error_wait_seconds=retry_wait,
                                    swallow_exceptions=False)
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(cache_path), check_same_thread=False)
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS geocode_cache ("
                "service TEXT, query TEXT, result TEXT, PRIMARY KEY (service, query))"
            )

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: Any) -> Location | None:
        with self._lock:
            row = self._db.execute(
                "SELECT result FROM geocode_cache WHERE service = ? AND query = ?",
                (self.name, query),
            ).fetchone()
        if row is not None:
            data = json.loads(row[0])
            if data is None:
                return None
            from geopy.location import Location
            from geopy.point import Point

            return Location(data["address"], Point(data["lat"], data["lon"]), data["raw"])
        if self.timeout is not None:
            kwargs.setdefault("timeout", self.timeout)
        location = self._geocode(query, exactly_one=True, **kwargs)
        stored = None if location is None else {
            "address": location.address, "lat": location.latitude,
            "lon": location.longitude, "raw": location.raw,
        }
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO geocode_cache VALUES (?, ?, ?)",
                (self.name, query, json.dumps(stored)),
            )
        return location


def online_geocoder_from_settings(settings: Settings | None = None) -> CachedGeocoder | None:
    """The opt-in online geocoder named by ``Settings.online_geocoder`` or None (offline)."""
    settings = settings or Settings.from_env()
    if not settings.online_geocoder:
        return None
    if settings.online_geocoder == "nominatim":
        from geopy.geocoders import Nominatim

        kwargs: dict[str, Any] = {"user_agent": settings.geocoder_user_agent,
                                  "timeout": settings.geocoder_timeout}
        if settings.geocoder_url:
            scheme, _, domain = settings.geocoder_url.partition("://")
            kwargs.update(domain=domain.rstrip("/") or scheme, scheme=scheme if domain else "https")
        geocoder = Nominatim(**kwargs)
    elif settings.online_geocoder == "photon":
        from geopy.geocoders import Photon

        kwargs = {"user_agent": settings.geocoder_user_agent, "timeout": settings.geocoder_timeout}
        if settings.geocoder_url:
            scheme, _, domain = settings.geocoder_url.partition("://")
            kwargs.update(domain=domain.rstrip("/"), scheme=scheme)
        geocoder = Photon(**kwargs)
    else:
        from placeline.errors import InputError

        raise InputError(f"unknown online geocoder {settings.online_geocoder!r}")
    return CachedGeocoder(
        geocoder,
        cache_path=Path(settings.cache_dir) / "geocode-cache.sqlite3",
        min_delay_seconds=settings.geocoder_min_delay,
        timeout=settings.geocoder_timeout,
        name=settings.online_geocoder,
        retries=settings.geocoder_retries,
        retry_wait=settings.geocoder_retry_wait,
    )
