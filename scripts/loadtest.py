#!/usr/bin/env python
"""Load test of the web API on loopback: N concurrent clients on the list and map endpoints.

    python scripts/loadtest.py                       # 100k synthetic incidents, 50 clients
    python scripts/loadtest.py --incidents 20000 --clients 20 --requests 2000
    python scripts/loadtest.py --backend memory      # web layer only (in-memory backend)
    python scripts/loadtest.py --url http://127.0.0.1:8000   # an already running server
    python scripts/loadtest.py --db load.db --workers 2      # `eventcoder serve --workers 2` on it
    python scripts/loadtest.py --db load.db --workers 2 --think 1   # users pausing ~1 s between clicks

Builds a synthetic database (tests/web/synth.py; no real news), starts the server on 127.0.0.1
with a free port, and sends a bounded number of requests (``--requests``, stopping anyway after
``--seconds``) of a realistic mix: filtered pages of 100 incidents (country, type, dates, minimum
fatalities) and map layers. Prints p50/p90/p99 latency per endpoint. Only loopback targets are
allowed. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "web"))

START, DAYS = dt.date(2000, 1, 1), 9131  # 2000-01-01 .. 2024-12-31
COUNTRIES = ["IRQ", "SYR", "NGA", "MLI", "SDN", "SOM", "COL"]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"]


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_backend(kind: str, n: int, db: Path | None):
    """A backend holding at least ``n`` synthetic incidents (memory, or the store in a SQLite file).

    Synthetic reports of the same day, town and kind deduplicate into one incident in the store, so
    the reports are spread over 25 years (2000-2024, like a long-running dataset) and added in
    rounds until the store holds ``n`` incidents. An existing ``--db`` file that already holds
    enough is reused as it is.
    """
    from synth import make_coded_articles

    t0 = time.perf_counter()
    if kind == "memory":
        from memory_backend import MemoryBackend

        backend = MemoryBackend(make_coded_articles(n, seed=1, start=START, days=DAYS))
    else:
        from eventcoder.web.store_backend import StoreBackend

        path = db or Path(tempfile.mkdtemp(prefix="eventcoder-load-")) / "load.db"
        backend = StoreBackend.open(f"sqlite:///{path}")
        have, rnd = backend.count_incidents(), 0
        while have < n:
            rnd += 1
            batch = make_coded_articles(max(1000, int((n - have) * 1.1)), seed=rnd, start=START, days=DAYS)
            for c in batch:  # distinct article ids per round
                c.article.id = f"r{rnd}-{c.article.id}"
                for e in c.events:
                    e.article_id = c.article.id
                    e.id = f"r{rnd}-{e.id}"
            backend.bulk_load(batch)
            have = backend.count_incidents()
            print(f"round {rnd}: {have} incidents ({time.perf_counter() - t0:.0f}s)", flush=True)
    print(
        f"backend ready ({kind}, {backend.count_incidents()} incidents) in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )
    return backend


def start_server(backend) -> tuple[str, object, threading.Thread]:
    import uvicorn

    from eventcoder.web import create_app

    app = create_app(None, backend=backend, env_token=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def start_server_process(db: Path, workers: int) -> tuple[str, subprocess.Popen]:
    """``eventcoder serve --db DB --workers N`` on a free loopback port (as a user would run it)."""
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "eventcoder", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "EVENTCODER_TOKEN"},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return base, proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.terminate()
    sys.exit("the server did not start")


def random_query(rng: random.Random) -> tuple[str, str, dict]:
    """One request of the mix: ('list'|'map', path, params)."""
    params: dict = {}
    r = rng.random()
    if r < 0.8:
        params["country"] = rng.choice(COUNTRIES)
    if rng.random() < 0.5:
        params["event_type"] = rng.choice(TYPES)
    if rng.random() < 0.3:
        month = rng.randrange(1, 12)
        params["date_from"] = f"2024-{month:02d}-01"
        params["date_to"] = f"2024-{month + 1:02d}-01"
    if rng.random() < 0.2:
        params["min_fatalities"] = rng.choice([1, 5, 10])
    if rng.random() < 0.6:
        params.update(page_size=100, page=rng.randrange(1, 4), sort=rng.choice(["-date", "-fatalities"]))
        return "list", "/api/incidents", params
    return "map", "/api/map", params


async def run_load(
    base: str, clients: int, requests: int, seconds: float, seed: int, think: float = 0.0
) -> dict[str, list[float]]:
    import httpx

    lat: dict[str, list[float]] = {"list": [], "map": []}
    errors = 0
    remaining = requests
    deadline = time.monotonic() + seconds
    lock = asyncio.Lock()

    async def client(i: int) -> None:
        nonlocal remaining, errors
        rng = random.Random(seed * 1000 + i)
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            if think:  # users arrive over the first think period, not all in the same instant
                await asyncio.sleep(rng.uniform(0, think))
            while time.monotonic() < deadline:
                async with lock:
                    if remaining <= 0:
                        return
                    remaining -= 1
                kind, path, params = random_query(rng)
                t0 = time.perf_counter()
                try:
                    resp = await http.get(path, params=params)
                    ok = resp.status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - t0
                if not ok:
                    errors += 1
                lat[kind].append(elapsed * 1000)
                if think:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    wall = time.perf_counter() - t0
    done = sum(len(v) for v in lat.values())
    print(f"{done} requests from {clients} clients in {wall:.1f}s ({done / wall:.0f} req/s), {errors} errors")
    return lat


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))
    return values[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000, help="total requests (bound)")
    ap.add_argument("--seconds", type=float, default=120, help="stop after this long in any case")
    ap.add_argument("--backend", choices=["store", "memory"], default="store")
    ap.add_argument("--db", type=Path, help="SQLite file to build (default: a temporary one)")
    ap.add_argument("--url", help="test a running server instead (loopback only)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--workers",
        type=int,
        default=0,
        help="run `eventcoder serve --workers N` as a separate process (store backend; needs --db)",
    )
    ap.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests")
    args = ap.parse_args()
    args.clients = max(1, min(args.clients, 200))
    args.requests = max(1, min(args.requests, 100_000))
    args.seconds = max(1.0, min(args.seconds, 600.0))

    server = None
    proc = None
    if args.url:
        if not _loopback(args.url):
            sys.exit("refusing: the load test only targets loopback addresses (127.0.0.0/8, ::1, localhost)")
        base = args.url.rstrip("/")
    elif args.workers:
        if not args.db or args.backend != "store":
            sys.exit("--workers needs --db (a store database, built first if it holds too few incidents)")
        build_backend("store", args.incidents, args.db).close()
        base, proc = start_server_process(args.db, args.workers)
    else:
        backend = build_backend(args.backend, args.incidents, args.db)
        base, server, _thread = start_server(backend)

    lat = asyncio.run(run_load(base, args.clients, args.requests, args.seconds, args.seed, args.think))
    print(f"\n{'endpoint':<34} {'n':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, label in (("list", "GET /api/incidents (page of 100)"), ("map", "GET /api/map (filtered)")):
        v = lat[kind]
        if v:
            print(
                f"{label:<34} {len(v):>6} {statistics.median(v):>8.1f} {pct(v, 90):>8.1f} {pct(v, 99):>8.1f} {max(v):>8.1f}"
            )
    if server is not None:
        server.should_exit = True  # type: ignore[attr-defined]
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
