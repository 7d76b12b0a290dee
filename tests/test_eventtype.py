"""ACLED typing rules for mixed incidents, actor-dependent sub-types, UCDP type and interaction."""

from __future__ import annotations

from eventcoder.eventtype import decide_type, interaction_code, ucdp_type_of_violence
from eventcoder.records import SUB_TO_TYPE, ActorRef, Span, TriggerMention

STATE = ActorRef(name="Military Forces of Iraq", matched="army", inter=1)
REBELS = ActorRef(name="Islamic State", matched="IS", inter=2)
MILITIA = ActorRef(name="Some Militia", matched="militia", inter=3)
CIVILIANS = ActorRef(name="Civilians (Iraq)", matched="villagers", inter=7)
PROTESTERS = ActorRef(name="Protesters (Iraq)", matched="protesters", inter=6)
EXTERNAL = ActorRef(name="Military Forces of the United States", matched="US troops", inter=8)


def trig(
    sub: str, cue: str, weight: float = 1.0, modality: str = "asserted", word: str = "x"
) -> TriggerMention:
    return TriggerMention(
        span=Span(start=0, end=len(word), text=word),
        sentence=0,
        event_type=SUB_TO_TYPE[sub],
        sub_event_type=sub,
        cue=cue,
        weight=weight,
        modality=modality,  # type: ignore[arg-type]
    )


def test_air_strike_inside_ground_battle_is_a_battle():
    ts = [trig("Air/drone strike", "air.strike"), trig("Armed clash", "clash.clash")]
    assert decide_type(ts, STATE, REBELS, "air strikes and clashes") == ("Battles", "Armed clash")


def test_air_strikes_then_ground_assault_is_a_battle():
    ts = [
        trig("Air/drone strike", "air.strike"),
        trig("Air/drone strike", "air.strikes", 0.6),
        trig("Armed clash", "clash.ground", 0.9),
    ]
    assert decide_type(ts, STATE, REBELS, "air strikes followed by an airborne assault")[1] == "Armed clash"


def test_suicide_bombing_with_gunfire_stays_a_suicide_bomb():
    ts = [trig("Suicide bomb", "suic.bomb"), trig("Armed clash", "clash.gunbattle")]
    assert decide_type(ts, REBELS, STATE, "suicide bombers exchanged fire with police")[1] == "Suicide bomb"


def test_shelling_plus_air_strike_is_air_strike():
    ts = [trig("Shelling/artillery/missile attack", "shell.shelling"), trig("Air/drone strike", "air.strike")]
    assert decide_type(ts, STATE, None, "shelling and air strikes")[1] == "Air/drone strike"


def test_abduction_then_killing_is_attack():
    ts = [trig("Abduction/forced disappearance", "vac.abduct"), trig("Attack", "vac.murder", 0.7)]
    assert decide_type(ts, MILITIA, CIVILIANS, "abducted and later murdered") == (
        "Violence against civilians",
        "Attack",
    )


def test_generic_attack_depends_on_target():
    ts = [trig("Attack", "any.attack", 0.6)]
    assert decide_type(ts, REBELS, STATE, "attacked")[1] == "Armed clash"
    assert decide_type(ts, REBELS, CIVILIANS, "attacked")[1] == "Attack"


def test_territory_side_follows_actor1():
    ts = [trig("Non-state actor overtakes territory", "terr.seize", 0.85)]
    assert decide_type(ts, STATE, REBELS, "took control of the town")[1] == "Government regains territory"
    assert (
        decide_type(ts, REBELS, STATE, "took control of the town")[1] == "Non-state actor overtakes territory"
    )
    # no coded actor: the words before the trigger tell who took it
    ts2 = [trig("Government regains territory", "terr.regain", 0.9, word="recaptured")]
    assert (
        decide_type(ts2, None, None, "Militants recaptured the town")[1]
        == "Non-state actor overtakes territory"
    )
    assert decide_type(ts2, None, None, "Government troops recaptured the town")[1] == (
        "Government regains territory"
    )


def test_protest_sub_types():
    protest = trig("Peaceful protest", "prot.protest", 0.9)
    assert decide_type([protest], PROTESTERS, None, "protesters marched")[1] == "Peaceful protest"
    gas = trig("Protest with intervention", "prot.intervene", 0.7)
    assert decide_type([protest, gas], STATE, PROTESTERS, "police fired tear gas at protesters")[1] == (
        "Protest with intervention"
    )
    killed = trig("Attack", "any.killed", 0.5)
    assert decide_type([protest, killed], STATE, PROTESTERS, "police shot protesters, killing two")[1] == (
        "Excessive force against protesters"
    )


def test_riots_violent_demonstration_vs_mob():
    stones = trig("Violent demonstration", "riot.violence", 0.8)
    protest = trig("Peaceful protest", "prot.protest", 0.9)
    assert decide_type([protest, stones], None, None, "protesters threw stones at police")[1] == (
        "Violent demonstration"
    )
    mob = trig("Mob violence", "riot.mob", 1.0)
    assert decide_type([mob], None, None, "a mob lynched a suspected thief")[1] == "Mob violence"


def test_non_events_give_none():
    assert decide_type([trig("Attack", "any.attack", modality="denied")], None, None, "denied") is None
    assert decide_type([trig("Attack", "any.attack", modality="negated")], None, None, "no attack") is None
    assert decide_type([trig("Attack", "any.killed", 0.2)], None, None, "weak") is None
    assert decide_type([], None, None, "") is None


def test_foiled_attack_is_disrupted_weapons_use():
    ts = [trig("Suicide bomb", "suic.bomb", modality="foiled")]
    assert decide_type(ts, STATE, None, "foiled a suicide bombing") == (
        "Strategic developments",
        "Disrupted weapons use",
    )


def test_ucdp_type_of_violence():
    assert ucdp_type_of_violence("Battles", "Armed clash", STATE, REBELS) == 1
    assert ucdp_type_of_violence("Battles", "Armed clash", REBELS, MILITIA) == 2
    assert ucdp_type_of_violence("Violence against civilians", "Attack", REBELS, CIVILIANS) == 3
    assert ucdp_type_of_violence("Explosions/Remote violence", "Air/drone strike", EXTERNAL, REBELS) == 1
    assert ucdp_type_of_violence("Protests", "Peaceful protest", PROTESTERS, None) is None
    assert ucdp_type_of_violence("Riots", "Mob violence", None, None, fatalities=0) is None
    assert ucdp_type_of_violence("Strategic developments", "Arrests", STATE, None) is None


def test_interaction_code_smaller_digit_first():
    assert interaction_code(STATE, REBELS) == 12
    assert interaction_code(CIVILIANS, EXTERNAL) == 78
    assert interaction_code(REBELS, None) == 20
    assert interaction_code(None, None) is None
