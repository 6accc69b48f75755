"""The compiled gazetteer: names, cache file, rebuild on changed sources."""

from __future__ import annotations

import json
import pickle
import shutil
import struct
import time
from pathlib import Path

import pytest

from placeline.places import gazetteer as gazetteer_module
from placeline.places.gazetteer import (
    DATA_DIR,
    MAGIC,
    CorruptIndexError,
    Gazetteer,
    GazetteerEntry,
    index_path,
    load_gazetteer,
    read_index,
    source_key,
    write_index,
)
from placeline.settings import Settings


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_country_short_forms_and_german_names(gazetteer):
    for name in ("USA", "Vereinigte Staaten", "Großbritannien", "UK", "Syrien", "Kanada"):
        kinds = {e.kind for e in gazetteer.lookup(name)}
        assert kinds == {"country"}, name
    assert gazetteer.lookup("Vereinigten Staaten")[0].id == "geonames:6252001"


def test_codes_and_lowercase_alternate_names_are_dropped(gazetteer):
    # "USA" is an alternate name of Concord (US) in GeoNames; "am" of several places.
    assert all(e.kind == "country" for e in gazetteer.lookup("USA"))
    assert gazetteer.lookup("am") == ()


def test_supplement_and_other_scripts(gazetteer):
    assert gazetteer.lookup("Kreml")[0].id == "placeline:kremlin"
    assert gazetteer.lookup("Nahost")[0].kind == "region"
    assert gazetteer.lookup("Гамбург")[0].id == "geonames:2911298"


def test_index_is_cached_and_rebuilt_when_the_supplement_changes(tmp_path: Path):
    data_dir = tmp_path / "gazetteer"
    shutil.copytree(DATA_DIR, data_dir)
    settings = Settings(cache_dir=tmp_path / "cache")
    tier = "cities15000"
    first = load_gazetteer(settings=settings, tier=tier, data_dir=data_dir)
    assert len(list((tmp_path / "cache").glob("gazetteer-*.index"))) == 1
    started = time.perf_counter()
    again = load_gazetteer(settings=settings, tier=tier, data_dir=data_dir)
    assert time.perf_counter() - started < 2.0
    assert again.source_key == first.source_key
    with (data_dir / "supplement.tsv").open("a", encoding="utf-8") as handle:
        handle.write("test-lake\twater\tDE\t50.0\t10.0\tTestsee\ttest row\n")
    assert source_key(tier, data_dir) != first.source_key
    rebuilt = load_gazetteer(settings=settings, tier=tier, data_dir=data_dir)
    assert rebuilt.lookup("Testsee")[0].id == "placeline:test-lake"
    assert len(list((tmp_path / "cache").glob("gazetteer-*.index"))) == 1


def test_first_and_second_level_divisions(gazetteer):
    ontario = [e for e in gazetteer.lookup("Ontario") if e.kind == "admin"]
    assert [(e.country, e.level) for e in ontario] == [("CA", 1)]
    assert 45 < ontario[0].lat < 55 and -95 < ontario[0].lon < -75
    counties = gazetteer.lookup("Laurel County")
    assert {(e.country, e.admin1, e.level) for e in counties} >= {("US", "KY", 2)}
    # One Georgia is the country, one the US state; states are not duplicated by the divisions.
    assert sorted(e.kind for e in gazetteer.lookup("Georgia") if e.kind != "city") == [
        "admin", "country"]


def test_division_names_that_are_words_or_given_names_are_not_indexed(gazetteer):
    # "North" (a region of Cameroon), "Central" (Ghana), "Michael" (Isle of Man).
    for word in ("North", "Central", "Michael"):
        assert not any(e.level for e in gazetteer.lookup(word)), word


def test_german_words_that_look_like_genitives_are_known_as_words(gazetteer):
    # "Was" would otherwise read as the genitive of "Wa" (Ghana).
    assert gazetteer.zipf("Was", "de") > gazetteer.zipf("Wa", "de") + 0.5
    assert gazetteer.zipf("Syriens", "de") < gazetteer.zipf("Syrien", "de")


def _small_gazetteer(key: str = "k") -> Gazetteer:
    entries = (
        GazetteerEntry("geonames:1", "Springfield", "US", 39.80172, -89.64371, "city", 114_394,
                       "IL", True),
        GazetteerEntry("geonames:2", "Springfield", "US", 42.10148, -72.58981, "city", 153_060,
                       "MA", False),
        GazetteerEntry("geonames:3", "Köln", "DE", 50.93333, 6.95, "city", 963_395, "07",
                       False),
        GazetteerEntry("placeline:x", "Nahost", "", 29.0, 41.0, "region", 0, "", False),
        GazetteerEntry("geonames:4", "Kent", "GB", 51.25, 0.75, "admin", 0, "ENG", False, 2),
    )
    names = {"Springfield": (0, 1), "Köln": (2,), "Cologne": (2,), "Кёльн": (2,),
             "Nahost": (3,), "Kent": (4,)}
    return Gazetteer(entries=entries, names=names,
                     word_zipf={"Kent": (2.5, 3.75), "Kölns": (3.25, 0.0)}, source_key=key,
                     english_only=frozenset({"Cologner"}))


