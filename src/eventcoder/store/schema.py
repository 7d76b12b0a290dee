"""The store's tables (SQLAlchemy Core). The alembic migrations in eventcoder/migrations create them.

Rows keep the full JSON of each record (``data``) plus indexed columns for filtering. JSON is kept
as TEXT so SQLite and PostgreSQL store and return byte-identical records. Times are naive UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

#: Bumped with every migration (the alembic head revision is f"{SCHEMA_VERSION:04d}").
SCHEMA_VERSION = 1

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", String(40), nullable=False),
    Column("args", Text),
    Column("started_at", DateTime(), nullable=False),
    Column("finished_at", DateTime()),
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
    Column("content_sha1", String(40), nullable=False),  # text + coder version + events: unchanged?
    Column("coder_version", String(40)),
    Column("warnings", Text),
    Column("version", Integer, nullable=False, default=1),
    Column("coded_at", DateTime(), nullable=False),
    Column("updated_at", DateTime(), nullable=False, index=True),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("status", String(20), nullable=False, default="coded", index=True),
    Column("merged_into", String(40)),
    Column("background", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=1),
    Column("event_date", Date, index=True),
    # the block interval: union of the members' date intervals (candidate search of deduplication)
    Column("date_start", Date),
    Column("date_end", Date),
    Column("iso3", String(3)),
    Column("country", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("event_type", String(60), index=True),
    Column("sub_event_type", String(60)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("actors", Text),  # every actor name, lower-cased, '|'-separated (substring filter)
    Column("fatalities", Integer, nullable=False, default=0),
    Column("n_sources", Integer, nullable=False, default=0),
    Column("n_events", Integer, nullable=False, default=0),
    Column("search", Text),  # lower-cased words for free-text and actor filters
    Column("data", Text, nullable=False),  # IncidentRecord JSON (merged values with overrides applied)
    Column("overrides", Text, nullable=False, default="{}"),  # analyst corrections: field -> value
    Column("created_at", DateTime(), nullable=False),
    Column("updated_at", DateTime(), nullable=False, index=True),
    Index("ix_incidents_block", "iso3", "date_start", "date_end"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(220), primary_key=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("incident_id", String(40), ForeignKey("incidents.id"), index=True),
    Column("article_version", Integer, nullable=False, default=1),
    Column("event_date", Date, index=True),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("iso3", String(3), index=True),
    Column("country", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("location", Text),
    Column("event_type", String(60), index=True),
    Column("sub_event_type", String(60)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("actors", Text),  # every actor name, lower-cased, '|'-separated (substring filter)
    Column("fatalities", Integer, nullable=False, default=0),
    Column("background", Boolean, nullable=False, default=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("data", Text, nullable=False),
    Column("updated_at", DateTime(), nullable=False),
)

# Earlier versions of events, kept when an article is re-coded (nothing is lost).
event_archive = Table(
    "event_archive",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(220), nullable=False, index=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("article_version", Integer, nullable=False),
    Column("incident_id", String(40)),
    Column("data", Text, nullable=False),
    Column("archived_at", DateTime(), nullable=False),
)

# Analyst decisions on membership (merge, split): the event goes to this incident whenever it is
# (re-)coded, instead of being matched automatically.
pins = Table(
    "pins",
    metadata,
    Column("event_id", String(220), primary_key=True),
    Column("incident_id", String(40), nullable=False, index=True),
    Column("who", Text, nullable=False),
    Column("at", DateTime(), nullable=False),
)

# The audit trail: every change to an incident (automatic or by an analyst).
changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(40), index=True),
    Column("article_id", String(200)),
    Column("at", DateTime(), nullable=False, index=True),
    Column("who", Text, nullable=False),
    Column("action", String(20), nullable=False),
    Column("field", Text),
    Column("before", Text),
    Column("after", Text),
    Column("reason", Text),
    Column("run_id", Integer),
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
    Column("at", DateTime(), nullable=False),
)


def drop_schema(url: str) -> None:
    """Drop every table of the store (and alembic's version table) at ``url``.

    For tests and benchmarks that need an empty database; it destroys data.
    """
    from sqlalchemy import create_engine, text

    from .core import database_url

    engine = create_engine(database_url(url))
    try:
        metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()
