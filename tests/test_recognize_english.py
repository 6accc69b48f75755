"""English toponym recognition rules on small hand-written texts: possessives, abbreviations
the article defines, persons quoted by a town's name, given names, disease names, streets
and dates."""

from __future__ import annotations

import pytest

from placeline.model import Document
from placeline.places import PlaceFinder, find_places
from placeline.places.recognize import recognize_toponyms


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder(use_tagger=False)


def _found(text: str, finder: PlaceFinder) -> dict[str, str]:
    """Mention text -> place name of every find."""
    result = find_places(Document(id="t", text=text, lang="en"), finder=finder)
    return {m.text: p.name for p in result.places for m in p.mentions}


def _places_by_mention(text: str, finder: PlaceFinder) -> dict[str, str]:
    result = find_places(Document(id="t", text=text, lang="en"), finder=finder)
    return {f"{m.text}@{m.start}": p.id for p in result.places for m in p.mentions}


def test_possessive_names_the_place(finder):
    text = ("Officials confirmed Norway's second case on Friday. "
            "It is the United Kingdom's first outbreak this year.")
    found = _found(text, finder)
    assert found.get("Norway") == "Norway"
    assert found.get("United Kingdom") == "United Kingdom"
    result = find_places(Document(id="t", text=text, lang="en"), finder=finder)
    for place in result.places:
        for mention in place.mentions:
            assert text[mention.start:mention.end] == mention.text
            assert not mention.text.endswith("'s")


def test_apostrophe_inside_a_name_still_joins(finder):
    gazetteer = finder.gazetteer
    text = "Cocoa prices rose in Côte d'Ivoire this week."
    found = {r.mention.text: r.evidence
             for r in recognize_toponyms(text, gazetteer=gazetteer, lang="en")}
    assert found.get("Côte d'Ivoire", 0.0) > 0


def test_abbreviation_defined_in_parentheses_names_the_place(finder):
    text = ("Horses were tested across New South Wales (NSW) last week. "
            "Racing in NSW resumes on Monday, while Tasmania stays closed.")
    by_mention = _places_by_mention(text, finder)
    nsw = [pid for key, pid in by_mention.items() if key.startswith("NSW@")]
    full = [pid for key, pid in by_mention.items() if key.startswith("New South Wales@")]
    assert len(nsw) == 2  # the definition and the later use
    assert full and set(nsw) == set(full)


def test_abbreviation_of_a_country_with_lowercase_words(finder):
    text = ("Aid reached the Democratic Republic of the Congo (DRC) by road. "
            "Doctors in the DRC reported new cases.")
    found = _found(text, finder)
    assert found.get("DRC") == found.get("Democratic Republic of the Congo")
    assert found.get("DRC") is not None


def test_parenthesised_letters_that_are_not_initials_stay_unknown(finder):
    text = "Flooding closed roads in Ohio (AP) on Sunday. The AP said more rain is due."
    found = _found(text, finder)
    assert "Ohio" in found
    assert "AP" not in found


def test_dc_after_washington(finder):
    text = "A patient was flown to a hospital in Washington, D.C. on Tuesday."
    found = _found(text, finder)
    assert "Washington" in found
    assert "D.C." in found


def test_dateline_in_capitals(finder):
    text = ("Bridge reopens after crash.\nHARTFORD, Conn. -- All lanes of the bridge reopened "
            "on Monday.\nPORTLAND — Officials said the road is clear.")
    found = _found(text, finder)
    assert found.get("HARTFORD") == "Hartford"
    assert "PORTLAND" in found


def test_ascii_spelling_of_a_big_city(finder):
    text = "He spent a night in a Montreal jail before flying home."
    assert "Montreal" in _found(text, finder)


def test_someone_in_a_town_told(finder):
    text = "A nurse at a clinic in Austin told reporters the wards were full."
    assert "Austin" in _found(text, finder)