def test_index_file_reads_back_what_was_written(tmp_path: Path):
    built = _small_gazetteer()
    path = tmp_path / "small.index"
    write_index(built, path)
    stored = read_index(path, "k")
    for name in built.names:
        assert name in stored
        assert stored.lookup(name) == built.lookup(name)
    assert [e.admin1 for e in stored.lookup("Springfield")] == ["IL", "MA"]
    assert stored.lookup("Kölle") == () and "Springfiel" not in stored
    # Not strings, or strings that cannot be UTF-8 (lone surrogates from a bad decode).
    assert 42 not in stored and "K\ud800" not in stored and stored.lookup("K\ud800") == ()
    assert stored.zipf("Kölns", "de") == 3.25 and stored.zipf("Kent", "en") == 3.75
    assert stored.zipf("Köln", "de") == 0.0
    assert stored.by_id("geonames:4").level == 2 and stored.by_id("geonames:9") is None
    assert stored.entries == built.entries and hash(stored.entries) == hash(built.entries)
    assert stored.entries[-1] == built.entries[-1] and stored.entries[1:3] == built.entries[1:3]
    assert tuple(stored.names.items()) == tuple(built.names.items())
    assert tuple(stored.word_zipf.items()) == tuple(built.word_zipf.items())
    assert stored.english_only == built.english_only and stored.source_key == "k"
    assert stored.lookup("Köln")[0] is stored.lookup("Cologne")[0]  # one object per row
    with pytest.raises(CorruptIndexError):
        read_index(path, "another key")


class _Trap:
    """Unpickling this creates a file: proof that a loader executed what it read."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _damage_header(path: Path) -> None:
    data = path.read_bytes()
    start = len(MAGIC) + 4
    (length,) = struct.unpack("<I", data[len(MAGIC):start])
    meta = json.loads(data[start:start + length])
    meta["format"] = "0"
    header = json.dumps(meta).encode()
    path.write_bytes(MAGIC + struct.pack("<I", len(header)) + header + data[start + length:])


@pytest.mark.parametrize("damage", [
    lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),  # partial
    lambda path: path.write_bytes(path.read_bytes()[:-3] + b"xyz"),  # damaged payload
    lambda path: path.write_bytes(b""),
    lambda path: path.write_bytes(b"not an index at all"),
    _damage_header,  # another format version
])
def test_a_partial_or_damaged_index_file_is_rebuilt(tmp_path: Path, monkeypatch, damage):
    builds = []

    def fake_build(tier, data_dir):
        builds.append(tier)
        return _small_gazetteer(source_key(tier, data_dir))

    monkeypatch.setattr(gazetteer_module, "build_gazetteer", fake_build)
    settings = Settings(cache_dir=tmp_path)
    stale = tmp_path / "gazetteer-cities15000-0123456789abcdef.pickle"  # an older format
    stale.write_bytes(b"old")
    first = load_gazetteer(settings=settings, tier="cities15000")
    assert builds == ["cities15000"] and not stale.exists()
    assert load_gazetteer(settings=settings, tier="cities15000").lookup("Köln")
    assert len(builds) == 1  # the second load read the file
    damage(index_path(settings, "cities15000"))
    rebuilt = load_gazetteer(settings=settings, tier="cities15000")
    assert len(builds) == 2
    assert rebuilt.lookup("Springfield") == first.lookup("Springfield")
    assert read_index(index_path(settings, "cities15000")).lookup("Kent")  # whole again


def test_loading_never_executes_the_cache_file(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(gazetteer_module, "build_gazetteer",
                        lambda tier, data_dir: _small_gazetteer(source_key(tier, data_dir)))
    settings = Settings(cache_dir=tmp_path)
    marker = tmp_path / "executed"
    path = index_path(settings, "cities15000")
    path.write_bytes(pickle.dumps(_Trap(marker)))
    assert load_gazetteer(settings=settings, tier="cities15000").lookup("Kent")
    assert not marker.exists()


def test_division_spellings_and_codes_news_uses(gazetteer):
    nsw = gazetteer.lookup("NSW")
    assert [(e.kind, e.country, e.name) for e in nsw] == [("admin", "AU", "New South Wales")]
    assert {e.id for e in gazetteer.lookup("KZN")} == {e.id for e in gazetteer.lookup("KwaZulu-Natal")}
    # The state of Victoria is indexed although "Victoria" is a given name.
    assert any(e.kind == "admin" and e.country == "AU" for e in gazetteer.lookup("Victoria"))
    # Codes that are English words stay out; so do other given names as divisions.
    assert not any(e.country == "AU" for e in gazetteer.lookup("SA"))
    assert {e.kind for e in gazetteer.lookup("Darfur")} == {"region"}
    assert any(e.kind == "country" for e in gazetteer.lookup("Democratic Republic of Congo"))
