"""The web API on the real store (SQLite, and PostgreSQL when EVENTCODER_TEST_PG is set): what an
analyst does in the browser reaches the database, is audited, and survives re-coding."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "web"))
from synth import make_coded_articles  # noqa: E402

from eventcoder.store import Store  # noqa: E402
from eventcoder.store.schema import drop_schema  # noqa: E402
from eventcoder.web import create_app  # noqa: E402
from eventcoder.web.store_backend import StoreBackend, StoreUnavailable  # noqa: E402

TOKEN = "store-review-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'web.db'}"
    url = os.environ.get("EVENTCODER_TEST_PG")
    if not url:
        pytest.skip("EVENTCODER_TEST_PG is not set (source scripts/pg_ci.sh to start PostgreSQL)")
    drop_schema(url)
    return url


@pytest.fixture
def coded():
    return make_coded_articles(80, seed=5)


@pytest.fixture
def client(db_url, coded):
    backend = StoreBackend.open(db_url)
    backend.bulk_load(coded)
    app = create_app(None, token=f"ana:{TOKEN}", backend=backend, env_token=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _ids(client, **params) -> list[str]:
    return [
        i["id"] for i in client.get("/api/incidents", params={"page_size": 500, **params}).json()["items"]
    ]


def test_list_filters_and_map_read_the_store(client, coded):
    body = client.get("/api/incidents", params={"page_size": 500}).json()
    assert 0 < body["total"] <= sum(len(c.events) for c in coded)
    irq = client.get("/api/incidents", params={"country": "IRQ", "page_size": 500}).json()
    assert 0 < irq["total"] < body["total"] and {i["iso3"] for i in irq["items"]} == {"IRQ"}
    by_name = client.get("/api/incidents", params={"country": "Iraq"}).json()
    assert by_name["total"] == irq["total"]
    battles = client.get("/api/incidents", params={"event_type": "Battles", "sort": "-fatalities"}).json()
    fats = [i["fatalities"] for i in battles["items"]]
    assert battles["items"] and all(i["event_type"] == "Battles" for i in battles["items"])
    assert fats == sorted(fats, reverse=True)
    m = client.get("/api/map", params={"country": "SYR"}).json()
    assert m["returned"] == m["total"] > 0
    _, lat, lon, ti, _ = m["points"][0]
    assert 30 < lat < 40 and 30 < lon < 45 and m["types"][ti]
    months = client.get("/api/counts", params={"by": "month"}).json()["buckets"]
    assert sum(b["incidents"] for b in months) == body["total"]
    assert all(len(b["key"]) == 7 for b in months if b["key"])


def test_detail_shows_every_source_with_evidence_inside_its_text(client):
    iid = _ids(client, event_type="Battles")[0]
    d = client.get(f"/api/incidents/{iid}").json()
    assert d["incident"]["id"] == iid and d["sources"]
    for src in d["sources"]:
        text = src["article"]["text"]
        assert src["evidence"]
        for ev in src["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]
    assert d["claims"] and all(c["claimed_by"] for c in d["claims"])
    assert client.get("/api/incidents/nope").status_code == 404
    art = d["sources"][0]["article"]["id"]
    a = client.get(f"/api/articles/{art}").json()
    assert iid in a["incidents"] and a["events"]


def test_a_correction_is_stored_audited_and_kept_over_recoding(client, db_url, coded):
    iid = _ids(client, country="NGA")[0]
    r = client.patch(
        f"/api/incidents/{iid}",
        json={"changes": {"fatalities": 41, "location": "Konduga"}, "reason": "hospital toll"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    assert r.json()["incident"]["fatalities"] == 41 and r.json()["incident"]["status"] == "corrected"
    hist = client.get(f"/api/incidents/{iid}").json()["history"]
    fat = [h for h in hist if h["action"] == "correct" and h["field"] == "fatalities"]
    assert fat and fat[-1]["who"] == "ana" and fat[-1]["after"] == 41 and fat[-1]["reason"] == "hospital toll"
    # the article is coded again by a newer coder: the analyst's values stay
    store = Store.open(db_url)
    try:
        src = client.get(f"/api/incidents/{iid}").json()["sources"][0]["article"]["id"]
        again = next(c for c in coded if c.article.id == src).model_copy(update={"coder_version": "newer"})
        store.save_coded(again)
    finally:
        store.close()
    after = client.get(f"/api/incidents/{iid}").json()["incident"]
    assert after["fatalities"] == 41 and after["location"] == "Konduga"


def test_writing_needs_the_token(client):
    iid = _ids(client)[0]
    before = client.get(f"/api/incidents/{iid}").json()
    r = client.post(f"/api/incidents/{iid}/reject", json={"reason": "not an event"})
    assert r.status_code == 401
    assert client.get(f"/api/incidents/{iid}").json() == before


def test_reject_hides_and_confirm_is_recorded(client):
    ids = _ids(client)
    r = client.post(f"/api/incidents/{ids[0]}/reject", json={"reason": "a commemoration"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["changes"][0]["after"] == "rejected"
    assert ids[0] not in _ids(client)
    assert ids[0] in _ids(client, include_rejected="true")
    ok = client.post(f"/api/incidents/{ids[1]}/confirm", json={"reason": "checked"}, headers=AUTH).json()
    assert ok["incident"]["status"] == "confirmed"
    changes = client.get("/api/changes").json()["items"]
    assert {("reject", ids[0]), ("confirm", ids[1])} <= {(c["action"], c["incident_id"]) for c in changes}


def test_merge_and_split_through_the_api(client):
    a, b = _ids(client, country="SOM")[:2]
    n_before = client.get("/api/incidents").json()["total"]
    m = client.post(f"/api/incidents/{a}/merge", json={"others": [b], "reason": "same attack"}, headers=AUTH)
    assert m.status_code == 200, m.text
    assert client.get("/api/incidents").json()["total"] == n_before - 1
    merged = client.get(f"/api/incidents/{a}").json()
    arts = [s["article"]["id"] for s in merged["sources"]]
    assert len(arts) >= 2
    assert client.get(f"/api/incidents/{b}").json()["incident"]["status"] == "merged"
    again = client.post(f"/api/incidents/{a}/merge", json={"others": [b], "reason": "x"}, headers=AUTH)
    assert again.status_code == 409
    missing = client.post(f"/api/incidents/{a}/merge", json={"others": ["nope"], "reason": "x"}, headers=AUTH)
    assert missing.status_code == 404
    s = client.post(
        f"/api/incidents/{a}/split", json={"article_ids": [arts[-1]], "reason": "two"}, headers=AUTH
    )
    assert s.status_code == 200, s.text
    new = s.json()["created"][0]
    assert [x["article"]["id"] for x in client.get(f"/api/incidents/{new}").json()["sources"]] == [arts[-1]]
    bad = client.post(
        f"/api/incidents/{a}/split", json={"article_ids": ["nope"], "reason": "x"}, headers=AUTH
    )
    assert bad.status_code in (409, 422) and "nope" in bad.json()["detail"]


def test_exports_stream_the_filtered_incidents(client):
    irq = client.get("/api/incidents", params={"country": "IRQ", "page_size": 500}).json()
    r = client.get("/api/export", params={"format": "acled-csv", "country": "IRQ"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == irq["total"] and {row["country"] for row in rows} == {"Iraq"}
    g = client.get("/api/export", params={"format": "geojson", "country": "IRQ"}).json()
    assert len(g["features"]) == irq["total"]
    lines = client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == client.get("/api/incidents").json()["total"]
    assert json.loads(lines[0])["id"]
    pq = client.get("/api/export", params={"format": "parquet"})
    assert pq.status_code == 200 and pq.content[:4] == b"PAR1"


def test_changes_since_a_time_or_an_id(client):
    iid = _ids(client)[0]
    t = dt.datetime.now(dt.UTC).isoformat()
    client.post(f"/api/incidents/{iid}/confirm", json={"reason": "seen"}, headers=AUTH)
    later = client.get("/api/changes", params={"since": t}).json()["items"]
    assert later and all(c["at"] > t for c in later) and later[0]["incident_id"] == iid
    first_id = client.get("/api/changes", params={"limit": 1}).json()["items"][0]["id"]
    rest = client.get("/api/changes", params={"since": str(first_id)}).json()["items"]
    assert rest and all(c["id"] > first_id for c in rest)
    assert client.get("/api/changes", params={"since": "last tuesday"}).status_code == 422


def test_the_app_opens_the_database_given_and_says_clearly_when_it_cannot(tmp_path):
    app = create_app(str(tmp_path / "fresh.db"), env_token=False)
    with TestClient(app) as c:
        h = c.get("/api/health").json()
    assert h["status"] == "ok" and h["incidents"] == 0 and "fresh.db" in h["database"]
    with pytest.raises(StoreUnavailable) as err:
        StoreBackend.open("postgresql://user:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(err.value) and "cannot open" in str(err.value)


def test_answers_follow_writes_made_by_another_process(client, db_url, coded):
    """Repeated views are answered from a cache that any change to the database invalidates."""
    before = client.get("/api/incidents", params={"country": "MLI"}).json()["total"]
    assert client.get("/api/incidents", params={"country": "MLI"}).json()["total"] == before
    mali = next(c for c in coded if c.events[0].place and c.events[0].place.iso3 == "MLI")
    new = mali.model_copy(deep=True)
    new.article.id = "another-process-1"
    for e in new.events:
        e.article_id = new.article.id
        e.id = "another-process-1#e1"
        day = dt.date(2030, 1, 1)  # a day no other report is on: a new incident
        e.date.date, e.date.start, e.date.end = day, day, day
    store = Store.open(db_url)
    try:
        store.save_coded(new)
    finally:
        store.close()
    after = client.get("/api/incidents", params={"country": "MLI"}).json()
    assert after["total"] == before + 1
    assert client.get("/api/map", params={"country": "MLI"}).json()["total"] >= after["total"] - 1


def test_serve_with_two_workers_answers_and_stops_cleanly(tmp_path, coded):
    import signal
    import socket
    import subprocess
    import time

    import httpx

    db = tmp_path / "served.db"
    backend = StoreBackend.open(str(db))
    backend.bulk_load(coded[:20])
    backend.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "EVENTCODER_TOKEN"}
    cmd = [
        sys.executable,
        "-m",
        "eventcoder",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = None
        for _ in range(300):
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert body is not None and body["status"] == "ok" and body["incidents"] > 0
        assert body["writable"] is False
        page = httpx.get(f"http://127.0.0.1:{port}/api/incidents", params={"page_size": 5}).json()
        assert page["total"] == body["incidents"] and len(page["items"]) == 5
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
