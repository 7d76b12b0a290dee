"""``eventcoder serve --workers N``: N server processes sharing one port, balanced by the kernel.

uvicorn's own ``workers`` mode shares a single listening socket, and long-lived keep-alive
connections (browsers, API clients) then pile up on whichever process accepted them first. Here
each process opens its own socket on the same address with ``SO_REUSEPORT``, so the kernel spreads
new connections evenly over the processes. Where the platform lacks ``SO_REUSEPORT`` uvicorn's
workers mode is used instead. Each process builds its app with :func:`eventcoder.web.app.app_from_env`.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import socket
import sys
from typing import Any

APP = "eventcoder.web.app:app_from_env"
UVICORN_OPTIONS: dict[str, Any] = {"server_header": False, "proxy_headers": False, "log_level": "info"}


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _worker(host: str, port: int) -> None:
    import uvicorn

    sock = _socket(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, **UVICORN_OPTIONS)
    uvicorn.Server(config).run(sockets=[sock])


def run(host: str, port: int, workers: int) -> int:
    """Serve with ``workers`` processes until interrupted; returns an exit status."""
    import uvicorn

    if not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, workers=workers, host=host, port=port, **UVICORN_OPTIONS)
        return 0
    try:  # fail early and clearly if the address is taken
        _socket(host, port).close()
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 2
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(host, port), daemon=True) for _ in range(workers)]
    for p in procs:
        p.start()

    def stop(*_: Any) -> None:
        for p in procs:
            if p.is_alive():
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for p in procs:
        p.join()
    return 0 if all(p.exitcode in (0, -signal.SIGTERM) for p in procs) else 1
