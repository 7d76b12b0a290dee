"""The ``eventcoder`` command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from . import __version__

app = typer.Typer(
    name="eventcoder",
    help="Code news reports of political violence and unrest into ACLED/UCDP-style event records, "
    "with the evidence behind every field.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
eval_app = typer.Typer(
    help="Measure accuracy on labelled gold data (see docs/accuracy.md).", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

out_console = Console()
err_console = Console(stderr=True)


class OutFormat(str, Enum):
    summary = "summary"
    jsonl = "jsonl"
    acled_csv = "acled-csv"
    ucdp_csv = "ucdp-csv"


def _version(value: bool) -> None:
    if value:
        print(f"eventcoder {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """eventcoder: news articles in, checked conflict-event records out."""


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from exc


def example_path() -> Path:
    """The bundled example article (one of the project's own fixtures)."""
    from importlib import resources as ir

    folder = Path(str(ir.files("eventcoder") / "examples"))
    texts = sorted(folder.glob("*.txt"))
    if not texts:
        raise typer.BadParameter("the bundled example is missing from this installation")
    return texts[0]


@app.command()
def code(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Text, HTML, JSON Lines, JSON, CSV/TSV or feed files, or folders of them ('-' for stdin)."
        ),
    ] = None,
    example: Annotated[bool, typer.Option("--example", help="Code the bundled example article.")] = False,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD for records that lack one (relative dates need it)."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source (outlet) for records that lack one.")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.summary,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    db: Annotated[
        str,
        typer.Option(help="Database to store articles and events: a SQLite file or a postgresql:// URL."),
    ] = "eventcoder.db",
    no_db: Annotated[bool, typer.Option("--no-db", help="Do not write to the database.")] = False,
    background: Annotated[
        bool, typer.Option("--background/--no-background", help="Include background events in the output.")
    ] = True,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = one per core).")] = 1,
) -> None:
    """Code articles into events: print a readable summary or write JSONL / ACLED / UCDP CSV.

    Every run also stores articles and events in the database (re-running updates, never duplicates).
    Bad records get a clear message and the run goes on; the exit code is non-zero only when nothing
    could be coded.
    """
    from .ingest import read_inputs
    from .records import CodedArticle, RecordError
    from .render import print_coded, print_error, print_summary
    from .resources import Resources
    from .runner import code_stream

    pub = _parse_date(published)
    if example:
        paths = [example_path(), *(paths or [])]
    if not paths:
        raise typer.BadParameter("give at least one PATH (or --example)")
    workers = (os.cpu_count() or 1) if workers == 0 else workers

    with err_console.status("loading models and reference data..."):
        resources = Resources.load()

    store = None
    run_id = None
    if not no_db:
        from .store import Store

        store = Store.open(db)
        run_id = store.start_run("code", [str(p) for p in paths])

    errors: list[RecordError] = []
    n_ok = n_events = 0
    sink = None
    fh = open(output, "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115 - closed below
    if fmt != OutFormat.summary:
        from .export import EventWriter

        sink = EventWriter(fmt.value, fh or sys.stdout)
    console = out_console if fh is None else Console(file=fh, width=120)

    show_progress = fmt != OutFormat.summary or output is not None
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not show_progress,
    )
    try:
        with progress:
            task = progress.add_task("coding", total=None)
            own = {Path(output)} if output else set()
            if store is not None and "://" not in db:
                own |= {Path(db), Path(db + "-wal"), Path(db + "-shm"), Path(db + "-journal")}
            items = read_inputs(list(paths), published=pub, source=source, exclude=own)
            for result in code_stream(items, resources, workers=workers):
                progress.advance(task)
                if isinstance(result, RecordError):
                    errors.append(result)
                    print_error(err_console, result)
                    if store is not None:
                        store.record_error(result, run_id)
                    continue
                assert isinstance(result, CodedArticle)
                n_ok += 1
                n_events += len(result.events)
                if store is not None:
                    store.save_coded(result, run_id=run_id)
                shown = result if background else result.model_copy(update={"events": result.reported})
                if sink is not None:
                    sink.write(shown)
                else:
                    print_coded(console, shown)
    finally:
        if sink is not None:
            sink.close()
        if fh is not None:
            fh.close()
        if store is not None:
            store.finish_run(run_id, ok=n_ok, failed=len(errors))
            store.close()
    print_summary(err_console, n_ok, n_events, errors)
    if n_ok == 0:
        raise typer.Exit(code=1)


# --------------------------------------------------------------------------- eval


def _report(report, json_out: Path | None) -> None:
    out_console.print(report.render())
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=2, default=str), encoding="utf-8")
        err_console.print(f"figures written to {json_out}")


JsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the full figures as JSON here.")]
ErrOpt = Annotated[int, typer.Option("--errors", help="Show the N worst cases: text, gold and prediction.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", help="Score only the first N items.")]


