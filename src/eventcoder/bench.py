"""``eventcoder bench``: throughput and memory of coding a corpus.

Two runs over the same articles: one process, then a pool of ``workers`` processes. Model
loading is timed separately and excluded from throughput. Peak memory is the maximum resident set
size of this process (and, for the parallel run, of the largest worker).
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from .records import Article, RecordError


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class RunFigures:
    processes: int
    articles: int
    words: int
    events: int
    seconds: float
    articles_per_s: float
    words_per_s: float
    articles_per_s_per_core: float
    peak_rss_mb: float


@dataclass
class BenchReport:
    corpus: list[str]
    articles: int
    words: int
    mean_words: float
    read_errors: int
    load_seconds: float
    runs: list[RunFigures] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> Table:
        t = Table(title=f"eventcoder bench: {self.articles} articles, {self.mean_words:.0f} words on average")
        for col in ("processes", "articles/s", "per core", "words/s", "events", "seconds", "peak RSS MB"):
            t.add_column(col, justify="right")
        for r in self.runs:
            t.add_row(
                str(r.processes),
                f"{r.articles_per_s:.1f}",
                f"{r.articles_per_s_per_core:.1f}",
                f"{r.words_per_s:,.0f}",
                str(r.events),
                f"{r.seconds:.2f}",
                f"{r.peak_rss_mb:.0f}",
            )
        t.caption = (
            f"model and data loading: {self.load_seconds:.1f} s (excluded); read errors: {self.read_errors}"
        )
        return t


def run_bench(paths: list[Path], workers: int = 2, repeat: int = 1) -> BenchReport:
    """Code the articles under ``paths`` once in one process and once with ``workers`` processes."""
    from .ingest import read_inputs
    from .resources import Resources
    from .runner import code_stream

    items = list(read_inputs(paths))
    articles = [a for a in items if isinstance(a, Article)] * max(1, repeat)
    read_errors = sum(isinstance(a, RecordError) for a in items)
    if not articles:
        raise SystemExit("bench: no readable article in the given paths")
    words = sum(len(a.text.split()) for a in articles)

    t0 = time.perf_counter()
    resources = Resources.load()
    load_s = time.perf_counter() - t0
    report = BenchReport(
        corpus=[str(p) for p in paths],
        articles=len(articles),
        words=words,
        mean_words=words / len(articles),
        read_errors=read_errors,
        load_seconds=load_s,
    )
    for procs in sorted({1, max(1, workers)}):
        t0 = time.perf_counter()
        events = 0
        for res in code_stream(iter(articles), resources, workers=procs):
            events += len(getattr(res, "events", []))
        secs = time.perf_counter() - t0
        peak = max(_peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN))
        report.runs.append(
            RunFigures(
                processes=procs,
                articles=len(articles),
                words=words,
                events=events,
                seconds=secs,
                articles_per_s=len(articles) / secs,
                words_per_s=words / secs,
                articles_per_s_per_core=len(articles) / secs / procs,
                peak_rss_mb=peak,
            )
        )
    return report
