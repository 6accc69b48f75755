"""Places stage: recognition rules on hand-built documents, and the seed article scored
against its gold annotation (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from placeline.model import PLACE_KINDS, Document
from placeline.places import PlaceFinder, find_places

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder()


def _mentions(result):
    return {(m.text, p.name, m.qualifier) for p in result.places for m in p.mentions}


def test_offsets_index_the_text_exactly(finder):
    text = "Moskau verhandelt mit Washington über Ost-Aleppo und die Lage in Nordsyrien."
    result = find_places(Document(id="t", text=text), finder=finder)
    assert result.places
    for place in result.places:
        assert place.kind in PLACE_KINDS
        assert 0.0 <= place.confidence <= 1.0
        for mention in place.mentions:
            assert text[mention.start:mention.end] == mention.text


def test_direction_prefix_genitive_and_hashtag(finder):
    text = "Rebellen in Ost-Aleppo. Das Schicksal Aleppos. Treffen in #Hamburg und Nordsyrien."
    found = _mentions(find_places(Document(id="t", text=text), finder=finder))
    assert ("Ost-Aleppo", "Aleppo", "east") in found
    assert ("Aleppos", "Aleppo", None) in found
    assert ("#Hamburg", "Hamburg", None) in found
    assert ("Nordsyrien", "Syria", "north") in found


def test_common_words_are_not_places(finder):
    text = "Beim Treffen in der Welt wollten sie essen. Im Osten war der Hof leer."
    assert find_places(Document(id="t", text=text), finder=finder).places == ()


def test_person_stays_a_person_in_the_article(finder):
    text = "John Kerry traf Sergej Lawrow in Genf. Kerry sagte danach nichts."
    result = find_places(Document(id="t", text=text), finder=finder)
    names = {m.text for p in result.places for m in p.mentions}
    assert "Kerry" not in names
    assert "Genf" in names


def test_one_sense_per_discourse_and_alternatives(finder):
    text = "Washington warnte. Die Regierung in Washington sagte, die USA seien bereit."
    result = find_places(Document(id="t", text=text), finder=finder)
    washington = [p for p in result.places if p.name == "Washington"]
    assert len(washington) == 1 and len(washington[0].mentions) == 2
    assert washington[0].country == "US" and washington[0].lat == pytest.approx(38.9, abs=0.1)
    assert washington[0].alternatives  # other Washingtons stay available to the user


def test_english_abbreviations_and_demonyms(finder):
    text = "The U.S. envoy met Russian officials in Charleston, W.Va., on Monday."
    found = {m.text for p in find_places(Document(id="t", text=text, lang="en"),
                                         finder=finder).places for m in p.mentions}
    assert {"U.S.", "Russian", "Charleston", "W.Va."} <= found


@pytest.mark.eval
def test_seed_article_matches_gold():
    gold_path = SEED_DIR / "gold.json"
    if not gold_path.exists():
        pytest.skip("../shared/seed is absent")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (SEED_DIR / gold["file"]).read_text(encoding="utf-8")
    result = find_places(Document(id="seed", text=text, lang=gold["lang"]))
    found = {(m.start, m.end): (p, m) for p in result.places for m in p.mentions}
    expected = {(g["start"], g["end"]): g for g in gold["places"]}
    missed = [g["surface"] for key, g in expected.items()
              if key not in found and not g.get("optional")]
    false = [m.text for key, (_, m) in found.items() if key not in expected]
    wrong = []
    for key, (place, mention) in found.items():
        if key not in expected:
            continue
        referent = gold["referents"][expected[key]["ref"]]
        if referent["geonameid"] is not None and place.id != f"geonames:{referent['geonameid']}":
            wrong.append((mention.text, place.id))
        if expected[key].get("qualifier") != mention.qualifier:
            wrong.append((mention.text, mention.qualifier))
    assert (missed, false, wrong) == ([], [], [])
