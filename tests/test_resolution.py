"""Resolution rules on small hand-written English texts: which referent a recognised name
gets (countries and states over their namesake towns, lists of places sharing a feature
level, big cities over small namesakes, New York the city unless the text marks the state)."""

from __future__ import annotations

import pytest

from placeline.model import Document
from placeline.places import PlaceFinder, find_places


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    # The rules alone: English documents do not use the tagger by default anyway.
    return PlaceFinder(use_tagger=False)


def _resolved(text: str, finder: PlaceFinder) -> dict[str, tuple[str, str, str]]:
    """Mention text -> (country, kind, name) of its place."""
    result = find_places(Document(id="t", text=text, lang="en"), finder=finder)
    return {m.text: (p.country, p.kind, p.name) for p in result.places for m in p.mentions}


def test_a_list_of_countries_is_not_a_town_inside_the_next_country(finder):
    found = _resolved("Officials in Peru, China, Japan, Chile and Brazil reported new cases "
                      "of the disease this week.", finder)
    assert found["China"][:2] == ("CN", "country")
    assert found["Japan"][:2] == ("JP", "country")


def test_a_list_of_states_stays_a_list_of_states(finder):
    found = _resolved("Recalled packages were sold in Ohio, Oregon, Missouri, Nevada, Michigan "
                      "and Wyoming, the agency said.", finder)
    for state in ("Oregon", "Nevada", "Wyoming", "Ohio"):
        assert found[state][:2] == ("US", "admin"), state


def test_a_state_named_elsewhere_does_not_turn_a_state_into_a_town(finder):
    # California, Missouri exists, but naming Missouri somewhere is no local evidence for it.
    found = _resolved("The farm is based in California. Inspectors from Missouri visited "
                      "it last spring.", finder)
    assert found["California"] == ("US", "admin", "California")


def test_city_state_pattern_still_picks_the_town_named_like_a_state(finder):
    found = _resolved("The plant in Nevada, Missouri, closed. Workers in Nevada protested.",
                      finder)
    assert found["Nevada"][:2] == ("US", "city")


def test_a_list_of_cities_is_not_a_city_inside_a_state(finder):
    # "Washington, New York" inside a longer list is two items, not a Washington in New York
    # state (GeoNames has one under an alternate name): the capital stays the capital.
    found = _resolved("After stops in Washington, New York and Boston, the delegation flew "
                      "home to Riyadh.", finder)
    assert found["Washington"] == ("US", "city", "Washington")
    assert found["New York"][1] == "city"


def test_new_york_is_the_city_unless_the_text_marks_the_state(finder):
    assert _resolved("She opened a restaurant in New York last year.",
                     finder)["New York"][1] == "city"
    assert _resolved("Students in Queens, New York, fell ill.", finder)["New York"][1] == "city"
    assert _resolved("New York state declared an emergency on Monday.",
                     finder)["New York"][1] == "admin"
    assert _resolved("The former New York Gov. Mario Cuomo spoke.",
                     finder)["New York"][1] == "admin"
    assert _resolved("A plant in Buffalo, New York, closed.", finder)["New York"][1] == "admin"
    listed = _resolved("Cases were reported in Ohio, New York and Indiana.", finder)
    assert listed["New York"][1] == "admin"


def test_a_country_beats_its_capital_and_namesake_towns(finder):
    found = _resolved("Migrants camped in Oaxaca, Mexico, on Wednesday. Mexico said the "
                      "caravan would disperse.", finder)
    assert found["Mexico"] == ("MX", "country", "Mexico")


def test_a_local_article_keeps_its_town_named_like_a_country(finder):
    # Three other names in Indiana: the local article's Lebanon, not the country.
    found = _resolved("Lebanon schedules spring clean-up. Residents of Lebanon, Zionsville "
                      "and Boone County may drop off yard waste. Lebanon officials said the "
                      "Lafayette plant takes the rest.", finder)
    assert found["Lebanon"][:2] == ("US", "city")


def test_big_cities_of_a_state_do_not_make_a_small_namesake_local(finder):
    # Portland, Texas is in the state of Houston, Dallas and San Antonio, but a sports page
    # naming them means the Trail Blazers' city.
    found = _resolved("The Houston Rockets beat the Portland Trail Blazers on Sunday. Dallas "
                      "and San Antonio also won, and Houston hosts Portland again next week.",
                      finder)
    assert found["Portland"][:2] == ("US", "city")
    assert found["Houston"][0] == "US"
    place = find_places(Document(id="t", text="Houston hosts Portland, Dallas and San Antonio.",
                                 lang="en"), finder=finder)
    portland = next(p for p in place.places if p.name == "Portland")
    assert portland.lon < -120  # Oregon, not Texas (-97) or Maine (-70)


