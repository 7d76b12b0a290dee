"""Benchmark of storing and deduplicating coded articles (``eventcoder bench-store``).

Synthetic coded articles (no models loaded) are generated on the fly: incidents spread over 20
countries and a year, each told by 1-4 articles with different figures, place precision and dates.
Each size runs in its own process so the peak memory is that size's own. The time of every tenth of
the run is kept: if deduplication were quadratic, the later tenths would be slower.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..records import (
    SUB_TO_TYPE,
    ActorRef,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Figure,
    Place,
    Span,
    UcdpDeaths,
)
from .schema import drop_schema

_COUNTRIES = [(f"C{i:02d}", f"Country {i}", 5.0 + i * 2.5, 10.0 + i * 3.0) for i in range(20)]
_SUBS = ["Armed clash", "Attack", "Air/drone strike", "Remote explosive/landmine/IED", "Peaceful protest",
         "Shelling/artillery/missile attack", "Abduction/forced disappearance", "Violent demonstration"]  # fmt: skip
_ACTORS = [("Military Forces of {c}", 1), ("Rebel Front {k}", 2), ("Militia {k}", 3), ("Civilians ({c})", 7)]


def synthetic_articles(n: int, seed: int = 1, span_days: int | None = None) -> Iterator[CodedArticle]:
    """``n`` coded articles reporting incidents 1-4 times each (deterministic for a seed).

    The incidents fall on ``span_days`` days (default: one year, or more for large corpora so that
    about 27 articles fall on a day: a dataset that grows over time at a constant rate).
    """
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    days = span_days or max(365, n // 27)
    made = 0
    k = 0
    while made < n:
        k += 1
        iso, cname, lat0, lon0 = rng.choice(_COUNTRIES)
        day = start + dt.timedelta(days=rng.randrange(days))
        admin = rng.randrange(8)
        lat, lon = lat0 + admin * 0.7 + rng.random() * 0.5, lon0 + rng.random() * 0.5
        sub = rng.choice(_SUBS)
        toll = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20])
        a1 = _ACTORS[rng.randrange(3)]
        a2 = _ACTORS[3] if SUB_TO_TYPE[sub] == "Violence against civilians" else _ACTORS[rng.randrange(3)]
        for r in range(min(rng.randint(1, 4), n - made)):
            made += 1
            aid = f"syn-{k}-{r}"
            town = r % 3 != 2
            fig = max(0, toll + rng.choice([0, 0, 1, -1, 2]))
            ev = Event(
                id=f"{aid}#1",
                article_id=aid,
                event_type=SUB_TO_TYPE[sub],
                sub_event_type=sub,
                actor1=ActorRef(name=a1[0].format(c=cname, k=k % 50), matched="x", inter=a1[1]),
                actor2=ActorRef(name=a2[0].format(c=cname, k=k % 50), matched="x", inter=a2[1]),
                figures=[
                    Figure(
                        kind="killed",
                        group="unknown",
                        stated=str(fig),
                        value=fig,
                        span=Span(start=0, end=0, text=""),
                    )
                ]
                if fig
                else [],  # fmt: skip
                fatalities=fig,
                ucdp=UcdpDeaths(deaths_unknown=fig, low=fig, best=fig, high=fig),
                date=EventDate(date=day, precision="day", acled_time_precision=1, resolved=True),
                place=Place(
                    name=f"Town {k}" if town else f"Province {admin}",
                    place=f"Town {k}" if town else None,
                    level="place" if town else "admin1",
                    iso3=iso,
                    country=cname,
                    admin1=f"Province {admin}",
                    latitude=lat if town else lat0 + admin * 0.7,
                    longitude=lon if town else lon0,
                ),
            )
            text = f"Report {r} of incident {k}."
            art = Article(id=aid, text=text, published=day + dt.timedelta(days=r % 2), source=f"Outlet {r}")
            yield CodedArticle(article=art, events=[ev], coder_version="bench")


@dataclass
class SizeFigures:
    articles: int
    incidents: int
    seconds: float
    articles_per_s: float
    ms_per_article_by_tenth: list[float]
    peak_rss_mb: float


@dataclass
class StoreBenchReport:
    backend: str
    sizes: list[SizeFigures] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> Any:
        from rich.table import Table

        t = Table(title=f"store + deduplication ({self.backend})")
        for col in (
            "articles",
            "incidents",
            "seconds",
            "articles/s",
            "ms/article first..last tenth",
            "peak RSS MB",
        ):
            t.add_column(col, justify="right")
        for s in self.sizes:
            tenths = s.ms_per_article_by_tenth
            t.add_row(str(s.articles), str(s.incidents), f"{s.seconds:.1f}", f"{s.articles_per_s:.0f}",
                      f"{tenths[0]:.2f} .. {tenths[-1]:.2f}" if tenths else "", f"{s.peak_rss_mb:.0f}")  # fmt: skip
        return t


def _run_one(args: tuple[int, str | None, bool, int | None]) -> SizeFigures:
    from . import Store

    n, db, progress, span = args
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "bench.db")
    store = Store.open(db)
    tenth = max(1, n // 10)
    marks: list[float] = []
    t0 = last = time.perf_counter()
    bar = None
    if progress:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task(f"{n} articles", total=n)
    for i, coded in enumerate(synthetic_articles(n, span_days=span), 1):
        store.save_coded(coded)
        if bar is not None and i % 100 == 0:
            bar.update(task, completed=i)
        if i % tenth == 0 and len(marks) < 10:
            now = time.perf_counter()
            marks.append((now - last) * 1000 / tenth)
            last = now
    secs = time.perf_counter() - t0
    if bar is not None:
        bar.stop()
    incidents = store.stats()["incidents"]
    store.close()
    if tmp is not None:
        tmp.cleanup()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return SizeFigures(n, incidents, secs, n / secs, marks, peak)


def run_store_bench(
    sizes: list[int], db: str | None = None, progress: bool = False, span_days: int | None = None
) -> StoreBenchReport:
    """Store and deduplicate each size of synthetic corpus, each in a fresh process (and database).

    ``span_days``: spread every corpus over this many days (fixed span: the density of incidents per
    country and day grows with the corpus); default: a constant rate of about 27 articles a day.
    """
    report = StoreBenchReport(backend=(db.split(":", 1)[0] if db else "sqlite"))
    ctx = mp.get_context("spawn")
    for n in sizes:
        if db is not None and not db.startswith("sqlite"):
            drop_schema(db)
        with ctx.Pool(1) as pool:
            report.sizes.append(pool.apply(_run_one, ((n, db, progress, span_days),)))
    return report
