"""The FastAPI application: JSON API under /api, the web page at /, OpenAPI explorer at /docs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources as ir
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError

from .. import __version__
from ..records import ACLED_TYPES, SUB_TO_TYPE
from .auth import TokenAuth
from .backend import Backend
from .errors import install_handlers
from .middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from .schemas import (
    EDITABLE_FIELDS,
    MAX_MAP_POINTS,
    MAX_PAGE_SIZE,
    MAX_TEXT,
    AppConfig,
    ArticleDetail,
    ArticlePage,
    AuthInfo,
    ChangePage,
    CorrectionRequest,
    CountBy,
    Counts,
    EditableField,
    Filters,
    Health,
    IncidentDetail,
    IncidentPage,
    MapPoints,
    MergeRequest,
    Reason,
    SortKey,
    SplitRequest,
    Status,
    WriteResult,
)

STATIC = Path(str(ir.files("eventcoder.web") / "static"))
MAX_BODY = 64 * 1024
STATUSES = ["coded", "confirmed", "corrected", "rejected", "merged"]
_ID = r"^[^\x00-\x1f/]{1,200}$"
EventTypeName = Literal[tuple(ACLED_TYPES)]  # type: ignore[valid-type]
SubEventTypeName = Literal[tuple(SUB_TO_TYPE)]  # type: ignore[valid-type]

DESCRIPTION = """
Conflict incidents coded by eventcoder from news reports, with the evidence behind every field.

* **Read** endpoints are open. Lists are paginated (`page_size` at most 500).
* **Write** endpoints (review: confirm, correct, reject, merge, split) need
  `Authorization: Bearer <token>` with a token configured when the server started; without one the
  server is read-only. Every change is audited (who, when, before, after, why).