def test_regions_islands_and_division_codes(finder):
    text = ("Aid reached Darfur and the island of Java this week. Fires burned in NSW while "
            "officials in KwaZulu-Natal and the Democratic Republic of Congo reported cases.")
    found = _found(text, finder)
    for name in ("Darfur", "Java", "NSW", "KwaZulu-Natal", "Democratic Republic of Congo"):
        assert name in found, name
    assert found["NSW"] == "New South Wales"


def test_spaced_state_abbreviation_is_the_whole_state(finder):
    found = _found("The crash happened near Charleston, W. Va. on Monday.", finder)
    assert found.get("W. Va.") == "West Virginia"
    assert "Va." not in found


def test_known_name_ends_an_unknown_county_phrase(finder):
    text = "The Republican Orange County official met voters on Tuesday."
    result = find_places(Document(id="t", text=text, lang="en"), finder=finder)
    assert "Orange County" in {m.text for p in result.places for m in p.mentions}
    assert not any("Republican" in m.text for m in result.unresolved)


def test_title_case_particles_and_missing_countries(finder):
    found = _found("Cholera reached Port-Au-Prince. Palestinian and Saudi officials met in "
                   "Kosovo with European diplomats.", finder)
    assert found.get("Port-Au-Prince") == "Port-au-Prince"
    for name in ("Palestinian", "Saudi", "Kosovo", "European"):
        assert name in found, name
    no_demonyms = PlaceFinder(use_tagger=False, demonyms=False)
    plain = _found("Palestinian and European officials met in Kosovo.", no_demonyms)
    assert "Palestinian" not in plain and "European" not in plain and "Kosovo" in plain


# (what the rule is, text, mentions that must be found, words no find may be)
PRESENT_AND_ABSENT = [
    ("a town quoted as a speaker is a person",
     ('"The water is safe now," said Carlisle. Engineers from Leeds checked the pipes. '
     "Carlisle added that the tests would go on."), {"Leeds"}, {"Carlisle"}),
    ("a capital that speaks stays a place",
     'Moscow said on Monday, "We will answer." Talks in Geneva follow.', {"Moscow", "Geneva"},
     set()),
    ("given names make persons",
     ("The mayor, Tim Whitley, visited the school. Nelson Mandela spoke in Johannesburg. "
     "Whitley later flew to Houston."), {"Johannesburg", "Houston"},
     {"Tim", "Whitley", "Nelson", "Mandela"}),
    ("a disease name is one sense per article",
     ("Mosquitoes carrying West Nile virus were trapped near Toledo. "
     "West Nile cases usually peak in August."), {"Toledo"}, {"Nile"}),
    ("streets and dates are not places",
     "The crash happened on Dublin Road near Columbus on October 6. Repairs start in Spring 2025.",
     {"Columbus"}, {"Dublin", "October", "Spring"}),
    ("a town name opening a longer name",
     ("Relief for survivors of Hurricane Ophelia arrived in Cork. "
     "The trophy went to Lander Vermeulen of Belgium."), {"Cork", "Belgium"}, {"Hurricane", "Lander"}),
    ("organisations, storms, strains and name particles are no places",
     ("Voice of America and Radio Pyongyang quoted the Xinhua News Agency. Survivors of Hurricane "
     "Katrina got an A/California/7/2009 vaccine. Trainer Mike de Kock and Socorro Molina, a "
     "parent, spoke in Santa Ana, California."), {"Santa Ana", "California"},
     {"America", "Pyongyang", "Xinhua", "Hurricane", "Kock", "Socorro", "Molina"}),
    ("the home town in a legislator's party tag",
     "The bill was sponsored by Sen. Ray Miller, D-Columbus, last year.", {"Columbus"}, set()),
    ("'according to' a division name cites a person",
     "According to Yap, the tests were negative in Manila.", {"Manila"}, {"Yap"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), [row[1:] for row in PRESENT_AND_ABSENT],
                         ids=[row[0] for row in PRESENT_AND_ABSENT])
def test_found_and_not_found(finder, text, present, absent):
    found = _found(text, finder)
    assert present <= set(found), present - set(found)
    assert not absent & set(found), absent & set(found)
