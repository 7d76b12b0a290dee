"""The living dataset: articles, their events, deduplicated incidents and the audit trail.

SQLite (default, WAL, foreign keys on) or PostgreSQL through SQLAlchemy 2; the schema is managed
by alembic migrations (``eventcoder/migrations``). See docs/store.md.

Public interface::

    with Store.open("eventcoder.db") as store:          # or None, a path, 'sqlite:///..', 'postgresql://..'
        run = store.start_run("code", ["in.jsonl"])
        store.save_coded(coded)                         # idempotent; dedups into incidents
        store.record_error(err, run)
        store.finish_run(run, ok=1, failed=0)
        page = store.query_incidents(IncidentFilter(country="NGA"), page=1, page_size=50, sort="-date")
        detail = store.get_incident(page.items[0].id)
        store.apply_correction(detail.incident.id, "fatalities", 12, user="ana", reason="hospital toll")
"""

from __future__ import annotations

from .core import NotFound, Store, StoreError, database_url
from .models import (
    EDITABLE_FIELDS,
    SORT_KEYS,
    ArticleRow,
    Change,
    Claim,
    CountBucket,
    IncidentDetail,
    IncidentFilter,
    IncidentRecord,
    IncidentRow,
    IncidentSource,
    Page,
    SaveResult,
    SourceRef,
)
from .schema import SCHEMA_VERSION

__all__ = [
    "EDITABLE_FIELDS",
    "SCHEMA_VERSION",
    "SORT_KEYS",
    "ArticleRow",
    "Change",
    "Claim",
    "CountBucket",
    "IncidentDetail",
    "IncidentFilter",
    "IncidentRecord",
    "IncidentRow",
    "IncidentSource",
    "NotFound",
    "Page",
    "SaveResult",
    "SourceRef",
    "Store",
    "StoreError",
    "database_url",
]
