"""German places the tagger gate must not veto, on small hand-written texts: datelines in
capitals, direction-prefixed names, countries and states, a place's genitive before a noun,
and the dative plural of a country's name.

The tagger here is a stub that reads no token as a place (P(LOC) = 0 everywhere), the
worst case of a CRF meeting a sentence unlike its training data: what stays is what the
rules are sure of on their own."""

from __future__ import annotations

import pytest

from placeline.model import Document
from placeline.places import PlaceFinder, find_places
from placeline.places.recognize import gazetteer_key, recognize_toponyms
from placeline.places.tagger import TaggedSpan, TaggedText, tokenize


class StubTagger:
    """Reads no place anywhere; ``persons`` are surfaces it tags as PER (sure)."""

    def __init__(self, persons: tuple[str, ...] = ()) -> None:
        self.persons = persons

    def annotate(self, text: str) -> TaggedText:
        tokens = tokenize(text)
        spans = tuple(TaggedSpan(text.index(p), text.index(p) + len(p), "PER", 0.9)
                      for p in self.persons)
        marginals = tuple({"LOC": 0.0, "PER": 0.0, "ORG": 0.0} for _ in tokens)
        return TaggedText(text, spans, tuple(t.start for t in tokens),
                          tuple(t.end for t in tokens), marginals)


@pytest.fixture(scope="module")
def gazetteer():
    return PlaceFinder(use_tagger=False).gazetteer


def _found(text: str, gazetteer, persons: tuple[str, ...] = ()) -> dict[str, str]:
    """Mention text -> place name of every find, with the stub tagger."""
    finder = PlaceFinder(gazetteer=gazetteer, use_tagger=True,
                         tagger_loader=lambda lang: StubTagger(persons))
    result = find_places(Document(id="t", text=text, lang="de"), finder=finder)
    return {m.text: p.name for p in result.places for m in p.mentions}


def test_datelines_in_capitals_stay_places(gazetteer):
    found = _found("KASSEL - Die Stadt baut eine neue Brücke über die Fulda .", gazetteer)
    assert found.get("KASSEL") == "Kassel"
    # Without a dash: the story's first word follows the capitals at the start of a line.
    found = _found("Bericht\nBOCHUM Dass der Umbau länger dauert , ärgert viele .", gazetteer)
    assert found.get("BOCHUM") == "Bochum"


def test_german_dateline_needs_a_line_start_and_a_place(gazetteer):
    rules = {r.mention.text: r.rule for r in recognize_toponyms(
        "Der Chef sagte BOCHUM Dass nichts passiert . SPD Die Partei", gazetteer=gazetteer,
        lang="de")}
    assert rules.get("BOCHUM") != "dateline"
    assert "SPD" not in rules


def test_tagger_dateline_span_resolves_in_title_case(gazetteer):
    assert gazetteer_key("BOCHUM", gazetteer) == ("Bochum", None)
    assert gazetteer_key("XQZWV", gazetteer) is None


def test_countries_states_and_direction_names_outlive_the_gate(gazetteer):
    found = _found("Fans aus Polen und der Elfenbeinküste kamen , auch aus Nordhessen und "
                   "aus Bayern .", gazetteer)
    assert {"Polen", "Elfenbeinküste", "Nordhessen", "Bayern"} <= set(found)


def test_foreign_divisions_and_abbreviations_stay_with_the_tagger(gazetteer):
    # "Zug" is a Swiss canton and a German word; "DRC" an abbreviation of something else.
    found = _found("Im Zug der Arbeiten half der Danish Refugee Council ( DRC ) .", gazetteer)
    assert "Zug" not in found
    assert "DRC" not in found


def test_genitive_place_before_a_noun(gazetteer):
    found = _found("Das passte nicht in den Plan von Erfurts Trainer .", gazetteer)
    assert found.get("Erfurts") == "Erfurt"


def test_genitive_after_an_article_or_inside_a_person_is_no_place(gazetteer):
    # "des Kantons Bern": a noun's genitive; a span the tagger reads as a person decides.
    assert "Kantons" not in _found("Er ist Präsident des Kantons Bern .", gazetteer)
    found = _found("Die Abwehr stand , Erfurts Trainer jubelte .", gazetteer,
                   persons=("Erfurts Trainer",))
    assert "Erfurts" not in found


def test_dative_plural_of_a_country(gazetteer):
    rules = {r.mention.text: r.name for r in recognize_toponyms(
        "Das Turnier fand in Belgien und den Niederlanden statt .", gazetteer=gazetteer,
        lang="de")}
    assert rules.get("Niederlanden") == "Niederlande"
    # A town's "-en" is part of its name, not a dative: no "Bremen" -> "Breme".
    assert gazetteer_key("Bremen", gazetteer) == ("Bremen", None)


def test_town_after_a_locative_preposition(gazetteer):
    found = _found("Das Konzert fand in Den Haag statt .", gazetteer)
    assert found.get("Den Haag") == "The Hague"
    # Not where the tagger reads the words as a person.
    assert "Den Haag" not in _found("Der Preis ging in Den Haag Meier .", gazetteer,
                                    persons=("Den Haag Meier",))


def test_german_landscapes_rivers_and_lakes_are_places():
    finder = PlaceFinder()  # the shipped tagger: what a user gets
    text = "Urlaub im Harz, im Schwarzwald und am Bodensee. Hochwasser an der Mosel und der Weser."
    result = find_places(Document(id="t", text=text, lang="de"), finder=finder)
    found = {m.text: (p.kind, p.country) for p in result.places for m in p.mentions}
    assert found["Harz"] == ("region", "DE") and found["Schwarzwald"] == ("region", "DE")
    assert found["Bodensee"][0] == "water" and found["Weser"] == ("water", "DE")
    assert found["Mosel"][0] == "water"  # the river, not Mosul (an alternate name of it)


def test_german_names_of_foreign_regions():
    finder = PlaceFinder()
    text = ("Waldbrände in Kalifornien, Wahlen in Schottland, Kämpfe in Tschetschenien und "
            "ein Erdbeben auf Sizilien.")
    result = find_places(Document(id="t", text=text, lang="de"), finder=finder)
    found = {m.text: (p.kind, p.country) for p in result.places for m in p.mentions}
    assert found["Kalifornien"] == ("admin", "US")
    assert found["Schottland"] == ("admin", "GB")
    assert found["Tschetschenien"] == ("admin", "RU")
    assert found["Sizilien"] == ("admin", "IT")
