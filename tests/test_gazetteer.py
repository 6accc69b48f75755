"""The compiled gazetteer: names, cache file, rebuild on changed sources."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from placeline.places.gazetteer import DATA_DIR, load_gazetteer, source_key
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
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1
    started = time.perf_counter()
    again = load_gazetteer(settings=settings, tier=tier, data_dir=data_dir)
    assert time.perf_counter() - started < 2.0
    assert again.source_key == first.source_key
    with (data_dir / "supplement.tsv").open("a", encoding="utf-8") as handle:
        handle.write("test-lake\twater\tDE\t50.0\t10.0\tTestsee\ttest row\n")
    assert source_key(tier, data_dir) != first.source_key
    rebuilt = load_gazetteer(settings=settings, tier=tier, data_dir=data_dir)
    assert rebuilt.lookup("Testsee")[0].id == "placeline:test-lake"
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1


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
