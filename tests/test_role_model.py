"""The role-filler model: candidates with their features, the logistic regression and the decoding
into template roles. Articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder.coder import code_article
from eventcoder.extract.role_candidates import Candidate, RoleRefs, candidates
from eventcoder.extract.role_model import RoleModel, default_model, expand, fit
from eventcoder.extract.roles import ROLES, default_roles
from eventcoder.records import Article


def _cands(resources, text: str) -> list[Candidate]:
    coded = code_article(Article(id="t", text=text, published="1990-03-02"), resources)
    return candidates(coded, default_roles(), RoleRefs.of(resources))


def _with(cands: list[Candidate], role: str, text: str) -> Candidate:
    found = [c for c in cands if c.role == role and c.text.lower() == text.lower()]
    assert found, f"no {role} candidate {text!r} among {[c.text for c in cands if c.role == role]}"
    return found[0]


def test_fit_learns_which_feature_marks_a_filler():
    examples = [(["weapon:used", "weapon:head=bomb"], 1)] * 20 + [(["weapon:seized_ctx", "weapon:head=bomb"], 0)] * 20
    weights = fit(examples, l2=0.1)
    model = RoleModel(weights=weights)
    used = Candidate("weapon", "bomb", 0, 4, ["weapon:used", "weapon:head=bomb"])
    seized = Candidate("weapon", "bomb", 0, 4, ["weapon:seized_ctx", "weapon:head=bomb"])
    assert model.prob(used) > 0.8 > 0.2 > model.prob(seized)


def test_decode_keeps_the_best_variant_of_a_mention_and_applies_the_threshold():
    model = RoleModel(weights={"phys_tgt:src=lex": -1.0, "phys_tgt:widened": 3.0}, thresholds={"phys_tgt": 0.5})
    short = Candidate("phys_tgt", "substation", 10, 20, ["phys_tgt:src=lex"], group=1)
    wide = Candidate("phys_tgt", "Huancayo power substation", 0, 20, ["phys_tgt:src=lex", "phys_tgt:widened"], 1)
    weak = Candidate("phys_tgt", "bridge", 40, 46, ["phys_tgt:src=lex"], group=2)
    out = model.decode([short, wide, weak], ROLES)
    assert out["phys_tgt"] == ["Huancayo power substation"]
    assert out["weapon"] == []


def test_features_are_crossed_with_the_sentence_kind_and_the_source():
    feats = expand(["hum_tgt:src=name_run", "hum_tgt:sent=event", "hum_tgt:victim_words"])
    assert "hum_tgt:bias" in feats
    assert "hum_tgt:sent=event&victim_words" in feats
    assert "hum_tgt:src=name_run&victim_words" in feats


def test_a_name_in_upper_case_copy_is_a_candidate_victim_with_its_context(resources):
    cands = _cands(
        resources,
        "SAN SALVADOR, 4 MAR 90 -- UNIDENTIFIED GUNMEN TODAY MURDERED UNION LEADER TEODORO ARCINIEGA "
        "BLANCO OUTSIDE HIS HOME. THE MINISTER OF THE ECONOMY SPOKE ON THE RADIO ABOUT COFFEE PRICES.",
    )
    _with(cands, "hum_tgt", "TEODORO ARCINIEGA BLANCO")
    runs = [c for c in cands if c.role == "hum_tgt" and "hum_tgt:src=name_run" in c.features]
    name = _with(runs, "hum_tgt", "TEODORO ARCINIEGA BLANCO")
    assert "hum_tgt:victim_words" in name.features
    assert "hum_tgt:sent=event" in name.features
    # plain English words are not taken for a name
    assert not [c for c in cands if c.role == "hum_tgt" and "COFFEE" in c.text]


def test_an_organisation_of_the_dictionary_is_a_candidate_with_its_part_in_the_events(resources):
    cands = _cands(
        resources,
        "LIMA, 2 MAR 90 -- SHINING PATH GUERRILLAS DYNAMITED THREE POWER PYLONS IN HUANCAYO TODAY, "
        "LEAVING THE CITY WITHOUT ELECTRICITY.",
    )
    org = _with(cands, "perp_organization", "SHINING PATH")
    assert any(f.startswith("perp_organization:ev=a_rep") for f in org.features)
    pylons = [c for c in cands if c.role == "phys_tgt" and c.text.upper().endswith("PYLONS")]
    assert {c.text.upper() for c in pylons} >= {"PYLONS", "POWER PYLONS"}
    assert len({c.group for c in pylons}) == 1  # variants of one mention


def test_a_word_describing_the_next_noun_is_marked(resources):
    cands = _cands(resources, "Police said the guerrilla attack on the bridge killed two guards on Monday.")
    assert "perp_individual:modifier_use" in _with(cands, "perp_individual", "guerrilla").features


def test_the_shipped_model_reads_the_roles_of_a_plain_report(resources):
    model = default_model()
    if model is None:
        pytest.fail("data/role_model.json is not in the package")
    assert set(model.thresholds) == set(ROLES)
    from eventcoder.extract.roles import extract_roles

    text = (
        "BOGOTA, 6 MAY 90 -- URBAN GUERRILLAS OF THE ELN TODAY BLEW UP THE OFFICES OF THE CATTLEMEN'S "
        "FEDERATION WITH A CAR BOMB, POLICE SAID."
    )
    coded = code_article(Article(id="t", text=text), resources)
    roles = extract_roles(coded, resources=resources, method="model")
    assert "car bomb" in [w.lower() for w in roles["weapon"]]
    # of the organisations named, the group that set off the bomb is the likeliest perpetrator
    orgs = [c for c in candidates(coded, default_roles(), RoleRefs.of(resources)) if c.role == "perp_organization"]
    assert max(orgs, key=model.prob).text.upper() == "ELN"


def test_the_model_file_round_trips(tmp_path: Path):
    model = RoleModel(weights={"weapon:bias": -1.5, "weapon:used": 2.0}, thresholds={"weapon": 0.4}, meta={"n": 1})
    model.save(tmp_path / "m.json")
    again = RoleModel.load(tmp_path / "m.json")
    assert again.weights == model.weights and again.thresholds == model.thresholds and again.meta == model.meta


def test_a_sentence_naming_an_earlier_year_is_marked_as_past(resources):
    cands = _cands(
        resources,
        "LIMA, 2 MAR 90 -- TERRORISTS TODAY DYNAMITED A BANK IN HUANCAYO. THE SAME GROUP BOMBED THE "
        "CITY HALL OF AYACUCHO IN 1987.",
    )
    bank = _with(cands, "phys_tgt", "BANK")
    hall = _with(cands, "phys_tgt", "CITY HALL")
    assert "phys_tgt:past_ctx" in hall.features
    assert "phys_tgt:past_ctx" not in bank.features


def test_without_a_publication_date_the_dateline_gives_the_year(resources):
    text = "LIMA, 2 MAR 90 -- TERRORISTS TODAY DYNAMITED A BANK. THEY BOMBED A CITY HALL IN 1989."
    coded = code_article(Article(id="t", text=text), resources)
    cands = candidates(coded, default_roles(), RoleRefs.of(resources))
    assert "phys_tgt:past_ctx" in _with(cands, "phys_tgt", "CITY HALL").features
