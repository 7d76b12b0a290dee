"""What the store returns: filters, pages, incident rows and details, audited changes.

These are the shapes the web app, the API and ``eventcoder export`` read. They are pydantic models
so they serialise to JSON as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..records import Article, Event, Figure, UcdpDeaths

T = TypeVar("T")

IncidentStatus = Literal["coded", "confirmed", "corrected", "rejected", "merged", "deleted"]
CountBy = Literal["day", "week", "month", "country", "admin1", "event_type", "sub_event_type"]

#: Incident fields an analyst may correct (``Store.apply_correction``); re-coding never overwrites them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "iso3",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "notes",
)

#: Sort keys of ``Store.query_incidents`` (prefix '-' for descending).
SORT_KEYS: tuple[str, ...] = (
    "date",
    "fatalities",
    "country",
    "admin1",
    "location",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "sources",
    "status",
    "updated",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IncidentFilter(_Model):
    """Which incidents to return (list, map, counts, export). Unset fields do not filter."""

    date_from: dt.date | None = Field(default=None, description="incidents on or after this day")
    date_to: dt.date | None = Field(default=None, description="incidents on or before this day")
    country: str | None = Field(default=None, description="country name or ISO 3166-1 alpha-3 code")
    admin1: str | None = Field(default=None, description="first-level region (province, state), exact name")
    event_type: str | None = Field(default=None, description="ACLED event type")
    sub_event_type: str | None = Field(default=None, description="ACLED sub-event type")
    actor: str | None = Field(default=None, description="substring of any actor name (case-insensitive)")
    min_fatalities: int | None = Field(default=None, ge=0, description="at least this many fatalities")
    text: str | None = Field(
        default=None, description="free text: words found in location, actors, notes or source titles"
    )
    include_background: bool = Field(
        default=False, description="also incidents known only from background mentions"
    )
    status: IncidentStatus | None = Field(default=None, description="only incidents with this status")
    include_rejected: bool = Field(default=False, description="also incidents an analyst rejected")
    updated_since: dt.datetime | None = Field(default=None, description="only incidents changed after this")


class Page(_Model, Generic[T]):
    """One page of results and the total number matching."""

    items: list[T]
    total: int
    page: int
    page_size: int
    fatalities: int | None = Field(default=None, description="sum of fatalities over all matching rows")


class IncidentRow(_Model):
    """One incident as a table row: its current (merged, corrected) values."""

    id: str
    date: dt.date | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    time_precision: int | None = Field(default=None, description="ACLED: 1 day, 2 week, 3 month")
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = Field(default=None, description="ACLED: 1 town, 2 near town, 3 region")
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int = 0
    sources: int = Field(default=0, description="number of distinct source articles")
    events: int = Field(default=0, description="number of member events (one per article report)")
    status: IncidentStatus = "coded"
    background: bool = Field(default=False, description="known only from background mentions")
    merged_into: str | None = None
    version: int = 1
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class SourceRef(_Model):
    """A source article of an incident, without its text."""

    article_id: str
    source: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    event_ids: list[str] = Field(default_factory=list)


class IncidentRecord(IncidentRow):
    """Every field of an incident: the row plus actors, UCDP deaths, notes and analyst overrides."""

    disorder_type: str | None = None
    assoc_actor1: list[str] = Field(default_factory=list)
    assoc_actor2: list[str] = Field(default_factory=list)
    inter1: int | None = None
    inter2: int | None = None
    interaction: int | None = None
    ucdp_type_of_violence: int | None = None
    ucdp: UcdpDeaths = Field(default_factory=UcdpDeaths)
    where_prec: int | None = None
    date_prec: int | None = None
    notes: str = ""
    source_names: list[str] = Field(default_factory=list, description="outlets, in order of first report")
    article_ids: list[str] = Field(default_factory=list)
    event_ids: list[str] = Field(default_factory=list)
    source_articles: list[SourceRef] = Field(default_factory=list, description="every source article")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="fields set by an analyst (kept over re-coding)"
    )


class Claim(_Model):
    """One figure as claimed in one source: the words, the coded value, who said it, its status."""

    event_id: str
    article_id: str
    source: str | None = None
    figure: Figure


class IncidentSource(_Model):
    """One source article of an incident and the member events it reported."""

    article: Article
    event_ids: list[str]


class Change(_Model):
    """One audited change: who, when, what, the value before and after, and why."""

    id: int
    incident_id: str | None = None
    article_id: str | None = None
    at: dt.datetime
    who: str = Field(description="analyst name, or 'coder' for automatic changes")
    action: str = Field(
        description="create, update, recode, delete, merge, merged-into, split, split-from, correct, "
        "confirm, reject, reopen"
    )
    field: str | None = None
    before: Any = None
    after: Any = None
    reason: str | None = None
    run_id: int | None = None


class IncidentDetail(_Model):
    """An incident with its member events, source articles, every claim and its history."""

    incident: IncidentRecord
    events: list[Event]
    sources: list[IncidentSource]
    claims: list[Claim]
    history: list[Change]


class CountBucket(_Model):
    key: str | None
    incidents: int
    fatalities: int


class SaveResult(_Model):
    """What saving one coded article did."""

    article_id: str
    status: Literal["new", "updated", "unchanged"]
    events: int = 0
    incidents_created: list[str] = Field(default_factory=list)
    incidents_updated: list[str] = Field(default_factory=list)
    incidents_deleted: list[str] = Field(default_factory=list)


class ArticleRow(_Model):
    """One stored article without its text."""

    id: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    coder_version: str | None = None
    version: int = 1
    events: int = 0
    incidents: list[str] = Field(default_factory=list)
    coded_at: dt.datetime | None = None
