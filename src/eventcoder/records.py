"""Typed records that flow through the pipeline.

ingest -> Article -> analysis (nlp.Analysis) -> extraction (mention records) -> document-level
resolution (Event) -> corpus-level deduplication (Incident, see dedup) -> store -> export.

Every extracted field carries provenance as one or more :class:`Span` (character offsets into
``Article.text``). Figures also carry who claimed them and the status of the claim.
The field meanings are documented in docs/schema.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# --------------------------------------------------------------------------- vocabularies

ACLED_TYPES: dict[str, list[str]] = {
    # in ACLED's order of precedence (first ranks highest)
    "Battles": ["Government regains territory", "Non-state actor overtakes territory", "Armed clash"],
    "Protests": ["Excessive force against protesters", "Protest with intervention", "Peaceful protest"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Explosions/Remote violence": [
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ],
}
SUB_TO_TYPE: dict[str, str] = {s: t for t, subs in ACLED_TYPES.items() for s in subs}

# ACLED disorder type per event type (ACLED's own grouping).
DISORDER_TYPE: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

INTER_LABELS: dict[int, str] = {
    0: "No actor",
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

FigureKind = Literal["killed", "injured", "arrested", "abducted"]
FigureGroup = Literal["side_a", "side_b", "civilians", "unknown"]
ClaimStatus = Literal["official", "reported", "unconfirmed", "disputed"]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
PlaceLevel = Literal["place", "near_place", "admin2", "admin1", "region", "country", "water", "unknown"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --------------------------------------------------------------------------- provenance


class Span(Record):
    """A character span of ``Article.text`` (end exclusive) and the text it covers."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start=start, end=end, text=text[start:end])


# --------------------------------------------------------------------------- ingest


