"""Corpus-level deduplication: events from different articles that report one incident become one.

The cues an analyst uses, each scored 0..1 (weights and limits in ``data/dedup.yaml``):

* date: same day, adjacent day (only with matching tolls and place), overlapping week/month;
* place: distance between named towns, containment (a town inside the district or province another
  report names), spelling variants;
* type: same sub-type, same type, related families (a shelling reported as a clash);
* actors: canonical names (aliases already resolved by the coder, spellings compared fuzzily),
  actor kinds (inter codes); roles reversed in a one-sided event mark a reprisal;
* figures: overlapping death tolls (ranges, 'at least'), or tolls that rose.

Some differences rule a merge out whatever the rest says (hard blocks): another country, dates
further apart than the window, two different towns, incompatible types, two events of one article.

Cost: events are blocked by (country, day); an event is compared only with the incidents of its
block (``Clusterer``), so deduplicating N events costs O(N * block size), near linear.
The store uses the same scoring incrementally (``eventcoder.store``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as ir
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from .records import ACLED_TYPES, SUB_TO_TYPE, ActorRef, Article, Event, UcdpDeaths

# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class DedupConfig:
    """Weights and limits of the deduplication cues (``data/dedup.yaml``)."""

    raw: dict[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> DedupConfig:
        """Read the configuration (default: the packaged data/dedup.yaml)."""
        if path is None:
            text = (ir.files("eventcoder") / "data" / "dedup.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls(yaml.safe_load(text))

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def __hash__(self) -> int:
        return id(self)

    @property
    def threshold(self) -> float:
        return float(self.raw["threshold"])

    @property
    def max_gap(self) -> int:
        return int(self.raw["date"]["max_gap_days"])


@lru_cache(maxsize=1)
def default_config() -> DedupConfig:
    """The packaged configuration, read once."""
    return DedupConfig.load()


# --------------------------------------------------------------------------- features

_LEVEL_RANK = {"place": 0, "near_place": 1, "admin2": 2, "admin1": 3, "region": 4, "water": 4, "country": 5,
               "unknown": 6}  # fmt: skip
_PREC_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_SUB_RANK = {sub: i for i, sub in enumerate(s for subs in ACLED_TYPES.values() for s in subs)}


def _fold(s: str | None) -> str:
    """Lower-case, accents stripped, punctuation to spaces (for comparing names)."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


@dataclass
class EventFeatures:
    """What deduplication compares of one event (computed once per event)."""

    id: str
    article_id: str
    iso3: str | None
    start: dt.date | None
    end: dt.date | None
    precision: str
    level: str
    lat: float | None
    lon: float | None
    place: str
    admin1: str
    admin2: str
    event_type: str
    sub_event_type: str
    side_a: list[tuple[str, int, bool]]  # (folded name, inter, specific)
    side_b: list[tuple[str, int, bool]]
    fat_low: int | None  # None: no toll reported
    fat_high: float | None  # math.inf when open-ended
    background: bool

    @property
    def dated(self) -> bool:
        return self.start is not None


def _admin(name: str | None, cfg: DedupConfig) -> str:
    drop = set(cfg["place"]["admin_words"]) | set(cfg["place"]["particles"])
    return " ".join(w for w in _fold(name).split() if w not in drop)


def _placename(name: str | None, cfg: DedupConfig) -> str:
    drop = set(cfg["place"]["particles"])
    return " ".join(w for w in _fold(name).split() if w not in drop)


def _actor(ref: ActorRef, cfg: DedupConfig) -> tuple[str, int, bool]:
    name = _fold(ref.name)
    unspecific = any(w in name for w in cfg["actors"]["unspecific_words"]) or ref.inter in (0, 7)
    return name, ref.inter, not unspecific


