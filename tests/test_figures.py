"""Figures of people killed/injured/arrested/abducted, with claims (extract.figures)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.extract.figures import find_figures
from eventcoder.records import Article


@pytest.fixture(scope="module")
def res():
    from eventcoder.resources import Resources

    return Resources.load(eager=False)  # the analyzer is all figures need


@pytest.fixture(scope="module")
def figs(res):
    def run(text: str):
        analysis = res.analyzer.analyze(Article(id="t", text=text, published=dt.date(2024, 5, 10)))
        out = find_figures(analysis, res)
        for fm in out:
            f = fm.figure
            assert text[f.span.start : f.span.end] == f.span.text
            if f.claim_span:
                assert text[f.claim_span.start : f.claim_span.end] == f.claim_span.text
            assert f.sentence is not None and text[f.sentence.start : f.sentence.end] == f.sentence.text
        return out

    return run


def one(out, kind):
    got = [fm for fm in out if fm.figure.kind == kind]
    assert len(got) == 1, [fm.figure for fm in out]
    return got[0]


def test_digits_with_victims_and_passive(figs):
    fm = one(figs("At least 12 soldiers were killed when militants stormed the base."), "killed")
    assert fm.figure.value == 12
    assert fm.figure.stated == "At least 12"
    assert fm.figure.who == "soldiers"
    assert fm.victim_class == "security"
    assert fm.figure.span.text.startswith("At least 12 soldiers")


def test_number_words_and_active_voice(figs):
    fm = one(figs("Gunmen killed twenty-three villagers in the raid."), "killed")
    assert fm.figure.value == 23
    assert fm.victim_class == "civilians" and fm.figure.group == "civilians"
    fm = one(figs("Bandits killed a dozen farmers on their way to market."), "killed")
    assert fm.figure.value == 12


def test_thousands_separator(figs):
    fm = one(figs("Police said 1,200 protesters were detained over the weekend."), "arrested")
    assert fm.figure.value == 1200


def test_ranges_take_the_low_end(figs):
    f = one(figs("Between 33 and 40 people died in the fighting."), "killed").figure
    assert (f.value, f.low, f.high) == (33, 33, 40)
    f = one(figs("The shelling killed 3-5 civilians."), "killed").figure
    assert (f.value, f.low, f.high) == (3, 3, 5)


def test_qualifiers(figs):
    f = one(figs("More than 20 people were wounded in the blast."), "injured").figure
    assert f.value == 20
    f = one(figs("Up to 40 people may have been killed in the village."), "killed").figure
    assert f.value == 40 and f.high == 40
    f = one(figs("The strike killed nearly 30 fighters."), "killed").figure
    assert f.value == 30 and f.stated == "nearly 30"


def test_vague_quantities_are_coded_per_acled(figs):
    assert one(figs("Dozens of people were injured in the stampede."), "injured").figure.value == 12
    assert one(figs("Several protesters were arrested outside parliament."), "arrested").figure.value == 3
    assert one(figs("Hundreds of residents were abducted by the militia."), "abducted").figure.value == 100


def test_left_dead_and_injured(figs):
    out = figs("The explosion left three dead and eight injured.")
    assert one(out, "killed").figure.value == 3
    assert one(out, "injured").figure.value == 8


def test_death_toll_and_bodies(figs):
    assert one(figs("The death toll rose to 45 on Tuesday."), "killed").figure.value == 45
    assert one(figs("Rescuers recovered 17 bodies from the rubble."), "killed").figure.value == 17


def test_single_victim(figs):
    fm = one(figs("A policeman was shot dead at a checkpoint."), "killed")
    assert fm.figure.value == 1 and fm.victim_class == "security"
    fm = one(figs("One soldier was killed in the ambush."), "killed")
    assert fm.figure.value == 1


def test_conjoined_and_subset_figures(figs):
    out = figs("The bombing killed 8 people, including three children, and wounded 14 others.")
    killed = sorted(fm.figure.value for fm in out if fm.figure.kind == "killed")
    assert killed == [3, 8]
    assert one(out, "injured").figure.value == 14


def test_explicit_zeros(figs):
    fm = one(figs("The army said there were no civilian casualties."), "killed")
    assert fm.figure.value == 0 and fm.figure.group == "civilians" and fm.figure.stated == "no"
    fm = one(figs("No one was hurt in the explosion."), "injured")
    assert fm.figure.value == 0
    fm = one(figs("Officials reported no deaths."), "killed")
    assert fm.figure.value == 0


def test_casualties_alone_is_not_a_death_count(figs):
    assert figs("The attack caused 20 casualties.") == []


def test_arrests_and_abductions(figs):
    fm = one(figs("Police detained 20 protesters in the capital."), "arrested")
    assert fm.figure.value == 20 and fm.figure.who == "protesters"
    fm = one(figs("Gunmen abducted 30 students from a boarding school."), "abducted")
    assert fm.figure.value == 30 and fm.victim_class == "civilians"
    fm = one(figs("Kidnappers seized 12 passengers from a bus."), "abducted")
    assert fm.figure.value == 12


def test_no_figures_from_ages_dates_money_distances(figs):
    text = (
        "A 19-year-old was charged on 3 February. The suspect, aged 45, paid $5,000 in bail. "
        "The town lies 30 km from the border and 40% of homes were destroyed. "
        "About 2,500 US troops remain in the country. Rebels destroyed 20 houses and 5 vehicles. "
        "It was one of the deadliest attacks since 2019, at 10:30 on the 12th."
    )
    assert figs(text) == []


def test_claim_official(figs):
    f = one(figs("Fifteen militants were killed in the operation, the army said."), "killed").figure
    assert f.claimed_by == "the army" and f.status == "official"
    assert f.claim_span is not None and f.claim_span.text.startswith("the army")


def test_claim_reported(figs):
    f = one(figs("At least 9 people died, according to hospital sources."), "killed").figure
    assert f.claimed_by == "hospital sources" and f.status == "reported"
    f = one(figs("Witnesses told reporters that 6 protesters were shot dead."), "killed").figure
    assert f.claimed_by == "Witnesses" and f.status == "reported"


def test_claim_unconfirmed_in_same_and_next_sentence(figs):
    f = one(
        figs("Residents said 40 people were killed, a figure that could not be independently verified."),
        "killed",
    ).figure
    assert f.status == "unconfirmed"
    out = figs(
        "Local media citing security sources said seven soldiers were injured. "
        "The defence ministry has yet to comment on these reports."
    )
    f = one(out, "injured").figure
    assert f.status == "unconfirmed"
    assert "media" in (f.claimed_by or "").lower() and "citing" in (f.claimed_by or "")


def test_claim_disputed(figs):
    f = one(figs("The army denied reports that 50 civilians were killed in the strike."), "killed").figure
    assert f.status == "disputed"


def test_party_own_outlet_is_unconfirmed(figs):
    f = one(
        figs("The group said on its Telegram channel that its fighters killed 25 soldiers."), "killed"
    ).figure
    assert f.status == "unconfirmed"
    assert (f.claimed_by or "").endswith("(party's own outlet)")


def test_reporting_frame_covers_later_sentences_of_the_paragraph(figs):
    text = (
        "The police reported that the mob attacked a station in the east. "
        "Three officers were wounded. "
        "In a separate incident, 4 people were killed, witnesses said.\n"
        "Two soldiers died in the north."
    )
    out = figs(text)
    inj = one(out, "injured").figure
    assert inj.claimed_by == "The police" and inj.status == "official"
    kil = [fm.figure for fm in out if fm.figure.kind == "killed"]
    assert [f.claimed_by for f in kil] == ["witnesses", None]  # a new paragraph ends the frame


def test_sentence_final_attribution_covers_only_the_next_sentence(figs):
    text = "The plot was foiled, according to the interior minister. Two guards were wounded."
    assert one(figs(text), "injured").figure.claimed_by == "the interior minister"
    text = "The plot was foiled, according to the interior minister. It rained. Two guards were wounded."
    assert one(figs(text), "injured").figure.claimed_by is None


def test_change_of_topic_ends_the_attribution(figs):
    text = "The plot was foiled, according to the interior minister. Meanwhile, the riot left two dead."
    f = one(figs(text), "killed").figure
    assert f.claimed_by is None and f.status == "reported"


def test_appositive_and_relative_clause_between_number_and_verb(figs):
    out = figs("Five people, including a child, were injured. Three policemen who tried to help were hurt.")
    assert sorted(fm.figure.value for fm in out if fm.figure.kind == "injured") == [1, 3, 5]


def test_more_frames(figs):
    assert one(figs("The number of dead rose to 27 on Sunday."), "killed").figure.value == 27
    assert one(figs("The bodies of 5 men were found in a ditch."), "killed").figure.value == 5
    assert one(figs("Militants took 20 people hostage in the village."), "abducted").figure.value == 20
    assert one(figs("The raid resulted in the arrest of 12 suspects."), "arrested").figure.value == 12
    f = one(figs("Seven of the nine soldiers were wounded."), "injured").figure
    assert f.value == 7
    assert figs("Garcia Alvarado, 56, was killed in the blast.") == []


def test_source_with_apposition_and_pronoun(figs):
    f = one(figs("Ten people were killed, said Ahmed Ali, a hospital director."), "killed").figure
    assert f.claimed_by == "Ahmed Ali, a hospital director" and f.status == "reported"
    out = figs("The governor said the town was shelled overnight. He said 4 civilians were killed.")
    f = one(out, "killed").figure
    assert f.claimed_by == "The governor" and f.status == "official"


def test_denier_keeps_its_own_counter_figures(figs):
    text = (
        "The rebels said their fighters had killed five soldiers. "
        "The army denied the claim, saying no soldiers were killed and one was slightly wounded."
    )
    out = figs(text)
    rebel = [fm.figure for fm in out if fm.figure.kind == "killed" and fm.figure.value == 5][0]
    assert rebel.status == "disputed"
    army = [fm.figure for fm in out if fm.figure.value in (0, 1) and fm.sentence == 1]
    assert army and all(f.claimed_by == "The army" and f.status == "official" for f in army)
