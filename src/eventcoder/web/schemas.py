"""Request and response models of the web API (they make the OpenAPI schema at /openapi.json)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..records import ACLED_TYPES, SUB_TO_TYPE

MAX_PAGE_SIZE = 500
MAX_MAP_POINTS = 20000
MAX_TEXT = 200

SortKey = Literal[
    "date",
    "-date",
    "fatalities",
    "-fatalities",
    "country",
    "-country",
    "admin1",
    "-admin1",
    "location",
    "-location",
    "event_type",
    "-event_type",
    "sub_event_type",
    "-sub_event_type",
    "actor1",
    "-actor1",
    "actor2",
    "-actor2",
    "sources",
    "-sources",
    "status",
    "-status",
    "updated",
    "-updated",
]
Status = Literal["coded", "confirmed", "corrected", "rejected", "merged"]
CountBy = Literal["day", "week", "month", "country", "admin1", "event_type", "sub_event_type"]


class Filters(BaseModel):
    """The incident filters shared by the list, map, counts and export endpoints."""

    model_config = ConfigDict(extra="forbid")

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = Field(default=None, max_length=64)
    admin1: str | None = Field(default=None, max_length=MAX_TEXT)
    event_type: str | None = Field(default=None, max_length=64)
    sub_event_type: str | None = Field(default=None, max_length=64)
    actor: str | None = Field(default=None, max_length=MAX_TEXT)
    min_fatalities: int | None = Field(default=None, ge=0, le=10_000_000)
    q: str | None = Field(default=None, max_length=MAX_TEXT)
    status: Status | None = None
    include_rejected: bool = False

    @field_validator("event_type")
    @classmethod
    def _known_type(cls, v: str | None) -> str | None:
        if v and v not in ACLED_TYPES:
            raise ValueError(f"unknown event type {v!r}; expected one of: {', '.join(ACLED_TYPES)}")
        return v or None

    @field_validator("sub_event_type")
    @classmethod
    def _known_sub(cls, v: str | None) -> str | None:
        if v and v not in SUB_TO_TYPE:
            raise ValueError(f"unknown sub-event type {v!r}; see /api/config for the list")
        return v or None

    @field_validator("country", "admin1", "actor", "q")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = v.strip()
        if "\x00" in v:
            raise ValueError("must not contain NUL characters")
        return v or None

    @model_validator(mode="after")
    def _consistent(self) -> Filters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        if self.event_type and self.sub_event_type and SUB_TO_TYPE[self.sub_event_type] != self.event_type:
            raise ValueError(f"sub-event type {self.sub_event_type!r} is not a kind of {self.event_type!r}")
        return self

    def active(self) -> dict[str, Any]:
        """The filters that are set (for echoing back and for exports)."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, False)}


class IncidentSummary(BaseModel):
    """One row of the incident list."""

    id: str
    date: dt.date | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int = 0
    sources: int = Field(default=0, description="number of source articles")
    status: str = "coded"


class IncidentPage(BaseModel):
    total: int
    page: int
    page_size: int
    sort: str
    fatalities: int | None = Field(default=None, description="total fatalities of all matching incidents")
    filters: dict[str, Any] = Field(default_factory=dict)
    items: list[IncidentSummary]


class MapPoints(BaseModel):
    """Compact map layer: points are [id, latitude, longitude, type index, fatalities]."""

    total: int = Field(description="matching incidents with coordinates")
    returned: int
    truncated: bool
    unlocated: int = Field(default=0, description="matching incidents without coordinates")
    types: list[str]
    points: list[list[str | int | float]] = Field(
        description="[id, latitude, longitude, index into types, fatalities] per incident"
    )


class CountBucket(BaseModel):
    key: str | None
    label: str | None = None
    incidents: int
    fatalities: int


class Counts(BaseModel):
    by: str
    filters: dict[str, Any] = Field(default_factory=dict)
    buckets: list[CountBucket]


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class EvidenceSpan(SpanOut):
    field: str = Field(description="the coded field the words support, e.g. 'actor1', 'fatalities'")
    kind: str = Field(description="type, actor, figure, claim, date or place (for colouring)")
    event_id: str | None = None


class ArticleOut(BaseModel):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    text: str | None = None


class SourceOut(BaseModel):
    article: ArticleOut
    event_ids: list[str] = Field(default_factory=list)
    evidence: list[EvidenceSpan] = Field(default_factory=list)


class ClaimOut(BaseModel):
    kind: str
    group: str | None = None
    stated: str | None = None
    value: int | None = None
    low: int | None = None
    high: int | None = None
    who: str | None = None
    claimed_by: str | None = None
    status: str = "reported"
    article_id: str | None = None
    source: str | None = None
    event_id: str | None = None
    span: SpanOut | None = None
    claim_span: SpanOut | None = None


class ChangeOut(BaseModel):
    """One audited change: who, when, what, the value before and after, and why."""

    id: int | str | None = None
    incident_id: str | None = None
    at: str | None = None
    who: str | None = None
    action: str
    field: str | None = None
    before: Any = None
    after: Any = None
    reason: str | None = None