def features(ev: Event, published: dt.date | None = None, cfg: DedupConfig | None = None) -> EventFeatures:
    """The comparable features of an event; ``published`` dates an undated report loosely."""
    cfg = cfg or default_config()
    d = ev.date
    prec = d.precision if d.date else "unknown"
    start = d.start or d.date
    end = d.end or d.date
    if d.date is not None and prec == "week" and not (d.start and d.end):
        start, end = d.date - dt.timedelta(days=3), d.date + dt.timedelta(days=3)
    elif d.date is not None and prec == "month" and not (d.start and d.end):
        start = d.date.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    elif d.date is not None and prec == "year":
        start, end = dt.date(d.date.year, 1, 1), dt.date(d.date.year, 12, 31)
    if start is None or prec in ("year", "unknown"):
        if published is not None:
            start = published - dt.timedelta(days=int(cfg["date"]["undated_window_days"]))
            end = published
            prec = "unknown"
        elif start is None:
            start = end = None
    p = ev.place
    killed = [f for f in ev.figures if f.kind == "killed"]
    fat_low: int | None = None
    fat_high: float | None = None
    if killed:
        fat_low = ev.fatalities
        hi = 0.0
        for f in killed:
            stated = f.stated.casefold()
            if f.high is not None:
                hi += f.high
            elif any(w in stated for w in cfg["figures"]["open_words"]):
                hi = math.inf
            else:
                hi += f.value
        fat_high = max(hi, float(fat_low), float(ev.ucdp.high))
    elif ev.fatalities:
        fat_low, fat_high = ev.fatalities, float(max(ev.fatalities, ev.ucdp.high))
    return EventFeatures(
        id=ev.id,
        article_id=ev.article_id,
        iso3=p.iso3 if p else None,
        start=start,
        end=end,
        precision=prec,
        level=(p.level if p else "unknown"),
        lat=p.latitude if p else None,
        lon=p.longitude if p else None,
        place=_placename((p.place or p.name) if p else None, cfg),
        admin1=_admin(p.admin1 if p else None, cfg),
        admin2=_admin(p.admin2 if p else None, cfg),
        event_type=ev.event_type,
        sub_event_type=ev.sub_event_type,
        side_a=[_actor(a, cfg) for a in ([ev.actor1] if ev.actor1 else []) + list(ev.assoc_actor1)],
        side_b=[_actor(a, cfg) for a in ([ev.actor2] if ev.actor2 else []) + list(ev.assoc_actor2)],
        fat_low=fat_low,
        fat_high=fat_high,
        background=ev.background,
    )


# --------------------------------------------------------------------------- pairwise cues


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


BLOCK = None  # a cue's "never the same incident"
SOFT_BLOCKS = frozenset({"another day"})


def date_score(a: EventFeatures, b: EventFeatures, cfg: DedupConfig) -> float | None:
    """How well the dates agree (None: too far apart)."""
    c = cfg["date"]
    if not a.dated or not b.dated:
        return None
    assert a.start and a.end and b.start and b.end
    gap = max((max(a.start, b.start) - min(a.end, b.end)).days, 0)
    if gap > int(c["max_gap_days"]):
        return BLOCK
    if a.precision == "day" and b.precision == "day":
        if gap == 0:
            return float(c["same_day"])
        return float(c["adjacent_day"]) if gap == 1 else BLOCK
    if "unknown" in (a.precision, b.precision):
        return float(c["undated"]) if gap == 0 else float(c["near_coarse"]) * 0.5
    if gap == 0:
        return float(c["overlap_month"] if "month" in (a.precision, b.precision) else c["overlap_week"])
    return float(c["near_coarse"])


def _similar(x: str, y: str, cfg: DedupConfig) -> bool:
    if not x or not y:
        return False
    return x == y or fuzz.ratio(x, y) >= float(cfg["place"]["name_similarity"])


