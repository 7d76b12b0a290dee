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

# country and type first: most views filter on them, and the index then also serves as the seek
COLUMNS = [
    "iso3",
    "event_type",
    "event_date",
    "background",
    "status",
    "sub_event_type",
    "fatalities",
    "latitude",
    "longitude",
    "id",
]


# the same led by type then date, for views filtered on type (or date) without a country; it
# replaces the plain event_type index of 0001 (its prefix)
TYPE_COLUMNS = ["event_type", "event_date", "background", "status", "iso3", "sub_event_type", "fatalities",
                "latitude", "longitude", "id"]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_incidents_list", "incidents", COLUMNS, if_not_exists=True)
    op.create_index("ix_incidents_type_list", "incidents", TYPE_COLUMNS, if_not_exists=True)
    op.drop_index("ix_incidents_event_type", table_name="incidents", if_exists=True)


def downgrade() -> None:
    op.create_index("ix_incidents_event_type", "incidents", ["event_type"], if_not_exists=True)
    op.drop_index("ix_incidents_type_list", table_name="incidents", if_exists=True)
    op.drop_index("ix_incidents_list", table_name="incidents", if_exists=True)
