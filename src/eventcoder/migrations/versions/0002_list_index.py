"""A covering index for the incident list, counts and map.

Listing, counting and mapping incidents filter on status, background, date, country and type and
sort on date or fatalities; with every one of those columns in one index, the database reads the
narrow index instead of the wide incident rows (each carries its whole record as JSON), which
keeps a filtered page fast at 100,000 incidents and more.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = [
    "event_date",
    "background",
    "status",
    "iso3",
    "event_type",
    "sub_event_type",
    "fatalities",
    "latitude",
    "longitude",
    "id",
]


def upgrade() -> None:
    op.create_index("ix_incidents_list", "incidents", COLUMNS, if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_incidents_list", table_name="incidents", if_exists=True)
