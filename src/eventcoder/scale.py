"""``eventcoder bench --scale``: the whole pipeline at 1k, 10k, 100k articles, in bounded memory.

For each size N, N articles are streamed through what ``eventcoder code`` does: ingest, the coder in
a pool of worker processes, and ``Store.save_coded`` (storage and incremental deduplication) into a
fresh SQLite database in a temporary folder. Each size runs in its own process, so its peak memory
is its own.

How N articles are made from a small corpus (docs/accuracy.md, "Scale"):

* the corpus files are read again and again (``read_inputs``, streamed: nothing is held but the
  article being read); copy ``k`` (0-based position in the stream) of an article gets the id
  ``<id>~<k>``;
* the stream is a news feed at a constant rate of ``per_day`` articles a day: article ``k`` is
  published on ``start + k // per_day`` days. Each copy is coded with its own publication date
  (articles without one get ``FALLBACK_PUBLISHED``) so every copy costs the coder the same; then the
  copy's publication date and every date of its events are moved by as many days as it was
  re-published later. A copy is thus the same report published on another day, its incident moved
  with it: the events of one (country, day) block are as many at 1k as at 100k, which is what makes
  the deduplication cost per article independent of N. Copies of one article that land on the same
  or adjacent days are reports of one incident and are merged, as syndicated wire copies would be.

Nothing grows with N in memory: articles are streamed, at most ``workers * 4`` chunks of articles
are in flight (``runner.code_stream``), commits are made every ``commit_every`` articles, and the
store keeps only a bounded cache of event features.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .records import Article, CodedArticle, RecordError

if TYPE_CHECKING:
    from .resources import Resources

START = dt.date(2020, 1, 1)
FALLBACK_PUBLISHED = dt.date(2024, 1, 1)
REPO = Path(__file__).resolve().parents[2]


def default_corpus() -> list[Path]:
    """The project's own articles: the test fixtures (in a source checkout) and the bundled example."""
    from importlib import resources as ir

    paths = sorted((REPO / "tests" / "fixtures" / "articles").glob("*.txt"))
    names = {p.name for p in paths}
    example = Path(str(ir.files("eventcoder") / "examples"))
    paths += [p for p in sorted(example.glob("*.txt")) if p.name not in names]
    return paths


def scaled_corpus(paths: list[Path], n: int, errors: list[RecordError] | None = None) -> Iterator[Article]:
    """``n`` articles: the corpus read over and over (streamed), copy ``k`` with id ``<id>~<k>``.

    Publication dates are left as read (``FALLBACK_PUBLISHED`` when missing); ``spread_dates`` moves
    them after coding. Unreadable records of the first pass are appended to ``errors``.
    """
    from .ingest import read_inputs

    k = 0
    first = True
    while k < n:
        before = k
        for item in read_inputs(list(paths), published=FALLBACK_PUBLISHED):
            if isinstance(item, RecordError):
                if first and errors is not None:
                    errors.append(item)
                continue
            yield item.model_copy(update={"id": f"{item.id}~{k}"})
            k += 1
            if k >= n:
                return
        first = False
        if k == before:
            raise ValueError("bench --scale: no readable article in the corpus")


def _shift(d: dt.date | None, days: int) -> dt.date | None:
    return None if d is None else d + dt.timedelta(days=days)


def spread_dates(coded: CodedArticle, published: dt.date) -> CodedArticle:
    """The coded article re-published on ``published``: its events' dates moved by as many days."""
    days = (published - (coded.article.published or FALLBACK_PUBLISHED)).days
    events = []
    for ev in coded.events:
        d = ev.date
        date = d.model_copy(update={"date": _shift(d.date, days), "start": _shift(d.start, days),
                                    "end": _shift(d.end, days)})  # fmt: skip
        events.append(ev.model_copy(update={"date": date}))
    article = coded.article.model_copy(update={"published": published})
    return coded.model_copy(update={"article": article, "events": events})


