"""The web API: filters, pagination, detail with evidence, review with audit, auth, bad requests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "web"))
from memory_backend import MemoryBackend  # noqa: E402
from synth import make_coded_articles  # noqa: E402

from eventcoder.web import create_app  # noqa: E402
from eventcoder.web.auth import TokenAuth, hash_line  # noqa: E402

TOKEN = "correct-horse-battery"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def coded():
    return make_coded_articles(240, seed=11)


@pytest.fixture
def backend(coded):
    return MemoryBackend(coded)


@pytest.fixture
def client(backend):
    app = create_app(None, token=f"alice:{TOKEN}", backend=backend, env_token=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def readonly(backend):
    app = create_app(None, backend=backend, env_token=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _first_id(client, **params) -> str:
    return client.get("/api/incidents", params=params).json()["items"][0]["id"]


# ----------------------------------------------------------------------------- reads


def test_health_reports_database_and_mode(client, readonly):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["incidents"] > 0 and body["writable"] is True
    assert readonly.get("/api/health").json()["writable"] is False


def test_filters_narrow_the_list(client):
    all_ = client.get("/api/incidents", params={"page_size": 500}).json()
    irq = client.get("/api/incidents", params={"country": "IRQ", "page_size": 500}).json()
    assert 0 < irq["total"] < all_["total"]
    assert {i["iso3"] for i in irq["items"]} == {"IRQ"}
    battles = client.get("/api/incidents", params={"country": "IRQ", "event_type": "Battles"}).json()
    assert battles["total"] < irq["total"]
    assert all(i["event_type"] == "Battles" for i in battles["items"])
    deadly = client.get("/api/incidents", params={"min_fatalities": 12, "page_size": 500}).json()
    assert deadly["items"] and all(i["fatalities"] >= 12 for i in deadly["items"])
    spring = client.get(
        "/api/incidents", params={"date_from": "2024-03-01", "date_to": "2024-03-31", "page_size": 500}
    ).json()
    assert spring["items"] and all("2024-03-01" <= i["date"] <= "2024-03-31" for i in spring["items"])
    actor = client.get("/api/incidents", params={"actor": "islamic state", "page_size": 500}).json()
    assert actor["items"] and all("Islamic State" in (i["actor1"], i["actor2"]) for i in actor["items"])
    text = client.get("/api/incidents", params={"q": "Mogadishu"}).json()
    assert text["total"] > 0 and all(i["location"] == "Mogadishu" for i in text["items"])


def test_pagination_and_sort(client):
    p1 = client.get("/api/incidents", params={"page_size": 10, "sort": "-fatalities"}).json()
    p2 = client.get("/api/incidents", params={"page": 2, "page_size": 10, "sort": "-fatalities"}).json()
    assert len(p1["items"]) == 10 and p1["total"] == p2["total"]
    assert not {i["id"] for i in p1["items"]} & {i["id"] for i in p2["items"]}
    fats = [i["fatalities"] for i in p1["items"] + p2["items"]]
    assert fats == sorted(fats, reverse=True)
    asc = client.get("/api/incidents", params={"page_size": 30, "sort": "date"}).json()
    dates = [i["date"] for i in asc["items"]]
    assert dates == sorted(dates)


def test_map_points_are_compact_and_bounded(client):
    body = client.get("/api/map", params={"country": "SYR"}).json()
    assert body["returned"] == body["total"] > 0 and not body["truncated"]
    pid, lat, lon, ti, fat = body["points"][0]
    assert 30 < lat < 40 and 30 < lon < 45 and body["types"][ti]
    small = client.get("/api/map", params={"limit": 5}).json()
    assert small["returned"] == 5 and small["truncated"] is True
    assert client.get("/api/map", params={"limit": 10**6}).status_code == 422


def test_counts_by_time_country_and_type(client):
    total = client.get("/api/incidents").json()["total"]
    for by in ("day", "week", "month", "country", "event_type"):
        buckets = client.get("/api/counts", params={"by": by}).json()["buckets"]
        assert sum(b["incidents"] for b in buckets) == total, by
    weeks = client.get("/api/counts", params={"by": "week"}).json()["buckets"]
    import datetime as dt

    assert all(dt.date.fromisoformat(b["key"]).weekday() == 0 for b in weeks)
    countries = client.get("/api/counts", params={"by": "country"}).json()["buckets"]
    assert {"IRQ", "SYR"} <= {b["key"] for b in countries}


def test_incident_detail_has_sources_evidence_and_claims(client):
    iid = _first_id(client, event_type="Battles")
    d = client.get(f"/api/incidents/{iid}").json()
    assert d["incident"]["id"] == iid
    src = d["sources"][0]
    text = src["article"]["text"]
    assert src["evidence"], "evidence spans expected"
    for ev in src["evidence"]:
        assert text[ev["start"] : ev["end"]] == ev["text"]
    kinds = {ev["kind"] for ev in src["evidence"]}
    assert {"actor", "type", "date", "place", "figure", "claim"} <= kinds
    claim = d["claims"][0]
    assert claim["claimed_by"] and claim["status"] in ("official", "reported", "disputed", "unconfirmed")
    assert text[claim["span"]["start"] : claim["span"]["end"]] == claim["span"]["text"]
    assert d["history"] == []


def test_unknown_incident_is_404(client):
    r = client.get("/api/incidents/no-such-incident")
    assert r.status_code == 404 and "no-such-incident" in r.json()["detail"]


def test_articles_list_and_detail(client):
    page = client.get("/api/articles", params={"page_size": 5}).json()
    assert page["total"] > 5 and len(page["items"]) == 5
    aid = page["items"][0]["id"]
    d = client.get(f"/api/articles/{aid}").json()
    assert d["article"]["text"] and d["events"] and d["incidents"]
    assert client.get("/api/articles/nope").status_code == 404


def test_export_downloads_matching_incidents(client):
    r = client.get("/api/export", params={"format": "jsonl", "country": "MLI"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    lines = r.text.strip().splitlines()
    assert lines and all('"MLI"' in line for line in lines)
    bad = client.get("/api/export", params={"format": "docx"})
    assert bad.status_code == 422 and "docx" in bad.json()["detail"]


def test_page_and_docs_are_served_without_cdn(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui-dist/" in docs.text
    for html in (page.text, docs.text):
        assert "cdn" not in html.lower() and "//unpkg" not in html
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/vendor/world-atlas/countries-50m.json").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/incidents" in schema["paths"] and "/api/incidents/{incident_id}/confirm" in schema["paths"]


# ----------------------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    "params, words",
    [
        ({"page_size": 501}, "page_size"),
        ({"page": 0}, "page"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "date_from must not be after date_to"),
        ({"event_type": "Picnics"}, "event_type: Input should be"),
        ({"event_type": "Battles", "sub_event_type": "Peaceful protest"}, "not a kind of"),
        ({"min_fatalities": -1}, "min_fatalities"),
        ({"sort": "password"}, "sort"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_invalid_filters_answer_422_with_a_clear_message(client, params, words):
    r = client.get("/api/incidents", params=params)
    assert r.status_code == 422
    assert words in r.json()["detail"]


def test_oversized_body_is_refused(client):
    iid = _first_id(client)
    r = client.post(
        f"/api/incidents/{iid}/confirm",
        content=b'{"reason": "' + b"x" * 100_000 + b'"}',
        headers={**AUTH, "content-type": "application/json"},
    )
    assert r.status_code == 413


def test_server_errors_do_not_leak_traces(backend):
    class Broken(MemoryBackend):
        def list_incidents(self, *a, **k):
            raise RuntimeError("secret internal detail /etc/passwd")

    broken = Broken([])
    app = create_app(None, backend=broken, env_token=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/incidents")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal server error"}
    assert "secret" not in r.text and "Traceback" not in r.text


# ----------------------------------------------------------------------------- review


def test_writes_are_refused_without_a_valid_token(client, readonly):
    iid = _first_id(client)
    r = client.post(f"/api/incidents/{iid}/confirm", json={"reason": "looks right"})
    assert r.status_code == 401 and "token" in r.json()["detail"]
    r = client.post(
        f"/api/incidents/{iid}/confirm", json={"reason": "x"}, headers={"Authorization": "Bearer wrong-token"}
    )
    assert r.status_code == 401
    r = readonly.post(f"/api/incidents/{iid}/confirm", json={"reason": "x"}, headers=AUTH)
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert client.get(f"/api/incidents/{iid}").json()["history"] == []


def test_correction_is_audited_with_who_when_before_after_why(client):
    iid = _first_id(client, event_type="Battles")
    before = client.get(f"/api/incidents/{iid}").json()["incident"]
    r = client.patch(
        f"/api/incidents/{iid}",
        json={
            "changes": {"fatalities": before["fatalities"] + 5, "admin1": "Corrected"},
            "reason": "second source",
        },
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    d = client.get(f"/api/incidents/{iid}").json()
    assert d["incident"]["fatalities"] == before["fatalities"] + 5
    assert d["incident"]["status"] == "corrected"
    entry = next(h for h in d["history"] if h["field"] == "fatalities")
    assert entry["who"] == "alice" and entry["at"] and entry["reason"] == "second source"
    assert entry["before"] == before["fatalities"] and entry["after"] == before["fatalities"] + 5
    assert client.get("/api/changes").json()["items"]


def test_correction_requires_reason_and_valid_fields(client):
    iid = _first_id(client)
    r = client.patch(
        f"/api/incidents/{iid}", json={"changes": {"fatalities": 1}, "reason": "  "}, headers=AUTH
    )
    assert r.status_code == 422 and "reason" in r.json()["detail"]
    r = client.patch(
        f"/api/incidents/{iid}", json={"changes": {"password": "x"}, "reason": "r"}, headers=AUTH
    )
    assert r.status_code == 422
    r = client.patch(
        f"/api/incidents/{iid}", json={"changes": {"latitude": 123}, "reason": "r"}, headers=AUTH
    )
    assert r.status_code == 422
    r = client.patch(f"/api/incidents/{iid}", json={"changes": {}, "reason": "r"}, headers=AUTH)
    assert r.status_code == 422


def test_reject_hides_from_lists_and_confirm_records_status(client):
    iid = _first_id(client)
    total = client.get("/api/incidents").json()["total"]
    assert (
        client.post(f"/api/incidents/{iid}/reject", json={"reason": "not an event"}, headers=AUTH).status_code
        == 200
    )
    assert client.get("/api/incidents").json()["total"] == total - 1
    rejected = client.get("/api/incidents", params={"status": "rejected"}).json()
    assert [i["id"] for i in rejected["items"]] == [iid]
    other = _first_id(client)
    r = client.post(f"/api/incidents/{other}/confirm", json={"reason": "checked"}, headers=AUTH)
    assert r.json()["incident"]["status"] == "confirmed"


def test_merge_and_split(client):
    ids = [i["id"] for i in client.get("/api/incidents", params={"page_size": 3}).json()["items"]]
    keep, dup = ids[0], ids[1]
    r = client.post(
        f"/api/incidents/{keep}/merge", json={"others": [dup], "reason": "same attack"}, headers=AUTH
    )
    assert r.status_code == 200 and r.json()["incident"]["sources"] == 2
    assert client.get(f"/api/incidents/{dup}").json()["incident"]["merged_into"] == keep
    self_merge = client.post(
        f"/api/incidents/{keep}/merge", json={"others": [keep], "reason": "x"}, headers=AUTH
    )
    assert self_merge.status_code == 422
    src = client.get(f"/api/incidents/{keep}").json()["sources"]
    r = client.post(
        f"/api/incidents/{keep}/split",
        json={"article_ids": [src[1]["article"]["id"]], "reason": "two attacks"},
        headers=AUTH,
    )
    assert r.status_code == 200 and r.json()["created"]
    new = r.json()["created"][0]
    assert (
        client.get(f"/api/incidents/{new}").json()["sources"][0]["article"]["id"] == src[1]["article"]["id"]
    )


# ----------------------------------------------------------------------------- auth unit


def test_tokens_are_kept_only_as_hashes():
    auth = TokenAuth(["bob:s3cret-token-value"])
    assert auth.check("s3cret-token-value") == "bob"
    assert auth.check("s3cret-token-valuE") is None
    assert "s3cret" not in repr(vars(auth))
    line = hash_line("carol", "another-secret")
    assert "another-secret" not in line
    assert TokenAuth([line]).check("another-secret") == "carol"
    assert TokenAuth([line]).check_header("Bearer another-secret") == "carol"
    assert TokenAuth([line]).check_header("Basic another-secret") is None
    with pytest.raises(ValueError):
        TokenAuth(["short"])
