"""``eventcoder serve`` (web app and API) and ``eventcoder token-hash``."""

from __future__ import annotations

import getpass
import ipaddress
import os
import sys
from pathlib import Path
from typing import Annotated

import typer


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file or postgresql:// URL (default: the default database)"),
    ] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            exists=True,
            dir_okay=False,
            readable=True,
            help="file of review tokens, one per line: TOKEN, NAME:TOKEN or NAME:scrypt:SALT:HASH "
            "(see `eventcoder token-hash`). Without it (or $EVENTCODER_TOKEN) the server is read-only.",
        ),
    ] = None,
    tiles: Annotated[
        str | None,
        typer.Option(
            "--tiles",
            help="optional online basemap tile URL, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
            "(off by default: the bundled country outlines work offline)",
        ),
    ] = None,
    tiles_attribution: Annotated[
        str | None, typer.Option("--tiles-attribution", help="attribution text shown for --tiles")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="server processes (each opens its own connection pool); one per core serves more "
            "concurrent users",
        ),
    ] = 1,
) -> None:
    """Start the web app and API (map, timeline, evidence, review) on http://HOST:PORT."""
    import uvicorn

    from .web import create_app
    from .web.store_backend import StoreUnavailable

    writable = bool(token_file) or bool(os.environ.get("EVENTCODER_TOKEN"))
    if not _is_loopback(host):
        typer.echo(
            f"warning: listening on {host}, reachable from other machines; serve it behind TLS "
            "(bearer tokens travel in clear over plain http)",
            err=True,
        )
    try:
        app = create_app(
            db, token_file=token_file, tiles_url=tiles, tiles_attribution=tiles_attribution, env_token=True
        )
    except (ValueError, StoreUnavailable) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    mode = "review enabled (token required for changes)" if writable else "read-only (no review token given)"
    typer.echo(f"eventcoder web app on http://{host}:{port}/  API docs: http://{host}:{port}/docs  [{mode}]")
    if workers > 1:
        # each worker process builds its own app from these settings (app_from_env)
        app.state.backend.close()
        os.environ.update(
            {
                "EVENTCODER_SERVE_DB": db or "",
                "EVENTCODER_SERVE_TOKEN_FILE": str(token_file) if token_file else "",
                "EVENTCODER_SERVE_TILES": tiles or "",
                "EVENTCODER_SERVE_TILES_ATTRIBUTION": tiles_attribution or "",
            }
        )
        from .web import workers as multi

        raise typer.Exit(multi.run(host, port, workers))
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)


def token_hash(
    name: Annotated[str, typer.Argument(help="reviewer name recorded in the audit log")],
) -> None:
    """Print a token-file line for NAME holding only a salted scrypt hash of the token (read from stdin)."""
    from .web.auth import hash_line

    if sys.stdin.isatty():
        secret = getpass.getpass("token: ")
    else:
        secret = sys.stdin.readline().rstrip("\n")
    try:
        typer.echo(hash_line(name, secret))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``token-hash`` to the eventcoder command line."""
    app.command("serve")(serve)
    app.command("token-hash")(token_hash)
