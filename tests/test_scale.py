"""``eventcoder bench --scale`` on a tiny corpus: the corpus made from copies, the report, the store
left behind (and re-run into), and the streaming worker pool. No timing assertions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventcoder.records import Article, CodedArticle, Event, EventDate, RecordError
from eventcoder.runner import code_stream
from eventcoder.scale import (
    FALLBACK_PUBLISHED,
    ScaleFigures,
    default_corpus,
    run_scale,
    run_size,
    scaled_corpus,
    spread_dates,
)
from eventcoder.store import Store

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
CORPUS = [ARTICLES / "kherson_shelling.txt", ARTICLES / "monguno_base_attack.txt",
          ARTICLES / "nairobi_protest_teargas.txt", ARTICLES / "undated_taliban_checkpoint.txt"]  # fmt: skip


def test_default_corpus_is_the_fixtures_and_example():
    paths = default_corpus()
    names = [p.name for p in paths]
    assert "kherson_shelling.txt" in names and "monguno_base_attack.txt" in names
    assert len(names) == len(set(names))  # the bundled example is also a fixture: read once


def test_scaled_corpus_cycles_with_new_ids():
    arts = list(scaled_corpus(CORPUS, 10))
    assert len(arts) == 10
    assert len({a.id for a in arts}) == 10
    assert arts[0].id.endswith("~0") and arts[9].id.endswith("~9")
    assert arts[4].text == arts[0].text  # second pass over the 4 files
    assert all(a.published is not None for a in arts)  # undated ones get FALLBACK_PUBLISHED


def test_scaled_corpus_without_articles(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ValueError):
        list(scaled_corpus([tmp_path / "empty.txt"], 5))


def test_spread_dates_moves_publication_and_events():
    art = Article(id="a~3", text="x", published=dt.date(2024, 5, 22))
    ev = Event(id="a~3#1", article_id="a~3", event_type="Battles", sub_event_type="Armed clash",
               date=EventDate(date=dt.date(2024, 5, 21), start=dt.date(2024, 5, 20), end=dt.date(2024, 5, 21),
                              precision="day"))  # fmt: skip
    undated = ev.model_copy(update={"id": "a~3#2", "date": EventDate()})
    out = spread_dates(CodedArticle(article=art, events=[ev, undated]), dt.date(2020, 1, 11))
    assert out.article.published == dt.date(2020, 1, 11)
    d = out.events[0].date
    assert (d.date, d.start, d.end) == (dt.date(2020, 1, 10), dt.date(2020, 1, 9), dt.date(2020, 1, 10))
    assert out.events[1].date.date is None
    assert ev.date.date == dt.date(2024, 5, 21)  # the input is not changed
    nopub = CodedArticle(article=art.model_copy(update={"published": None}), events=[ev])
    shifted = spread_dates(nopub, FALLBACK_PUBLISHED + dt.timedelta(days=1))
    assert shifted.events[0].date.date == dt.date(2024, 5, 22)


def test_run_size_report_and_store(tmp_path, resources):
    db = tmp_path / "scale.db"
    fig = run_size(
        CORPUS, 30, workers=1, per_day=10, db=db, progress=False, commit_every=7, resources=resources
    )
    assert isinstance(fig, ScaleFigures)
    assert fig.articles == 30 and fig.coding_errors == 0 and fig.days == 3
    assert fig.events > 0 and 0 < fig.incidents <= fig.events
    assert fig.dedup_events > 0 and fig.dedup_pairs >= 0
    assert fig.dedup_pairs_per_article == pytest.approx(fig.dedup_pairs / 30)
    assert len(fig.store_ms_by_tenth) == 10 and len(fig.pairs_per_article_by_tenth) == 10
    assert 0 <= fig.dedup_background_pairs <= fig.dedup_pairs
    assert sum(fig.reported_pairs_per_article_by_tenth) <= sum(fig.pairs_per_article_by_tenth) + 1e-9
    assert fig.db_mb > 0 and fig.peak_rss_main_mb > 0
    with Store.open(db) as store:
        first = store.stats()
        published = {a.published for a in store.list_articles(page_size=100).items}
    assert first["articles"] == 30 and first["events"] == fig.events
    assert published == {dt.date(2020, 1, 1), dt.date(2020, 1, 2), dt.date(2020, 1, 3)}

    # run again into the same database: same articles, nothing duplicated, nothing re-deduplicated
    again = run_size(CORPUS, 30, workers=1, per_day=10, db=db, progress=False, resources=resources)
    assert again.dedup_pairs == 0 and again.dedup_events == 0
    with Store.open(db) as store:
        second = store.stats()
    for key in ("articles", "events", "incidents"):
        assert second[key] == first[key]


def test_run_scale_structure(tmp_path, resources, monkeypatch):
    import eventcoder.resources as res_mod

    monkeypatch.setattr(res_mod.Resources, "load", classmethod(lambda cls, *a, **k: resources))
    report = run_scale(CORPUS, [8, 12], workers=1, per_day=5, progress=False, isolate=False, db_dir=tmp_path)
    d = report.to_dict()
    assert d["corpus_articles"] == 4 and d["read_errors"] == 0 and d["per_day"] == 5
    assert [s["articles"] for s in d["sizes"]] == [8, 12]
    for key in ("seconds", "articles_per_s", "store_seconds", "coding_cpu_seconds", "dedup_pairs",
                "dedup_pairs_per_article", "incidents", "peak_rss_main_mb", "peak_rss_worker_mb", "db_mb"):  # fmt: skip
        assert key in d["sizes"][0]
    assert (tmp_path / "scale-8.db").exists() and (tmp_path / "scale-12.db").exists()
    assert report.render().row_count == 2


def test_code_stream_pool_keeps_order_and_errors(resources):
    arts = list(scaled_corpus(CORPUS, 9))
    err = RecordError(origin="x", reason="empty", message="empty")
    items: list[Article | RecordError] = [*arts[:3], err, *arts[3:]]
    out = list(code_stream(iter(items), resources, workers=2, chunksize=2))
    assert len(out) == 10
    assert out[3] is err
    got = [o.article.id for o in out if isinstance(o, CodedArticle)]
    assert got == [a.id for a in arts]


def test_store_feature_cache_is_bounded(tmp_path):
    from eventcoder.store.bench import synthetic_articles

    with Store.open(tmp_path / "s.db") as store:
        store.FEATURE_CACHE = 50
        with store.batch():
            for coded in synthetic_articles(400, span_days=10):
                store.save_coded(coded)
        assert 0 < len(store._features) <= 50
        assert store.tally.pairs > 0 and store.tally.events == 400


def test_store_dedup_pairs_per_article_stay_flat(tmp_path):
    """Through the store (what bench --scale counts): at a constant number of reports a day, the pairs
    scored per article do not grow with the corpus (all-pairs cost would make the ratio about 4)."""
    from eventcoder.store.bench import synthetic_articles

    per_article = []
    for n in (400, 1600):
        with Store.open(tmp_path / f"s{n}.db") as store, store.batch():
            for coded in synthetic_articles(n, span_days=n // 10):
                store.save_coded(coded)
            per_article.append(store.tally.pairs / n)
            assert store.tally.max_block < 40
    assert per_article[0] > 0.5
    assert per_article[1] / per_article[0] < 1.5
