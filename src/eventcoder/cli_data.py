"""``eventcoder export``, ``eventcoder dedup`` and ``eventcoder bench-store``: the dataset commands."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class ExportFormat(str, Enum):
    acled_csv = "acled-csv"
    ucdp_csv = "ucdp-csv"
    jsonl = "jsonl"
    parquet = "parquet"
    geojson = "geojson"


_SUFFIX = {
    "acled-csv": ".csv",
    "ucdp-csv": ".csv",
    "jsonl": ".jsonl",
    "parquet": ".parquet",
    "geojson": ".geojson",
}

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLite file or a postgresql:// URL (default: eventcoder.db in this folder).",
    ),
]


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=name) from None


def _since(value: str | None) -> dt.datetime | None:
    """An ISO date or time; a bare date means its midnight UTC, a time without zone is UTC."""
    if value is None:
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"expected an ISO time like 2024-05-01T12:00:00Z or a date, got {value!r}", param_hint="--since"
        ) from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _open_store(db: str | None):  # noqa: ANN202 - Store is imported lazily
    from .store import Store

    try:
        return Store.open(db)
    except Exception as exc:  # noqa: BLE001 - a clear message instead of a traceback
        typer.echo(f"error: cannot open the database {db or 'eventcoder.db'}: {exc}", err=True)
        raise typer.Exit(2) from None


def export(
    db: DbOpt = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format: ACLED-style or UCDP-style CSV, JSON Lines, Parquet or GeoJSON.",
        ),  # fmt: skip
    ] = ExportFormat.acled_csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: stdout; Parquet needs a file)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only what changed after this time (ISO time or date, UTC): new, updated, merged, rejected "
            "and deleted incidents, each with its status."
        ),
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Incidents on or after this day (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Incidents on or before this day (YYYY-MM-DD).")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Country name or ISO3 code, e.g. Nigeria or NGA.")
    ] = None,
    admin1: Annotated[
        str | None, typer.Option(help="First-level region (province, state), exact name.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--event-type", help="ACLED event type, e.g. Battles.")
    ] = None,
    sub_event_type: Annotated[
        str | None, typer.Option("--sub-event-type", help="ACLED sub-event type, e.g. 'Air/drone strike'.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Words of an actor's name (case-insensitive substring).")
    ] = None,
    min_fatalities: Annotated[
        int | None, typer.Option("--min-fatalities", min=0, help="Only incidents with at least N fatalities.")
    ] = None,
    text: Annotated[
        str | None, typer.Option(help="Free text: words in place, actors, notes or source titles.")
    ] = None,
    events: Annotated[
        bool, typer.Option("--events", help="Export the per-article events instead of the merged incidents.")
    ] = False,
    background: Annotated[
        bool, typer.Option("--background", help="Include incidents/events known only as background mentions.")
    ] = False,
    rejected: Annotated[
        bool, typer.Option("--rejected", help="Include incidents an analyst rejected.")
    ] = False,
) -> None:
    """Write the deduplicated incidents (or, with --events, the per-article events) of the database.

    Every incident lists its sources (outlets and article ids). With --since, only the incidents that
    changed are written, with their status (coded, confirmed, corrected, rejected, merged, deleted).
    """
    from pydantic import ValidationError

    from .export import export_events, export_incidents
    from .records import ACLED_TYPES, SUB_TO_TYPE
    from .store import IncidentFilter

    if event_type and event_type not in ACLED_TYPES:
        raise typer.BadParameter(
            f"unknown event type; one of: {', '.join(ACLED_TYPES)}", param_hint="--event-type"
        )
    if sub_event_type and sub_event_type not in SUB_TO_TYPE:
        raise typer.BadParameter("unknown sub-event type (see docs/schema.md)", param_hint="--sub-event-type")
    if fmt == ExportFormat.parquet and output is None:
        raise typer.BadParameter("Parquet is binary: give a file with -o", param_hint="--output")
    try:
        filters = IncidentFilter(
            date_from=_date(date_from, "--from"),
            date_to=_date(date_to, "--to"),
            country=country,
            admin1=admin1,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actor=actor,
            min_fatalities=min_fatalities,
            text=text,
            include_background=background,
            include_rejected=rejected,
            updated_since=_since(since),
        )
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from None
    store = _open_store(db)
    try:
        out = output if output is not None else sys.stdout
        n = (export_events if events else export_incidents)(store, fmt.value, out, filters)
    finally:
        store.close()
    what = "events" if events else "incidents"
    typer.echo(f"{n} {what} written" + (f" to {output}" if output else ""), err=True)


def dedup_cmd(
    db: DbOpt = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild", help="Deduplicate every stored event afresh (after a change of data/dedup.yaml)."
        ),
    ] = False,
) -> None:
    """Show how many reports and incidents the database holds; --rebuild re-runs deduplication.

    Analyst merges and splits (pins) and corrections are kept.
    """
    store = _open_store(db)
    try:
        if rebuild:
            n = store.rebuild_incidents()
            typer.echo(f"deduplication rebuilt: {n} incidents")
        s = store.stats()
        typer.echo(
            f"{s['articles']} articles, {s['events']} events, {s['incidents']} incidents, {s['changes']} changes"
        )
    finally:
        store.close()


def bench_store(
    sizes: Annotated[
        list[int] | None, typer.Argument(help="Numbers of synthetic articles to store (default: 1000 10000).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL to benchmark on (default: a fresh SQLite file per size)."),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures as JSON here.")] = None,
    span_days: Annotated[
        int | None,
        typer.Option(
            "--span-days",
            help="Spread every corpus over this many days (default: one year, longer for large corpora, "
            "about 27 articles a day).",
        ),
    ] = None,
) -> None:
    """Store and deduplicate N synthetic coded articles: time, articles/s and peak memory per size.

    Shows that deduplication grows close to linearly (the cost per article stays flat).
    """
    import json

    from rich.console import Console

    from .store.bench import run_store_bench

    report = run_store_bench(sizes or [1000, 10000], db=db, progress=True, span_days=span_days)
    Console().print(report.render())
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


def register(app: typer.Typer) -> None:
    """Add ``export``, ``dedup`` and ``bench-store`` to the eventcoder command line."""
    app.command("export")(export)
    app.command("dedup")(dedup_cmd)
    app.command("bench-store")(bench_store)
