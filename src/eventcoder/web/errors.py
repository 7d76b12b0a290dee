"""Errors of the web layer and the handlers that turn them into clear JSON answers (never a trace)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("eventcoder.web")


class NotFound(Exception):
    """The incident or article asked for does not exist (404)."""


class Conflict(Exception):
    """A review action that the record's current state does not allow (409)."""


class BadRequest(Exception):
    """A request that is well-formed but asks for something impossible (422)."""


def _loc(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "request"


def validation_message(errors: list[dict]) -> str:
    """One readable line from pydantic/FastAPI validation errors: 'page_size: must be <= 500; ...'."""
    msgs = []
    for e in errors[:10]:
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        msgs.append(f"{_loc(e.get('loc', ()))}: {msg}")
    return "invalid request: " + "; ".join(msgs)


def install_handlers(app: FastAPI) -> None:
    """Register the exception handlers: 422 with a clear message, 404/409, and a generic 500."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")).removeprefix("Value error, "),
                "type": e.get("type", ""),
            }
            for e in exc.errors()[:20]
        ]
        return JSONResponse(status_code=422, content={"detail": validation_message(errors), "errors": errors})

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc) or "not found"})

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(exc)})

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, exc: BadRequest) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            status_code=exc.status_code, content={"detail": exc.detail}, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # logged on the server with its trace; the client only learns that it failed
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal server error"})
