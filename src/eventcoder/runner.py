"""Running the coder over a stream of articles, in one process or several.

Each worker process loads its own Resources once (they pickle by path) and codes articles with
the pure function ``coder.code_article``. Results come back in input order. An article whose
coding raises becomes a RecordError ('coding-failed'): the run goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from .coder import code_article
from .records import Article, CodedArticle, RecordError
from .resources import Resources

_WORKER_RESOURCES: Resources | None = None


def _init_worker(resources: Resources) -> None:
    global _WORKER_RESOURCES
    resources.warm()
    _WORKER_RESOURCES = resources


def _code_in_worker(article: Article) -> CodedArticle | RecordError:
    assert _WORKER_RESOURCES is not None
    return safe_code(article, _WORKER_RESOURCES)


def safe_code(article: Article, resources: Resources) -> CodedArticle | RecordError:
    """Code one article; turn an unexpected failure into a per-record error instead of a crash."""
    try:
        return code_article(article, resources)
    except Exception as exc:  # noqa: BLE001 - a bad record must not stop the run
        return RecordError(
            origin=article.origin or article.id,
            reason="coding-failed",
            message=f"{type(exc).__name__}: {exc}",
            article_id=article.id,
        )


def code_stream(
    items: Iterable[Article | RecordError],
    resources: Resources,
    workers: int = 1,
    chunksize: int = 4,
) -> Iterator[CodedArticle | RecordError]:
    """Code every Article of ``items``; RecordErrors from ingest pass through in place."""
    if workers <= 1:
        for item in items:
            yield item if isinstance(item, RecordError) else safe_code(item, resources)
        return

    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(resources,)) as pool:
        # Pass errors through without sending them to workers, keeping order.
        buffered: list[Article | RecordError] = []

        def flush() -> Iterator[CodedArticle | RecordError]:
            articles = [b for b in buffered if isinstance(b, Article)]
            results = iter(pool.imap(_code_in_worker, articles, chunksize=chunksize))
            for b in buffered:
                yield b if isinstance(b, RecordError) else next(results)
            buffered.clear()

        for item in items:
            buffered.append(item)
            if len(buffered) >= workers * chunksize * 8:
                yield from flush()
        yield from flush()