def _peak_mb(who: int) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class ScaleFigures:
    articles: int
    days: int
    coding_errors: int
    events: int
    incidents: int
    seconds: float
    articles_per_s: float
    store_seconds: float
    store_ms_per_article: float
    coding_cpu_seconds: float
    dedup_events: int
    dedup_candidate_incidents: int
    dedup_pairs: int
    dedup_pairs_per_article: float
    dedup_background_pairs: int
    dedup_max_block: int
    peak_rss_main_mb: float
    peak_rss_worker_mb: float
    db_mb: float
    store_ms_by_tenth: list[float] = field(default_factory=list)
    pairs_per_article_by_tenth: list[float] = field(default_factory=list)
    #: the same, counting only the pairs of reported events (background mentions left out)
    reported_pairs_per_article_by_tenth: list[float] = field(default_factory=list)


@dataclass
class ScaleReport:
    corpus: list[str]
    corpus_articles: int
    read_errors: int
    per_day: int
    workers: int
    commit_every: int
    sizes: list[ScaleFigures] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> Any:
        from rich.table import Table

        t = Table(title=f"eventcoder bench --scale: {self.corpus_articles} corpus articles, "
                        f"{self.per_day} a day, {self.workers} workers")  # fmt: skip
        cols = ("articles", "seconds", "art/s", "events", "incidents", "pairs", "pairs/art",
                "max block", "store ms/art", "coding CPU s", "RSS main MB", "RSS worker MB", "db MB")  # fmt: skip
        for col in cols:
            t.add_column(col, justify="right")
        for s in self.sizes:
            t.add_row(str(s.articles), f"{s.seconds:.0f}", f"{s.articles_per_s:.1f}", str(s.events),
                      str(s.incidents), f"{s.dedup_pairs:,}", f"{s.dedup_pairs_per_article:.1f}",
                      str(s.dedup_max_block), f"{s.store_ms_per_article:.1f}", f"{s.coding_cpu_seconds:.0f}",
                      f"{s.peak_rss_main_mb:.0f}", f"{s.peak_rss_worker_mb:.0f}", f"{s.db_mb:.1f}")  # fmt: skip
        t.caption = (
            f"corpus: {', '.join(self.corpus[:3])}{' ...' if len(self.corpus) > 3 else ''}; "
            f"read errors: {self.read_errors}; wall time excludes loading the models in this process"
        )
        return t


def _db_mb(path: Path) -> float:
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return sum(p.stat().st_size for p in files if p.exists()) / 1e6