@eval_app.command("types")
def eval_types(
    file: Annotated[Path, typer.Argument(help="CASE 2021 Task 2 TSV (id, EventSnippet, SubType).")],
    json_out: JsonOpt = None,
    errors: ErrOpt = 0,
    limit: LimitOpt = None,
    mode: Annotated[
        str,
        typer.Option(
            help="coder: the full coder (default); triggers: the typing stage alone; auto: coder if it runs."
        ),
    ] = "coder",
) -> None:
    """Event sub-type accuracy: per-label P/R/F1, micro/macro/weighted F1, non-ACLED rejection."""
    from .evaluation.types import evaluate_types
    from .resources import Resources

    _report(evaluate_types(file, Resources.load(), errors=errors, limit=limit, mode=mode), json_out)


@eval_app.command("geo")
def eval_geo(
    file: Annotated[Path, typer.Argument(help="LGL / TR-News / GeoWebNews XML.")],
    json_out: JsonOpt = None,
    errors: ErrOpt = 0,
    limit: LimitOpt = None,
) -> None:
    """Toponym detection P/R/F1 and geocoding accuracy@161 km, mean/median error, AUC."""
    from .evaluation.geo import evaluate_geo
    from .resources import Resources

    _report(evaluate_geo(file, Resources.load(eager=False), errors=errors, limit=limit), json_out)


@eval_app.command("muc4")
def eval_muc4(
    file: Annotated[Path, typer.Argument(help="MUC-4 JSON (document -> role fillers).")],
    json_out: JsonOpt = None,
    errors: ErrOpt = 0,
    limit: LimitOpt = None,
    roles: Annotated[
        str,
        typer.Option(
            help="rules: the hand-written role reader (default); model: the trained role-filler model "
            "(data/role_model.json, scripts/train_roles.py)."
        ),
    ] = "rules",
) -> None:
    """Perpetrators, targets and weapons: per-role and overall P/R/F1."""
    from .evaluation.muc4 import evaluate_muc4
    from .resources import Resources

    if roles not in ("rules", "model"):
        err_console.print(f"eval muc4: --roles is 'rules' or 'model', not {roles!r}")
        raise typer.Exit(code=2)
    _report(evaluate_muc4(file, Resources.load(), errors=errors, limit=limit, method=roles), json_out)


@eval_app.command("dedup")
def eval_dedup(
    path: Annotated[Path, typer.Argument(help="Deduplication test set (tests/fixtures/dedup).")],
    json_out: JsonOpt = None,
) -> None:
    """Cross-article deduplication: pairwise and B-cubed P/R/F1."""
    from .dedup import evaluate_dedup

    _report(evaluate_dedup(path), json_out)


# --------------------------------------------------------------------------- bench


def _sizes(value: str | None) -> list[int]:
    if not value:
        return []
    try:
        sizes = [int(float(v.strip().lower().replace("k", "e3"))) for v in value.split(",") if v.strip()]
    except ValueError:
        raise typer.BadParameter(f"expected sizes like 1000,10000,100000, got {value!r}") from None
    if not sizes or min(sizes) < 1:
        raise typer.BadParameter(f"expected positive sizes, got {value!r}")
    return sizes


@app.command()
def bench(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Articles to code (any input format). With --scale, default: the project's own fixture "
            "articles and bundled example."
        ),
    ] = None,
    json_out: JsonOpt = None,
    workers: Annotated[int, typer.Option(help="Processes for the parallel run (0 = one per core).")] = 0,
    repeat: Annotated[int, typer.Option(help="Code the corpus this many times (for small corpora).")] = 1,
    scale: Annotated[
        str | None,
        typer.Option(
            help="Sizes, e.g. 1000,10000,100000 (or 1k,10k,100k): for each, code and store that many "
            "articles (the corpus cycled, dates spread) into a fresh database with deduplication, and "
            "report time, memory and deduplication cost. See docs/accuracy.md, 'Scale'."
        ),
    ] = None,
    per_day: Annotated[
        int, typer.Option("--per-day", min=1, help="With --scale: articles published a day (block density).")
    ] = 100,
    db_dir: Annotated[
        Path | None,
        typer.Option(
            "--db-dir", help="With --scale: keep the databases here (scale-N.db) instead of a temp dir."
        ),
    ] = None,
) -> None:
    """Speed: articles/s, words/s and peak memory, single process and with all cores.

    With --scale: the whole pipeline (ingest, coding in a worker pool, storage and deduplication) at
    each size, in bounded memory, with a progress bar.
    """
    n_workers = workers or (os.cpu_count() or 1)
    sizes = _sizes(scale)
    if sizes:
        from .scale import run_scale

        try:
            report = run_scale(paths, sizes, workers=n_workers, per_day=per_day, db_dir=db_dir)
        except (ValueError, RuntimeError) as exc:
            err_console.print(f"bench: {exc}")
            raise typer.Exit(code=1) from None
        _report(report, json_out)
        return
    if not paths:
        raise typer.BadParameter("give at least one PATH (or --scale SIZES)")
    from .bench import run_bench

    report = run_bench(list(paths), workers=n_workers, repeat=repeat)
    _report(report, json_out)


def _register_optional() -> None:
    """Commands that live in their own modules (export, serve)."""
    import importlib

    for mod in ("cli_data", "cli_web"):
        try:
            module = importlib.import_module(f"eventcoder.{mod}")
        except ImportError:
            continue
        module.register(app)


_register_optional()

if __name__ == "__main__":  # pragma: no cover
    app()