def place_score(a: EventFeatures, b: EventFeatures, cfg: DedupConfig) -> float | None:
    """How well the places agree: distance, names, containment (None: different places)."""
    c = cfg["place"]
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return BLOCK
    ra, rb = _LEVEL_RANK.get(a.level, 6), _LEVEL_RANK.get(b.level, 6)
    if ra >= 5 or rb >= 5:
        return float(c["country_only"] if a.iso3 and b.iso3 else c["unknown"])
    dist = None
    if None not in (a.lat, a.lon, b.lat, b.lon):
        dist = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    if ra <= 1 and rb <= 1:  # two towns (or 'near' towns)
        if _similar(a.place, b.place, cfg) or (dist is not None and dist <= float(c["same_place_km"])):
            return float(c["same"])
        near = dist is not None and dist <= float(c["near_place_km"])
        if near and (ra == 1 or rb == 1):
            return float(c["near"])
        # a quarter of a city: its district (admin2) is the city the other report names
        if near and (_similar(a.admin2, b.place, cfg) or _similar(b.admin2, a.place, cfg)):
            return float(c["near"])
        return BLOCK

    def mismatch() -> float | None:
        if dist is not None and dist <= float(c["region_km"]):
            return float(c["admin_mismatch"])
        return BLOCK

    fine, coarse = (a, b) if ra < rb else (b, a)
    rf, rc = min(ra, rb), max(ra, rb)
    if rf <= 1:  # a town and a larger area: is the town inside it?
        if rc == 2 and coarse.admin2:
            if _similar(fine.admin2, coarse.admin2, cfg):
                return float(c["in_admin2"])
            if fine.admin1 and coarse.admin1 and not _similar(fine.admin1, coarse.admin1, cfg):
                return mismatch()
        if rc <= 3 and coarse.admin1:
            if _similar(fine.admin1, coarse.admin1, cfg):
                return float(c["in_admin1"]) if rc == 3 else float(c["in_admin1"]) * 0.9
            if fine.admin1:
                return mismatch()
    else:  # two areas
        if a.admin2 and b.admin2 and _similar(a.admin2, b.admin2, cfg):
            return float(c["same_admin2"])
        if a.admin1 and b.admin1:
            if _similar(a.admin1, b.admin1, cfg):
                return float(c["same_admin1"])
            if ra <= 3 and rb <= 3:
                return mismatch()
    if dist is not None:
        return float(c["region"]) if dist <= float(c["region_km"]) else BLOCK
    return float(c["unknown"])


def _related(t1: str, t2: str, cfg: DedupConfig) -> float | None:
    for rel in cfg["types"]["related"]:
        if t1 in rel["types"] and t2 in rel["types"]:
            return float(rel["score"])
    return None


def type_score(a: EventFeatures, b: EventFeatures, cfg: DedupConfig) -> float | None:
    """How well the event types agree (None: incompatible, e.g. a protest and an air strike)."""
    c = cfg["types"]
    if a.sub_event_type == b.sub_event_type:
        return float(c["same_sub"])
    if a.event_type == b.event_type:
        return BLOCK if a.event_type == "Strategic developments" else float(c["same_type"])
    return _related(a.event_type, b.event_type, cfg)


def _side_match(x: list[tuple[str, int, bool]], y: list[tuple[str, int, bool]], cfg: DedupConfig) -> float:
    c = cfg["actors"]
    if not x or not y:
        return float(c["unspecific"])
    for nx, _ix, _sx in x:
        for ny, _iy, _sy in y:
            if _similar(nx, ny, cfg) or (len(nx) > 3 and len(ny) > 3 and fuzz.token_set_ratio(nx, ny) >= 95):
                return float(c["match"])
    if not any(s for _, _, s in x) or not any(s for _, _, s in y):
        return float(c["unspecific"])
    if x[0][1] == y[0][1]:
        return float(c["same_kind"])
    return float(c["conflict"])


