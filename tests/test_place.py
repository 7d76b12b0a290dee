"""Toponyms: geocoding with context, regions, 'near', provinces, demonyms."""

from __future__ import annotations

import pytest

from eventcoder.extract.place import find_places
from eventcoder.records import Article


@pytest.fixture(scope="module")
def places_of(resources):
    def run(text: str):
        analysis = resources.analyzer.analyze(Article(id="t", text=text), full=True)
        found = find_places(analysis, resources.gazetteer)
        for m in found:
            assert text[m.place.span.start : m.place.span.end] == m.place.span.text
        return found

    return run


def test_region_of_a_country(places_of):
    (m,) = [m for m in places_of("Troops raided hideouts in western Iraq on Thursday.") if not m.demonym]
    p = m.place
    assert (p.iso3, p.level, p.acled_geo_precision, p.ucdp_where_prec) == ("IRQ", "region", 3, 5)
    assert p.span.text == "western Iraq"


def test_town_takes_the_country_of_the_article(places_of):
    text = "Gunmen attacked a church in Alexandria, Egypt's second city, the Egyptian interior ministry said."
    towns = [m.place for m in places_of(text) if m.place.level == "place"]
    assert towns and towns[0].iso3 == "EGY"


def test_apposition_picks_the_namesake(places_of):
    towns = [
        m.place
        for m in places_of("A fire broke out in Alexandria, Louisiana, on Friday.")
        if m.place.level == "place"
    ]
    assert towns[0].iso3 == "USA" and towns[0].admin1 == "Louisiana"


def test_near_a_town(places_of):
    got = [
        m
        for m in places_of("The convoy was ambushed near Maiduguri in Nigeria.")
        if m.place.level != "country"
    ]
    assert got[0].place.level == "near_place" and got[0].relation == "near"
    assert (got[0].place.acled_geo_precision, got[0].place.ucdp_where_prec) == (2, 2)


def test_province_word_makes_admin1(places_of):
    got = [m.place for m in places_of("Clashes were reported in Kandahar province of Afghanistan.")]
    k = [p for p in got if p.name == "Kandahar"][0]
    assert k.level == "admin1" and k.ucdp_where_prec == 4 and k.span.text == "Kandahar province"


def test_demonym_is_a_country_mention(places_of):
    got = places_of("Syrian forces shelled the area.")
    assert [(m.demonym, m.place.iso3) for m in got] == [(True, "SYR")]


def test_dotted_state_abbreviation_in_a_dateline(places_of):
    text = "BOWLING GREEN, Ky. (AP) - A man was shot outside a bar on Saturday, police said."
    states = [m.place for m in places_of(text) if m.place.level == "admin1"]
    assert [(p.name, p.iso2) for p in states] == [("Kentucky", "US")]
    assert states[0].span.text == "Ky."


def test_abbreviation_needs_its_dot(places_of):
    # "Mo" and "Miss" without the dot are not Missouri and Mississippi
    found = places_of("Mo Farah thanked Miss Jones after the race in London.")
    assert all(m.place.admin1 not in ("Missouri", "Mississippi") for m in found)


def test_other_places_of_the_article_choose_the_namesake(places_of):
    text = (
        "A man from Palestine was jailed on Monday for a robbery. The Palestine police chief said "
        "the man was arrested in Anderson County, Texas, after a chase."
    )
    first = next(m.place for m in places_of(text) if m.place.span.text == "Palestine")
    assert (first.iso2, first.admin1) == ("US", "Texas")


def test_country_name_keeps_its_country_reading(places_of):
    text = "Israeli troops raided a camp in the West Bank, and leaders in Palestine condemned the raid."
    found = [m.place for m in places_of(text) if m.place.span.text == "Palestine"]
    assert found and found[0].level == "country" and found[0].iso2 == "PS"


def test_continent_and_its_adjective(places_of):
    found = places_of("European ministers met in Brussels to discuss migration from Africa.")
    names = {m.place.span.text: m.place for m in found}
    assert names["Africa"].level == "region" and names["Africa"].iso2 in ("", None)
    assert "European" in names


def test_common_words_are_not_alternate_names(places_of):
    found = places_of("The protest ended at dusk. The organisers said they would return.")
    assert not any(m.place.span.text == "The" for m in found)


def test_county_named_in_full(places_of):
    text = "Deputies closed a road in Walker County, Georgia, after a tanker overturned."
    counties = [m.place for m in places_of(text) if m.place.level == "admin2"]
    assert counties and counties[0].admin1 == "Georgia" and counties[0].span.text == "Walker County"


def test_dateline_in_capitals(places_of):
    text = "Fire destroys a barn. DANBURY — Firefighters fought a barn fire overnight, officials said."
    found = [m.place for m in places_of(text) if m.place.span.text == "DANBURY"]
    assert found and found[0].iso2 == "US"


def test_town_of_a_local_institution(places_of):
    text = "A Danbury teenager was hurt on Route 7, according to Danbury police in Connecticut."
    found = [m.place for m in places_of(text) if m.place.span.text == "Danbury"]
    assert len(found) == 2 and all(p.admin1 == "Connecticut" for p in found)


def test_plural_demonym_names_the_country(places_of):
    found = [m for m in places_of("Palestinians marched in the rain.") if m.demonym]
    assert found and found[0].place.iso2 == "PS"


def test_town_and_its_county_support_each_other(places_of):
    text = "A Paris man was charged on Monday, the Henry County sheriff said. Paris police made the arrest."
    found = {m.place.span.text: m.place for m in places_of(text)}
    assert found["Paris"].iso2 == "US" and found["Paris"].admin1 == "Tennessee"
    assert found["Henry County"].admin1 == "Tennessee"


def test_street_takes_the_town_and_river_stays_unplaced(places_of):
    text = "Police closed Main Street in Danbury, Connecticut, after a car plunged into the Still River."
    found = {m.place.span.text: m.place for m in places_of(text)}
    assert found["Main Street"].latitude == found["Danbury"].latitude
    assert found["Still River"].latitude is None and found["Still River"].level == "unknown"


def test_a_car_in_upper_case_copy_is_not_a_country(places_of):
    found = places_of("A CAR BOMB EXPLODED OUTSIDE THE OFFICES OF A RADIO STATION IN MEDELLIN TODAY.")
    assert "CF" not in {m.place.iso2 for m in found if m.place.iso2}
    assert "CAF" not in {m.place.iso3 for m in found}
    # in mixed case the acronym is still the country
    found = places_of("The CAR government said rebels had attacked a convoy near the capital.")
    assert "CAF" in {m.place.iso3 for m in found}
