"""Crash safety: a run killed (SIGKILL) mid-way and run again leaves exactly the records of one clean
run: the same articles, events and incidents, nothing lost and nothing duplicated. Synthetic coded
articles (no models), on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import eventcoder
from eventcoder.store import Store
from eventcoder.store.schema import drop_schema

N = 300
KILL_AFTER = 110

SCRIPT = """
import sys
from eventcoder.store import Store
from eventcoder.store.bench import synthetic_articles

url, n = sys.argv[1], int(sys.argv[2])
with Store.open(url) as store:
    run = store.start_run("code", ["synthetic"])
    for i, coded in enumerate(synthetic_articles(n), 1):
        store.save_coded(coded, run_id=run)
        print(i, flush=True)
    store.finish_run(run, ok=n, failed=0)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(eventcoder.__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(url: str, kill_after: int | None = None) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, url, str(N)], stdout=subprocess.PIPE, text=True, env=_env()
    )
    assert proc.stdout is not None
    if kill_after is None:
        proc.communicate(timeout=300)
        assert proc.returncode == 0
        return
    for line in proc.stdout:
        if int(line) >= kill_after:
            os.kill(proc.pid, signal.SIGKILL)  # while it is saving the next articles
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def snapshot(url: str) -> dict:
    """Everything a user sees of the dataset (ids, memberships, merged values, history per action)."""
    with Store.open(url) as s:
        stats = s.stats()
        incidents = {}
        for rec in s.iter_incidents():
            incidents[rec.id] = (
                tuple(sorted(rec.event_ids)),
                rec.fatalities,
                rec.date,
                rec.location,
                rec.sources,
            )
        articles = {a.id for a in s.list_articles(page_size=10 * N).items}
        events = {}
        for aid in articles:
            for e in s.get_events(aid):
                events[e.id] = e.model_dump_json()
        actions: dict[str, int] = {}
        for c in s.changes_since():
            actions[c.action] = actions.get(c.action, 0) + 1
    del stats["runs"]
    return {
        "stats": stats,
        "incidents": incidents,
        "articles": articles,
        "events": events,
        "actions": actions,
    }


def _url(backend: str, tmp_path: Path, name: str) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"{name}.db")
    url = os.environ.get("EVENTCODER_TEST_PG")
    if not url:
        pytest.skip("EVENTCODER_TEST_PG is not set (source scripts/pg_ci.sh to start PostgreSQL)")
    drop_schema(url)
    return url


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killed_run_then_rerun_equals_one_clean_run(backend, tmp_path):
    clean_url = _url(backend, tmp_path, "clean")
    run(clean_url)
    clean = snapshot(clean_url)

    url = _url(backend, tmp_path, "crashed")  # PostgreSQL: the same database, emptied
    run(url, kill_after=KILL_AFTER)
    partial = snapshot(url)
    assert (
        KILL_AFTER <= len(partial["articles"]) < N
    )  # killed mid-way, nothing after the kill point saved twice
    run(url)
    again = snapshot(url)

    assert again["articles"] == clean["articles"] and len(again["articles"]) == N
    assert again["events"] == clean["events"]
    assert again["incidents"] == clean["incidents"]
    assert again["stats"] == clean["stats"]
    assert again["actions"] == clean["actions"]
    # every event belongs to exactly one live incident
    members = [e for evs, *_ in again["incidents"].values() for e in evs]
    assert sorted(members) == sorted(again["events"])