def actor_score(a: EventFeatures, b: EventFeatures, cfg: DedupConfig) -> float:
    """How well the actors agree; roles reversed in a one-sided event count against."""
    c = cfg["actors"]
    if not (a.side_a or a.side_b) or not (b.side_a or b.side_b):
        return float(c["none"])
    aligned = (_side_match(a.side_a, b.side_a, cfg) + _side_match(a.side_b, b.side_b, cfg)) / 2
    if a.side_a and a.side_b and b.side_a and b.side_b:
        rev = (_side_match(a.side_a, b.side_b, cfg) + _side_match(a.side_b, b.side_a, cfg)) / 2
        if rev > aligned:
            one_sided = c["one_sided_types"]
            if a.event_type in one_sided or b.event_type in one_sided:
                return aligned * float(c["reversed_factor"])
            return rev
    return aligned


def figure_score(a: EventFeatures, b: EventFeatures, cfg: DedupConfig) -> float:
    """How well the death tolls agree: overlapping ranges, or a toll that rose."""
    c = cfg["figures"]
    if a.fat_low is None or b.fat_low is None:
        return float(c["none"])
    assert a.fat_high is not None and b.fat_high is not None
    if a.fat_low <= b.fat_high and b.fat_low <= a.fat_high:
        return float(c["overlap"])
    lo, hi = sorted((a.fat_low, b.fat_low))
    ratio = lo / hi if hi else 1.0
    if ratio >= 0.5:
        return float(c["ratio_high"])
    if ratio >= 0.2:
        return float(c["ratio_mid"])
    return float(c["far"])


@dataclass
class PairScore:
    """The pair score, its cue scores, and what ruled the merge out (if anything)."""

    score: float
    parts: dict[str, float | None]
    blocked: str | None = None

    @property
    def ok(self) -> bool:
        return self.blocked is None

    @property
    def veto(self) -> bool:
        """A hard block: this pair can never be in one incident (another town, country, article,
        dates too far apart, incompatible types). 'another day' is soft: the pair alone does not
        show one incident, but other reports of the incident may."""
        return self.blocked is not None and self.blocked not in SOFT_BLOCKS


def pair_score(a: EventFeatures, b: EventFeatures, cfg: DedupConfig | None = None) -> PairScore:
    """Score two events as reports of one incident (see the module docstring)."""
    cfg = cfg or default_config()
    if a.article_id == b.article_id:
        return PairScore(0.0, {}, "same article")
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return PairScore(0.0, {}, "country")
    parts: dict[str, float | None] = {
        "date": date_score(a, b, cfg),
        "place": place_score(a, b, cfg),
        "type": type_score(a, b, cfg),
        "actors": actor_score(a, b, cfg),
        "figures": figure_score(a, b, cfg),
    }
    for k, v in parts.items():
        if v is None:
            return PairScore(0.0, parts, k)
    w = cfg["weights"]
    total = sum(float(w[k]) * float(v) for k, v in parts.items() if v is not None) / sum(
        float(x) for x in w.values()
    )
    c = cfg["date"]
    if a.precision == "day" and b.precision == "day" and parts["date"] == float(c["adjacent_day"]):
        if (parts["figures"] or 0) < float(c["adjacent_min_figures"]) or (parts["place"] or 0) < float(
            c["adjacent_min_place"]
        ):
            return PairScore(total, parts, "another day")
    return PairScore(total, parts)


# --------------------------------------------------------------------------- clustering


@dataclass
class DedupTally:
    """What deduplication cost: events matched, candidate incidents met, pairs scored, largest block."""

    events: int = 0
    incidents: int = 0
    pairs: int = 0
    max_block: int = 0
    #: of ``pairs``, those scored for background events (mentions of other, often past, incidents)
    background_pairs: int = 0

    def add_block(self, n_incidents: int) -> None:
        self.events += 1
        self.max_block = max(self.max_block, n_incidents)


def block_days(f: EventFeatures, widen: int) -> list[dt.date]:
    """The days under which an event is indexed (its date interval, widened by ``widen`` days)."""
    if f.start is None or f.end is None:
        return []
    n = (f.end - f.start).days + 2 * widen
    return [f.start - dt.timedelta(days=widen) + dt.timedelta(days=i) for i in range(n + 1)]


