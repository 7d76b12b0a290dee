"""Cross-article deduplication: the cues, the merged figures, the scorer, the test set, the cost, and
the same result through the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from eventcoder import dedup
from eventcoder.dedup import (
    bcubed_prf,
    cluster_events,
    evaluate_dedup,
    features,
    load_dedup_set,
    merge_figures,
    pair_score,
    pairwise_prf,
)
from eventcoder.records import ActorRef, Event, EventDate, Figure, Place, Span, UcdpDeaths

SET = Path(__file__).parent / "fixtures" / "dedup"
D = dt.date(2024, 3, 4)

TOWNS = {
    "Maiduguri": (11.846, 13.160, "Borno", "Maiduguri"),
    "Konduga": (11.652, 13.418, "Borno", "Konduga"),
    "Gwoza": (11.083, 13.690, "Borno", "Gwoza"),
}


def ev(
    aid: str,
    day: dt.date = D,
    town: str | None = "Maiduguri",
    province: str | None = None,
    killed: int | None = 9,
    sub: str = "Attack",
    etype: str = "Violence against civilians",
    a1: tuple[str, int] | None = ("Boko Haram", 2),
    a2: tuple[str, int] | None = ("Civilians (Nigeria)", 7),
    status: str = "reported",
    precision: str = "day",
    stated: str | None = None,
) -> Event:
    if town:
        lat, lon, adm1, adm2 = TOWNS[town]
        place = Place(name=town, place=town, level="place", iso3="NGA", country="Nigeria", admin1=adm1,
                      admin2=adm2, latitude=lat, longitude=lon)  # fmt: skip
    else:
        place = Place(name=province or "", level="admin1", iso3="NGA", country="Nigeria", admin1=province,
                      latitude=11.5, longitude=13.0)  # fmt: skip
    figs = []
    if killed is not None:
        figs = [Figure(kind="killed", group="unknown", stated=stated or str(killed), value=killed, status=status,
                       span=Span(start=0, end=1, text="x"))]  # fmt: skip
    fat = killed if killed is not None and status in ("official", "reported") else 0
    return Event(
        id=f"{aid}#1",
        article_id=aid,
        event_type=etype,
        sub_event_type=sub,
        actor1=ActorRef(name=a1[0], matched=a1[0], inter=a1[1]) if a1 else None,
        actor2=ActorRef(name=a2[0], matched=a2[0], inter=a2[1]) if a2 else None,
        figures=figs,
        fatalities=fat,
        ucdp=UcdpDeaths(deaths_civilians=fat, low=fat, best=fat, high=killed or 0),
        date=EventDate(date=day, precision=precision, resolved=True),
        place=place,
    )


def same(a: Event, b: Event) -> bool:
    return len(cluster_events([a, b])) == 1


# ------------------------------------------------------------------------------ cues


def test_reports_with_different_wording_merge():
    base = ev("a")
    assert same(base, ev("b", killed=14))  # toll rose
    assert same(base, ev("b", town=None, province="Borno State"))  # town inside the province named
    assert same(base, ev("b", a1=("Boko Haram (JAS)", 2)))  # actor spelled differently
    assert same(base, ev("b", a1=None))  # perpetrator not named
    assert same(base, ev("b", day=D + dt.timedelta(days=1), killed=9))  # 'overnight': next day, same toll
    assert same(base, ev("b", precision="week", day=D + dt.timedelta(days=2)))  # 'last week'


def test_near_misses_stay_apart():
    base = ev("a")
    assert not same(base, ev("b", day=D + dt.timedelta(days=1), killed=2))  # same place, next day
    assert not same(base, ev("b", town="Konduga"))  # same day, neighbouring town (~35 km)
    assert not same(base, ev("b", day=D + dt.timedelta(days=3)))  # three days later
    reprisal = ev("b", day=D + dt.timedelta(days=1), a1=("Military Forces of Nigeria (2023-)", 1),
                  a2=("Boko Haram", 2), sub="Air/drone strike", etype="Explosions/Remote violence", killed=3)  # fmt: skip
    assert not same(base, reprisal)
    protest = ev(
        "b", sub="Peaceful protest", etype="Protests", a1=("Protesters (Nigeria)", 6), a2=None, killed=None
    )
    assert not same(base, protest)
    other_country = ev("b")
    other_country.place = other_country.place.model_copy(update={"iso3": "CMR", "country": "Cameroon"})
    assert not same(base, other_country)


def test_two_events_of_one_article_never_merge():
    a = ev("a")
    b = ev("a").model_copy(update={"id": "a#2"})
    assert pair_score(features(a), features(b)).blocked == "same article"
    assert len(cluster_events([a, b])) == 2


def test_reversed_roles_count_against_one_sided_events():
    a = ev("a", a1=("Fulani Ethnic Militia (Nigeria)", 4), a2=("Berom Ethnic Militia (Nigeria)", 4))
    b = ev("b", a1=("Berom Ethnic Militia (Nigeria)", 4), a2=("Fulani Ethnic Militia (Nigeria)", 4))
    assert pair_score(features(a), features(b)).parts["actors"] < 0.5
    clash_a = a.model_copy(update={"event_type": "Battles", "sub_event_type": "Armed clash"})
    clash_b = b.model_copy(update={"event_type": "Battles", "sub_event_type": "Armed clash"})
    assert (
        pair_score(features(clash_a), features(clash_b)).parts["actors"] == 1.0
    )  # battles: order is arbitrary


def test_open_ended_tolls_overlap():
    f = features(ev("a", killed=10, stated="at least 10"))
    g = features(ev("b", killed=25))
    assert dedup.figure_score(f, g, dedup.default_config()) == 1.0
    h = features(ev("c", killed=10))
    assert dedup.figure_score(h, g, dedup.default_config()) < 1.0


# ------------------------------------------------------------------------------ figures


def test_merged_figures_follow_the_coding_rules():
    reports = [
        ev("a", killed=9),
        ev("b", killed=14),
        ev("c", killed=14),
        ev("d", killed=30, status="unconfirmed"),
    ]
    fat, u = merge_figures(reports)
    assert fat == 9  # ACLED: lowest credible
    assert u.low == 9 and u.best == 14 and u.high == 30  # UCDP: lowest, best-supported, highest
    fat, u = merge_figures([ev("a", killed=None), ev("b", killed=40, status="unconfirmed")])
    assert fat == 0 and u.best == 0 and u.high == 40  # an unconfirmed claim only raises high


def test_merged_fields_take_the_most_precise_place_and_date():
    a = ev("a", town=None, province="Borno", precision="week", day=D + dt.timedelta(days=1))
    b = ev("b")
    m = dedup.merged_fields([a, b])
    assert m["location"] == "Maiduguri" and m["date"] == D
    assert m["actor1"] == "Boko Haram"


# ------------------------------------------------------------------------------ scorer and test set


def test_scores_on_a_hand_example():
    gold = {"1": "A", "2": "A", "3": "B", "4": "B"}
    pred = {"1": "x", "2": "x", "3": "x", "4": "y"}
    pw = pairwise_prf(pred, gold)  # predicted pairs 12 13 23; gold pairs 12 34; right: 12
    assert pw.precision == pytest.approx(1 / 3) and pw.recall == pytest.approx(1 / 2)
    b3 = bcubed_prf(pred, gold)  # precision (2/3 + 2/3 + 1/3 + 1)/4, recall (1 + 1 + 1/2 + 1/2)/4
    assert b3.precision == pytest.approx(2 / 3) and b3.recall == pytest.approx(0.75)


def test_the_test_set_is_big_enough_and_well_formed():
    events, articles, gold = load_dedup_set(SET)
    sizes: dict[str, int] = {}
    for g in gold.values():
        sizes[g] = sizes.get(g, 0) + 1
    main = [g for g in sizes if not g.startswith("nm-")]
    assert len(main) >= 40 and all(2 <= sizes[g] <= 4 for g in main)
    assert sum(1 for g in sizes if g.startswith("nm-")) >= 10
    assert all(e.article_id in articles for e in events)


def test_deduplication_accuracy_on_the_test_set():
    report = evaluate_dedup(SET)
    assert report.pairwise.f1 >= 0.90 and report.bcubed.f1 >= 0.90
    d = report.to_dict()
    assert d["events"] == report.events and "pairwise" in d
    assert report.render() is not None


def test_cost_grows_close_to_linearly(monkeypatch):
    """Pair comparisons per event stay flat as the corpus grows (blocking by country and day)."""
    from eventcoder.store.bench import synthetic_articles

    calls = {"n": 0}
    real = dedup.pair_score

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(dedup, "pair_score", counting)
    per_event = []
    for n in (1000, 8000):
        calls["n"] = 0
        # a corpus that grows over time: the same number of reports a day
        events = [e for c in synthetic_articles(n, span_days=n // 10) for e in c.events]
        cluster_events(events)
        per_event.append(calls["n"] / len(events))
    assert per_event[0] > 1  # reports do meet candidates
    # all-pairs (quadratic) cost would make this ratio about 8; linear about 1
    assert per_event[1] / per_event[0] < 1.5


# ------------------------------------------------------------------------------ through the store


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_store_deduplicates_the_test_set_like_the_library(backend, tmp_path):
    from eventcoder.records import CodedArticle
    from eventcoder.store import Store
    from eventcoder.store.schema import drop_schema

    if backend == "sqlite":
        url = str(tmp_path / "d.db")
    else:
        url = os.environ.get("EVENTCODER_TEST_PG", "")
        if not url:
            pytest.skip("EVENTCODER_TEST_PG is not set (source scripts/pg_ci.sh to start PostgreSQL)")
        drop_schema(url)
    events, articles, gold = load_dedup_set(SET)
    order = sorted(articles.values(), key=lambda a: (a.published, a.id))
    by_article: dict[str, list[Event]] = {}
    for e in events:
        by_article.setdefault(e.article_id, []).append(e)
    with Store.open(url) as store:
        for art in order:
            store.save_coded(CodedArticle(article=art, events=by_article[art.id], coder_version="t"))
        pred = {e.id: store.incidents_of_article(e.article_id)[0] for e in events}
        assert store.stats()["incidents"] == len(set(pred.values()))
    pub = {a.id: a.published for a in articles.values()}
    ordered = sorted(events, key=lambda e: (pub[e.article_id], e.article_id, e.id))
    lib = {e: str(i) for i, ms in enumerate(cluster_events(ordered, pub)) for e in ms}
    assert pairwise_prf(pred, lib).f1 == 1.0  # the same partition
    assert pairwise_prf(pred, gold).f1 >= 0.90
