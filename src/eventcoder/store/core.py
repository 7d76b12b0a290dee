"""The Store: saving coded articles, incremental deduplication into incidents, reads and review."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import Connection, Engine

from ..records import Article, CodedArticle, Event, RecordError
from .models import (
    ArticleRow,
    Change,
    CountBucket,
    IncidentDetail,
    IncidentFilter,
    IncidentRecord,
    IncidentRow,
    Page,
    SaveResult,
)


class StoreError(RuntimeError):
    """A store operation that cannot be done (bad field, bad value, inconsistent request)."""


class NotFound(KeyError):
    """No incident / article with that id."""


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from a file path, a URL, or None (eventcoder.db in the working folder)."""
    if db is None:
        return "sqlite:///eventcoder.db"
    s = str(db)
    if "://" in s:
        if s.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + s.split("://", 1)[1]
        return s
    return f"sqlite:///{Path(s)}"


class Store:
    """Articles, their events, deduplicated incidents, runs, per-record errors and the audit trail."""

    engine: Engine

    @classmethod
    def open(cls, url: str | Path | None = None) -> Store:
        """Open the store, creating or migrating its schema (alembic) first.

        ``url``: None (SQLite file 'eventcoder.db' in the working directory), a path (SQLite file),
        or a SQLAlchemy URL ('sqlite:///...', 'postgresql://...', 'postgresql+psycopg://...').
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the connections."""
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    # ----------------------------------------------------------------- runs and errors

    def start_run(self, command: str, args: list[str]) -> int:
        """Record the start of a command run; returns its id."""
        raise NotImplementedError

    def finish_run(self, run_id: int | None, ok: int, failed: int) -> None:
        """Record the end of a run with the number of records coded and failed."""
        raise NotImplementedError

    def record_error(self, err: RecordError, run_id: int | None = None) -> None:
        """Keep a per-record error (unreadable input, failed coding) of a run."""
        raise NotImplementedError

    # ----------------------------------------------------------------- writing

    @contextlib.contextmanager
    def batch(self) -> Iterator[Store]:
        """Save many articles in one transaction (faster); all or nothing for the batch."""
        raise NotImplementedError
        yield self

    def save_coded(self, coded: CodedArticle, run_id: int | None = None) -> SaveResult:
        """Store an article and its events and deduplicate the events into incidents.

        Idempotent: the same article coded the same way again changes nothing; re-coded (new text or
        coder version), its events are replaced (the old ones archived), the incidents they belonged
        to recomputed and every change logged. Analyst corrections and membership decisions survive.
        One transaction per article (or per ``batch()``).
        """
        raise NotImplementedError

    def rebuild_incidents(self, progress: Any = None) -> int:
        """Deduplicate every stored event afresh (after a change of the rules), keeping analyst pins
        and corrections. Returns the number of incidents."""
        raise NotImplementedError

    # ----------------------------------------------------------------- reading

    def get_article(self, article_id: str) -> Article | None:
        """The stored article (with its text), or None."""
        raise NotImplementedError

    def list_articles(self, page: int = 1, page_size: int = 50, q: str | None = None) -> Page[ArticleRow]:
        """Stored articles, newest first; ``q`` filters on words of the title or source."""
        raise NotImplementedError

    def get_events(self, article_id: str) -> list[Event]:
        """The current events of one article, in order."""
        raise NotImplementedError

    def iter_events(
        self, filters: IncidentFilter | None = None, include_background: bool = True
    ) -> Iterator[Event]:
        """Every stored event (streamed), optionally filtered on the event's own fields."""
        raise NotImplementedError

    def query_incidents(
        self,
        filters: IncidentFilter | None = None,
        page: int = 1,
        page_size: int = 50,
        sort: str = "-date",
    ) -> Page[IncidentRow]:
        """One page of incidents matching ``filters``, sorted by a SORT_KEYS key ('-' for descending)."""
        raise NotImplementedError

    def iter_incidents(self, filters: IncidentFilter | None = None) -> Iterator[IncidentRecord]:
        """Every matching incident with all its fields, streamed in date order (exports)."""
        raise NotImplementedError

    def get_incident(self, incident_id: str) -> IncidentDetail:
        """An incident with its member events, sources, every claim and its history (NotFound)."""
        raise NotImplementedError

    def incident_history(self, incident_id: str) -> list[Change]:
        """Every audited change of an incident, oldest first."""
        raise NotImplementedError

    def incidents_of_article(self, article_id: str) -> list[str]:
        """Ids of the incidents the article's events belong to."""
        raise NotImplementedError

    def counts(
        self,
        by: Literal["day", "week", "month", "country", "admin1", "event_type", "sub_event_type"],
        filters: IncidentFilter | None = None,
    ) -> list[CountBucket]:
        """Incidents and fatalities per day/week/month (ISO week start / first of month) or field."""
        raise NotImplementedError

    def changes_since(self, since: dt.datetime | int | None = None, limit: int | None = None) -> list[Change]:
        """Audited changes after a time (or after a change id), oldest first."""
        raise NotImplementedError

    def changed_incident_ids(self, since: dt.datetime) -> list[str]:
        """Ids of incidents created, changed, merged or deleted after ``since``."""
        raise NotImplementedError

    def stats(self) -> dict[str, int]:
        """Numbers of articles, events, incidents, errors, runs and changes."""
        raise NotImplementedError

    # ----------------------------------------------------------------- review (audited)

    def apply_correction(
        self, incident_id: str, field: str, value: Any, user: str, reason: str
    ) -> IncidentRecord:
        """Set one EDITABLE_FIELDS field of an incident by hand; kept over any re-coding."""
        raise NotImplementedError

    def correct(self, incident_id: str, changes: dict[str, Any], user: str, reason: str) -> IncidentRecord:
        """Several corrections at once (one transaction)."""
        raise NotImplementedError

    def confirm(self, incident_id: str, user: str, reason: str = "") -> IncidentRecord:
        """Mark an incident as checked by an analyst."""
        raise NotImplementedError

    def reject(self, incident_id: str, user: str, reason: str) -> IncidentRecord:
        """Mark an incident as not an event (hidden from lists and exports, kept in the store)."""
        raise NotImplementedError

    def merge(self, ids: list[str], user: str, reason: str) -> IncidentRecord:
        """Merge incidents ``ids[1:]`` into ``ids[0]``; the others become 'merged' pointing to it."""
        raise NotImplementedError

    def split(self, incident_id: str, event_ids: list[str], user: str, reason: str) -> IncidentRecord:
        """Move the given member events (event ids or source article ids) to a new incident."""
        raise NotImplementedError


__all__ = ["NotFound", "Store", "StoreError", "database_url", "Connection", "Iterable"]
