"""The web Backend on :class:`eventcoder.store.Store` (SQLite by default, PostgreSQL by URL).

This module is the only place where the web layer touches the store: it turns the store's
records into the API's shapes (:mod:`eventcoder.web.schemas`) and the API's filters into the
store's ``IncidentFilter``.
"""

from __future__ import annotations

from typing import Any


class StoreUnavailable(RuntimeError):
    """The incident store (eventcoder.store) is missing or lacks what the web app needs."""


def _store_module() -> Any:
    try:
        from .. import store
    except ImportError as exc:  # pragma: no cover - depends on the installed package
        raise StoreUnavailable(f"the incident store (eventcoder.store) could not be loaded: {exc}") from exc
    if not hasattr(store, "Store"):
        raise StoreUnavailable("eventcoder.store has no Store class")
    return store


class StoreBackend:
    """Backend over the incident store."""

    label: str

    @classmethod
    def open(cls, db_url: str | None) -> StoreBackend:
        """Open the store at ``db_url`` (None: the default database)."""
        store = _store_module()
        raise StoreUnavailable(
            f"eventcoder.store ({store.__name__}) is present but the web adapter for it is not written yet"
        )