def best_match(
    f: EventFeatures,
    candidates: dict[str, list[EventFeatures]],
    cfg: DedupConfig | None = None,
    tally: DedupTally | None = None,
) -> tuple[str | None, float]:
    """The candidate incident ``f`` belongs to (or None) and the score.

    An event joins the incident whose closest member scores highest, at least ``threshold``, and
    none of whose members rules the merge out (no two different towns, far-apart days, types or
    articles in one incident).
    """
    cfg = cfg or default_config()
    best: str | None = None
    best_score = 0.0
    for cid, members in candidates.items():
        top = 0.0
        if tally is not None:
            tally.incidents += 1
        for m in members:
            ps = pair_score(f, m, cfg)
            if tally is not None:
                tally.pairs += 1
            if ps.veto:
                top = -1.0
                break
            if ps.ok:
                top = max(top, ps.score)
        if top >= cfg.threshold and top > best_score:
            best, best_score = cid, top
    return best, best_score


@dataclass
class Clusterer:
    """Incremental deduplication in memory: add events one by one; each joins an incident or founds one.

    The index maps (country, day) to incident ids, so an event meets only the incidents of its block.
    """

    cfg: DedupConfig = field(default_factory=default_config)
    members: dict[str, list[EventFeatures]] = field(default_factory=dict)
    index: dict[tuple[str | None, dt.date], set[str]] = field(default_factory=lambda: defaultdict(set))

    def candidates(self, f: EventFeatures) -> dict[str, list[EventFeatures]]:
        """Incidents of the event's block."""
        ids: set[str] = set()
        for day in block_days(f, self.cfg.max_gap):
            ids |= self.index.get((f.iso3, day), set())
            if f.iso3 is not None:
                ids |= self.index.get((None, day), set())
        return {i: self.members[i] for i in ids}

    def add(self, f: EventFeatures) -> str:
        """Put the event into its incident (returns the incident id: the id of its first event)."""
        cid, _ = best_match(f, self.candidates(f), self.cfg) if f.dated else (None, 0.0)
        if cid is None:
            cid = f.id
            self.members[cid] = []
        self.members[cid].append(f)
        for day in block_days(f, 0):
            self.index[(f.iso3, day)].add(cid)
        return cid

    def clusters(self) -> list[list[str]]:
        """Event ids per incident."""
        return [[m.id for m in ms] for ms in self.members.values()]


def cluster_events(
    events: Iterable[Event],
    published: dict[str, dt.date | None] | None = None,
    cfg: DedupConfig | None = None,
) -> list[list[str]]:
    """Deduplicate events (in the order given) into incidents; returns event ids per incident.

    ``published`` maps article id to publication date (dates undated reports loosely).
    """
    cl = Clusterer(cfg or default_config())
    pub = published or {}
    for ev in events:
        cl.add(features(ev, pub.get(ev.article_id), cl.cfg))
    return cl.clusters()


# --------------------------------------------------------------------------- merged values


def _credible_toll(ev: Event) -> bool:
    return any(f.kind == "killed" and f.status in ("official", "reported") for f in ev.figures)