def run_size(
    paths: list[Path],
    n: int,
    workers: int = 2,
    per_day: int = 100,
    db: Path | None = None,
    progress: bool = True,
    commit_every: int = 100,
    resources: Resources | None = None,
) -> ScaleFigures:
    """Code and store ``n`` articles of the scaled corpus into ``db`` (default: a fresh temporary one).

    ``resources``: already loaded models (default: loaded here; lazily when workers do the coding).
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .resources import Resources
    from .runner import code_stream
    from .store import Store

    console = Console(stderr=True)
    if resources is None:
        resources = Resources.load(eager=workers <= 1)
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="eventcoder-scale-")
        db = Path(tmp.name) / "bench.db"
    store = Store.open(db)
    tenth = max(1, n // 10)
    store_s = 0.0
    events = errors = done = 0
    last_store = last_pairs = 0.0
    by_tenth_ms: list[float] = []
    by_tenth_pairs: list[float] = []
    by_tenth_reported: list[float] = []
    last_bg = 0
    bar = Progress(TextColumn(f"{n:,} articles"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                   TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True,
                   disable=not progress)  # fmt: skip
    t0 = time.perf_counter()
    try:
        with bar, contextlib.ExitStack() as batch:
            task = bar.add_task("scale", total=n, rate="")
            batch.enter_context(store.batch())
            in_batch = 0
            for res in code_stream(scaled_corpus(paths, n), resources, workers=workers):
                published = START + dt.timedelta(days=done // per_day)
                done += 1
                if isinstance(res, RecordError):
                    errors += 1
                else:
                    res = spread_dates(res, published)
                    events += len(res.events)
                    s0 = time.perf_counter()
                    store.save_coded(res)
                    in_batch += 1
                    if in_batch >= commit_every:
                        batch.close()
                        batch.enter_context(store.batch())
                        in_batch = 0
                    store_s += time.perf_counter() - s0
                if done % 50 == 0 or done == n:
                    rate = done / (time.perf_counter() - t0)
                    bar.update(task, completed=done, rate=f"{rate:.1f} art/s")
                if done % tenth == 0 and len(by_tenth_ms) < 10:
                    by_tenth_ms.append((store_s - last_store) * 1000 / tenth)
                    by_tenth_pairs.append((store.tally.pairs - last_pairs) / tenth)
                    bg = store.tally.background_pairs
                    by_tenth_reported.append((store.tally.pairs - last_pairs - (bg - last_bg)) / tenth)
                    last_bg = bg
                    last_store, last_pairs = store_s, store.tally.pairs
                    if progress and not console.is_terminal:
                        rate = done / (time.perf_counter() - t0)
                        console.print(f"{done:,}/{n:,} articles, {rate:.1f}/s, "
                                      f"store {by_tenth_ms[-1]:.1f} ms/article, {by_tenth_pairs[-1]:.1f} pairs/article "
                                      f"({by_tenth_reported[-1]:.1f} for reported events)")  # fmt: skip
        secs = time.perf_counter() - t0
        stats = store.stats()
    finally:
        store.close()
    size = _db_mb(db)
    if tmp is not None:
        tmp.cleanup()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    coding_cpu = children.ru_utime + children.ru_stime if workers > 1 else secs - store_s
    t = store.tally
    return ScaleFigures(
        articles=stats["articles"],
        days=(done - 1) // per_day + 1 if done else 0,
        coding_errors=errors,
        events=events,
        incidents=stats["incidents"],
        seconds=secs,
        articles_per_s=done / secs if secs else 0.0,
        store_seconds=store_s,
        store_ms_per_article=store_s * 1000 / max(1, done),
        coding_cpu_seconds=coding_cpu,
        dedup_events=t.events,
        dedup_candidate_incidents=t.incidents,
        dedup_pairs=t.pairs,
        dedup_pairs_per_article=t.pairs / max(1, done),
        dedup_background_pairs=t.background_pairs,
        dedup_max_block=t.max_block,
        peak_rss_main_mb=_peak_mb(resource.RUSAGE_SELF),
        peak_rss_worker_mb=_peak_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0.0,
        db_mb=size,
        store_ms_by_tenth=by_tenth_ms,
        pairs_per_article_by_tenth=by_tenth_pairs,
        reported_pairs_per_article_by_tenth=by_tenth_reported,
    )


def _size_in_child(conn: Any, kwargs: dict[str, Any]) -> None:
    try:
        conn.send(("ok", run_size(**kwargs)))
    except BaseException as exc:  # noqa: BLE001 - reported by the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_scale(
    paths: list[Path] | None,
    sizes: list[int],
    workers: int = 2,
    per_day: int = 100,
    progress: bool = True,
    isolate: bool = True,
    commit_every: int = 100,
    db_dir: Path | None = None,
) -> ScaleReport:
    """Run every size; each in a fresh process (``isolate``) so that peak memory is the size's own.

    ``db_dir``: keep the databases there (``scale-<N>.db``) instead of in a temporary folder.
    """
    paths = list(paths) if paths else default_corpus()
    errors: list[RecordError] = []
    corpus_n = _count_corpus(paths, errors)
    report = ScaleReport(corpus=[str(p) for p in paths], corpus_articles=corpus_n, read_errors=len(errors),
                         per_day=per_day, workers=workers, commit_every=commit_every)  # fmt: skip
    for n in sizes:
        kwargs: dict[str, Any] = dict(paths=paths, n=n, workers=workers, per_day=per_day, progress=progress,
                                      commit_every=commit_every,
                                      db=(db_dir / f"scale-{n}.db") if db_dir else None)  # fmt: skip
        if not isolate:
            report.sizes.append(run_size(**kwargs))
            continue
        ctx = mp.get_context("spawn")
        here, there = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_size_in_child, args=(there, kwargs))
        proc.start()
        there.close()
        status, value = here.recv()
        proc.join()
        if status != "ok":
            raise RuntimeError(f"bench --scale {n}: {value}")
        report.sizes.append(value)
    return report


def _count_corpus(paths: list[Path], errors: list[RecordError]) -> int:
    from .ingest import read_inputs

    n = 0
    for item in read_inputs(list(paths), published=FALLBACK_PUBLISHED):
        if isinstance(item, RecordError):
            errors.append(item)
        else:
            n += 1
    if n == 0:
        raise ValueError("bench --scale: no readable article in the corpus")
    return n
