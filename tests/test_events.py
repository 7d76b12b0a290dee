"""Trigger lexicon and find_triggers: what the event stage promises the resolver."""

from __future__ import annotations

import pytest

from eventcoder.extract.events import TriggerLexicon, compile_pattern, find_triggers, inflections
from eventcoder.records import SUB_TO_TYPE, Article


@pytest.fixture(scope="module")
def lexicon() -> TriggerLexicon:
    return TriggerLexicon.load()


def triggers_of(text: str, resources):
    analysis = resources.analyzer.analyze(Article(id="t", text=text))
    return find_triggers(analysis, resources.lexicon)


def subs(trigs) -> set[str]:
    return {t.sub_event_type for t in trigs if t.modality == "asserted"}


# --------------------------------------------------------------------------- lexicon mechanics


def test_inflections_regular_and_irregular():
    assert {"shells", "shelled", "shelling"} <= set(inflections("shell", {}))
    assert {"clashes", "clashed"} <= set(inflections("clash", {}))
    assert "took" in inflections("take", {"take": ["took", "taken"]})


def test_pattern_syntax_groups_optional_gap_and_numbers():
    import re

    rx = re.compile(compile_pattern("kill~ (at least)? <n> ... (civilians|aid workers)", {})[0], re.I)
    assert rx.search("Gunmen killed at least 12 unarmed civilians on Monday")
    assert rx.search("The raid kills 3 aid workers")
    assert not rx.search("Gunmen killed the mayor")
    opt = re.compile(compile_pattern("air strike~", {})[0], re.I)
    assert opt.search("an air-strike hit") and opt.search("two air strikes")


def test_every_entry_has_a_valid_sub_type(lexicon):
    assert lexicon.entries
    for e in lexicon.entries:
        assert e.sub in SUB_TO_TYPE
    covered = {e.sub for e in lexicon.entries}
    assert covered == set(SUB_TO_TYPE), set(SUB_TO_TYPE) - covered


def test_sentence_filter_recall_and_selectivity(lexicon):
    events = [
        "Warplanes pounded the village overnight.",
        "Three soldiers were wounded near the border.",
        "Police arrested the opposition leader on Friday.",
        "Thousands of demonstrators marched on parliament.",
        "Two people died in the blast.",
        "The rebels seized control of the district capital.",
    ]
    background = [
        "The company reported quarterly revenue growth of five percent.",
        "He was born in 1950 and studied law in London before entering politics.",
        "The minister is expected to visit the region next month to discuss trade.",
        "Subscribe to our newsletter for the latest updates.",
    ]
    assert all(lexicon.sentence_may_hold_event(s) for s in events)
    assert not any(lexicon.sentence_may_hold_event(s) for s in background)


# --------------------------------------------------------------------------- find_triggers


def test_spans_are_absolute_and_exact(resources):
    text = "Weather was calm on Monday. On Tuesday, rebels shelled the town. Residents fled."
    trigs = triggers_of(text, resources)
    assert trigs
    for t in trigs:
        assert text[t.span.start : t.span.end] == t.span.text
        assert t.event_type == SUB_TO_TYPE[t.sub_event_type]
    shelled = [t for t in trigs if t.span.text == "shelled"]
    assert shelled and shelled[0].sentence == 1
    assert shelled[0].head is not None and text[shelled[0].head :].startswith("shelled")


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Government warplanes carried out air strikes on the rebel-held town.", "Air/drone strike"),
        (
            "Mortar shells landed in the market after artillery fire from the hills.",
            "Shelling/artillery/missile attack",
        ),
        ("A roadside bomb struck a police vehicle.", "Remote explosive/landmine/IED"),
        ("A suicide bomber blew himself up at the checkpoint.", "Suicide bomb"),
        ("Militants drove a suicide vehicle-borne explosive device into the gate of the base.", "Suicide bomb"),
        ("Unknown men hurled a grenade at the shop.", "Grenade"),
        ("Troops and insurgents clashed for hours near the border.", "Armed clash"),
        ("Gunmen kidnapped four aid workers on the highway.", "Abduction/forced disappearance"),
        ("Hundreds of teachers protested outside the ministry over unpaid salaries.", "Peaceful protest"),
        ("Police fired tear gas to disperse the demonstrators.", "Protest with intervention"),
        ("A mob lynched a man accused of witchcraft.", "Mob violence"),
        ("The two sides signed a ceasefire agreement in the capital.", "Agreement"),
        ("Army engineers defused a bomb planted under the bridge.", "Disrupted weapons use"),
        ("Turkish forces set up a new military base in the village.", "Headquarters or base established"),
    ],
)
def test_typical_wording_gives_its_sub_type(resources, text, sub):
    assert sub in subs(triggers_of(text, resources))


def test_labour_strike_is_not_an_air_strike(resources):
    found = subs(triggers_of("Dock workers went on strike over pay for a third day.", resources))
    assert "Peaceful protest" in found
    assert "Air/drone strike" not in found


def test_target_decides_attack_or_clash(resources):
    armed = triggers_of("Gunmen attacked an army checkpoint, killing two soldiers.", resources)
    civil = triggers_of("Gunmen attacked worshippers in a village mosque.", resources)
    assert "Armed clash" in subs(armed)
    assert "Attack" in subs(civil)