def merge_figures(events: Sequence[Event]) -> tuple[int, UcdpDeaths]:
    """Incident figures from its reports (coding rules: docs/dedup.md).

    ACLED fatalities: the lowest credible figure of the reports that give one. UCDP: low the lowest,
    high the highest, best the best-supported (the figure most reports give; on a tie the lower
    middle one); deaths by side from a report giving that best. Only credible (official or reported)
    tolls count for low and best: an unconfirmed claim raises only ``high``.
    """
    rep = [e for e in events if not e.background] or list(events)
    credible = [e for e in rep if _credible_toll(e)]
    fatalities = min((e.fatalities for e in credible), default=0)
    with_toll = [e for e in rep if any(f.kind == "killed" for f in e.figures)]
    if not with_toll:
        return fatalities, UcdpDeaths()
    high = max(max(e.ucdp.high, e.ucdp.best) for e in with_toll)
    if not credible:
        return fatalities, UcdpDeaths(high=high)
    bests = sorted(e.ucdp.best for e in credible)
    counts = Counter(bests)
    top = max(counts.values())
    modes = sorted(v for v, n in counts.items() if n == top)
    # no figure better supported than another: the lower middle of all
    best = modes[0] if len(modes) == 1 else bests[(len(bests) - 1) // 2]
    u = next(e for e in credible if e.ucdp.best == best).ucdp
    low = min(min(e.ucdp.low for e in credible), best)
    return fatalities, UcdpDeaths(
        deaths_a=u.deaths_a,
        deaths_b=u.deaths_b,
        deaths_civilians=u.deaths_civilians,
        deaths_unknown=u.deaths_unknown,
        low=low,
        best=best,
        high=max(high, best),
    )


def _mode(values: Iterable[Any]) -> Any:
    """The most frequent value (first seen on a tie), or None."""
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    top = max(counts.values())
    return next(v for v in vals if counts[v] == top)


def _specific(ref: ActorRef | None) -> bool:
    return ref is not None and "unidentified" not in ref.name.casefold()


def merged_fields(events: Sequence[Event], articles: dict[str, Article] | None = None) -> dict[str, Any]:
    """The incident's values from its member events: the most precise date and place, the type most
    reports give (ties by ACLED precedence), the named actors, figures by ``merge_figures``."""
    arts = articles or {}
    rep = [e for e in events if not e.background] or list(events)

    def pub(e: Event) -> dt.date:
        a = arts.get(e.article_id)
        return (a.published if a and a.published else None) or dt.date.max

    order = sorted(rep, key=lambda e: (pub(e), e.id))
    dated = [e for e in order if e.date.date is not None]
    best_prec = min((_PREC_RANK.get(e.date.precision, 4) for e in dated), default=4)
    precise = [e for e in dated if _PREC_RANK.get(e.date.precision, 4) == best_prec]
    date_ev = next((e for e in precise if e.date.date == _mode(x.date.date for x in precise)), None)
    starts = [e.date.start or e.date.date for e in precise]
    ends = [e.date.end or e.date.date for e in precise]

    placed = [e for e in order if e.place is not None]
    best_lvl = min((_LEVEL_RANK.get(e.place.level, 6) for e in placed), default=6)  # type: ignore[union-attr]
    fine = [e for e in placed if _LEVEL_RANK.get(e.place.level, 6) == best_lvl]  # type: ignore[union-attr]
    place_name = _mode(e.place.name for e in fine)  # type: ignore[union-attr]
    place_ev = next((e for e in fine if e.place.name == place_name), None)  # type: ignore[union-attr]

    sub_counts = Counter(e.sub_event_type for e in order)
    top = max(sub_counts.values()) if sub_counts else 0
    sub = min(
        (s for s, n in sub_counts.items() if n == top), key=lambda s: _SUB_RANK.get(s, 99), default=None
    )
    type_ev = next((e for e in order if e.sub_event_type == sub), order[0] if order else None)

    a1 = _mode(e.actor1.name for e in order if _specific(e.actor1)) or _mode(
        e.actor1.name for e in order if e.actor1
    )
    a2 = _mode(e.actor2.name for e in order if _specific(e.actor2)) or _mode(
        e.actor2.name for e in order if e.actor2
    )
    ref1 = next((e.actor1 for e in order if e.actor1 and e.actor1.name == a1), None)
    ref2 = next((e.actor2 for e in order if e.actor2 and e.actor2.name == a2), None)
    assoc1 = list(dict.fromkeys(a.name for e in order for a in e.assoc_actor1 if a.name not in (a1, a2)))
    assoc2 = list(dict.fromkeys(a.name for e in order for a in e.assoc_actor2 if a.name not in (a1, a2)))
    inter_ev = next((e for e in order if e.actor1 and e.actor1.name == a1 and e.interaction), type_ev)
    fatalities, ucdp = merge_figures(events)
    p = place_ev.place if place_ev else None
    d = date_ev.date if date_ev else None
    notes = [e.note for e in order if e.note]
    return {
        "date": d.date if d else None,
        "date_start": min(starts) if starts else None,
        "date_end": max(ends) if ends else None,
        "time_precision": d.acled_time_precision if d else None,
        "date_prec": d.ucdp_date_prec if d else None,
        "country": p.country if p else None,
        "iso3": p.iso3 if p else None,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None,
        "location": (p.place or p.name) if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "geo_precision": p.acled_geo_precision if p else None,
        "where_prec": p.ucdp_where_prec if p else None,
        "event_type": SUB_TO_TYPE.get(sub or "", type_ev.event_type if type_ev else None),
        "sub_event_type": sub,
        "disorder_type": type_ev.disorder_type if type_ev else None,
        "ucdp_type_of_violence": _mode(e.ucdp_type_of_violence for e in order),
        "actor1": a1,
        "actor2": a2,
        "inter1": ref1.inter if ref1 else None,
        "inter2": ref2.inter if ref2 else None,
        "assoc_actor1": assoc1,
        "assoc_actor2": assoc2,
        "interaction": inter_ev.interaction if inter_ev else None,
        "fatalities": fatalities,
        "ucdp": ucdp,
        "notes": " | ".join(dict.fromkeys(notes))[:2000],
        "background": all(e.background for e in events),
    }


# --------------------------------------------------------------------------- evaluation


def load_dedup_set(path: Path) -> tuple[list[Event], dict[str, Article], dict[str, str]]:
    """Read a deduplication test set: events, their articles and the gold incident of each event.

    ``path`` is a YAML/JSONL file or a folder of them. Each record: ``incident`` (gold label),
    ``article`` (id, source, published, title; text optional) and ``event`` (records.Event fields;
    ``id``/``article_id`` default from the article). See docs/dedup.md.
    """
    path = Path(path)
    files = (
        sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".jsonl"))
        if path.is_dir()
        else [path]
    )
    events: list[Event] = []
    articles: dict[str, Article] = {}
    gold: dict[str, str] = {}
    per_article: Counter[str] = Counter()
    for fp in files:
        if fp.suffix == ".jsonl":
            recs = [json.loads(line) for line in fp.read_text(encoding="utf-8").splitlines() if line.strip()]
        else:
            data = yaml.safe_load(fp.read_text(encoding="utf-8")) or []
            recs = data.get("reports", []) if isinstance(data, dict) else data
        for i, r in enumerate(recs):
            art = dict(r["article"])
            art.setdefault("text", "")
            article = Article.model_validate(art)
            articles[article.id] = article
            ev = dict(r["event"])
            per_article[article.id] += 1
            n = per_article[article.id]
            ev.setdefault("article_id", article.id)
            ev.setdefault("id", f"{article.id}#{n}")
            for side in ("actor1", "actor2"):
                if isinstance(ev.get(side), dict):
                    ev[side].setdefault("matched", ev[side]["name"])
            for side in ("assoc_actor1", "assoc_actor2"):
                for a in ev.get(side, []):
                    a.setdefault("matched", a["name"])
            ev.setdefault("event_type", SUB_TO_TYPE.get(ev.get("sub_event_type", ""), ""))
            for f in ev.get("figures", []):
                f.setdefault("span", {"start": 0, "end": 0, "text": ""})
                f.setdefault("group", "unknown")
            killed = [f for f in ev.get("figures", []) if f["kind"] == "killed"]
            credible = sum(
                f["value"] for f in killed if f.get("status", "reported") in ("official", "reported")
            )
            # a test set may leave the coded totals out: derive them as the coder does
            ev.setdefault("fatalities", credible)
            if killed and "ucdp" not in ev:
                high = max(credible, sum(f.get("high") or f["value"] for f in killed))
                ev["ucdp"] = {"deaths_unknown": credible, "low": credible, "best": credible, "high": high}
            event = Event.model_validate(ev)
            events.append(event)
            gold[event.id] = str(r.get("incident", f"{fp.name}:{i}"))
    return events, articles, gold


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, p: float, r: float) -> PRF:
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def pairwise_prf(pred: dict[str, str], gold: dict[str, str]) -> PRF:
    """Pairwise precision/recall over pairs of events put in one incident."""

    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for e, c in assign.items():
            groups[c].append(e)
        out = set()
        for ms in groups.values():
            ms = sorted(ms)
            out |= {(ms[i], ms[j]) for i in range(len(ms)) for j in range(i + 1, len(ms))}
        return out

    p, g = pairs(pred), pairs(gold)
    tp = len(p & g)
    return PRF.of(tp / len(p) if p else 1.0, tp / len(g) if g else 1.0)


