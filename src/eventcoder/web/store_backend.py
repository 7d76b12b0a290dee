"""The web Backend on :class:`eventcoder.store.Store` (SQLite by default, PostgreSQL by URL).

This module is the only place where the web layer touches the store: it turns the store's
records into the API's shapes (:mod:`eventcoder.web.schemas`), the API's filters into the store's
``IncidentFilter``, and the store's errors into the web errors (404 not found, 409 a review action
the record's state does not allow, 422 a value the store refuses).
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

from ..records import Event
from .convert import article_out, event_claims, event_evidence
from .errors import BadRequest, Conflict, NotFound
from .schemas import (
    ArticleDetail,
    ArticlePage,
    ArticleSummary,
    ChangeOut,
    CountBucket,
    Filters,
    IncidentDetail,
    IncidentFields,
    IncidentPage,
    IncidentSummary,
    MapPoints,
    SourceOut,
    WriteResult,
)

T = TypeVar("T")

#: media type and file name of each export format of ``eventcoder export``
_EXPORT_FILES = {
    "jsonl": ("application/x-ndjson", "incidents.jsonl"),
    "acled-csv": ("text/csv; charset=utf-8", "incidents-acled.csv"),
    "ucdp-csv": ("text/csv; charset=utf-8", "incidents-ucdp.csv"),
    "parquet": ("application/vnd.apache.parquet", "incidents.parquet"),
    "geojson": ("application/geo+json", "incidents.geojson"),
}
_CHUNK = 64 * 1024
# store error messages that describe the record's state (409) rather than a bad value (422)
_STATE_WORDS = ("is merged", "is deleted", "already merged", "is rejected", "must move some")


class StoreUnavailable(RuntimeError):
    """The incident store could not be opened (bad URL, unreachable server, unreadable file)."""


def _label(url: str) -> str:
    """The database as shown to users: dialect and place, never a password."""
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - a label must never fail
        return "database"
    if u.get_backend_name() == "sqlite":
        return f"sqlite:{u.database or ':memory:'}"
    return u.render_as_string(hide_password=True)


def _store_filter(f: Filters) -> Any:
    from ..store import IncidentFilter

    return IncidentFilter(
        date_from=f.date_from,
        date_to=f.date_to,
        country=f.country,
        admin1=f.admin1,
        event_type=f.event_type,
        sub_event_type=f.sub_event_type,
        actor=f.actor,
        min_fatalities=f.min_fatalities,
        text=f.q,
        status=f.status,
        include_rejected=f.include_rejected,
    )


def _summary_values(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "date": row.date,
        "country": row.country,
        "iso3": row.iso3,
        "admin1": row.admin1,
        "admin2": row.admin2,
        "location": row.location,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "event_type": row.event_type,
        "sub_event_type": row.sub_event_type,
        "actor1": row.actor1,
        "actor2": row.actor2,
        "fatalities": row.fatalities,
        "sources": row.sources,
        "status": row.status,
    }


def incident_fields(rec: Any) -> IncidentFields:
    """Every field of a stored incident record in the API's shape."""
    return IncidentFields(
        **_summary_values(rec),
        date_precision=rec.time_precision,
        disorder_type=rec.disorder_type,
        assoc_actor1=list(rec.assoc_actor1),
        assoc_actor2=list(rec.assoc_actor2),
        interaction=rec.interaction,
        geo_precision=rec.geo_precision,
        notes=rec.notes or None,
        merged_into=rec.merged_into,
        date_start=rec.date_start.isoformat() if rec.date_start else None,
        date_end=rec.date_end.isoformat() if rec.date_end else None,
        inter1=rec.inter1,
        inter2=rec.inter2,
        ucdp_type_of_violence=rec.ucdp_type_of_violence,
        ucdp=rec.ucdp.model_dump(mode="json"),
        source_names=list(rec.source_names),
        events=rec.events,
        version=rec.version,
        updated_at=rec.updated_at.isoformat() if rec.updated_at else None,
        overrides=rec.overrides,
    )


def change_out(c: Any) -> ChangeOut:
    """An audited store change in the API's shape."""
    return ChangeOut(
        id=c.id,
        incident_id=c.incident_id,
        at=c.at.isoformat() if c.at else None,
        who=c.who,
        action=c.action,
        field=c.field,
        before=c.before,
        after=c.after,
        reason=c.reason,
    )


