"""The article and event store (SQLAlchemy; SQLite by default).

Every ``eventcoder code`` run writes here. Saving a coded article is one transaction that
replaces that article's previous events, so re-running on the same articles updates their records
instead of duplicating them, and a run killed mid-way leaves every article either fully saved or
not at all. SQLite runs in WAL mode with foreign keys on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from ..records import Article, CodedArticle, Event, RecordError

SCHEMA_VERSION = 1
metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", String(40), nullable=False),
    Column("args", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("ok", Integer),
    Column("failed", Integer),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("title", Text),
    Column("published", Date, index=True),
    Column("source", Text),
    Column("url", Text),
    Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("text_sha1", String(40), nullable=False),
    Column("coder_version", String(40)),
    Column("warnings", Text),
    Column("coded_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(220), primary_key=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("event_date", Date, index=True),
    Column("iso3", String(3), index=True),
    Column("country", Text),
    Column("admin1", Text),
    Column("event_type", String(60), index=True),
    Column("sub_event_type", String(60)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("fatalities", Integer, nullable=False, default=0),
    Column("background", Boolean, nullable=False, default=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("data", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

record_errors = Table(
    "record_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL"), index=True),
    Column("origin", Text, nullable=False),
    Column("reason", String(40), nullable=False),
    Column("message", Text, nullable=False),
    Column("article_id", String(200)),
    Column("at", DateTime(timezone=True), nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from a file path, a URL, or None (eventcoder.db in the working folder)."""
    if db is None:
        return "sqlite:///eventcoder.db"
    s = str(db)
    if "://" in s:
        if s.startswith("postgresql://"):
            return "postgresql+psycopg://" + s[len("postgresql://") :]
        return s
    return f"sqlite:///{Path(s)}"


class Store:
    """Articles, their events, runs and per-record errors."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str | Path | None = None) -> Store:
        """Open (creating if needed) the store at a SQLite path or a SQLAlchemy URL."""
        engine = create_engine(database_url(url), future=True)
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA busy_timeout=10000")
                cur.close()

        metadata.create_all(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- runs and errors

    def start_run(self, command: str, args: list[str]) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(insert(runs).values(command=command, args=json.dumps(args), started_at=_now()))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int | None, ok: int, failed: int) -> None:
        if run_id is None:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(runs).where(runs.c.id == run_id).values(finished_at=_now(), ok=ok, failed=failed)
            )

    def record_error(self, err: RecordError, run_id: int | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(record_errors).values(
                    run_id=run_id,
                    origin=err.origin,
                    reason=err.reason,
                    message=err.message,
                    article_id=err.article_id,
                    at=_now(),
                )
            )

    # ----------------------------------------------------------------- writing

    def save_coded(self, coded: CodedArticle) -> None:
        """Store an article and its events, replacing what an earlier run stored for it."""
        a = coded.article
        now = _now()
        row = {
            "title": a.title,
            "published": a.published,
            "source": a.source,
            "url": a.url,
            "origin": a.origin,
            "text": a.text,
            "text_sha1": hashlib.sha1(a.text.encode("utf-8")).hexdigest(),
            "coder_version": coded.coder_version,
            "warnings": json.dumps(coded.warnings),
            "coded_at": now,
        }
        with self.engine.begin() as conn:
            exists = conn.execute(select(articles.c.id).where(articles.c.id == a.id)).first()
            if exists:
                conn.execute(update(articles).where(articles.c.id == a.id).values(**row))
                conn.execute(delete(events).where(events.c.article_id == a.id))
            else:
                conn.execute(insert(articles).values(id=a.id, **row))
            if coded.events:
                conn.execute(insert(events), [_event_row(ev, now) for ev in coded.events])

    # ----------------------------------------------------------------- reading

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        if r is None:
            return None
        return Article(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            published=r["published"],
            source=r["source"],
            url=r["url"],
            origin=r["origin"],
        )

    def get_events(self, article_id: str) -> list[Event]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.data).where(events.c.article_id == article_id).order_by(events.c.id)
            ).all()
        return [Event.model_validate_json(r[0]) for r in rows]

    def iter_events(self, include_background: bool = True) -> Iterator[Event]:
        q = select(events.c.data).order_by(events.c.event_date, events.c.id)
        if not include_background:
            q = q.where(events.c.background.is_(False))
        with self.engine.connect() as conn:
            for r in conn.execute(q):
                yield Event.model_validate_json(r[0])

    def counts(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return {
                "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
                "events": conn.execute(select(func.count()).select_from(events)).scalar_one(),
                "errors": conn.execute(select(func.count()).select_from(record_errors)).scalar_one(),
                "runs": conn.execute(select(func.count()).select_from(runs)).scalar_one(),
            }


def _event_row(ev: Event, now: dt.datetime) -> dict[str, Any]:
    p = ev.place
    return {
        "id": ev.id,
        "article_id": ev.article_id,
        "event_date": ev.date.date,
        "iso3": p.iso3 if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1.name if ev.actor1 else None,
        "actor2": ev.actor2.name if ev.actor2 else None,
        "fatalities": ev.fatalities,
        "background": ev.background,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "data": ev.model_dump_json(),
        "updated_at": now,
    }


__all__ = ["Store", "database_url", "SCHEMA_VERSION"]