def bcubed_prf(pred: dict[str, str], gold: dict[str, str]) -> PRF:
    """B-cubed precision/recall: per event, the share of its predicted (gold) cluster that is right."""
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for e, c in pred.items():
        pc[c].add(e)
    for e, c in gold.items():
        gc[c].add(e)
    ps = rs = 0.0
    for e in gold:
        a, b = pc[pred[e]], gc[gold[e]]
        inter = len(a & b)
        ps += inter / len(a)
        rs += inter / len(b)
    n = len(gold) or 1
    return PRF.of(ps / n, rs / n)


@dataclass
class DedupReport:
    """Deduplication accuracy on a labelled set."""

    path: str
    events: int
    gold_incidents: int
    predicted_incidents: int
    pairwise: PRF
    bcubed: PRF
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    def render(self) -> Any:
        from rich.table import Table

        t = Table(
            title=f"deduplication: {self.events} reports, {self.gold_incidents} incidents ({self.path})"
        )
        for col in ("measure", "precision", "recall", "F1"):
            t.add_column(col, justify="right" if col != "measure" else "left")
        for name, m in (("pairwise", self.pairwise), ("B-cubed", self.bcubed)):
            t.add_row(name, f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}")
        t.caption = (
            f"predicted incidents: {self.predicted_incidents}; wrong merges or splits: {len(self.errors)}"
        )
        return t


