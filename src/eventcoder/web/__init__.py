"""Web app and JSON API over the incident store: map, timeline, table, evidence and review.

``create_app(db_url, token=...)`` builds the FastAPI application; ``eventcoder serve`` runs it.
See docs/web.md.
"""

from .app import create_app

__all__ = ["create_app"]
