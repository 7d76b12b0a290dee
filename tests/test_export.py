"""Export: per-article events from records and incidents from the store, in every format, with
filters, sources listed, and `eventcoder export` on the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import typer
from typer.testing import CliRunner

from eventcoder.export import ACLED_COLUMNS, FORMATS, UCDP_COLUMNS, EventWriter, write_events, write_incidents
from eventcoder.records import (
    ActorRef,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Figure,
    Place,
    Span,
    UcdpDeaths,
)
from eventcoder.store import IncidentFilter, Store

D = dt.date(2024, 6, 9)


def event(aid: str, n: int = 1, killed: int = 3, located: bool = True, tov: int | None = 1, **kw) -> Event:
    place = Place(name="Ramadi", place="Ramadi", level="place", iso3="IRQ", country="Iraq", admin1="Anbar",
                  latitude=33.426 if located else None, longitude=43.299 if located else None,
                  acled_geo_precision=1, ucdp_where_prec=1)  # fmt: skip
    return Event(
        id=f"{aid}#{n}",
        article_id=aid,
        event_type="Battles",
        sub_event_type="Armed clash",
        disorder_type="Political violence",
        ucdp_type_of_violence=tov,
        actor1=ActorRef(name="Islamic State (Iraq)", matched="IS", inter=2, ucdp_name="IS"),
        actor2=ActorRef(
            name="Military Forces of Iraq (2022-)",
            matched="soldiers",
            inter=1,
            ucdp_name="Government of Iraq",
        ),  # fmt: skip
        interaction=12,
        figures=[
            Figure(
                kind="killed",
                group="side_b",
                stated=str(killed),
                value=killed,
                span=Span(start=0, end=1, text="x"),
            )
        ],  # fmt: skip
        fatalities=killed,
        ucdp=UcdpDeaths(deaths_b=killed, low=killed, best=killed, high=killed),
        date=EventDate(date=D, precision="day", acled_time_precision=1, ucdp_date_prec=1, resolved=True),
        place=place,
        **kw,
    )


ART = {"a": Article(id="a", text="x", source="Rudaw", title="IS attack", published=D + dt.timedelta(days=1))}


def test_acled_csv_has_acleds_columns_and_values():
    out = io.StringIO()
    assert write_events([event("a")], ART, "acled-csv", out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ACLED_COLUMNS and len(ACLED_COLUMNS) == 31
    r = rows[0]
    assert r["event_date"] == "2024-06-09" and r["year"] == "2024" and r["iso"] == "368"
    assert r["actor1"] == "Islamic State (Iraq)" and r["inter2"] == "1" and r["interaction"] == "12"
    assert r["source"] == "Rudaw" and r["fatalities"] == "3" and r["region"] == "Asia"


def test_ucdp_csv_puts_the_state_on_side_a_and_skips_what_ucdp_does_not_code():
    out = io.StringIO()
    n = write_events(
        [event("a"), event("a", 2, tov=None), event("a", 3, background=True)], ART, "ucdp-csv", out
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert n == 1 and list(rows[0]) == UCDP_COLUMNS
    r = rows[0]
    assert r["side_a"] == "Government of Iraq" and r["side_b"] == "IS"
    assert r["deaths_a"] == "3" and r["deaths_b"] == "0" and r["best"] == "3"
    assert r["geom_wkt"] == "POINT (43.299 33.426)" and r["source_office"] == "Rudaw"


def test_jsonl_round_trips_and_carries_the_article():
    out = io.StringIO()
    write_events([event("a")], ART, "jsonl", out)
    obj = json.loads(out.getvalue())
    assert obj["article"]["source"] == "Rudaw" and "text" not in obj["article"]
    del obj["article"]
    assert Event.model_validate(obj) == event("a")


def test_parquet_and_geojson(tmp_path):
    import pyarrow.parquet as pq

    evs = [event("a"), event("a", 2, located=False)]
    assert write_events(evs, ART, "parquet", tmp_path / "e.parquet") == 2
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 2 and str(table.schema.field("event_date").type) == "date32[day]"
    assert table.column("fatalities").to_pylist() == [3, 3]
    write_events(evs, ART, "geojson", tmp_path / "e.geojson")
    gj = json.loads((tmp_path / "e.geojson").read_text())
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 1  # unlocated left out
    assert gj["features"][0]["geometry"]["coordinates"] == [43.299, 33.426]


def test_event_writer_streams_coded_articles():
    out = io.StringIO()
    w = EventWriter("jsonl", out, include_background=False)
    w.write(CodedArticle(article=ART["a"], events=[event("a"), event("a", 2, background=True)]))
    w.close()
    assert [e["id"] for e in json.loads(out.getvalue())["events"]] == ["a#1"]
    with pytest.raises(ValueError):
        EventWriter("xml", io.StringIO())


# ------------------------------------------------------------------------------ incidents from the store


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "x.db")
    for aid, src, killed in (("a", "Rudaw", 3), ("b", "AP", 4)):
        art = Article(id=aid, text="x", source=src, title=f"t {aid}", published=D + dt.timedelta(days=1))
        s.save_coded(CodedArticle(article=art, events=[event(aid, killed=killed)], coder_version="t"))
    art = Article(id="c", text="x", source="AP", title="t c", published=D)
    far = event("c", killed=0).model_copy(
        update={"date": EventDate(date=D - dt.timedelta(days=30), precision="day")}
    )
    s.save_coded(CodedArticle(article=art, events=[far], coder_version="t"))
    yield s
    s.close()


def test_incident_export_lists_sources_and_merges_figures(store):
    out = io.StringIO()
    assert write_incidents(store.iter_incidents(), "acled-csv", out) == 2
    rows = {r["event_date"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    merged = rows["2024-06-09"]
    assert merged["source"] == "Rudaw; AP" and merged["fatalities"] == "3" and "a; b" in merged["notes"]
    out = io.StringIO()
    write_incidents(store.iter_incidents(), "ucdp-csv", out)
    u = {r["date_start"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}["2024-06-09"]
    assert u["number_of_sources"] == "2" and u["low"] == "3" and u["high"] == "4"
    out = io.StringIO()
    write_incidents(store.iter_incidents(IncidentFilter(min_fatalities=1)), "jsonl", out)
    recs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(recs) == 1 and [s["article_id"] for s in recs[0]["source_articles"]] == ["a", "b"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_incidents(store, fmt, tmp_path):
    path = tmp_path / f"out.{fmt}"
    n = write_incidents(store.iter_incidents(), fmt, path)
    assert path.stat().st_size > 0 and n == (2 if fmt != "geojson" else 2)


def test_cli_export(store, tmp_path):
    from eventcoder.cli_data import register

    app = typer.Typer()
    register(app)
    db = str(tmp_path / "x.db")
    out = tmp_path / "o.jsonl"
    res = CliRunner().invoke(
        app, ["export", "--db", db, "--format", "jsonl", "-o", str(out), "--from", "2024-06-01"]
    )
    assert res.exit_code == 0, res.output
    assert len(out.read_text().splitlines()) == 1
    res = CliRunner().invoke(
        app, ["export", "--db", db, "--events", "--format", "acled-csv", "--country", "Iraq"]
    )
    assert res.exit_code == 0 and len(list(csv.DictReader(io.StringIO(res.stdout)))) == 3
    later = dt.datetime.now(dt.UTC).isoformat()
    res = CliRunner().invoke(app, ["export", "--db", db, "--format", "jsonl", "--since", later])
    assert res.exit_code == 0 and res.stdout.strip() == ""
    res = CliRunner().invoke(app, ["export", "--db", db, "--format", "parquet"])
    assert res.exit_code != 0  # parquet needs a file
    res = CliRunner().invoke(app, ["export", "--db", db, "--from", "June"])
    assert res.exit_code != 0 and "YYYY-MM-DD" in res.output
