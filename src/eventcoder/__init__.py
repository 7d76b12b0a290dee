"""eventcoder: news reports of political violence and unrest in, checked conflict-event records out."""

from __future__ import annotations

__version__ = "0.1.0"

import datetime as _dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .records import CodedArticle
    from .resources import Resources

_DEFAULT: Resources | None = None


def default_resources() -> Resources:
    """The bundled models and reference data, loaded once per process on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        from .resources import Resources

        _DEFAULT = Resources.load()
    return _DEFAULT


def code(
    text: str,
    published: _dt.date | str | None = None,
    *,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    id: str | None = None,
    resources: Resources | None = None,
) -> CodedArticle:
    """Code one article's text and return its events (typed records, see docs/schema.md).

    >>> result = eventcoder.code(text, published="2024-08-31")
    >>> for event in result.events: print(event.sub_event_type, event.fatalities)
    """
    from .coder import code_article
    from .ingest import make_article

    article = make_article(text=text, published=published, title=title, source=source, url=url, id=id)
    return code_article(article, resources or default_resources())


__all__ = ["code", "default_resources", "__version__"]
