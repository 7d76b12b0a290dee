"""Alembic environment: migrate the connection that ``Store.open`` passes in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from eventcoder.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only Store.open runs migrations
    raise RuntimeError("run migrations through eventcoder.store.Store.open (no connection given)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