class Article(Record):
    """One news report as read by ingest. ``text`` is the body the spans refer to."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = Field(
        default=None, description="where it was read from: path, path:line or path#row"
    )


class RecordError(Record):
    """A record that could not be read or coded; the run goes on with the rest."""

    origin: str
    reason: str = Field(
        description="short machine-readable class, e.g. 'encoding', 'binary', 'empty', 'not-english'"
    )
    message: str
    article_id: str | None = None


# --------------------------------------------------------------------------- extracted fields


class ActorRef(Record):
    """An actor as coded: the canonical dictionary entry (or a new, undictionaried name)."""

    name: str = Field(description="canonical ACLED-style name, e.g. 'Military Forces of Iraq'")
    matched: str = Field(description="the words in the text that matched (alias or name)")
    inter: int = Field(description="ACLED actor type code 1-8 (see INTER_LABELS)")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-3 of the actor's home country")
    ucdp_name: str | None = Field(default=None, description="UCDP side name, e.g. 'Government of Iraq', 'IS'")
    actor_id: str | None = Field(
        default=None, description="id of the dictionary entry; None if not in dictionary"
    )
    in_dictionary: bool = True
    span: Span | None = None

    @property
    def inter_label(self) -> str:
        return INTER_LABELS.get(self.inter, "")


class Figure(Record):
    """A reported number of people killed, injured, arrested or abducted, with its claim."""

    kind: FigureKind
    group: FigureGroup
    stated: str = Field(description="the words as stated: 'fifteen', 'at least 12', 'dozens', '3-5', 'no'")
    value: int = Field(description="coded number per ACLED rules (range -> low end, 'dozens' -> 12, ...)")
    low: int | None = None
    high: int | None = None
    who: str | None = Field(
        default=None, description="free-text description of the victims, e.g. 'IS operatives'"
    )
    claimed_by: str | None = Field(default=None, description="who made the claim, as named in the text")
    status: ClaimStatus = "reported"
    span: Span = Field(description="the words of the figure")
    claim_span: Span | None = Field(default=None, description="the attribution ('Centcom said')")
    sentence: Span | None = None
    note: str | None = Field(default=None, description="how a qualified figure was coded, e.g. 'up to 40'")


class EventDate(Record):
    date: dt.date | None = Field(default=None, description="best single date (mid-point for week/month)")
    start: dt.date | None = None
    end: dt.date | None = None
    precision: DatePrecision = "unknown"
    acled_time_precision: int | None = Field(default=None, description="1 day, 2 week, 3 month")
    ucdp_date_prec: int | None = Field(default=None, description="1 exact .. 5 year")
    expression: str | None = Field(default=None, description="the date words, e.g. 'early Thursday'")
    resolved: bool = False
    note: str | None = Field(default=None, description="why unresolved, or how it was resolved")
    span: Span | None = None


class Place(Record):
    name: str = Field(description="the place as geocoded (gazetteer name)")
    expression: str | None = Field(default=None, description="the words in the text, e.g. 'western Iraq'")
    level: PlaceLevel = "unknown"
    country: str | None = None
    iso3: str | None = None
    iso2: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = Field(default=None, description="town/village name when level is place/near_place")
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    population: int | None = None
    acled_geo_precision: int | None = Field(
        default=None, description="1 town, 2 near town/small area, 3 region"
    )
    ucdp_where_prec: int | None = Field(default=None, description="1 exact .. 7 international")
    span: Span | None = None


class UcdpDeaths(Record):
    deaths_a: int = 0
    deaths_b: int = 0
    deaths_civilians: int = 0
    deaths_unknown: int = 0
    low: int = 0
    best: int = 0
    high: int = 0


class Event(Record):
    """One event reported (or mentioned as background) by one article."""

    id: str = Field(description="'<article id>#<n>', stable for the same article text and coder version")
    article_id: str
    event_type: str
    sub_event_type: str
    disorder_type: str | None = None
    ucdp_type_of_violence: int | None = Field(
        default=None, description="1 state-based, 2 non-state, 3 one-sided"
    )
    actor1: ActorRef | None = None
    assoc_actor1: list[ActorRef] = Field(default_factory=list)
    actor2: ActorRef | None = None
    assoc_actor2: list[ActorRef] = Field(default_factory=list)
    interaction: int | None = Field(default=None, description="ACLED interaction code, smaller digit first")
    figures: list[Figure] = Field(default_factory=list)
    fatalities: int = Field(default=0, description="ACLED fatalities: lowest credible count, no injuries")
    ucdp: UcdpDeaths = Field(default_factory=UcdpDeaths)
    date: EventDate = Field(default_factory=EventDate)
    place: Place | None = None
    background: bool = Field(default=False, description="mentioned but not reported by this article")
    background_reason: str | None = None
    trigger: Span | None = Field(default=None, description="the words that report the event")
    evidence: dict[str, list[Span]] = Field(default_factory=dict, description="field name -> spans behind it")
    note: str = ""
    source: str | None = None
    confidence: float = 0.5

    def figure_total(self, kind: str) -> int:
        return sum(f.value for f in self.figures if f.kind == kind)


class CodedArticle(Record):
    """What coding one article returns: the article, its events and any warnings."""

    article: Article
    events: list[Event] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    coder_version: str = ""

    @property
    def reported(self) -> list[Event]:
        return [e for e in self.events if not e.background]

    @property
    def background(self) -> list[Event]:
        return [e for e in self.events if e.background]


# --------------------------------------------------------------------------- mention records
# What the extractors (eventcoder.extract.*) return; document-level resolution (eventcoder.resolve)
# turns them into Events. Offsets are absolute in Article.text; ``sentence`` is Sentence.index.

Modality = Literal["asserted", "negated", "hypothetical", "planned", "threat", "denied", "foiled"]


class TriggerMention(Record):
    """Words that report an event of a given ACLED sub-type (e.g. 'air strikes', 'protested')."""

    span: Span
    sentence: int
    event_type: str
    sub_event_type: str
    cue: str = Field(description="id of the lexicon entry that matched")
    weight: float = 1.0
    modality: Modality = "asserted"
    head: int | None = Field(default=None, description="offset of the syntactic head token, if parsed")


class ActorMention(Record):
    actor: ActorRef
    span: Span
    sentence: int
    generic: bool = Field(default=False, description="a generic actor (civilians, gunmen, protesters)")


class FigureMention(Record):
    figure: Figure
    sentence: int
    victim_actor: ActorRef | None = Field(default=None, description="actor the victims belong to, if named")
    victim_class: Literal["civilians", "combatants", "security", "unknown"] = "unknown"


class DateMention(Record):
    date: EventDate
    sentence: int


class PlaceMention(Record):
    place: Place
    sentence: int
    demonym: bool = Field(default=False, description="'Syrian', 'Iraqi': a mention of the country")
    relation: Literal["in", "near", "border", "region", "mention"] = "mention"