@pytest.mark.parametrize(
    ("text", "word", "modality"),
    [
        ("The rebels denied that they attacked the village.", "attacked", "denied"),
        ("The militia threatened to attack the town.", "attack", "threat"),
        ("The group plans to protest outside parliament next week.", "protest", "planned"),
        ("Police said there was no attack on the convoy.", "attack", "negated"),
        ("Security forces foiled a suicide bombing at the stadium.", "suicide bombing", "foiled"),
        (
            "Soldiers destroyed an improvised explosive device near the road.",
            "improvised explosive device",
            "foiled",
        ),
    ],
)
def test_modality(resources, text, word, modality):
    trigs = [t for t in triggers_of(text, resources) if word in t.span.text.lower()]
    assert trigs, [t.span.text for t in triggers_of(text, resources)]
    assert trigs[0].modality == modality


def test_weapon_found_is_disrupted_use_not_explosion(resources):
    found = triggers_of("Soldiers found an improvised explosive device near the road.", resources)
    assert "Disrupted weapons use" in subs(found)
    assert "Remote explosive/landmine/IED" not in subs(found)


def test_weapons_carried_are_not_weapons_used(resources):
    trigs = triggers_of("Troops met fighters equipped with rifles, grenades and suicide belts.", resources)
    used = {t.sub_event_type for t in trigs if t.modality == "asserted"}
    assert "Grenade" not in used and "Suicide bomb" not in used


def test_non_acled_cues_lower_weights(resources):
    plain = triggers_of("An explosion killed four people in the town.", resources)
    accident = triggers_of("A gas cylinder explosion killed four people in the factory.", resources)
    assert any(t.sub_event_type == "Remote explosive/landmine/IED" for t in plain)
    w_plain = max(t.weight for t in plain if t.event_type == "Explosions/Remote violence")
    w_acc = max((t.weight for t in accident if t.event_type == "Explosions/Remote violence"), default=0.0)
    assert w_acc < w_plain
    quake = triggers_of("The earthquake killed dozens of people.", resources)
    assert all(t.weight < 0.45 for t in quake)


def test_a_volcano_is_a_disaster_when_it_erupts_and_a_place_when_it_is_bombed(resources):
    eruption = triggers_of("The volcano erupted overnight, and ash killed three villagers.", resources)
    assert all(t.weight < 0.45 for t in eruption)
    strike = triggers_of("Air force planes bombed rebel positions on the slopes of the Guazapa volcano.", resources)
    assert any(t.sub_event_type == "Air/drone strike" and t.weight >= 0.45 for t in strike)


def test_cache_of_explosives_is_not_an_explosion(resources):
    trigs = triggers_of(
        "A cache holding hand grenades, two landmines and detonators was discovered in a farmhouse.",
        resources,
    )
    assert not [t for t in trigs if t.event_type == "Explosions/Remote violence" and t.modality == "asserted"]


def test_grenade_that_went_off_after_a_raid_is_an_explosion(resources):
    trigs = triggers_of(
        "Police seized rifles in a raid, then a grenade exploded at the gate, wounding two.", resources
    )
    assert any(t.sub_event_type == "Grenade" and t.modality == "asserted" for t in trigs)


def test_blame_in_passing_keeps_the_attack(resources):
    from eventcoder.coder import code_article
    from eventcoder.records import Article

    text = "Two suicide bombers killed 12 people at a market in Maiduguri, in an attack blamed on Boko Haram."
    coded = code_article(Article(id="b", text=text), resources)
    assert [e.sub_event_type for e in coded.reported] == ["Suicide bomb"]


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Hundreds of farmers blocked highways and railway lines on Monday to protest against the new "
            "grain tax.",
            "Violent demonstration",
        ),
        (
            "Students rallied peacefully in the capital on Friday to denounce the violence against "
            "journalists.",
            "Peaceful protest",
        ),
        ("Jets of the air force destroyed a rebel fuel depot near the river on Sunday.", "Air/drone strike"),
        (
            "Soldiers discovered a large amount of ammunition buried near the farm on Tuesday.",
            "Disrupted weapons use",
        ),
        ("The opposition leader was placed under house arrest on Wednesday, his party said.", "Arrests"),
        (
            "Two soldiers were killed when their truck hit a ground mine on Thursday.",
            "Remote explosive/landmine/IED",
        ),
    ],
)
def test_the_coder_types_these_incidents(resources, text, sub):
    from eventcoder.coder import code_article
    from eventcoder.records import Article

    coded = code_article(Article(id="t", text=text, published="2024-05-10"), resources)
    assert sub in [e.sub_event_type for e in coded.reported]


def test_migrants_intercepted_at_sea_are_not_disrupted_weapons_use(resources):
    from eventcoder.coder import code_article
    from eventcoder.records import Article

    text = "The coast guard intercepted 40 migrants in two boats off the island on Saturday."
    coded = code_article(Article(id="t", text=text, published="2024-05-10"), resources)
    assert "Disrupted weapons use" not in [e.sub_event_type for e in coded.reported]


def test_a_pylon_destroyed_with_dynamite_is_an_explosion_and_a_truck_loaded_with_it_is_a_find(resources):
    used = triggers_of("Rebels destroyed a power pylon with dynamite outside Huancayo today.", resources)
    assert any(
        t.sub_event_type == "Remote explosive/landmine/IED" and t.modality == "asserted" for t in used
    )
    found = triggers_of("Soldiers found a truck loaded with explosives near the base.", resources)
    assert not [t for t in found if t.event_type == "Explosions/Remote violence" and t.modality == "asserted"]

