"""The store: re-coding updates instead of duplicating; one article is saved all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.records import Article, CodedArticle, Event, EventDate, RecordError
from eventcoder.store import Store, database_url


def coded(article_id: str, n_events: int, text: str = "Rebels attacked the town.") -> CodedArticle:
    art = Article(id=article_id, text=text, published=dt.date(2024, 5, 1))
    evs = [
        Event(
            id=f"{article_id}#{i + 1}",
            article_id=article_id,
            event_type="Battles",
            sub_event_type="Armed clash",
            fatalities=i,
            date=EventDate(date=dt.date(2024, 4, 30), precision="day", resolved=True),
        )
        for i in range(n_events)
    ]
    return CodedArticle(article=art, events=evs, coder_version="test")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def test_recoding_replaces_events(store):
    store.save_coded(coded("a", 3))
    store.save_coded(coded("a", 1, text="Rebels attacked the town again."))
    assert store.counts()["articles"] == 1
    assert [e.id for e in store.get_events("a")] == ["a#1"]
    assert store.get_article("a").text.endswith("again.")


def test_events_round_trip(store):
    store.save_coded(coded("b", 2))
    got = store.get_events("b")
    assert got == coded("b", 2).events


def test_failed_save_leaves_nothing_half_written(store):
    bad = coded("c", 2)
    bad.events[1].id = bad.events[0].id  # duplicate primary key: the insert fails
    with pytest.raises(Exception):  # noqa: B017 - any database error
        store.save_coded(bad)
    assert store.get_article("c") is None and store.get_events("c") == []


def test_errors_and_runs_are_recorded(store):
    run = store.start_run("code", ["x.jsonl"])
    store.record_error(RecordError(origin="x.jsonl:2", reason="malformed-json", message="bad"), run)
    store.finish_run(run, ok=0, failed=1)
    assert store.counts()["errors"] == 1 and store.counts()["runs"] == 1


def test_database_url_forms(tmp_path):
    assert database_url(None) == "sqlite:///eventcoder.db"
    assert database_url(tmp_path / "x.db").startswith("sqlite:///")
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
