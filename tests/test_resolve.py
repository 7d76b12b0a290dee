"""Document-level resolution rules that do not need the language models."""

from __future__ import annotations

from eventcoder.records import Figure, Place, Span
from eventcoder.resolve import _fatalities, _same_location, default_cues


def fig(kind: str, group: str, value: int, status: str = "official", low=None, high=None) -> Figure:
    return Figure(
        kind=kind,
        group=group,
        stated=str(value),
        value=value,
        low=low,
        high=high,
        status=status,
        span=Span(start=0, end=1, text="x"),
    )


def test_fatalities_sum_sides_and_ignore_injuries():
    total, ucdp = _fatalities(
        [fig("killed", "side_b", 15), fig("killed", "civilians", 0), fig("injured", "side_a", 7)]
    )
    assert total == 15
    assert (ucdp.deaths_a, ucdp.deaths_b, ucdp.deaths_civilians, ucdp.deaths_unknown) == (0, 15, 0, 0)
    assert ucdp.best == 15


def test_unattributed_total_covers_the_specific_figures():
    # "12 people were killed, including 3 soldiers"
    total, ucdp = _fatalities([fig("killed", "unknown", 12), fig("killed", "side_a", 3)])
    assert total == 12
    assert ucdp.deaths_a == 3 and ucdp.deaths_unknown == 9 and ucdp.best == 12


def test_unconfirmed_claim_raises_only_high():
    total, ucdp = _fatalities(
        [fig("killed", "civilians", 4), fig("killed", "civilians", 10, status="unconfirmed")]
    )
    assert total == 4
    assert ucdp.best == 4 and ucdp.low == 4 and ucdp.high == 10


def test_conflicting_credible_figures_take_the_lowest():
    total, ucdp = _fatalities([fig("killed", "side_b", 20), fig("killed", "side_b", 14, status="reported")])
    assert total == 14
    assert ucdp.high == 20


def test_range_sets_low_and_high():
    total, ucdp = _fatalities([fig("killed", "civilians", 33, low=33, high=40)])
    assert total == 33 and ucdp.low == 33 and ucdp.high == 40


def test_places_in_different_countries_are_not_the_same_location():
    a = Place(name="Solingen", level="place", iso3="DEU", latitude=51.17, longitude=7.08)
    b = Place(name="Vienna", level="place", iso3="AUT", latitude=48.2, longitude=16.37)
    assert _same_location(a, b) is False


def test_nearby_towns_are_the_same_location_far_ones_are_not():
    a = Place(name="A", level="place", iso3="NGA", latitude=11.85, longitude=13.16)
    b = Place(name="B", level="near_place", iso3="NGA", latitude=11.90, longitude=13.20)
    c = Place(name="C", level="place", iso3="NGA", latitude=9.06, longitude=7.49)
    assert _same_location(a, b) is True
    assert _same_location(a, c) is False


def test_background_cues_are_data_not_code():
    cues = default_cues()
    assert cues.background.search("The raid comes in the wake of recent attacks")
    assert cues.separate.search("In a separate incident, gunmen killed two farmers")
    assert not cues.separate.search("Gunmen killed two farmers on Monday")
    assert cues.max_report_age_days > 0


def test_the_event_keeps_the_words_of_its_own_type_as_trigger(resources):
    from eventcoder.coder import code_article
    from eventcoder.records import Article

    text = (
        "SAN SALVADOR, 2 MAR 90 -- IN A NEW BLOW TO THE CEASE-FIRE, URBAN GUERRILLAS ON THURSDAY DYNAMITED "
        "THE OFFICES OF THE AGRICULTURAL BANK IN SANTA TECLA."
    )
    [event] = code_article(Article(id="t", text=text, published="1990-03-02"), resources).reported
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.trigger is not None and event.trigger.text == "DYNAMITED"


def test_the_force_that_tells_of_an_attack_is_neither_its_doer_nor_its_target(resources):
    from eventcoder.coder import code_article
    from eventcoder.records import Article

    text = (
        "LIMA, 4 MAR 90 -- A POWER PYLON WAS DESTROYED IN HUANCAYO TODAY IN A TERRORIST ATTACK, POLICE SAID."
    )
    [event] = code_article(Article(id="t", text=text, published="1990-03-04"), resources).reported
    assert event.sub_event_type != "Armed clash"  # the police are the source, not the ones attacked
    assert event.actor1 is None or event.actor1.inter != 1


def test_a_force_named_only_in_a_place_or_as_the_reporter_is_not_the_doer(resources):
    from eventcoder.coder import code_article
    from eventcoder.records import Article

    for text in (
        "BOGOTA, 4 MAR 90 -- A TRUCK LOADED WITH DYNAMITE EXPLODED TODAY OUTSIDE A POLICE BUILDING IN "
        "DOWNTOWN BOGOTA, KILLING 23 PEOPLE.",
        "BOGOTA, 4 MAR 90 -- THE POLICE HAVE REPORTED THAT A CAR BOMB EXPLODED TODAY IN A SHOPPING "
        "CENTER IN NORTHERN BOGOTA, KILLING SIX PEOPLE.",
    ):
        events = code_article(Article(id="t", text=text, published="1990-03-04"), resources).reported
        assert events
        assert all(e.actor1 is None or e.actor1.inter != 1 for e in events), text
