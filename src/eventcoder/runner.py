"""Running the coder over a stream of articles, in one process or several.

Each worker process loads its own Resources once (they pickle by path) and codes articles with
the pure function ``coder.code_article``. Results come back in input order. An article whose
coding raises becomes a RecordError ('coding-failed'): the run goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult

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


def _code_chunk(articles: list[Article]) -> list[CodedArticle | RecordError]:
    return [_code_in_worker(a) for a in articles]


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
        # A sliding window of chunks in flight: workers never wait for the consumer to drain a whole
        # batch, and at most ``workers * 4`` chunks are held, so memory does not grow with the input.
        # RecordErrors are not sent to workers; results come back in input order.
        window: deque[tuple[list[Article | RecordError], AsyncResult[list[CodedArticle | RecordError]]]]
        window = deque()
        limit = max(2, workers * 4)

        def drain_one() -> Iterator[CodedArticle | RecordError]:
            chunk, pending = window.popleft()
            results = iter(pending.get())
            for b in chunk:
                yield b if isinstance(b, RecordError) else next(results)

        chunk: list[Article | RecordError] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= chunksize:
                arts = [b for b in chunk if isinstance(b, Article)]
                window.append((chunk, pool.apply_async(_code_chunk, (arts,))))
                chunk = []
                while len(window) >= limit:
                    yield from drain_one()
        if chunk:
            arts = [b for b in chunk if isinstance(b, Article)]
            window.append((chunk, pool.apply_async(_code_chunk, (arts,))))
        while window:
            yield from drain_one()
