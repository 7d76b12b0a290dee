"""Alembic migrations of the store's schema (run by ``Store.open``; see docs/store.md)."""