class IncidentFields(IncidentSummary):
    """Every coded field of an incident."""

    model_config = ConfigDict(extra="allow")

    date_precision: Any = None
    disorder_type: str | None = None
    assoc_actor1: list[str] = Field(default_factory=list)
    assoc_actor2: list[str] = Field(default_factory=list)
    interaction: int | None = None
    geo_precision: Any = None
    notes: str | None = None
    merged_into: str | None = None


class IncidentDetail(BaseModel):
    incident: IncidentFields
    sources: list[SourceOut] = Field(default_factory=list)
    claims: list[ClaimOut] = Field(default_factory=list)
    history: list[ChangeOut] = Field(default_factory=list)


class ArticleSummary(BaseModel):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    incidents: list[str] = Field(default_factory=list)


class ArticlePage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[ArticleSummary]


class ArticleDetail(BaseModel):
    article: ArticleOut
    incidents: list[str] = Field(default_factory=list)
    events: list[dict[str, Any]] = Field(default_factory=list)


class ChangePage(BaseModel):
    items: list[ChangeOut]


# --------------------------------------------------------------------------- write requests

EDITABLE_FIELDS: list[tuple[str, str, str]] = [
    # name, JSON type, label
    ("date", "date", "Date"),
    ("event_type", "string", "Event type"),
    ("sub_event_type", "string", "Sub-event type"),
    ("actor1", "string", "Actor 1"),
    ("actor2", "string", "Actor 2"),
    ("country", "string", "Country"),
    ("admin1", "string", "Admin 1"),
    ("admin2", "string", "Admin 2"),
    ("location", "string", "Location"),
    ("latitude", "number", "Latitude"),
    ("longitude", "number", "Longitude"),
    ("fatalities", "integer", "Fatalities"),
    ("notes", "string", "Notes"),
]


class Corrections(BaseModel):
    """The fields to correct; only those given are changed (null clears a field)."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = None
    event_type: str | None = Field(default=None, max_length=64)
    sub_event_type: str | None = Field(default=None, max_length=64)
    actor1: str | None = Field(default=None, max_length=MAX_TEXT)
    actor2: str | None = Field(default=None, max_length=MAX_TEXT)
    country: str | None = Field(default=None, max_length=64)
    admin1: str | None = Field(default=None, max_length=MAX_TEXT)
    admin2: str | None = Field(default=None, max_length=MAX_TEXT)
    location: str | None = Field(default=None, max_length=MAX_TEXT)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    fatalities: int | None = Field(default=None, ge=0, le=10_000_000)
    notes: str | None = Field(default=None, max_length=4000)

    @field_validator("event_type")
    @classmethod
    def _known_type(cls, v: str | None) -> str | None:
        return Filters._known_type(v)

    @field_validator("sub_event_type")
    @classmethod
    def _known_sub(cls, v: str | None) -> str | None:
        return Filters._known_sub(v)


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="why (kept in the history)")

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a reason is required")
        return v.strip()


class CorrectionRequest(Reason):
    changes: Corrections

    @model_validator(mode="after")
    def _some(self) -> CorrectionRequest:
        if not self.changes.model_fields_set:
            raise ValueError("changes: give at least one field to correct")
        return self


class MergeRequest(Reason):
    others: list[str] = Field(min_length=1, max_length=100, description="ids of the duplicates to merge in")

    @field_validator("others")
    @classmethod
    def _ids(cls, v: list[str]) -> list[str]:
        for i in v:
            if not i or len(i) > MAX_TEXT:
                raise ValueError("incident ids must be 1-200 characters")
        return v


class SplitRequest(Reason):
    article_ids: list[str] = Field(
        min_length=1, max_length=100, description="source articles to move to a new incident"
    )

    @field_validator("article_ids")
    @classmethod
    def _ids(cls, v: list[str]) -> list[str]:
        for i in v:
            if not i or len(i) > MAX_TEXT:
                raise ValueError("article ids must be 1-200 characters")
        return v


class WriteResult(BaseModel):
    ok: bool = True
    incident: IncidentFields | None = None
    created: list[str] = Field(default_factory=list)
    changes: list[ChangeOut] = Field(default_factory=list)


class AuthInfo(BaseModel):
    reviewer: str


class EditableField(BaseModel):
    name: str
    type: str
    label: str


class AppConfig(BaseModel):
    version: str
    database: str
    writable: bool
    tiles_url: str | None = None
    tiles_attribution: str | None = None
    max_page_size: int = MAX_PAGE_SIZE
    max_map_points: int = MAX_MAP_POINTS
    event_types: dict[str, list[str]]
    statuses: list[str]
    export_formats: list[str]
    editable_fields: list[EditableField]


class Health(BaseModel):
    status: Literal["ok", "error"]
    version: str
    database: str
    writable: bool
    incidents: int | None = None
    detail: str | None = None