def test_a_big_city_abroad_beats_a_small_namesake_in_the_articles_country(finder):
    found = _resolved("The fans in Toronto cheered as the American pitcher left the mound.",
                      finder)
    assert found["Toronto"][0] == "CA"
    found = _resolved("He grew up in Boston and later worked in New York City as an American "
                      "diplomat.", finder)
    assert found["Boston"][0] == "US"
    boston = next(p for p in find_places(
        Document(id="t", text="He grew up in Boston and later worked in New York City.",
                 lang="en"), finder=finder).places if p.name == "Boston")
    assert boston.lon > -72  # Massachusetts, not Boston, New York (-78.7)


def test_a_local_story_keeps_its_small_namesake_of_a_big_city(finder):
    # A county and a small town of Georgia are local evidence; "Portland, Texas" says where.
    local = find_places(Document(id="t", text=(
        "The Boston City Council met on Tuesday. Officials in Boston said Thomas County "
        "would pay for the new road to Thomasville."), lang="en"), finder=finder)
    assert next(p for p in local.places if p.name == "Boston").country == "US"
    assert next(p for p in local.places if p.name == "Boston").lat < 32  # Georgia
    contained = _resolved("Students from Portland, Texas, joined the march.", finder)
    assert contained["Portland"][:2] == ("US", "city")
    portland = next(p for p in find_places(Document(
        id="t", text="Students from Portland, Texas, joined the march.", lang="en"),
        finder=finder).places if p.name == "Portland")
    assert portland.lon > -100  # Texas


def test_two_ambiguous_names_lying_together_pick_each_other(finder):
    # Neither "Paris" nor "Henry County" says its state, but only in Tennessee do a Paris
    # and a Henry County lie together: the county seat and its county.
    place = find_places(Document(id="t", text=(
        "A Paris man was arrested on Sunday. He will appear in Henry County court next "
        "week."), lang="en"), finder=finder)
    paris = next(p for p in place.places if p.name == "Paris")
    assert paris.country == "US"
    assert 35.5 < paris.lat < 37 and -89 < paris.lon < -88  # Paris, Tennessee


def test_a_state_named_only_in_a_dateline_or_a_team_is_no_local_evidence(finder):
    # Louisville, Ohio and Louisville, Mississippi exist; a sports page from Columbus with
    # "Mississippi State" playing says nothing about them: the big city stays.
    found = _resolved("COLUMBUS, Ohio (AP) — Mississippi State’s guard scored 20 points as the "
                      "Bulldogs beat Louisville in overtime. Mississippi State meets Notre Dame "
                      "on Sunday at the arena in Columbus, Ohio.", finder)
    assert found["Louisville"][0] == "US"
    louisville = next(p for p in find_places(
        Document(id="t", text="Mississippi State beat Louisville again, in Columbus, Ohio.",
                 lang="en"), finder=finder).places if p.name == "Louisville")
    assert abs(louisville.lat - 38.25) < 0.5 and abs(louisville.lon + 85.76) < 0.5


def test_a_state_named_in_a_local_story_still_supports_its_small_town(finder):
    result = find_places(Document(id="t", text="Police in Louisville, Ohio, said the fire "
                                  "started late on Friday. Ohio officials are investigating.",
                                  lang="en"), finder=finder)
    louisville = next(p for p in result.places if p.name == "Louisville")
    assert abs(louisville.lat - 40.84) < 0.2


def test_a_german_country_name_is_an_english_word_in_english_text(finder):
    result = find_places(Document(id="t", text="She captains a ferry to and from Fire Island "
                                  "and spends the winter on the island.", lang="en"),
                         finder=finder)
    assert not any(p.country == "IS" for p in result.places)
    assert "Fire Island" in {m.text for m in result.unresolved}
    german = find_places(Document(id="t", text="Die Regierung von Island hat gestern in "
                                  "Reykjavík getagt.", lang="de"), finder=finder)
    assert any(p.country == "IS" and p.kind == "country" for p in german.places)


def test_american_after_a_region_word_is_the_region_not_the_united_states(finder):
    found = _resolved("Talks on the North American Free Trade Agreement resumed as Latin "
                      "American and Central American leaders met.", finder)
    assert found["North American"][1] == "continent"
    assert found["Latin American"][:2] == ("", "region")
    assert found["Central American"][:2] == ("", "region")


@pytest.mark.parametrize(("name", "lat", "lon"), [
    ("Hawaii", 20.75, -156.5), ("New South Wales", -33.0, 146.0), ("Queensland", -20.0, 145.0)])
def test_a_division_point_is_the_geonames_division_point(finder, name, lat, lon):
    # The ISO 3166-2 centre of Hawaii lies on the Big Island, 170 km from the state's point.
    entry = next(e for e in finder.gazetteer.lookup(name) if e.kind == "admin")
    assert abs(entry.lat - lat) < 0.1 and abs(entry.lon - lon) < 0.1