def evaluate_dedup(path: Path, cfg: DedupConfig | None = None) -> DedupReport:
    """Score deduplication on a labelled set (pairwise and B-cubed P/R/F1).

    Reports are fed in order of publication, as they would arrive.
    """
    events, articles, gold = load_dedup_set(path)
    pub = {a.id: a.published for a in articles.values()}
    order = sorted(events, key=lambda e: (pub.get(e.article_id) or dt.date.min, e.article_id, e.id))
    clusters = cluster_events(order, pub, cfg)
    pred = {e: str(i) for i, ms in enumerate(clusters) for e in ms}
    errors = []
    for ms in clusters:
        labels = {gold[e] for e in ms}
        if len(labels) > 1:
            errors.append({"kind": "wrong merge", "events": ms, "gold": sorted(labels)})
    by_gold: dict[str, set[str]] = defaultdict(set)
    for e, g in gold.items():
        by_gold[g].add(pred[e])
    for g, cs in by_gold.items():
        if len(cs) > 1:
            errors.append({"kind": "split", "gold": g, "events": sorted(e for e in gold if gold[e] == g)})
    return DedupReport(
        path=str(path),
        events=len(events),
        gold_incidents=len(set(gold.values())),
        predicted_incidents=len(clusters),
        pairwise=pairwise_prf(pred, gold),
        bcubed=bcubed_prf(pred, gold),
        errors=errors,
    )
