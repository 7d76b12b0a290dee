"""The store: idempotent saves, versioned re-coding, incidents across articles, review that survives
re-coding, filters and change tracking. Every test runs on SQLite and on PostgreSQL (when
EVENTCODER_TEST_PG points at a server: scripts/pg_ci.sh starts one)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from eventcoder.records import (
    ActorRef,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Figure,
    Place,
    RecordError,
    Span,
    UcdpDeaths,
)
from eventcoder.store import IncidentFilter, NotFound, Store, StoreError, database_url
from eventcoder.store.core import _HEAD
from eventcoder.store.schema import drop_schema

D = dt.date(2024, 5, 1)
PLACES = {
    "Maiduguri": dict(admin1="Borno", admin2="Maiduguri", latitude=11.846, longitude=13.160, iso3="NGA", country="Nigeria"),
    "Konduga": dict(admin1="Borno", admin2="Konduga", latitude=11.652, longitude=13.418, iso3="NGA", country="Nigeria"),
    "Mosul": dict(admin1="Nineveh", admin2="Mosul", latitude=36.34, longitude=43.13, iso3="IRQ", country="Iraq"),
}  # fmt: skip


def event(
    aid: str,
    n: int = 1,
    day: dt.date = D,
    town: str = "Maiduguri",
    killed: int | None = 5,
    sub: str = "Armed clash",
    etype: str = "Battles",
    actor1: str = "Islamic State West Africa Province (ISWAP)",
    status: str = "reported",
    claimed_by: str | None = None,
) -> Event:
    """One coded event as the coder would produce it (no models needed)."""
    text = f"Report {aid}: {killed} killed in {town}."
    figs = []
    if killed is not None:
        figs = [Figure(kind="killed", group="unknown", stated=str(killed), value=killed, status=status,
                       claimed_by=claimed_by, span=Span.of(text, 0, 6))]  # fmt: skip
    fat = killed if killed is not None and status in ("official", "reported") else 0
    return Event(
        id=f"{aid}#{n}",
        article_id=aid,
        event_type=etype,
        sub_event_type=sub,
        actor1=ActorRef(name=actor1, matched=actor1, inter=2),
        actor2=ActorRef(name="Military Forces of Nigeria (2023-)", matched="troops", inter=1),
        figures=figs,
        fatalities=fat,
        ucdp=UcdpDeaths(deaths_unknown=fat, low=fat, best=fat, high=killed or 0),
        date=EventDate(date=day, precision="day", acled_time_precision=1, resolved=True),
        place=Place(name=town, place=town, level="place", acled_geo_precision=1, **PLACES[town]),
    )


def coded(
    aid: str, *events: Event, text: str | None = None, source: str = "Outlet", version: str = "t1"
) -> CodedArticle:
    art = Article(id=aid, text=text or f"Report {aid}.", published=D + dt.timedelta(days=1), source=source,
                  title=f"Title {aid}")  # fmt: skip
    return CodedArticle(article=art, events=list(events), coder_version=version)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store.open(tmp_path / "t.db")
    else:
        url = os.environ.get("EVENTCODER_TEST_PG")
        if not url:
            pytest.skip("EVENTCODER_TEST_PG is not set (source scripts/pg_ci.sh to start PostgreSQL)")
        drop_schema(url)
        s = Store.open(url)
    yield s
    s.close()


# ------------------------------------------------------------------------------ saving


def test_same_article_saved_twice_changes_nothing(store):
    first = store.save_coded(coded("a", event("a")))
    before = store.stats()
    again = store.save_coded(coded("a", event("a")))
    assert first.status == "new" and again.status == "unchanged"
    assert store.stats() == before


def test_recoding_replaces_events_and_keeps_the_old_version(store):
    store.save_coded(coded("a", event("a", 1), event("a", 2, town="Konduga")))
    res = store.save_coded(coded("a", event("a", 1, killed=7), text="Report a, corrected.", version="t2"))
    assert res.status == "updated"
    assert [e.id for e in store.get_events("a")] == ["a#1"]
    assert store.get_events("a")[0].fatalities == 7
    assert store.get_article("a").text == "Report a, corrected."
    assert store.stats()["articles"] == 1
    recode = [c for c in store.changes_since() if c.action == "recode"]
    assert recode and recode[0].before == ["a#1", "a#2"] and recode[0].after == ["a#1"]
    # the Konduga incident lost its only report: recorded as deleted, not silently dropped
    assert len(res.incidents_deleted) == 1
    gone = store.get_record(res.incidents_deleted[0])
    assert gone.status == "deleted"


def test_events_round_trip(store):
    c = coded("b", event("b", 1), event("b", 2, town="Mosul"))
    store.save_coded(c)
    assert store.get_events("b") == c.events


def test_failed_save_leaves_nothing_half_written(store):
    bad = coded("c", event("c", 1), event("c", 1, town="Konduga"))  # duplicate event id
    with pytest.raises(Exception):  # noqa: B017 - any database error
        store.save_coded(bad)
    assert store.get_article("c") is None and store.get_events("c") == []
    assert store.stats()["incidents"] == 0


def test_errors_and_runs_are_recorded(store):
    run = store.start_run("code", ["x.jsonl"])
    store.record_error(RecordError(origin="x.jsonl:2", reason="malformed-json", message="bad"), run)
    store.finish_run(run, ok=0, failed=1)
    assert store.stats()["errors"] == 1 and store.stats()["runs"] == 1


def test_batch_is_all_or_nothing(store):
    with pytest.raises(RuntimeError), store.batch():
        store.save_coded(coded("a", event("a")))
        raise RuntimeError("stop")
    assert store.get_article("a") is None
    with store.batch():
        store.save_coded(coded("a", event("a")))
        store.save_coded(coded("b", event("b")))
    assert store.stats()["articles"] == 2 and store.stats()["incidents"] == 1


def test_database_url_forms(tmp_path):
    assert database_url(None) == "sqlite:///eventcoder.db"
    assert database_url(tmp_path / "x.db") == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_reopening_keeps_data_and_schema(tmp_path):
    with Store.open(tmp_path / "x.db") as s:
        s.save_coded(coded("a", event("a")))
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as s:
        assert s.stats()["articles"] == 1
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == _HEAD
            # the list index of migration 0002 is there (the incident list reads it, not the rows)
            names = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list('incidents')")}
            assert "ix_incidents_list" in names
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# ------------------------------------------------------------------------------ incidents


def test_reports_of_one_incident_become_one_record_with_every_source(store):
    store.save_coded(coded("a", event("a", killed=5, claimed_by="police"), source="Reuters"))
    store.save_coded(coded("b", event("b", killed=9, status="unconfirmed", claimed_by="ISWAP"), source="AFP"))
    store.save_coded(coded("c", event("c", killed=7), source="Daily Trust"))
    page = store.query_incidents()
    assert page.total == 1
    inc = page.items[0]
    assert inc.sources == 3 and inc.events == 3
    detail = store.get_incident(inc.id)
    assert [s.article.id for s in detail.sources] == ["a", "b", "c"]
    assert {(c.figure.value, c.figure.claimed_by, c.figure.status) for c in detail.claims} == {
        (5, "police", "reported"), (9, "ISWAP", "unconfirmed"), (7, None, "reported")}  # fmt: skip
    assert detail.incident.fatalities == 5  # ACLED: lowest credible
    assert detail.incident.ucdp.high == 9 and detail.incident.ucdp.low == 5
    assert detail.incident.source_names == ["Reuters", "AFP", "Daily Trust"]
    assert all(ev.figures[0].span.text for ev in detail.events)  # evidence spans kept
    assert [h.action for h in detail.history][:1] == ["create"]


def test_near_misses_stay_apart(store):
    store.save_coded(coded("a", event("a", killed=5)))
    store.save_coded(coded("b", event("b", town="Konduga", killed=5)))  # same day, neighbouring town
    store.save_coded(coded("c", event("c", day=D + dt.timedelta(days=1), killed=1)))  # next day, other toll
    store.save_coded(coded("d", event("d", 1), event("d", 2, killed=4)))  # two events of one article
    assert store.stats()["incidents"] == 4
    assert len(store.incidents_of_article("d")) == 2


def test_analyst_correction_survives_recoding(store):
    store.save_coded(coded("a", event("a", killed=5)))
    iid = store.incidents_of_article("a")[0]
    rec = store.apply_correction(iid, "fatalities", 11, user="ana", reason="hospital toll")
    assert rec.fatalities == 11 and rec.status == "corrected"
    store.save_coded(coded("a", event("a", killed=3), version="t2"))  # re-coded: new toll
    store.save_coded(coded("b", event("b", killed=4)))  # a new report joins
    rec = store.get_record(iid)
    assert rec.fatalities == 11 and rec.sources == 2 and rec.status == "corrected"
    hist = store.incident_history(iid)
    corr = [h for h in hist if h.action == "correct"]
    assert (
        corr[0].who == "ana"
        and corr[0].before == 5
        and corr[0].after == 11
        and corr[0].reason == "hospital toll"
    )
    assert any(h.action == "recode" for h in hist)


def test_bad_corrections_are_refused(store):
    store.save_coded(coded("a", event("a")))
    iid = store.incidents_of_article("a")[0]
    with pytest.raises(StoreError):
        store.apply_correction(iid, "fatalities", -1, "ana", "x")
    with pytest.raises(StoreError):
        store.apply_correction(iid, "event_type", "Picnic", "ana", "x")
    with pytest.raises(StoreError):
        store.apply_correction(iid, "id", "x", "ana", "x")
    with pytest.raises(NotFound):
        store.apply_correction("inc-nope", "fatalities", 1, "ana", "x")


def test_merge_and_split_are_kept_over_recoding(store):
    store.save_coded(coded("a", event("a")))
    store.save_coded(coded("b", event("b", town="Konduga")))
    ia, ib = store.incidents_of_article("a")[0], store.incidents_of_article("b")[0]
    merged = store.merge([ia, ib], user="ana", reason="same attack, two names")
    assert merged.id == ia and merged.sources == 2
    assert store.get_record(ib).status == "merged" and store.get_record(ib).merged_into == ia
    store.save_coded(coded("b", event("b", town="Konduga", killed=6), version="t2"))
    assert store.incidents_of_article("b") == [ia]

    new = store.split(ia, ["b"], user="ana", reason="different attack after all")
    assert new.article_ids == ["b"] and store.get_record(ia).article_ids == ["a"]
    store.save_coded(coded("b", event("b", town="Konduga", killed=7), version="t3"))
    assert store.incidents_of_article("b") == [new.id]
    actions = [h.action for h in store.incident_history(ia)]
    assert "merge" in actions and "split" in actions
    with pytest.raises(StoreError):
        store.split(ia, ["a"], user="ana", reason="would empty it")


def test_rebuild_keeps_incidents_corrections_and_pins(store):
    store.save_coded(coded("a", event("a")))
    store.save_coded(coded("b", event("b")))
    store.save_coded(coded("c", event("c", town="Konduga")))
    ia, ic = store.incidents_of_article("a")[0], store.incidents_of_article("c")[0]
    store.apply_correction(ia, "notes", "checked with hospital", "ana", "call")
    store.merge([ia, ic], "ana", "one raid on two villages")
    assert store.rebuild_incidents() == 1
    rec = store.get_record(ia)
    assert rec.article_ids == ["a", "b", "c"] and rec.notes == "checked with hospital"


def test_reject_hides_and_confirm_marks(store):
    store.save_coded(coded("a", event("a")))
    store.save_coded(coded("b", event("b", town="Mosul")))
    ia, ib = store.incidents_of_article("a")[0], store.incidents_of_article("b")[0]
    store.reject(ia, user="ana", reason="not political violence")
    store.confirm(ib, user="ana")
    assert [r.id for r in store.query_incidents().items] == [ib]
    assert {r.id for r in store.query_incidents(IncidentFilter(include_rejected=True)).items} == {ia, ib}
    assert store.get_record(ib).status == "confirmed"
    store.save_coded(coded("a", event("a", killed=8), version="t2"))
    assert store.get_record(ia).status == "rejected"  # re-coding does not undo a rejection


# ------------------------------------------------------------------------------ reading


def _three(store: Store) -> None:
    store.save_coded(coded("a", event("a", killed=5)))
    store.save_coded(coded("b", event("b", town="Mosul", day=D + dt.timedelta(days=40), killed=0,
                                       sub="Peaceful protest", etype="Protests", actor1="Protesters (Iraq)")))  # fmt: skip
    store.save_coded(coded("c", event("c", town="Konduga", killed=12, actor1="Boko Haram - JAS")))


def test_filters(store):
    _three(store)

    def ids(**kw):
        return sorted(r.location for r in store.query_incidents(IncidentFilter(**kw)).items)

    assert ids() == ["Konduga", "Maiduguri", "Mosul"]
    assert ids(country="Iraq") == ["Mosul"] and ids(country="irq") == ["Mosul"]
    assert ids(country="NGA", min_fatalities=10) == ["Konduga"]
    assert ids(actor="boko") == ["Konduga"]
    assert ids(event_type="Protests") == ["Mosul"]
    assert ids(date_from=D + dt.timedelta(days=1)) == ["Mosul"]
    assert ids(date_to=D) == ["Konduga", "Maiduguri"]
    assert ids(text="Protesters mosul") == ["Mosul"] and len(ids(text="outlet")) == 3
    assert ids(admin1="borno") == ["Konduga", "Maiduguri"]


def test_sorting_paging_and_totals(store):
    _three(store)
    p1 = store.query_incidents(page=1, page_size=2, sort="-fatalities")
    p2 = store.query_incidents(page=2, page_size=2, sort="-fatalities")
    assert [r.fatalities for r in p1.items + p2.items] == [12, 5, 0]
    assert p1.total == 3 and p1.fatalities == 17
    assert [r.location for r in store.query_incidents(sort="date").items][-1] == "Mosul"
    with pytest.raises(StoreError):
        store.query_incidents(sort="nonsense")


def test_map_points(store):
    _three(store)
    located, unlocated, points = store.map_points(limit=2)
    assert located == 3 and unlocated == 0
    assert [p[4] for p in points] == [12, 5] and points[0][1:3] == (11.652, 13.418)


def test_counts(store):
    _three(store)
    by_month = {b.key: (b.incidents, b.fatalities) for b in store.counts("month")}
    assert by_month == {"2024-05-01": (2, 17), "2024-06-01": (1, 0)}
    by_country = {b.key: b.incidents for b in store.counts("country")}
    assert by_country == {"Nigeria": 2, "Iraq": 1}


def test_changes_since_lists_only_what_changed(store):
    _three(store)
    t = dt.datetime.now(dt.UTC)
    ib = store.incidents_of_article("b")[0]
    store.save_coded(
        coded("b", event("b", town="Mosul", day=D + dt.timedelta(days=40), killed=2), version="t2")
    )
    assert store.changed_incident_ids(t) == [ib]
    changed = list(store.iter_incidents(IncidentFilter(updated_since=t)))
    assert [r.id for r in changed] == [ib] and changed[0].version == 2
    assert {c.action for c in store.changes_since(t)} == {"recode", "update"}


def test_list_articles(store):
    _three(store)
    page = store.list_articles(page=1, page_size=10)
    assert page.total == 3 and {a.id for a in page.items} == {"a", "b", "c"}
    assert all(len(a.incidents) == 1 for a in page.items)
    assert [a.id for a in store.list_articles(q="title c").items] == ["c"]