class _FileExport:
    """An export written to a temporary file by the store's exporter, then streamed and removed."""

    def __init__(self, media_type: str, filename: str, write: Callable[[Path], int]) -> None:
        self.media_type, self.filename, self._write = media_type, filename, write

    def chunks(self) -> Iterator[bytes]:
        tmp = Path(tempfile.mkdtemp(prefix="eventcoder-export-"))
        try:
            path = tmp / self.filename
            self._write(path)
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    yield chunk
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class _ReadCache:
    """The last answers of the list, map and counts endpoints, valid while the database's
    ``data_version`` is unchanged: analysts looking at the same view (a shared URL, the default
    page, the map after paging the table) do not recompute it, and any change to any incident, by
    this server or another process, makes every entry stale at once."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._version: Any = None
        self._lock = threading.Lock()

    def get(self, version: Any, key: tuple[Any, ...]) -> Any:
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
                return None
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, version: Any, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            if version != self._version:
                return
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class StoreBackend:
    """Backend over the incident store (one Store shared by the server's worker threads)."""

    label: str

    def __init__(self, store: Any, label: str = "database", cache_size: int = 256) -> None:
        self.store = store
        self.label = label
        self._cache = _ReadCache(cache_size) if cache_size else None

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if self._cache is None:
            return compute()
        version = self.store.data_version()
        hit = self._cache.get(version, key)
        if hit is None:
            hit = compute()
            self._cache.put(version, key, hit)
        return hit

    @classmethod
    def open(cls, db_url: str | None) -> StoreBackend:
        """Open the store at ``db_url`` (None: the default database, created if missing)."""
        from ..store import Store, database_url

        try:
            url = database_url(db_url)
            store = Store.open(url)
        except Exception as exc:  # noqa: BLE001 - shown to the user as one clear line
            raise StoreUnavailable(
                f"cannot open the database {_label(str(db_url or 'default'))}: {exc}"
            ) from exc
        return cls(store, _label(url))

    def bulk_load(self, coded: Iterable[Any], batch: int = 500) -> int:
        """Save coded articles into the store (deduplicated as by ``eventcoder code``), in batches
        of one transaction each; for load tests and demos. Returns the number saved."""
        n = 0
        it = iter(coded)
        while True:
            chunk = list(itertools.islice(it, batch))
            if not chunk:
                return n
            with self.store.batch():
                for c in chunk:
                    self.store.save_coded(c)
            n += len(chunk)

    # ------------------------------------------------------------------ errors
    def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        from ..store import NotFound as StoreNotFound
        from ..store import StoreError

        try:
            return fn(*args, **kwargs)
        except StoreNotFound as exc:
            raise NotFound(f"no incident {exc.args[0]!r}" if exc.args else "not found") from None
        except StoreError as exc:
            msg = str(exc)
            if any(w in msg for w in _STATE_WORDS):
                raise Conflict(msg) from None
            raise BadRequest(msg) from None

    # ------------------------------------------------------------------ reads
    def count_incidents(self) -> int:
        return self.store.query_incidents(None, page=1, page_size=1).total

    def list_incidents(self, filters: Filters, page: int, page_size: int, sort: str) -> IncidentPage:
        key = ("list", filters.model_dump_json(), page, page_size, sort)
        return self._cached(key, lambda: self._list_incidents(filters, page, page_size, sort))

    def _list_incidents(self, filters: Filters, page: int, page_size: int, sort: str) -> IncidentPage:
        res = self._call(self.store.query_incidents, _store_filter(filters), page, page_size, sort)
        return IncidentPage(
            total=res.total,
            page=res.page,
            page_size=res.page_size,
            sort=sort,
            fatalities=res.fatalities,
            filters=filters.active(),
            items=[IncidentSummary(**_summary_values(r)) for r in res.items],
        )

    def map_points(self, filters: Filters, limit: int) -> MapPoints:
        return self._cached(
            ("map", filters.model_dump_json(), limit), lambda: self._map_points(filters, limit)
        )

    def _map_points(self, filters: Filters, limit: int) -> MapPoints:
        located, unlocated, pts = self.store.map_points(_store_filter(filters), limit)
        types = sorted({p[3] or "" for p in pts})
        index = {t: i for i, t in enumerate(types)}
        return MapPoints(
            total=located,
            returned=len(pts),
            truncated=located > len(pts),
            unlocated=unlocated,
            types=types,
            points=[[i, lat, lon, index[t or ""], fat] for i, lat, lon, t, fat in pts],
        )

    def counts(self, filters: Filters, by: str) -> list[CountBucket]:
        return self._cached(("counts", filters.model_dump_json(), by), lambda: self._counts(filters, by))

    def _counts(self, filters: Filters, by: str) -> list[CountBucket]:
        buckets = self._call(self.store.counts, by, _store_filter(filters))
        out = []
        for b in buckets:
            key = b.key[:7] if by == "month" and b.key else b.key
            out.append(CountBucket(key=key, label=b.key, incidents=b.incidents, fatalities=b.fatalities))
        return out

    def incident_detail(self, incident_id: str, brief: bool = False) -> IncidentDetail:
        if brief:
            return IncidentDetail(incident=incident_fields(self._call(self.store.get_record, incident_id)))
        d = self._call(self.store.get_incident, incident_id)
        events: dict[str, Event] = {e.id: e for e in d.events}
        sources, claims = [], []
        for src in d.sources:
            art = src.article
            evs = [events[i] for i in src.event_ids if i in events]
            sources.append(
                SourceOut(
                    article=article_out(art),
                    event_ids=list(src.event_ids),
                    evidence=[sp for e in evs for sp in event_evidence(e, art.text)],
                )
            )
            claims.extend(c for e in evs for c in event_claims(e, art))
        return IncidentDetail(
            incident=incident_fields(d.incident),
            sources=sources,
            claims=claims,
            history=[change_out(c) for c in d.history],
        )

    def list_articles(self, page: int, page_size: int, q: str | None) -> ArticlePage:
        res = self.store.list_articles(page=page, page_size=page_size, q=q)
        items = [
            ArticleSummary(
                id=a.id,
                title=a.title,
                source=a.source,
                url=a.url,
                published=a.published,
                incidents=a.incidents,
            )
            for a in res.items
        ]
        return ArticlePage(total=res.total, page=res.page, page_size=res.page_size, items=items)

    def article_detail(self, article_id: str) -> ArticleDetail:
        art = self.store.get_article(article_id)
        if art is None:
            raise NotFound(f"no article {article_id!r}")
        return ArticleDetail(
            article=article_out(art),
            incidents=self.store.incidents_of_article(article_id),
            events=[e.model_dump(mode="json") for e in self.store.get_events(article_id)],
        )

    def changes(self, since: str | None, limit: int) -> list[ChangeOut]:
        mark: dt.datetime | int | None = None
        if since:
            s = since.strip()
            if s.isdigit():
                mark = int(s)
            else:
                try:
                    mark = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
                except ValueError:
                    raise BadRequest(f"since: {since!r} is neither an ISO time nor a change id") from None
                if mark.tzinfo is None:
                    mark = mark.replace(tzinfo=dt.UTC)
        return [change_out(c) for c in self.store.changes_since(mark, limit=limit)]

    def export_formats(self) -> list[str]:
        from ..export import FORMATS

        return list(FORMATS)

    def export(self, filters: Filters, fmt: str) -> _FileExport:
        from ..export import export_incidents

        if fmt not in _EXPORT_FILES:
            raise BadRequest(f"format: unknown export format {fmt!r}")
        media, name = _EXPORT_FILES[fmt]
        flt = _store_filter(filters)
        return _FileExport(media, name, lambda path: export_incidents(self.store, fmt, path, flt))

    # ------------------------------------------------------------------ writes
    def _write(
        self, incident_id: str, who: str, action: Callable[..., Any], *args: Any
    ) -> tuple[Any, WriteResult]:
        """Run one audited store action; the result lists the changes it made to ``incident_id``
        (the audit entries after the last one before it, by this reviewer, on this incident)."""
        before = self.store.data_version()[0] or 0
        out = self._call(action, *args)
        rec = self._call(self.store.get_record, incident_id)
        done = [
            change_out(c)
            for c in self.store.changes_since(int(before))
            if c.incident_id == incident_id and c.who == who
        ]
        return out, WriteResult(incident=incident_fields(rec), changes=done)

    def confirm(self, incident_id: str, who: str, reason: str) -> WriteResult:
        return self._write(incident_id, who, self.store.confirm, incident_id, who, reason)[1]

    def reject(self, incident_id: str, who: str, reason: str) -> WriteResult:
        return self._write(incident_id, who, self.store.reject, incident_id, who, reason)[1]

    def correct(self, incident_id: str, changes: dict, who: str, reason: str) -> WriteResult:
        return self._write(incident_id, who, self.store.correct, incident_id, changes, who, reason)[1]

    def merge(self, incident_id: str, others: list[str], who: str, reason: str) -> WriteResult:
        return self._write(incident_id, who, self.store.merge, [incident_id, *others], who, reason)[1]

    def split(self, incident_id: str, article_ids: list[str], who: str, reason: str) -> WriteResult:
        new, result = self._write(incident_id, who, self.store.split, incident_id, article_ids, who, reason)
        result.created = [new.id]
        return result

    def close(self) -> None:
        self.store.close()
