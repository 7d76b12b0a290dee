"""Initial schema: runs, articles, events, event_archive, incidents, pins, changes, record_errors.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the version-1 tables. Later schema changes get their own revision (0002, ...),
    written with op.add_column / op.create_table, never by editing this one."""
    from eventcoder.store.schema import metadata

    metadata.create_all(bind=op.get_bind())


def downgrade() -> None:
    from eventcoder.store.schema import metadata

    metadata.drop_all(bind=op.get_bind())
