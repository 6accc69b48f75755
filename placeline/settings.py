"""One settings object, read from the environment once. Every option has a documented default
(see README, "Settings"); tests build ``Settings(...)`` directly instead of patching env."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "placeline"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    cache_dir: Path = field(default_factory=_default_cache_dir)
    db_path: Path | None = None
    online_geocoder: str | None = None  # None (offline), "nominatim" or "photon"
    geocoder_url: str | None = None  # base URL of the online geocoder, for a self-hosted one
    geocoder_user_agent: str = "placeline/0.1 (newsroom geoparser)"
    geocoder_timeout: float = 5.0
    geocoder_min_delay: float = 1.0
    geocoder_retries: int = 2  # extra tries after a timeout, HTTP 429 or 5xx
    geocoder_retry_wait: float = 2.0  # seconds before a retry (a 429's Retry-After wins)
    allow_private_urls: bool = False
    # Nationality words ("Russian officials", "syrische Armee" is not one: German adjectives
    # are lowercase) as mentions of their country; off for maps of literal places only.
    demonyms: bool = True
    # A long news article is 20,000 characters; 500,000 is analysed in seconds, while text in
    # the millions would keep the app busy for a minute (measured: 1.9 M characters, 52 s).
    max_text_chars: int = 500_000
    max_fetch_bytes: int = 10_000_000
    fetch_timeout: float = 10.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        kwargs: dict = {}
        if env.get("PLACELINE_CACHE_DIR"):
            kwargs["cache_dir"] = Path(env["PLACELINE_CACHE_DIR"])
        if env.get("PLACELINE_DB"):
            kwargs["db_path"] = Path(env["PLACELINE_DB"])
        if env.get("PLACELINE_GEOCODER"):
            kwargs["online_geocoder"] = env["PLACELINE_GEOCODER"].strip().lower() or None
        if env.get("PLACELINE_GEOCODER_URL"):
            kwargs["geocoder_url"] = env["PLACELINE_GEOCODER_URL"]
        if env.get("PLACELINE_USER_AGENT"):
            kwargs["geocoder_user_agent"] = env["PLACELINE_USER_AGENT"]
        if env.get("PLACELINE_GEOCODER_TIMEOUT"):
            kwargs["geocoder_timeout"] = float(env["PLACELINE_GEOCODER_TIMEOUT"])
        if env.get("PLACELINE_GEOCODER_RETRIES"):
            kwargs["geocoder_retries"] = int(env["PLACELINE_GEOCODER_RETRIES"])
        if env.get("PLACELINE_ALLOW_PRIVATE_URLS"):
            kwargs["allow_private_urls"] = _flag(env["PLACELINE_ALLOW_PRIVATE_URLS"])
        if env.get("PLACELINE_DEMONYMS"):
            kwargs["demonyms"] = _flag(env["PLACELINE_DEMONYMS"])
        if env.get("PLACELINE_MAX_TEXT_CHARS"):
            kwargs["max_text_chars"] = int(env["PLACELINE_MAX_TEXT_CHARS"])
        return cls(**kwargs)

    @property
    def resolved_db_path(self) -> Path:
        return self.db_path or (self.cache_dir / "placeline.sqlite3")
