"""An in-memory Backend for testing the web layer on its own (no database).

Incidents group the events of the synthetic articles that share date, town and sub-event type.
It implements the review semantics the API promises (audit entries with before/after, rejected
incidents hidden from lists unless asked), so the API tests check the routes, not the store.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from eventcoder.records import CodedArticle, Event
from eventcoder.web.convert import article_out, event_claims, event_evidence
from eventcoder.web.errors import Conflict, NotFound
from eventcoder.web.schemas import (
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


@dataclass
class _Incident:
    id: str
    fields: dict
    events: list[Event] = field(default_factory=list)


class _Export:
    def __init__(self, media_type: str, filename: str, data: bytes) -> None:
        self.media_type, self.filename, self._data = media_type, filename, data

    def chunks(self) -> Iterator[bytes]:
        yield self._data


class MemoryBackend:
    label = "memory"

    def __init__(self, coded: list[CodedArticle]) -> None:
        self.articles = {c.article.id: c.article for c in coded}
        self.events = {e.id: e for c in coded for e in c.events}
        self.incidents: dict[str, _Incident] = {}
        self.log: list[ChangeOut] = []
        self._ids = itertools.count(1)
        groups: dict[tuple, list[Event]] = defaultdict(list)
        for c in coded:
            for e in c.events:
                if e.background:
                    continue
                key = (e.date.date, e.place.place if e.place else None, e.sub_event_type)
                groups[key].append(e)
        for events in groups.values():
            inc_id = f"inc-{next(self._ids):06d}"
            self.incidents[inc_id] = _Incident(inc_id, self._fields_of(inc_id, events), list(events))

    @staticmethod
    def _fields_of(inc_id: str, events: list[Event]) -> dict:
        e = events[0]
        p = e.place
        return {
            "id": inc_id,
            "date": e.date.date,
            "date_precision": e.date.precision,
            "country": p.country if p else None,
            "iso3": p.iso3 if p else None,
            "admin1": p.admin1 if p else None,
            "admin2": p.admin2 if p else None,
            "location": p.place or p.name if p else None,
            "latitude": p.latitude if p else None,
            "longitude": p.longitude if p else None,
            "event_type": e.event_type,
            "sub_event_type": e.sub_event_type,
            "actor1": e.actor1.name if e.actor1 else None,
            "actor2": e.actor2.name if e.actor2 else None,
            "fatalities": min(ev.fatalities for ev in events),
            "interaction": e.interaction,
            "notes": e.note,
            "status": "coded",
            "merged_into": None,
        }

    # ------------------------------------------------------------------ reads
    def count_incidents(self) -> int:
        return len(self.incidents)

    def _match(self, inc: _Incident, f: Filters) -> bool:
        d = inc.fields
        if (
            not f.include_rejected
            and f.status not in ("rejected", "merged")
            and d["status"] in ("rejected", "merged")
        ):
            return False
        if f.status and d["status"] != f.status:
            return False
        if f.date_from and (d["date"] is None or d["date"] < f.date_from):
            return False
        if f.date_to and (d["date"] is None or d["date"] > f.date_to):
            return False
        if f.country and f.country.lower() not in ((d["iso3"] or "").lower(), (d["country"] or "").lower()):
            return False
        if f.admin1 and (d["admin1"] or "").lower() != f.admin1.lower():
            return False
        if f.event_type and d["event_type"] != f.event_type:
            return False
        if f.sub_event_type and d["sub_event_type"] != f.sub_event_type:
            return False
        if f.actor and f.actor.lower() not in f"{d['actor1'] or ''}|{d['actor2'] or ''}".lower():
            return False
        if f.min_fatalities is not None and d["fatalities"] < f.min_fatalities:
            return False
        if f.q:
            hay = " ".join(
                str(d[k] or "") for k in ("notes", "actor1", "actor2", "location", "admin1", "country")
            )
            if not all(w in hay.lower() for w in f.q.lower().split()):
                return False
        return True

    def _summary(self, inc: _Incident) -> IncidentSummary:
        return IncidentSummary(
            **{k: v for k, v in inc.fields.items() if k in IncidentSummary.model_fields},
            sources=len({e.article_id for e in inc.events}),
        )

    def list_incidents(self, filters: Filters, page: int, page_size: int, sort: str) -> IncidentPage:
        rows = [i for i in self.incidents.values() if self._match(i, filters)]
        key = sort.lstrip("-")

        def k(i: _Incident):
            v = len(i.events) if key == "sources" else i.fields.get(key)
            return (v is None, v if v is not None else "")

        rows.sort(key=k, reverse=sort.startswith("-"))
        items = rows[(page - 1) * page_size : page * page_size]
        return IncidentPage(
            total=len(rows),
            page=page,
            page_size=page_size,
            sort=sort,
            fatalities=sum(i.fields["fatalities"] for i in rows),
            filters=filters.active(),
            items=[self._summary(i) for i in items],
        )

    def map_points(self, filters: Filters, limit: int) -> MapPoints:
        rows = [i for i in self.incidents.values() if self._match(i, filters)]
        located = [i for i in rows if i.fields["latitude"] is not None]
        located.sort(key=lambda i: -i.fields["fatalities"])
        types = sorted({i.fields["event_type"] for i in located})
        pts = [
            (
                i.id,
                i.fields["latitude"],
                i.fields["longitude"],
                types.index(i.fields["event_type"]),
                i.fields["fatalities"],
            )
            for i in located[:limit]
        ]
        return MapPoints(
            total=len(located),
            returned=len(pts),
            truncated=len(located) > limit,
            unlocated=len(rows) - len(located),
            types=types,
            points=pts,
        )

    def counts(self, filters: Filters, by: str) -> list[CountBucket]:
        acc: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
        labels: dict[str | None, str | None] = {}
        for i in self.incidents.values():
            if not self._match(i, filters):
                continue
            d = i.fields
            if by in ("day", "week", "month"):
                day = d["date"]
                if day is None:
                    key = None
                elif by == "day":
                    key = day.isoformat()
                elif by == "week":
                    key = (day - dt.timedelta(days=day.weekday())).isoformat()
                else:
                    key = day.strftime("%Y-%m")
            elif by == "country":
                key = d["iso3"]
                labels[key] = d["country"]
            else:
                key = d[by]
            acc[key][0] += 1
            acc[key][1] += d["fatalities"]
        return [
            CountBucket(key=k, label=labels.get(k), incidents=v[0], fatalities=v[1]) for k, v in acc.items()
        ]

    def _get(self, incident_id: str) -> _Incident:
        if incident_id not in self.incidents:
            raise NotFound(f"no incident {incident_id!r}")
        return self.incidents[incident_id]

    def incident_detail(self, incident_id: str, brief: bool = False) -> IncidentDetail:
        inc = self._get(incident_id)
        fields = IncidentFields(**inc.fields, sources=len({e.article_id for e in inc.events}))
        if brief:
            return IncidentDetail(incident=fields)
        by_article: dict[str, list[Event]] = defaultdict(list)
        for e in inc.events:
            by_article[e.article_id].append(e)
        sources, claims = [], []
        for aid, evs in by_article.items():
            art = self.articles[aid]
            sources.append(
                SourceOut(
                    article=article_out(art),
                    event_ids=[e.id for e in evs],
                    evidence=[sp for e in evs for sp in event_evidence(e, art.text)],
                )
            )
            claims.extend(c for e in evs for c in event_claims(e, art))
        history = [c for c in self.log if c.incident_id == incident_id]
        return IncidentDetail(incident=fields, sources=sources, claims=claims, history=history)

    def list_articles(self, page: int, page_size: int, q: str | None) -> ArticlePage:
        arts = sorted(self.articles.values(), key=lambda a: (a.published or dt.date.min, a.id), reverse=True)
        if q:
            arts = [a for a in arts if q.lower() in (a.title or "").lower()]
        inc_of = self._incidents_by_article()
        items = [
            ArticleSummary(
                id=a.id,
                title=a.title,
                source=a.source,
                url=a.url,
                published=a.published,
                incidents=inc_of.get(a.id, []),
            )
            for a in arts[(page - 1) * page_size : page * page_size]
        ]
        return ArticlePage(total=len(arts), page=page, page_size=page_size, items=items)

    def _incidents_by_article(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for inc in self.incidents.values():
            for e in inc.events:
                if inc.id not in out[e.article_id]:
                    out[e.article_id].append(inc.id)
        return out

    def article_detail(self, article_id: str) -> ArticleDetail:
        if article_id not in self.articles:
            raise NotFound(f"no article {article_id!r}")
        art = self.articles[article_id]
        events = [e.model_dump(mode="json") for e in self.events.values() if e.article_id == article_id]
        return ArticleDetail(
            article=article_out(art),
            incidents=self._incidents_by_article().get(article_id, []),
            events=events,
        )

    def changes(self, since: str | None, limit: int) -> list[ChangeOut]:
        rows = self.log
        if since:
            rows = [c for c in rows if (c.at or "") > since]
        return rows[:limit]

    def export_formats(self) -> list[str]:
        return ["jsonl"]

    def export(self, filters: Filters, fmt: str) -> _Export:
        rows = [i for i in self.incidents.values() if self._match(i, filters)]
        data = "".join(json.dumps(i.fields, default=str) + "\n" for i in rows).encode()
        return _Export("application/x-ndjson", "incidents.jsonl", data)

    # ------------------------------------------------------------------ writes
    def _audit(
        self,
        inc_id: str,
        who: str,
        action: str,
        reason: str,
        field_: str | None = None,
        before=None,
        after=None,
    ) -> ChangeOut:
        c = ChangeOut(
            id=len(self.log) + 1,
            incident_id=inc_id,
            at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            who=who,
            action=action,
            field=field_,
            before=before,
            after=after,
            reason=reason,
        )
        self.log.append(c)
        return c

    def _result(
        self, inc: _Incident, changes: list[ChangeOut], created: list[str] | None = None
    ) -> WriteResult:
        return WriteResult(
            incident=IncidentFields(**inc.fields, sources=len({e.article_id for e in inc.events})),
            changes=changes,
            created=created or [],
        )

    def _status(self, incident_id: str, status: str, action: str, who: str, reason: str) -> WriteResult:
        inc = self._get(incident_id)
        if inc.fields["status"] == "merged":
            raise Conflict(f"incident {incident_id} was merged into {inc.fields['merged_into']}")
        before = inc.fields["status"]
        inc.fields["status"] = status
        return self._result(inc, [self._audit(incident_id, who, action, reason, "status", before, status)])

    def confirm(self, incident_id: str, who: str, reason: str) -> WriteResult:
        return self._status(incident_id, "confirmed", "confirm", who, reason)

    def reject(self, incident_id: str, who: str, reason: str) -> WriteResult:
        return self._status(incident_id, "rejected", "reject", who, reason)

    def correct(self, incident_id: str, changes: dict, who: str, reason: str) -> WriteResult:
        inc = self._get(incident_id)
        if inc.fields["status"] == "merged":
            raise Conflict(f"incident {incident_id} was merged into {inc.fields['merged_into']}")
        out = []
        for k, v in changes.items():
            before = inc.fields.get(k)
            if isinstance(before, dt.date):
                before = before.isoformat()
            if before == v:
                continue
            inc.fields[k] = dt.date.fromisoformat(v) if k == "date" and v else v
            out.append(self._audit(incident_id, who, "correct", reason, k, before, v))
        inc.fields["status"] = "corrected"
        return self._result(inc, out)

    def merge(self, incident_id: str, others: list[str], who: str, reason: str) -> WriteResult:
        inc = self._get(incident_id)
        out = []
        for o in others:
            other = self._get(o)
            if other.fields["status"] == "merged":
                raise Conflict(f"incident {o} was already merged")
            inc.events.extend(other.events)
            other.events = []
            other.fields["status"] = "merged"
            other.fields["merged_into"] = incident_id
            out.append(self._audit(o, who, "merge", reason, "merged_into", None, incident_id))
            out.append(self._audit(incident_id, who, "merge", reason, "absorbed", None, o))
        return self._result(inc, out)

    def split(self, incident_id: str, article_ids: list[str], who: str, reason: str) -> WriteResult:
        inc = self._get(incident_id)
        have = {e.article_id for e in inc.events}
        missing = [a for a in article_ids if a not in have]
        if missing:
            raise Conflict(f"not sources of {incident_id}: {', '.join(missing)}")
        if set(article_ids) >= have:
            raise Conflict("a split must leave at least one source with the incident")
        moved = [e for e in inc.events if e.article_id in article_ids]
        inc.events = [e for e in inc.events if e.article_id not in article_ids]
        new_id = f"inc-{next(self._ids):06d}"
        self.incidents[new_id] = _Incident(new_id, self._fields_of(new_id, moved), moved)
        out = [
            self._audit(
                incident_id, who, "split", reason, "sources", sorted(have), sorted(have - set(article_ids))
            ),
            self._audit(new_id, who, "split", reason, "split_from", None, incident_id),
        ]
        return self._result(inc, out, created=[new_id])

    def close(self) -> None:
        pass

    def copy(self) -> MemoryBackend:
        return copy.deepcopy(self)