* Errors answer JSON `{"detail": "..."}`; invalid parameters answer 422 with a clear message.
"""


def filters_dep(
    date_from: Annotated[dt.date | None, Query(description="first day (YYYY-MM-DD), inclusive")] = None,
    date_to: Annotated[dt.date | None, Query(description="last day (YYYY-MM-DD), inclusive")] = None,
    country: Annotated[str | None, Query(max_length=64, description="ISO3 code or country name")] = None,
    admin1: Annotated[str | None, Query(max_length=MAX_TEXT, description="first-level region")] = None,
    event_type: Annotated[EventTypeName | None, Query(description="ACLED event type")] = None,
    sub_event_type: Annotated[SubEventTypeName | None, Query(description="ACLED sub-event type")] = None,
    actor: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="actor name (either side, substring)")
    ] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    q: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="words in notes, actors, places, titles")
    ] = None,
    status: Annotated[Status | None, Query(description="review status")] = None,
    include_rejected: Annotated[
        bool, Query(description="also list rejected and merged-away incidents")
    ] = False,
) -> Filters:
    """The incident filters from the query string, checked together (422 with a clear message)."""
    try:
        return Filters(
            date_from=date_from,
            date_to=date_to,
            country=country,
            admin1=admin1,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actor=actor,
            min_fatalities=min_fatalities,
            q=q,
            status=status,
            include_rejected=include_rejected,
        )
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"]) if e["loc"] else ("query", "filters")} for e in exc.errors()]
        ) from None


FiltersDep = Annotated[Filters, Depends(filters_dep)]

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "what was wrong, in one line"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}


def reviewer(
    request: Request, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> str:
    """The name of the reviewer behind a valid bearer token; 401 (or 403 when read-only) otherwise."""
    auth: TokenAuth = request.app.state.auth
    if not auth.enabled:
        raise HTTPException(403, "this server is read-only: it was started without a review token")
    if not authorization:
        raise HTTPException(
            401,
            "writing requires a review token (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    name = auth.check_header(authorization)
    if name is None:
        raise HTTPException(401, "the review token was refused", headers={"WWW-Authenticate": "Bearer"})
    return name


Reviewer = Annotated[str, Depends(reviewer)]
IncidentId = Annotated[str, PathParam(pattern=_ID, description="incident id")]


def _tile_origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"tiles URL must be http(s)://host/...{{z}}/{{x}}/{{y}}..., got {url!r}")
    host = re.sub(r"^a\.", "*.", parts.netloc) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


@lru_cache(maxsize=4)
def _page(name: str, version: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8").replace("{{version}}", version)


def _json(model: BaseModel) -> Response:
    """A model the backend built and validated, serialised once (the two busiest endpoints skip
    FastAPI's second validation of the response; the schema stays the declared response_model)."""
    return Response(content=model.model_dump_json(), media_type="application/json")


def create_app(
    db_url: str | None = None,
    token: str | None = None,
    *,
    token_file: str | Path | None = None,
    backend: Backend | None = None,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    max_body: int = MAX_BODY,
    env_token: bool = True,
) -> FastAPI:
    """Build the web app on the database at ``db_url`` (None: the default database).

    ``token`` / ``token_file`` (or ``$EVENTCODER_TOKEN`` when ``env_token``) enable review; without
    any the app is read-only. ``tiles_url`` adds an optional online basemap (off by default; the
    bundled country outlines always work offline). ``backend`` replaces the store (tests).
    """
    auth = TokenAuth.from_sources(token=token, token_file=token_file, env=env_token)
    if backend is None:
        from .store_backend import StoreBackend

        backend = StoreBackend.open(db_url)
    tile_origin = _tile_origin(tiles_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        backend.close()

    app = FastAPI(
        lifespan=lifespan,
        title="eventcoder API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.backend = backend
    app.state.auth = auth
    install_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware, tile_origin=tile_origin)
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    config = AppConfig(
        version=__version__,
        database=backend.label,
        writable=auth.enabled,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
        event_types=ACLED_TYPES,
        statuses=STATUSES,
        export_formats=backend.export_formats(),
        editable_fields=[EditableField(name=n, type=t, label=lab) for n, t, lab in EDITABLE_FIELDS],
    )

    api = APIRouter(prefix="/api")
    write_responses: dict[int | str, dict] = {
        400: {"description": "body is not valid JSON"},
        413: {"description": "body too large"},
        401: {"description": "no or wrong review token"},
        403: {"description": "server is read-only"},
        404: {"description": "no such incident"},
        409: {"description": "not allowed in the record's current state"},
    }

    # ------------------------------------------------------------------ read
    @api.get("/health", response_model=Health, tags=["meta"])
    def health() -> Health | JSONResponse:
        """Liveness and database check."""
        try:
            n = backend.count_incidents()
        except Exception:
            body = Health(
                status="error",
                version=__version__,
                database=backend.label,
                writable=auth.enabled,
                detail="database unavailable",
            )
            return JSONResponse(status_code=503, content=body.model_dump())
        return Health(
            status="ok", version=__version__, database=backend.label, writable=auth.enabled, incidents=n
        )

    @api.get("/config", response_model=AppConfig, tags=["meta"])
    def get_config() -> AppConfig:
        """What the web page needs: vocabularies, export formats, whether review is enabled."""
        return config

    @api.get(
        "/auth",
        response_model=AuthInfo,
        tags=["review"],
        responses={401: {"description": "no or wrong token"}, 403: {"description": "read-only"}},
    )
    def check_auth(who: Reviewer) -> AuthInfo:
        """Check a review token; answers the reviewer name it belongs to."""
        return AuthInfo(reviewer=who)

    @api.get("/incidents", response_model=IncidentPage, tags=["incidents"])
    def list_incidents(
        filters: FiltersDep,
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
        sort: Annotated[SortKey, Query(description="field to sort by; '-' prefix for descending")] = "-date",
    ) -> Response:
        """Incidents matching the filters, one page at a time."""
        return _json(backend.list_incidents(filters, page, page_size, sort))

    @api.get("/map", response_model=MapPoints, tags=["incidents"])
    def map_points(
        filters: FiltersDep,
        limit: Annotated[int, Query(ge=1, le=MAX_MAP_POINTS)] = 10000,
    ) -> Response:
        """Located incidents for the map, as compact [id, lat, lon, type index, fatalities] tuples."""
        return _json(backend.map_points(filters, limit))

    @api.get("/counts", response_model=Counts, tags=["incidents"])
    def counts(
        filters: FiltersDep,
        by: Annotated[
            CountBy, Query(description="day, week (ISO, Monday), month, country, admin1, type")
        ] = "week",
    ) -> Counts:
        """Incidents and fatalities aggregated by time bucket, country, region or type."""
        return Counts(by=by, filters=filters.active(), buckets=backend.counts(filters, by))

    @api.get(
        "/incidents/{incident_id}",
        response_model=IncidentDetail,
        tags=["incidents"],
        responses={404: {"description": "no such incident"}},
    )
    def incident_detail(
        incident_id: IncidentId,
        brief: Annotated[bool, Query(description="fields only, without sources and history")] = False,
    ) -> IncidentDetail:
        """An incident with its sources (article text), evidence spans, claims and review history."""
        return backend.incident_detail(incident_id, brief=brief)

    @api.get("/articles", response_model=ArticlePage, tags=["articles"])
    def list_articles(
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
        q: Annotated[str | None, Query(max_length=MAX_TEXT, description="words in the title")] = None,
    ) -> ArticlePage:
        """Stored source articles, newest first."""
        if q is not None and "\x00" in q:
            raise HTTPException(422, "q: must not contain NUL characters")
        return backend.list_articles(page, page_size, q.strip() if q else None)

    @api.get(
        "/articles/{article_id}",
        response_model=ArticleDetail,
        tags=["articles"],
        responses={404: {"description": "no such article"}},
    )
    def article_detail(
        article_id: Annotated[str, PathParam(pattern=_ID, description="article id")],
    ) -> ArticleDetail:
        """An article's text and the events coded from it."""
        return backend.article_detail(article_id)

    @api.get("/changes", response_model=ChangePage, tags=["review"])
    def changes(
        since: Annotated[
            str | None, Query(max_length=64, description="ISO time or change id; only later changes")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
    ) -> ChangePage:
        """The audit log: every review change after ``since``."""
        if since is not None and "\x00" in since:
            raise HTTPException(422, "since: must not contain NUL characters")
        return ChangePage(items=backend.changes(since, limit))

    @api.get(
        "/export",
        tags=["incidents"],
        response_class=Response,
        responses={200: {"description": "the file", "content": {"application/octet-stream": {}}}},
    )
    def export(
        filters: FiltersDep,
        format: Annotated[str, Query(max_length=32, description="one of the formats of `eventcoder export`")],
    ) -> Response:
        """Matching incidents in a format of ``eventcoder export`` (as a download)."""
        if format not in config.export_formats:
            raise HTTPException(
                422, f"format: unknown export format {format!r}; one of: {', '.join(config.export_formats)}"
            )
        stream = backend.export(filters, format)
        return StreamingResponse(
            stream.chunks(),
            media_type=stream.media_type,
            headers={"Content-Disposition": f'attachment; filename="{stream.filename}"'},
        )

    # ------------------------------------------------------------------ review (write)
    @api.post(
        "/incidents/{incident_id}/confirm",
        response_model=WriteResult,
        tags=["review"],
        responses=write_responses,
    )
    def confirm(incident_id: IncidentId, body: Reason, who: Reviewer) -> WriteResult:
        """Confirm an incident as coded."""
        return backend.confirm(incident_id, who, body.reason)

    @api.post(
        "/incidents/{incident_id}/reject",
        response_model=WriteResult,
        tags=["review"],
        responses=write_responses,
    )
    def reject(incident_id: IncidentId, body: Reason, who: Reviewer) -> WriteResult:
        """Reject an incident (not an event, or out of scope). It stays stored, hidden from lists."""
        return backend.reject(incident_id, who, body.reason)

    @api.patch(
        "/incidents/{incident_id}", response_model=WriteResult, tags=["review"], responses=write_responses
    )
    def correct(incident_id: IncidentId, body: CorrectionRequest, who: Reviewer) -> WriteResult:
        """Correct fields of an incident. Corrections survive re-coding of its articles."""
        changes = body.changes.model_dump(include=body.changes.model_fields_set, mode="json")
        return backend.correct(incident_id, changes, who, body.reason)

    @api.post(
        "/incidents/{incident_id}/merge",
        response_model=WriteResult,
        tags=["review"],
        responses=write_responses,
    )
    def merge(incident_id: IncidentId, body: MergeRequest, who: Reviewer) -> WriteResult:
        """Merge other incidents (duplicates) into this one."""
        if incident_id in body.others:
            raise HTTPException(422, "others: an incident cannot be merged into itself")
        return backend.merge(incident_id, body.others, who, body.reason)

    @api.post(
        "/incidents/{incident_id}/split",
        response_model=WriteResult,
        tags=["review"],
        responses=write_responses,
    )
    def split(incident_id: IncidentId, body: SplitRequest, who: Reviewer) -> WriteResult:
        """Move some source articles of an incident to a new incident."""
        return backend.split(incident_id, body.article_ids, who, body.reason)

    app.include_router(api)

    def openapi() -> dict:
        """The generated schema, with the 422 body this app really sends (detail is one string)."""
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            comps = schema.setdefault("components", {}).setdefault("schemas", {})
            comps["HTTPValidationError"] = ERROR_SCHEMA
            comps.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # ------------------------------------------------------------------ pages
    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(_page("index.html", __version__))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_page("docs.html", __version__))

    return app


def app_from_env() -> FastAPI:
    """The app of one worker process of ``eventcoder serve --workers N`` (settings from the
    environment the command sets: database, token file, tiles; ``$EVENTCODER_TOKEN`` as usual)."""
    import os

    def env(name: str) -> str | None:
        return os.environ.get(name) or None

    return create_app(
        env("EVENTCODER_SERVE_DB"),
        token_file=env("EVENTCODER_SERVE_TOKEN_FILE"),
        tiles_url=env("EVENTCODER_SERVE_TILES"),
        tiles_attribution=env("EVENTCODER_SERVE_TILES_ATTRIBUTION"),
        env_token=True,
    )
