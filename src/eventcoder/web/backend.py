"""What the web layer needs from the database: the :class:`Backend` protocol.

The routes speak only to a Backend; :mod:`eventcoder.web.store_backend` implements it on
:class:`eventcoder.store.Store`. Keeping the seam narrow lets the API be tested on its own and lets
the store change its internals without touching the routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from .schemas import (
    ArticleDetail,
    ArticlePage,
    ChangeOut,
    CountBucket,
    Filters,
    IncidentDetail,
    IncidentPage,
    MapPoints,
    WriteResult,
)


class ExportStream(Protocol):
    media_type: str
    filename: str

    def chunks(self) -> Iterator[bytes]: ...


class Backend(Protocol):
    """Read and review operations on incidents. Every method is blocking (run in a thread pool)."""

    label: str

    def count_incidents(self) -> int:
        """Number of incidents stored (for /api/health)."""
        ...

    def list_incidents(self, filters: Filters, page: int, page_size: int, sort: str) -> IncidentPage:
        """One page of incidents matching the filters, sorted (``-key`` for descending)."""
        ...

    def map_points(self, filters: Filters, limit: int) -> MapPoints:
        """Up to ``limit`` located incidents (most fatal first when truncated), in compact form."""
        ...

    def counts(self, filters: Filters, by: str) -> list[CountBucket]:
        """Incidents and fatalities per day/week/month, country, admin1, type or sub-type."""
        ...

    def incident_detail(self, incident_id: str, brief: bool = False) -> IncidentDetail:
        """An incident with its sources, evidence spans, claims and history (NotFound if absent)."""
        ...

    def list_articles(self, page: int, page_size: int, q: str | None) -> ArticlePage:
        """A page of stored articles (newest first), optionally filtered by words in the title."""
        ...

    def article_detail(self, article_id: str) -> ArticleDetail:
        """An article with its text, coded events and the incidents they belong to."""
        ...

    def changes(self, since: str | None, limit: int) -> list[ChangeOut]:
        """Audited changes after ``since`` (ISO time or change id), oldest first."""
        ...

    def export_formats(self) -> list[str]:
        """Names of the formats of ``eventcoder export``."""
        ...

    def export(self, filters: Filters, fmt: str) -> ExportStream:
        """The matching incidents in one export format."""
        ...

    def confirm(self, incident_id: str, who: str, reason: str) -> WriteResult: ...

    def reject(self, incident_id: str, who: str, reason: str) -> WriteResult: ...

    def correct(self, incident_id: str, changes: dict, who: str, reason: str) -> WriteResult: ...

    def merge(self, incident_id: str, others: list[str], who: str, reason: str) -> WriteResult: ...

    def split(self, incident_id: str, article_ids: list[str], who: str, reason: str) -> WriteResult: ...

    def close(self) -> None:
        """Release connections."""
        ...
