"""Actor matching: aliases to one canonical actor, state forces from demonyms, generic actors."""

from __future__ import annotations

import pytest

from eventcoder.extract.actors import find_actors
from eventcoder.records import Article


@pytest.fixture(scope="module")
def actors_of(resources):
    def run(text: str) -> list[tuple[str, str, bool]]:
        analysis = resources.analyzer.analyze(Article(id="t", text=text))
        found = find_actors(analysis, resources.actors)
        for m in found:
            assert text[m.span.start : m.span.end] == m.span.text == m.actor.matched
        return [(m.span.text, m.actor.name, m.actor.in_dictionary) for m in found]

    return run


def test_aliases_map_to_one_actor(actors_of):
    got = actors_of("ISIS fighters and Daesh cells attacked; ISIL and the Islamic State group denied it.")
    assert {name for _, name, _ in got} == {"Islamic State"}
    assert len(got) == 4


def test_acronym_is_case_sensitive(actors_of):
    got = actors_of("The plan is to hold talks. IS claimed the attack in Mosul.")
    assert [(t, n) for t, n, _ in got] == [("IS", "Islamic State")]


def test_province_wins_over_parent(actors_of):
    got = actors_of("Fighters of the Islamic State West Africa Province raided the town in Borno.")
    assert ("Islamic State West Africa Province", "Islamic State West Africa Province", True) in got
    assert all(n != "Islamic State" for _, n, _ in got)


def test_state_forces_from_demonyms(actors_of):
    got = actors_of("Nigerian troops and Kenyan police were deployed after Israeli air strikes.")
    names = [n for _, n, _ in got]
    assert names == ["Military Forces of Nigeria", "Police Forces of Kenya", "Military Forces of Israel"]


def test_bare_troops_take_the_article_country(actors_of):
    got = actors_of(
        "Fighting broke out in Somalia's Gedo region. Troops repelled the attack, residents said."
    )
    assert ("Troops", "Military Forces of Somalia", True) in got


def test_generic_actors(actors_of):
    got = actors_of("Unidentified gunmen opened fire on villagers while protesters gathered nearby.")
    assert [n for _, n, _ in got] == ["Unidentified Armed Group", "Civilians", "Protesters"]


def test_unknown_named_group_is_kept_and_marked(actors_of):
    got = actors_of("A new militia calling itself the Red Hawk Brigade claimed the ambush near Kidal.")
    unknown = [(t, n) for t, n, known in got if not known]
    assert unknown == [("Red Hawk Brigade", "Red Hawk Brigade")]


def test_three_letter_acronyms_are_found_in_upper_case_copy(actors_of):
    got = actors_of("BOGOTA, 6 MAY 90 -- URBAN GUERRILLAS OF THE ELN TODAY BLEW UP A BRIDGE. THE ATTACK IS THE THIRD.")
    names = [n for _, n, _ in got]
    assert "ELN" in names
    # a two-letter alias ("IS") cannot be told from the word in capitals
    assert "Islamic State" not in names


def test_the_source_of_a_report_is_not_the_attacker(resources):
    from eventcoder.coder import code_article

    text = (
        "Gunmen of the ELN blew up the offices of a cattle ranchers' federation in Bogota with a car "
        "bomb on Sunday, police said."
    )
    ev = code_article(Article(id="t", text=text, published="2024-05-06"), resources).reported[0]
    assert ev.actor1 is not None and ev.actor1.name == "ELN"
    assert ev.actor1.inter == 2
    # nor the side attacked
    assert ev.actor2 is None or ev.actor2.inter != 1
