"""The seed report (../shared/examples) coded as seed-expected.md says an analyst would."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from eventcoder.coder import code_article
from eventcoder.ingest import make_article


@pytest.fixture(scope="module")
def seed(shared_dir, resources):
    folder = shared_dir / "examples"
    text = (folder / "seed-article.txt").read_text(encoding="utf-8")
    meta = json.loads((folder / "seed-article.meta.json").read_text(encoding="utf-8"))
    article = make_article(text=text, published=meta["published"], title=meta["title"], id=meta["id"])
    return code_article(article, resources)


def main_event(seed):
    reported = [e for e in seed.events if not e.background]
    assert reported, "no reported event"
    return reported[0]


def test_only_one_reported_event(seed):
    assert len([e for e in seed.events if not e.background]) == 1


def test_type_is_armed_clash(seed):
    ev = main_event(seed)
    assert (ev.event_type, ev.sub_event_type) == ("Battles", "Armed clash")
    assert ev.ucdp_type_of_violence == 1


def test_actors(seed):
    ev = main_event(seed)
    assert ev.actor1 is not None and ev.actor1.name == "Military Forces of Iraq"
    assert ev.actor1.inter == 1
    assoc = {a.name: a.inter for a in ev.assoc_actor1}
    assert assoc.get("Military Forces of the United States") == 8
    assert ev.actor2 is not None and ev.actor2.name == "Islamic State"
    assert ev.actor2.inter == 2


def test_date_resolved_from_early_thursday(seed):
    ev = main_event(seed)
    assert ev.date.date == dt.date(2024, 8, 29)
    assert ev.date.precision == "day"
    assert ev.date.span is not None and "Thursday" in ev.date.span.text


def test_place_is_region_of_iraq(seed):
    ev = main_event(seed)
    assert ev.place is not None
    assert ev.place.iso3 == "IRQ"
    assert ev.place.level == "region"
    assert ev.place.acled_geo_precision == 3
    assert ev.place.ucdp_where_prec == 5


def test_figures_and_claims(seed):
    ev = main_event(seed)
    killed_b = [f for f in ev.figures if f.kind == "killed" and f.group == "side_b"]
    assert [f.value for f in killed_b] == [15]
    claim = killed_b[0].claimed_by or ""
    assert "Centcom" in claim or "Central Command" in claim
    civ = [f for f in ev.figures if f.kind == "killed" and f.group == "civilians"]
    assert civ and civ[0].value == 0
    injured = [f for f in ev.figures if f.kind == "injured" and f.value == 7]
    assert injured and injured[0].status == "unconfirmed"
    assert injured[0].group == "side_a"
    assert "media" in (injured[0].claimed_by or "").lower()
    assert ev.fatalities == 15
    assert ev.ucdp.deaths_b == 15 and ev.ucdp.deaths_civilians == 0 and ev.ucdp.best == 15


def test_background_events(seed):
    bg = [e for e in seed.events if e.background]
    countries = {e.place.iso3 for e in bg if e.place}
    assert {"AUT", "DEU"} <= countries
    solingen = [e for e in bg if e.place and e.place.iso3 == "DEU"][0]
    assert solingen.fatalities == 3
    assert any(f.kind == "injured" and f.value == 8 for f in solingen.figures)
    for e in bg:
        assert e.date.date is None or e.date.date != dt.date(2024, 8, 31)


def test_no_event_for_standing_troops_or_history(seed):
    for e in seed.events:
        assert "2,500" not in (e.trigger.text if e.trigger else "")
        assert e.date.date is None or e.date.date.year == 2024


def test_every_span_points_at_its_text(seed):
    text = seed.article.text
    for e in seed.events:
        for spans in e.evidence.values():
            for s in spans:
                assert text[s.start : s.end] == s.text
        for f in e.figures:
            assert text[f.span.start : f.span.end] == f.span.text
