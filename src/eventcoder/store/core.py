"""The Store: saving coded articles, incremental deduplication into incidents, reads and review.

Writes are transactions: one per article (or per ``batch()``), so a process killed mid-run leaves
every article either fully saved (events, incidents, history) or not at all; re-running skips what
is already stored unchanged. Deduplication is incremental: a new event is compared only with the
incidents of its (country, date) block, loaded from the database (``eventcoder.dedup``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import and_, create_engine, delete, event, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from .. import dedup
from ..records import ACLED_TYPES, SUB_TO_TYPE, Article, CodedArticle, Event, RecordError
from .models import (
    EDITABLE_FIELDS,
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
from .schema import (
    articles,
    changes,
    event_archive,
    events,
    incidents,
    pins,
    record_errors,
    runs,
)

_HEAD = "0002"
_ROW_FIELDS = set(IncidentRow.model_fields)
_HIDDEN = ("merged", "deleted")


class StoreError(RuntimeError):
    """A store operation that cannot be done (bad field, bad value, inconsistent request)."""


class NotFound(KeyError):
    """No incident / article with that id."""


def _now() -> dt.datetime:
    """Naive UTC (both backends store naive UTC times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _utc(t: dt.datetime) -> dt.datetime:
    """Naive UTC from any datetime (aware ones converted)."""
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t


def _aware(t: dt.datetime | None) -> dt.datetime | None:
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from a file path, a URL, or None (eventcoder.db in the working folder)."""
    if db is None:
        return "sqlite:///eventcoder.db"
    s = str(db)
    if "://" in s:
        if s.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + s.split("://", 1)[1]
        return s
    return f"sqlite:///{Path(s)}"


def _migrate(engine: Engine) -> None:
    """Bring the schema to the head revision with alembic (skipped when already there)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if inspect(conn).has_table("alembic_version"):
            cur = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if cur == _HEAD:
                return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _actor_names(ev: Event) -> list[str]:
    refs = [ev.actor1, ev.actor2, *ev.assoc_actor1, *ev.assoc_actor2]
    return [r.name for r in refs if r is not None]


def _event_row(ev: Event, now: dt.datetime, version: int, published: dt.date | None) -> dict[str, Any]:
    p = ev.place
    f = dedup.features(ev, published)
    return {
        "id": ev.id,
        "article_id": ev.article_id,
        "incident_id": None,
        "article_version": version,
        "event_date": ev.date.date,
        "date_start": f.start,
        "date_end": f.end,
        "iso3": p.iso3 if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None,
        "location": (p.place or p.name) if p else None,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1.name if ev.actor1 else None,
        "actor2": ev.actor2.name if ev.actor2 else None,
        "actors": "|".join(n.casefold() for n in _actor_names(ev)),
        "fatalities": ev.fatalities,
        "background": ev.background,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "data": ev.model_dump_json(),
        "updated_at": now,
    }


def _coerce(field: str, value: Any) -> Any:
    """Validate and convert a corrected value (StoreError when it is not acceptable)."""
    if field not in EDITABLE_FIELDS:
        raise StoreError(f"{field!r} cannot be corrected; editable fields: {', '.join(EDITABLE_FIELDS)}")
    if value is None or value == "":
        return None
    try:
        if field == "date":
            return (
                value.isoformat()
                if isinstance(value, dt.date)
                else dt.date.fromisoformat(str(value)).isoformat()
            )
        if field in ("latitude", "longitude"):
            v = float(value)
            lim = 90 if field == "latitude" else 180
            if not -lim <= v <= lim:
                raise ValueError(f"out of range -{lim}..{lim}")
            return v
        if field == "fatalities":
            v = int(value)
            if v < 0:
                raise ValueError("must not be negative")
            return v
    except (TypeError, ValueError) as exc:
        raise StoreError(f"bad value for {field}: {value!r} ({exc})") from exc
    value = str(value).strip()
    if field == "event_type" and value not in ACLED_TYPES:
        raise StoreError(f"unknown event type {value!r}")
    if field == "sub_event_type" and value not in SUB_TO_TYPE:
        raise StoreError(f"unknown sub-event type {value!r}")
    if field == "iso3":
        value = value.upper()
        if len(value) != 3:
            raise StoreError(f"iso3 must be a 3-letter code, got {value!r}")
    return value


_SORT_COLUMNS = {
    "date": incidents.c.event_date,
    "fatalities": incidents.c.fatalities,
    "country": incidents.c.country,
    "admin1": incidents.c.admin1,
    "location": incidents.c.location,
    "event_type": incidents.c.event_type,
    "sub_event_type": incidents.c.sub_event_type,
    "actor1": incidents.c.actor1,
    "actor2": incidents.c.actor2,
    "sources": incidents.c.n_sources,
    "status": incidents.c.status,
    "updated": incidents.c.updated_at,
}


class Store:
    """Articles, their events, deduplicated incidents, runs, per-record errors and the audit trail."""

    #: features of at most this many stored events are kept (least recently used dropped first): far
    #: more than the events of the blocks a stream of reports is working on, and bounded whatever N
    FEATURE_CACHE = 20_000

    def __init__(self, engine: Engine, cfg: dedup.DedupConfig | None = None):
        self.engine = engine
        self.cfg = cfg or dedup.default_config()
        self._conn: Connection | None = None  # the open batch transaction, if any
        # features of stored events, keyed by the exact stored JSON: parsing is the costly part of
        # matching, and a block's incidents are compared again and again while reports arrive
        self._features: dict[tuple[str, int, dt.date | None], dedup.EventFeatures] = {}
        # cost of deduplication since the store was opened (events, candidate incidents, pairs scored)
        self.tally = dedup.DedupTally()

    @classmethod
    def open(cls, url: str | Path | None = None) -> Store:
        """Open the store, creating or migrating its schema (alembic) first.

        ``url``: None (SQLite file 'eventcoder.db' in the working directory), a path (SQLite file),
        or a SQLAlchemy URL ('sqlite:///...', 'postgresql://...', 'postgresql+psycopg://...').
        """
        target = database_url(url)
        if target.startswith("sqlite:///") and target != "sqlite:///:memory:":
            Path(target[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(target, pool_pre_ping=not target.startswith("sqlite"))
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.close()

        _migrate(engine)
        return cls(engine)

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        with self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        with self.engine.connect() as conn:
            yield conn

    # ----------------------------------------------------------------- runs and errors

    def start_run(self, command: str, args: list[str]) -> int:
        """Record the start of a command run; returns its id."""
        with self._tx() as conn:
            res = conn.execute(insert(runs).values(command=command, args=_j(args), started_at=_now()))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int | None, ok: int, failed: int) -> None:
        """Record the end of a run with the number of records coded and failed."""
        if run_id is None:
            return
        with self._tx() as conn:
            conn.execute(
                update(runs).where(runs.c.id == run_id).values(finished_at=_now(), ok=ok, failed=failed)
            )

    def record_error(self, err: RecordError, run_id: int | None = None) -> None:
        """Keep a per-record error (unreadable input, failed coding) of a run."""
        with self._tx() as conn:
            conn.execute(
                insert(record_errors).values(
                    run_id=run_id,
                    origin=err.origin,
                    reason=err.reason,
                    message=err.message,
                    article_id=err.article_id,
                    at=_now(),
                )
            )

    # ----------------------------------------------------------------- writing

    @contextlib.contextmanager
    def batch(self) -> Iterator[Store]:
        """Save many articles in one transaction (faster); all or nothing for the batch."""
        if self._conn is not None:
            yield self
            return
        with self.engine.begin() as conn:
            self._conn = conn
            try:
                yield self
            finally:
                self._conn = None

    def save_coded(self, coded: CodedArticle, run_id: int | None = None) -> SaveResult:
        """Store an article and its events and deduplicate the events into incidents.

        Idempotent: the same article coded the same way again changes nothing; re-coded (new text or
        coder version), its events are replaced (the old ones archived), the incidents they belonged
        to recomputed and every change logged. Analyst corrections and membership decisions survive.
        One transaction per article (or per ``batch()``).
        """
        with self._tx() as conn:
            return self._save(conn, coded, run_id)

    def _save(self, conn: Connection, coded: CodedArticle, run_id: int | None) -> SaveResult:
        a = coded.article
        content = hashlib.sha1(
            "\x1f".join([a.text, coded.coder_version, *(e.model_dump_json() for e in coded.events)]).encode(
                "utf-8"
            )
        ).hexdigest()
        old = conn.execute(
            select(articles.c.content_sha1, articles.c.version, articles.c.title, articles.c.source,
                   articles.c.url, articles.c.published, articles.c.origin)
            .where(articles.c.id == a.id)
        ).first()  # fmt: skip
        if old is not None and old.content_sha1 == content:
            same_meta = (old.title, old.source, old.url, old.published, old.origin) == (
                a.title, a.source, a.url, a.published, a.origin)  # fmt: skip
            if same_meta:
                return SaveResult(article_id=a.id, status="unchanged", events=len(coded.events))
        now = _now()
        row = {
            "title": a.title,
            "published": a.published,
            "source": a.source,
            "url": a.url,
            "origin": a.origin,
            "text": a.text,
            "text_sha1": hashlib.sha1(a.text.encode("utf-8")).hexdigest(),
            "content_sha1": content,
            "coder_version": coded.coder_version,
            "warnings": _j(coded.warnings),
            "updated_at": now,
        }
        affected: set[str] = set()
        old_ids: list[str] = []
        olds: list[Any] = []
        if old is not None:
            version = old.version + 1
            olds = conn.execute(
                select(events.c.id, events.c.incident_id, events.c.data, events.c.article_version).where(
                    events.c.article_id == a.id
                )
            ).all()
            if olds:
                conn.execute(
                    insert(event_archive),
                    [
                        {"event_id": r.id, "article_id": a.id, "article_version": r.article_version,
                         "incident_id": r.incident_id, "data": r.data, "archived_at": now}
                        for r in olds
                    ],
                )  # fmt: skip
            old_ids = [r.id for r in olds]
            affected |= {r.incident_id for r in olds if r.incident_id}
            conn.execute(delete(events).where(events.c.article_id == a.id))
            conn.execute(update(articles).where(articles.c.id == a.id).values(version=version, **row))
        else:
            version = 1
            conn.execute(insert(articles).values(id=a.id, version=version, coded_at=now, **row))
        if coded.events:
            conn.execute(insert(events), [_event_row(e, now, version, a.published) for e in coded.events])
        if old is not None:
            self._log(conn, None, "recode", now, article_id=a.id, before=old_ids,
                      after=[e.id for e in coded.events], run_id=run_id,
                      reason=f"article version {version} (coder {coded.coder_version or '?'})")  # fmt: skip
        created: list[str] = []
        joined: set[str] = set()
        before = {r.id: r.incident_id for r in olds} if old is not None else {}
        for ev in coded.events:
            iid, new = self._assign(conn, ev, a.published, now, run_id, previous=before.get(ev.id))
            if new:
                created.append(iid)
            else:
                joined.add(iid)
        touched = affected | joined | set(created)
        deleted = []
        for iid in sorted(touched):
            if self._recompute(conn, iid, now, run_id, created=iid in created) == "deleted":
                deleted.append(iid)
        return SaveResult(
            article_id=a.id,
            status="updated" if old is not None else "new",
            events=len(coded.events),
            incidents_created=created,
            incidents_updated=sorted((affected | joined) - set(created) - set(deleted)),
            incidents_deleted=deleted,
        )

    def _resolve_merged(self, conn: Connection, iid: str) -> tuple[str, str] | None:
        """Follow 'merged into' links: the live incident id and its status (None if gone)."""
        for _ in range(50):
            r = conn.execute(
                select(incidents.c.status, incidents.c.merged_into).where(incidents.c.id == iid)
            ).first()
            if r is None:
                return None
            if r.status == "merged" and r.merged_into:
                iid = r.merged_into
                continue
            return iid, r.status
        return None

    def _new_incident_id(self, conn: Connection, seed: str) -> str:
        base = "inc-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]
        iid, n = base, 1
        while conn.execute(select(incidents.c.id).where(incidents.c.id == iid)).first() is not None:
            n += 1
            iid = f"{base}-{n}"
        return iid

    def _insert_incident(self, conn: Connection, iid: str, now: dt.datetime) -> None:
        conn.execute(
            insert(incidents).values(id=iid, status="coded", background=False, version=0, fatalities=0,
                                     n_sources=0, n_events=0, data="{}", overrides="{}", created_at=now,
                                     updated_at=now)
        )  # fmt: skip

    def _members(self, conn: Connection, ids: list[str]) -> dict[str, list[dedup.EventFeatures]]:
        out: dict[str, list[dedup.EventFeatures]] = defaultdict(list)
        if not ids:
            return out
        rows = conn.execute(
            select(events.c.id, events.c.incident_id, events.c.data, articles.c.published)
            .join(articles, articles.c.id == events.c.article_id)
            .where(events.c.incident_id.in_(ids))
            .order_by(events.c.id)
        ).all()
        cache = self._features
        for r in rows:
            key = (r.id, hash(r.data), r.published)
            f = cache.pop(key, None)  # re-inserted below: the least recently used go first
            if f is None:
                f = dedup.features(Event.model_validate_json(r.data), r.published, self.cfg)
                while len(cache) >= self.FEATURE_CACHE:  # bounded memory
                    del cache[next(iter(cache))]
            cache[key] = f
            out[r.incident_id].append(f)
        return out

    def _assign(
        self,
        conn: Connection,
        ev: Event,
        published: dt.date | None,
        now: dt.datetime,
        run_id: int | None,
        previous: str | None = None,
    ) -> tuple[str, bool]:
        """Put a freshly inserted event into an incident: its pinned one; the one it was in before
        re-coding, if still compatible; the best match of its block; or a new one.
        Returns (incident id, created)."""
        pin = conn.execute(select(pins.c.incident_id).where(pins.c.event_id == ev.id)).scalar()
        iid: str | None = None
        if pin is not None:
            live = self._resolve_merged(conn, pin)
            if live is not None and live[1] != "deleted":
                iid = live[0]
        f = dedup.features(ev, published, self.cfg)
        if iid is None and previous is not None:
            live = self._resolve_merged(conn, previous)
            if live is not None and live[1] != "deleted":
                others = self._members(conn, [live[0]]).get(live[0], [])
                if not others or dedup.best_match(f, {live[0]: others}, self.cfg, self.tally)[0] == live[0]:
                    iid = live[0]
        if iid is None and f.dated:
            gap = dt.timedelta(days=self.cfg.max_gap)
            assert f.start is not None and f.end is not None
            iso = incidents.c.iso3 == f.iso3 if f.iso3 else incidents.c.iso3.is_(None)
            if f.iso3:
                iso = or_(iso, incidents.c.iso3.is_(None))
            cands = (
                conn.execute(
                    select(incidents.c.id).where(
                        iso,
                        incidents.c.date_start <= f.end + gap,
                        incidents.c.date_end >= f.start - gap,
                        incidents.c.status.not_in(_HIDDEN),
                    )
                )
                .scalars()
                .all()
            )
            self.tally.add_block(len(cands))
            if cands:
                members = self._members(conn, list(cands))
                before = self.tally.pairs
                iid, _ = dedup.best_match(f, {k: v for k, v in members.items() if v}, self.cfg, self.tally)
                if ev.background:
                    self.tally.background_pairs += self.tally.pairs - before
        created = False
        if iid is None:
            iid = self._new_incident_id(conn, ev.id)
            self._insert_incident(conn, iid, now)
            created = True
        conn.execute(update(events).where(events.c.id == ev.id).values(incident_id=iid))
        return iid, created

    def _log(
        self,
        conn: Connection,
        incident_id: str | None,
        action: str,
        now: dt.datetime,
        *,
        who: str = "coder",
        field: str | None = None,
        before: Any = None,
        after: Any = None,
        reason: str | None = None,
        article_id: str | None = None,
        run_id: int | None = None,
    ) -> None:
        conn.execute(
            insert(changes).values(
                incident_id=incident_id, article_id=article_id, at=now, who=who, action=action, field=field,
                before=None if before is None else _j(before), after=None if after is None else _j(after),
                reason=reason, run_id=run_id)
        )  # fmt: skip

    def _retire(
        self, conn: Connection, cur: Any, status: str, merged_into: str | None, now: dt.datetime
    ) -> None:
        """Mark an incident deleted or merged (row and record), keeping its last values for the record."""
        data = json.loads(cur["data"]) if cur["data"] and cur["data"] != "{}" else {"id": cur["id"]}
        version = cur["version"] + 1
        data.update(status=status, merged_into=merged_into, version=version, events=0, sources=0, event_ids=[],
                    updated_at=_aware(now).isoformat())  # fmt: skip
        conn.execute(
            update(incidents).where(incidents.c.id == cur["id"]).values(
                status=status, merged_into=merged_into, version=version, n_events=0, n_sources=0,
                data=_j(data), updated_at=now)
        )  # fmt: skip

    def _recompute(
        self,
        conn: Connection,
        iid: str,
        now: dt.datetime,
        run_id: int | None = None,
        *,
        created: bool = False,
        who: str = "coder",
        action: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Recompute an incident's values from its members and overrides; log what changed.
        Returns 'created', 'updated', 'unchanged' or 'deleted'."""
        cur = conn.execute(select(incidents).where(incidents.c.id == iid)).mappings().first()
        if cur is None:
            return "unchanged"
        rows = conn.execute(
            select(events.c.data, articles.c.id, articles.c.title, articles.c.source, articles.c.url,
                   articles.c.published, events.c.date_start, events.c.date_end)
            .join(articles, articles.c.id == events.c.article_id)
            .where(events.c.incident_id == iid)
            .order_by(articles.c.published, events.c.id)
        ).all()  # fmt: skip
        before = json.loads(cur["data"]) if cur["data"] else {}
        if not rows:
            if cur["status"] in _HIDDEN:
                return "unchanged"
            self._retire(conn, cur, "deleted", None, now)
            self._log(conn, iid, "delete", now, who=who, before=cur["status"], after="deleted", run_id=run_id,
                      reason=reason or "no report left (its articles were re-coded)")  # fmt: skip
            return "deleted"
        evs = [Event.model_validate_json(r.data) for r in rows]
        arts = {
            r.id: Article(id=r.id, text="", title=r.title, source=r.source, url=r.url, published=r.published)
            for r in rows
        }
        m = dedup.merged_fields(evs, arts)
        srcs: dict[str, SourceRef] = {}
        for ev, r in zip(evs, rows, strict=True):
            s = srcs.setdefault(r.id, SourceRef(article_id=r.id, source=r.source, title=r.title, url=r.url,
                                                 published=r.published))  # fmt: skip
            s.event_ids.append(ev.id)
        overrides = json.loads(cur["overrides"] or "{}")
        status = cur["status"]
        if status == "deleted":
            status = "coded"
        values = {**m, **overrides}
        if "event_type" not in overrides and overrides.get("sub_event_type"):
            values["event_type"] = SUB_TO_TYPE.get(overrides["sub_event_type"], values["event_type"])
        if "iso3" not in overrides and overrides.get("country"):
            values["iso3"] = None if overrides["country"] != m.get("country") else m.get("iso3")
        rec = IncidentRecord(
            id=iid,
            status=status,
            merged_into=cur["merged_into"],
            version=cur["version"],
            created_at=_aware(cur["created_at"]),
            updated_at=_aware(cur["updated_at"]),
            sources=len(srcs),
            events=len(evs),
            source_names=list(dict.fromkeys(s.source for s in srcs.values() if s.source)),
            article_ids=list(srcs),
            event_ids=[e.id for e in evs],
            source_articles=list(srcs.values()),
            overrides=overrides,
            **values,
        )
        new = rec.model_dump(mode="json", exclude={"version", "updated_at", "created_at"})
        old_cmp = {k: v for k, v in before.items() if k not in ("version", "updated_at", "created_at")}
        if new == old_cmp and not created:
            return "unchanged"
        rec.version = cur["version"] + 1
        rec.updated_at = _aware(now)
        starts = [r.date_start for r in rows if r.date_start]
        ends = [r.date_end for r in rows if r.date_end]
        search = " ".join(
            x for x in [rec.location, rec.admin1, rec.admin2, rec.country, rec.actor1, rec.actor2, *rec.assoc_actor1,
                        *rec.assoc_actor2, rec.notes, *(s.title or "" for s in srcs.values()), *rec.source_names] if x
        ).casefold()  # fmt: skip
        conn.execute(
            update(incidents).where(incidents.c.id == iid).values(
                status=status,
                background=rec.background,
                version=rec.version,
                event_date=rec.date,
                date_start=min(starts) if starts else rec.date,
                date_end=max(ends) if ends else rec.date,
                iso3=rec.iso3,
                country=rec.country,
                admin1=rec.admin1,
                admin2=rec.admin2,
                location=rec.location,
                latitude=rec.latitude,
                longitude=rec.longitude,
                event_type=rec.event_type,
                sub_event_type=rec.sub_event_type,
                actor1=rec.actor1,
                actor2=rec.actor2,
                actors="|".join(n.casefold() for n in [rec.actor1, rec.actor2, *rec.assoc_actor1, *rec.assoc_actor2]
                                if n),
                fatalities=rec.fatalities,
                n_sources=rec.sources,
                n_events=rec.events,
                search=search,
                data=rec.model_dump_json(),
                updated_at=now,
            )
        )  # fmt: skip
        if created:
            self._log(
                conn, iid, action or "create", now, who=who, after=rec.event_ids, reason=reason, run_id=run_id
            )
            return "created"
        diff_before = {k: old_cmp.get(k) for k in new if old_cmp.get(k) != new[k]}
        diff_after = {k: new[k] for k in diff_before}
        self._log(conn, iid, action or "update", now, who=who, before=diff_before, after=diff_after,
                  reason=reason, run_id=run_id)  # fmt: skip
        return "updated"

    def rebuild_incidents(self) -> int:
        """Deduplicate every stored event afresh (after a change of the rules), in order of
        publication, keeping analyst pins and corrections of incidents that keep members.
        Returns the number of live incidents."""
        now = _now()
        with self._tx() as conn:
            ids = conn.execute(
                select(events.c.id, events.c.data, articles.c.published)
                .join(articles, articles.c.id == events.c.article_id)
                .order_by(articles.c.published, events.c.article_id, events.c.id)
            ).all()
            old = dict(conn.execute(select(events.c.id, events.c.incident_id)).all())
            conn.execute(update(events).values(incident_id=None))
            for r in ids:
                ev = Event.model_validate_json(r.data)
                self._assign(conn, ev, r.published, now, None, previous=old.get(ev.id))
            touched = set(old.values()) | set(conn.execute(select(events.c.incident_id).distinct()).scalars())
            for iid in sorted(i for i in touched if i):
                self._recompute(conn, iid, now, reason="deduplication rebuilt")
            return conn.execute(
                select(func.count()).select_from(incidents).where(incidents.c.status.not_in(_HIDDEN))
            ).scalar_one()

    # ----------------------------------------------------------------- reading

    def get_article(self, article_id: str) -> Article | None:
        """The stored article (with its text), or None."""
        with self._read() as conn:
            r = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        if r is None:
            return None
        return Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"], source=r["source"],
                       url=r["url"], origin=r["origin"])  # fmt: skip

    def list_articles(self, page: int = 1, page_size: int = 50, q: str | None = None) -> Page[ArticleRow]:
        """Stored articles, newest first; ``q`` filters on words of the title or source."""
        conds = []
        for w in (q or "").split():
            conds.append(or_(func.lower(articles.c.title).contains(w.casefold(), autoescape=True),
                             func.lower(articles.c.source).contains(w.casefold(), autoescape=True)))  # fmt: skip
        with self._read() as conn:
            total = conn.execute(select(func.count()).select_from(articles).where(*conds)).scalar_one()
            rows = conn.execute(
                select(articles.c.id, articles.c.title, articles.c.published, articles.c.source, articles.c.url,
                       articles.c.coder_version, articles.c.version, articles.c.coded_at)
                .where(*conds)
                .order_by(articles.c.published.desc(), articles.c.id)
                .limit(page_size).offset((page - 1) * page_size)
            ).all()  # fmt: skip
            ids = [r.id for r in rows]
            per: dict[str, list[str | None]] = defaultdict(list)
            for aid, iid in conn.execute(
                select(events.c.article_id, events.c.incident_id).where(events.c.article_id.in_(ids))
                .order_by(events.c.id)
            ):  # fmt: skip
                per[aid].append(iid)
        items = [
            ArticleRow(id=r.id, title=r.title, published=r.published, source=r.source, url=r.url,
                       coder_version=r.coder_version, version=r.version, events=len(per[r.id]),
                       incidents=list(dict.fromkeys(i for i in per[r.id] if i)), coded_at=_aware(r.coded_at))
            for r in rows
        ]  # fmt: skip
        return Page[ArticleRow](items=items, total=total, page=page, page_size=page_size)

    def get_events(self, article_id: str) -> list[Event]:
        """The current events of one article, in order."""
        with self._read() as conn:
            rows = conn.execute(select(events.c.data).where(events.c.article_id == article_id)).all()
        evs = [Event.model_validate_json(r[0]) for r in rows]
        return sorted(evs, key=lambda e: (len(e.id), e.id))

    def iter_events(
        self, filters: IncidentFilter | None = None, include_background: bool = True
    ) -> Iterator[Event]:
        """Every stored event (streamed in date order), optionally filtered on the event's own fields."""
        f = filters or IncidentFilter(include_background=include_background)
        conds = []
        if not (include_background or f.include_background):
            conds.append(events.c.background.is_(False))
        if f.date_from:
            conds.append(events.c.event_date >= f.date_from)
        if f.date_to:
            conds.append(events.c.event_date <= f.date_to)
        if f.country:
            c = f.country.strip()
            conds.append(or_(events.c.iso3 == c.upper(), func.lower(events.c.country) == c.casefold()))
        if f.admin1:
            conds.append(func.lower(events.c.admin1) == f.admin1.casefold())
        if f.event_type:
            conds.append(events.c.event_type == f.event_type)
        if f.sub_event_type:
            conds.append(events.c.sub_event_type == f.sub_event_type)
        if f.actor:
            conds.append(events.c.actors.contains(f.actor.casefold(), autoescape=True))
        if f.min_fatalities is not None:
            conds.append(events.c.fatalities >= f.min_fatalities)
        if f.updated_since:
            conds.append(events.c.updated_at > _utc(f.updated_since))
        q = select(events.c.data).where(*conds).order_by(events.c.event_date, events.c.id)
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=1000).execute(q):
                yield Event.model_validate_json(r[0])

    def _conditions(self, f: IncidentFilter | None) -> list[Any]:
        f = f or IncidentFilter()
        c = incidents.c
        conds: list[Any] = []
        if f.status:
            conds.append(c.status == f.status)
        elif f.updated_since is None:
            hidden = list(_HIDDEN) + ([] if f.include_rejected else ["rejected"])
            conds.append(c.status.not_in(hidden))
        if f.updated_since is not None:
            conds.append(c.updated_at > _utc(f.updated_since))
        if not f.include_background:
            conds.append(c.background.is_(False))
        if f.date_from:
            conds.append(c.event_date >= f.date_from)
        if f.date_to:
            conds.append(c.event_date <= f.date_to)
        if f.country:
            v = f.country.strip()
            if len(v) == 3 and v.isalpha():  # an ISO code (no country name has three letters): indexed
                conds.append(c.iso3 == v.upper())
            else:
                conds.append(or_(c.iso3 == v.upper(), func.lower(c.country) == v.casefold()))
        if f.admin1:
            conds.append(func.lower(c.admin1) == f.admin1.strip().casefold())
        if f.event_type:
            conds.append(c.event_type == f.event_type)
        if f.sub_event_type:
            conds.append(c.sub_event_type == f.sub_event_type)
        if f.actor:
            conds.append(c.actors.contains(f.actor.strip().casefold(), autoescape=True))
        if f.min_fatalities is not None:
            conds.append(c.fatalities >= f.min_fatalities)
        for w in (f.text or "").casefold().split():
            conds.append(c.search.contains(w, autoescape=True))
        return conds

    def query_incidents(
        self, filters: IncidentFilter | None = None, page: int = 1, page_size: int = 50, sort: str = "-date"
    ) -> Page[IncidentRow]:
        """One page of incidents matching ``filters``, sorted by a SORT_KEYS key ('-' for descending)."""
        key = sort.lstrip("-")
        if key not in _SORT_COLUMNS:
            raise StoreError(f"unknown sort key {sort!r}; use one of {', '.join(_SORT_COLUMNS)}")
        col = _SORT_COLUMNS[key]
        order = [col.desc() if sort.startswith("-") else col.asc(), incidents.c.id]
        # NULLs last on both backends; NULLS LAST (SQLite >= 3.30) lets an index give the order
        # directly, where sorting on "col IS NULL" first would sort every matching row
        if self.dialect == "postgresql" or sqlite3.sqlite_version_info >= (3, 30):
            order[0] = order[0].nulls_last()
        else:
            order.insert(0, col.is_(None))
        conds = self._conditions(filters)
        page, page_size = max(1, page), max(1, page_size)
        with self._read() as conn:
            total, fat = conn.execute(
                select(func.count(), func.coalesce(func.sum(incidents.c.fatalities), 0))
                .select_from(incidents).where(*conds)
            ).one()  # fmt: skip
            # the page's ids first (sorting ids only), then their records: sorting whole records
            # would carry every JSON blob of the matching rows through the sorter
            ids = (
                conn.execute(
                    select(incidents.c.id)
                    .where(*conds)
                    .order_by(*order)
                    .limit(page_size)
                    .offset((page - 1) * page_size)
                )
                .scalars()
                .all()
            )
            data = (
                dict(
                    conn.execute(
                        select(incidents.c.id, incidents.c.data).where(incidents.c.id.in_(ids))
                    ).all()
                )
                if ids
                else {}
            )
        items = [IncidentRow.model_validate(_row_fields(json.loads(data[i]))) for i in ids if i in data]
        return Page[IncidentRow](
            items=items, total=total, page=page, page_size=page_size, fatalities=int(fat)
        )

    def iter_incidents(self, filters: IncidentFilter | None = None) -> Iterator[IncidentRecord]:
        """Every matching incident with all its fields, streamed in date order (exports)."""
        q = (
            select(incidents.c.data)
            .where(*self._conditions(filters))
            .order_by(incidents.c.event_date, incidents.c.id)
        )
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=1000).execute(q):
                yield IncidentRecord.model_validate_json(r[0])

    def map_points(
        self, filters: IncidentFilter | None = None, limit: int = 20000
    ) -> tuple[int, int, list[tuple[str, float, float, str | None, int]]]:
        """Located incidents for a map: (number located, number unlocated, points), points being
        (id, latitude, longitude, event_type, fatalities), most fatal first when over ``limit``."""
        conds = self._conditions(filters)
        c = incidents.c
        located = and_(c.latitude.is_not(None), c.longitude.is_not(None))
        with self._read() as conn:
            n_loc = conn.execute(
                select(func.count()).select_from(incidents).where(*conds, located)
            ).scalar_one()
            n_all = conn.execute(select(func.count()).select_from(incidents).where(*conds)).scalar_one()
            rows = conn.execute(
                select(c.id, c.latitude, c.longitude, c.event_type, c.fatalities)
                .where(*conds, located)
                .order_by(c.fatalities.desc(), c.id)
                .limit(limit)
            ).all()
        return n_loc, n_all - n_loc, [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def get_record(self, incident_id: str) -> IncidentRecord:
        """An incident's fields (NotFound if no such incident)."""
        with self._read() as conn:
            data = conn.execute(select(incidents.c.data).where(incidents.c.id == incident_id)).scalar()
        if data is None:
            raise NotFound(incident_id)
        return IncidentRecord.model_validate_json(data)

    def get_incident(self, incident_id: str) -> IncidentDetail:
        """An incident with its member events, sources, every claim and its history (NotFound)."""
        rec = self.get_record(incident_id)
        with self._read() as conn:
            rows = conn.execute(
                select(events.c.data).where(events.c.incident_id == incident_id).order_by(events.c.id)
            ).all()
            evs = [Event.model_validate_json(r[0]) for r in rows]
            art_ids = list(dict.fromkeys(e.article_id for e in evs))
            arows = (
                conn.execute(select(articles).where(articles.c.id.in_(art_ids))).mappings().all()
                if art_ids
                else []
            )
        arts = {
            r["id"]: Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"],
                             source=r["source"], url=r["url"], origin=r["origin"])
            for r in arows
        }  # fmt: skip
        sources = [
            IncidentSource(article=arts[a], event_ids=[e.id for e in evs if e.article_id == a])
            for a in sorted(art_ids, key=lambda x: (arts[x].published or dt.date.max, x))
        ]
        claims = [
            Claim(
                event_id=e.id, article_id=e.article_id, source=arts[e.article_id].source or e.source, figure=f
            )
            for e in evs
            for f in e.figures
        ]
        return IncidentDetail(incident=rec, events=evs, sources=sources, claims=claims,
                              history=self.incident_history(incident_id))  # fmt: skip

    def incident_history(self, incident_id: str) -> list[Change]:
        """Every audited change of an incident, oldest first (with the re-codings of its articles)."""
        with self._read() as conn:
            art_ids = (
                conn.execute(
                    select(events.c.article_id).where(events.c.incident_id == incident_id).distinct()
                )
                .scalars()
                .all()
            )
            cond = changes.c.incident_id == incident_id
            if art_ids:
                cond = or_(cond, and_(changes.c.incident_id.is_(None), changes.c.article_id.in_(art_ids)))
            rows = conn.execute(select(changes).where(cond).order_by(changes.c.id)).mappings().all()
        return [_change(r) for r in rows]

    def incidents_of_article(self, article_id: str) -> list[str]:
        """Ids of the incidents the article's events belong to."""
        with self._read() as conn:
            ids = (
                conn.execute(
                    select(events.c.incident_id)
                    .where(events.c.article_id == article_id)
                    .order_by(events.c.id)
                )
                .scalars()
                .all()
            )
        return list(dict.fromkeys(i for i in ids if i))

    def counts(
        self,
        by: Literal["day", "week", "month", "country", "admin1", "event_type", "sub_event_type"],
        filters: IncidentFilter | None = None,
    ) -> list[CountBucket]:
        """Incidents and fatalities per day/week/month (ISO week start / first of month) or field."""
        conds = self._conditions(filters)
        if by in ("day", "week", "month"):
            acc: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
            with self._read() as conn:
                for d, fat in conn.execute(
                    select(incidents.c.event_date, incidents.c.fatalities).where(*conds)
                ):
                    if d is None:
                        k = None
                    elif by == "day":
                        k = d.isoformat()
                    elif by == "week":
                        k = (d - dt.timedelta(days=d.weekday())).isoformat()
                    else:
                        k = d.replace(day=1).isoformat()
                    acc[k][0] += 1
                    acc[k][1] += fat or 0
            keys = sorted(acc, key=lambda k: (k is None, k or ""))
            return [CountBucket(key=k, incidents=acc[k][0], fatalities=acc[k][1]) for k in keys]
        cols = {"country": incidents.c.country, "admin1": incidents.c.admin1, "event_type": incidents.c.event_type,
                "sub_event_type": incidents.c.sub_event_type}  # fmt: skip
        if by not in cols:
            raise StoreError(f"cannot count by {by!r}")
        col = cols[by]
        with self._read() as conn:
            rows = conn.execute(
                select(col, func.count(), func.coalesce(func.sum(incidents.c.fatalities), 0))
                .where(*conds).group_by(col)
            ).all()  # fmt: skip
        buckets = [CountBucket(key=k, incidents=n, fatalities=int(f)) for k, n, f in rows]
        return sorted(buckets, key=lambda b: (-b.incidents, b.key or ""))

    def changes_since(self, since: dt.datetime | int | None = None, limit: int | None = None) -> list[Change]:
        """Audited changes after a time (or after a change id), oldest first."""
        q = select(changes).order_by(changes.c.id)
        if isinstance(since, dt.datetime):
            q = q.where(changes.c.at > _utc(since))
        elif isinstance(since, int):
            q = q.where(changes.c.id > since)
        if limit:
            q = q.limit(limit)
        with self._read() as conn:
            return [_change(r) for r in conn.execute(q).mappings()]

    def changed_incident_ids(self, since: dt.datetime) -> list[str]:
        """Ids of incidents created, changed, merged or deleted after ``since``."""
        with self._read() as conn:
            ids = (
                conn.execute(
                    select(incidents.c.id)
                    .where(incidents.c.updated_at > _utc(since))
                    .order_by(incidents.c.id)
                )
                .scalars()
                .all()
            )
        return list(ids)

    def data_version(self) -> tuple[Any, ...]:
        """A value that changes whenever any incident or the audit log changes (by this process or
        any other): the last change id and the last incident update time. Cheap (two index reads);
        readers use it to know whether what they computed before is still current."""
        with self._read() as conn:
            last_change = conn.execute(select(func.max(changes.c.id))).scalar()
            last_update = conn.execute(select(func.max(incidents.c.updated_at))).scalar()
        return (last_change, last_update.isoformat() if last_update else None)

    def stats(self) -> dict[str, int]:
        """Numbers of articles, events, incidents (live), errors, runs and changes."""
        with self._read() as conn:

            def n(t: Any, *conds: Any) -> int:
                return int(conn.execute(select(func.count()).select_from(t).where(*conds)).scalar_one())

            return {
                "articles": n(articles),
                "events": n(events),
                "incidents": n(incidents, incidents.c.status.not_in(_HIDDEN)),
                "errors": n(record_errors),
                "runs": n(runs),
                "changes": n(changes),
            }

    # ----------------------------------------------------------------- review (audited)

    def _live(self, conn: Connection, incident_id: str) -> Any:
        r = conn.execute(select(incidents).where(incidents.c.id == incident_id)).mappings().first()
        if r is None:
            raise NotFound(incident_id)
        return r

    def apply_correction(
        self, incident_id: str, field: str, value: Any, user: str, reason: str
    ) -> IncidentRecord:
        """Set one EDITABLE_FIELDS field of an incident by hand; kept over any re-coding."""
        return self.correct(incident_id, {field: value}, user, reason)

    def correct(self, incident_id: str, changes_: dict[str, Any], user: str, reason: str) -> IncidentRecord:
        """Several corrections at once (one transaction); None clears a field."""
        values = {k: _coerce(k, v) for k, v in changes_.items()}
        if "sub_event_type" in values and values["sub_event_type"] and "event_type" in values:
            if values["event_type"] and SUB_TO_TYPE[values["sub_event_type"]] != values["event_type"]:
                raise StoreError("sub_event_type is not a kind of event_type")
        now = _now()
        with self._tx() as conn:
            cur = self._live(conn, incident_id)
            if cur["status"] in _HIDDEN:
                raise StoreError(f"incident {incident_id} is {cur['status']}")
            data = json.loads(cur["data"])
            overrides = json.loads(cur["overrides"] or "{}")
            for k, v in values.items():
                self._log(conn, incident_id, "correct", now, who=user, field=k, before=data.get(k), after=v,
                          reason=reason)  # fmt: skip
                overrides[k] = v
            status = "corrected" if cur["status"] in ("coded", "confirmed") else cur["status"]
            conn.execute(
                update(incidents)
                .where(incidents.c.id == incident_id)
                .values(overrides=_j(overrides), status=status)
            )
            self._recompute(conn, incident_id, now, who=user, action="update", reason=reason)
        return self.get_record(incident_id)

    def _set_status(
        self, incident_id: str, status: str, action: str, user: str, reason: str
    ) -> IncidentRecord:
        now = _now()
        with self._tx() as conn:
            cur = self._live(conn, incident_id)
            if cur["status"] in _HIDDEN:
                raise StoreError(f"incident {incident_id} is {cur['status']}")
            conn.execute(update(incidents).where(incidents.c.id == incident_id).values(status=status))
            self._log(conn, incident_id, action, now, who=user, field="status", before=cur["status"], after=status,
                      reason=reason)  # fmt: skip
            self._recompute(conn, incident_id, now, who=user, action="update", reason=reason)
        return self.get_record(incident_id)

    def confirm(self, incident_id: str, user: str, reason: str = "") -> IncidentRecord:
        """Mark an incident as checked by an analyst."""
        return self._set_status(incident_id, "confirmed", "confirm", user, reason)

    def reject(self, incident_id: str, user: str, reason: str) -> IncidentRecord:
        """Mark an incident as not an event (hidden from lists and exports, kept in the store)."""
        return self._set_status(incident_id, "rejected", "reject", user, reason)

    def reopen(self, incident_id: str, user: str, reason: str) -> IncidentRecord:
        """Undo a confirmation or rejection (back to 'coded', or 'corrected' if it has corrections)."""
        with self._read() as conn:
            overrides = json.loads(self._live(conn, incident_id)["overrides"] or "{}")
        return self._set_status(incident_id, "corrected" if overrides else "coded", "reopen", user, reason)

    def _pin(self, conn: Connection, event_ids: list[str], iid: str, user: str, now: dt.datetime) -> None:
        if not event_ids:
            return
        conn.execute(delete(pins).where(pins.c.event_id.in_(event_ids)))
        conn.execute(
            insert(pins), [{"event_id": e, "incident_id": iid, "who": user, "at": now} for e in event_ids]
        )

    def merge(self, ids: list[str], user: str, reason: str) -> IncidentRecord:
        """Merge incidents ``ids[1:]`` into ``ids[0]``; the others become 'merged' pointing to it.

        Every member event is pinned to the merged incident, so re-coding keeps them together.
        """
        ids = list(dict.fromkeys(ids))
        if len(ids) < 2:
            raise StoreError("merge needs at least two incident ids")
        target = ids[0]
        now = _now()
        with self._tx() as conn:
            for i in ids:
                if self._live(conn, i)["status"] in _HIDDEN:
                    raise StoreError(f"incident {i} is already merged or deleted")
            for other in ids[1:]:
                moved = conn.execute(select(events.c.id).where(events.c.incident_id == other)).scalars().all()
                conn.execute(update(events).where(events.c.incident_id == other).values(incident_id=target))
                conn.execute(update(pins).where(pins.c.incident_id == other).values(incident_id=target))
                self._retire(conn, self._live(conn, other), "merged", target, now)
                self._log(conn, other, "merged-into", now, who=user, field="merged_into", before=list(moved),
                          after=target, reason=reason)  # fmt: skip
                self._log(
                    conn, target, "merge", now, who=user, before=other, after=list(moved), reason=reason
                )
            members = conn.execute(select(events.c.id).where(events.c.incident_id == target)).scalars().all()
            self._pin(conn, list(members), target, user, now)
            self._recompute(conn, target, now, who=user, action="update", reason=reason)
        return self.get_record(target)

    def split(self, incident_id: str, event_ids: list[str], user: str, reason: str) -> IncidentRecord:
        """Move the given member events (event ids or source article ids) to a new incident.

        Both parts are pinned, so re-coding keeps them apart. Returns the new incident.
        """
        now = _now()
        with self._tx() as conn:
            cur = self._live(conn, incident_id)
            if cur["status"] in _HIDDEN:
                raise StoreError(f"incident {incident_id} is {cur['status']}")
            rows = conn.execute(
                select(events.c.id, events.c.article_id).where(events.c.incident_id == incident_id)
                .order_by(events.c.id)
            ).all()  # fmt: skip
            wanted = set(event_ids)
            moved = [r.id for r in rows if r.id in wanted or r.article_id in wanted]
            unknown = wanted - {r.id for r in rows} - {r.article_id for r in rows}
            if unknown:
                raise StoreError(f"not members of {incident_id}: {', '.join(sorted(unknown))}")
            if not moved or len(moved) == len(rows):
                raise StoreError("a split must move some but not all of the incident's events")
            new_id = self._new_incident_id(conn, f"split:{incident_id}:{moved[0]}")
            self._insert_incident(conn, new_id, now)
            conn.execute(update(events).where(events.c.id.in_(moved)).values(incident_id=new_id))
            self._pin(conn, moved, new_id, user, now)
            self._pin(conn, [r.id for r in rows if r.id not in moved], incident_id, user, now)
            self._log(conn, incident_id, "split", now, who=user, before=[r.id for r in rows], after=new_id,
                      reason=reason)  # fmt: skip
            self._recompute(conn, new_id, now, who=user, created=True, action="split-from", reason=reason)
            self._recompute(conn, incident_id, now, who=user, action="update", reason=reason)
        return self.get_record(new_id)


def _row_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in _ROW_FIELDS}


def _change(r: Any) -> Change:
    return Change(
        id=r["id"],
        incident_id=r["incident_id"],
        article_id=r["article_id"],
        at=_aware(r["at"]),
        who=r["who"],
        action=r["action"],
        field=r["field"],
        before=json.loads(r["before"]) if r["before"] is not None else None,
        after=json.loads(r["after"]) if r["after"] is not None else None,
        reason=r["reason"],
        run_id=r["run_id"],
    )


__all__ = ["NotFound", "Store", "StoreError", "database_url"]
