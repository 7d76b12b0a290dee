"""Document-level resolution: turn the mentions found in one article into its events.

1. Triggers are grouped into *event mentions*: the triggers of one sentence that share a place.
2. Event mentions are grouped into *frames* (one incident each), following the article: a mention
   joins the current frame unless it opens a separate incident (a cue such as "in a separate
   incident", another country or town, another date) or refers back to an earlier frame.
3. Sentences with figures but no trigger ("seven soldiers were injured") join the frame they
   continue.
4. Each frame becomes one Event: type by ACLED precedence (eventcoder.eventtype), actors by
   syntactic role, figures assigned to sides, date, most precise place, evidence spans.
5. Frames that are history, context or another incident told in passing are flagged background and
   never take the article's date.

Cue words live in data/resolve.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .nlp import Analysis, Sentence
from .records import (
    DISORDER_TYPE,
    ActorMention,
    ActorRef,
    DateMention,
    Event,
    EventDate,
    Figure,
    FigureMention,
    Place,
    PlaceMention,
    Span,
    TriggerMention,
    UcdpDeaths,
)
from .resources import data_path, word_alternation

if TYPE_CHECKING:  # pragma: no cover
    from .extract.actors import ActorDictionary
    from .extract.events import TriggerLexicon

LEVEL_RANK = {
    "place": 0,
    "near_place": 1,
    "admin2": 2,
    "admin1": 3,
    "region": 4,
    "country": 5,
    "water": 6,
    "unknown": 7,
}
NON_EVENT_MODALITIES = {"negated", "hypothetical", "denied"}
BACKGROUND_MODALITIES = {"planned", "threat"}


@dataclass(frozen=True)
class Cues:
    separate: re.Pattern[str]
    background: re.Pattern[str]
    collaboration: re.Pattern[str]
    not_event: re.Pattern[str]
    max_report_age_days: int
    reporting_verbs: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> Cues:
        with open(path or data_path("resolve.yaml"), encoding="utf-8") as fh:
            data = yaml.safe_load(fh)

        def rx(key: str) -> re.Pattern[str]:
            body = word_alternation(data.get(key, []), flexible_space=False)
            return re.compile(r"\b(?:" + body + r")\b", re.IGNORECASE)

        return cls(
            separate=rx("separate_incident"),
            background=rx("background"),
            collaboration=rx("collaboration"),
            not_event=rx("not_event"),
            max_report_age_days=int(data.get("max_report_age_days", 14)),
            reporting_verbs=frozenset(str(v).lower() for v in data.get("reporting_verbs", [])),
        )


@lru_cache(maxsize=4)
def default_cues() -> Cues:
    """The bundled cue lists (read-only, cached)."""
    return Cues.load()


# --------------------------------------------------------------------------- working structures


@dataclass
class Frame:
    """One incident as the article tells it: the mentions that belong to it."""

    triggers: list[TriggerMention] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    background_reason: str | None = None
    modality_only: str | None = None

    @property
    def first_sentence(self) -> int:
        return min(self.sentences) if self.sentences else 0

    def add_sentence(self, idx: int) -> None:
        if idx not in self.sentences:
            self.sentences.append(idx)

    def country(self) -> str | None:
        c = Counter(p.place.iso3 for p in self.places if p.place.iso3 and not p.demonym)
        return c.most_common(1)[0][0] if c else None

    def best_place(self) -> PlaceMention | None:
        real = [p for p in self.places if not p.demonym]
        if not real:
            return None
        return min(
            real, key=lambda p: (LEVEL_RANK.get(p.place.level, 9), p.place.span.start if p.place.span else 0)
        )

    def date(self) -> EventDate | None:
        """The first date told of the incident. A relative date that cannot be resolved (no
        publication date) stays the date, unresolved: a later absolute date is more often history
        than the event's own."""
        if not self.dates:
            return None
        first = min(self.dates, key=lambda d: d.date.span.start if d.date.span else 0)
        return first.date


def _by_sentence(items, key=lambda m: m.sentence) -> dict[int, list]:
    out: dict[int, list] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def _same_location(a: Place, b: Place) -> bool | None:
    """True if the two places can be the same location, False if not, None if unknown."""
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return False
    if a.level in ("place", "near_place") and b.level in ("place", "near_place"):
        if (
            a.latitude is not None
            and b.latitude is not None
            and a.longitude is not None
            and b.longitude is not None
        ):
            from math import cos, radians, sqrt

            dx = (a.longitude - b.longitude) * cos(radians((a.latitude + b.latitude) / 2))
            dy = a.latitude - b.latitude
            return sqrt(dx * dx + dy * dy) * 111.0 < 40.0
        return (a.name or "").lower() == (b.name or "").lower()
    if a.admin1 and b.admin1 and a.level != "country" and b.level != "country":
        if a.level in ("place", "near_place", "admin2", "admin1") and b.level in (
            "place",
            "near_place",
            "admin2",
            "admin1",
        ):
            return a.admin1 == b.admin1
    return None


def _frame_place_conflict(frame: Frame, places: list[PlaceMention]) -> bool:
    real_new = [p for p in places if not p.demonym and p.relation != "border"]
    real_old = [p for p in frame.places if not p.demonym]
    if not real_new or not real_old:
        return False
    best_new = min(real_new, key=lambda p: LEVEL_RANK.get(p.place.level, 9))
    return all(_same_location(best_new.place, old.place) is False for old in real_old)


def _date_conflict(frame: Frame, dates: list[DateMention]) -> bool:
    old = frame.date()
    new = [d for d in dates if d.date.resolved and d.date.date]
    if old is None or not old.date or not new:
        return False
    return all(abs((d.date.date - old.date).days) > 1 for d in new)


# --------------------------------------------------------------------------- main entry


def build_events(
    analysis: Analysis,
    triggers: list[TriggerMention],
    actors: list[ActorMention],
    figures: list[FigureMention],
    dates: list[DateMention],
    places: list[PlaceMention],
    cues: Cues | None = None,
    dictionary: ActorDictionary | None = None,
    use_headline: bool = False,
    lexicon: TriggerLexicon | None = None,
) -> list[Event]:
    """Group an article's mentions into events (reported and background).

    ``dictionary`` (the loaded actor dictionary) lets generic and country-less actors take the
    event's country. A headline is left out (it repeats the lede) unless nothing else holds an
    event."""
    from functools import partial

    from .eventtype import decide_type, interaction_code, ucdp_type_of_violence

    if lexicon is not None:
        decide_type = partial(decide_type, lexicon=lexicon)  # the loaded lexicon, not a second copy

    cues = cues or default_cues()
    text = analysis.text
    article = analysis.article
    trig_by_s = _by_sentence(triggers)
    # "Islamic State West Africa Province" holds no place "West": places inside actor names go.
    named = [(a.span.start, a.span.end) for a in actors if not a.generic]
    places = [
        p
        for p in places
        if p.place.span is None
        or p.demonym
        or not any(s < p.place.span.end and p.place.span.start < e for s, e in named)
        or p.place.level == "country"
    ]
    place_by_s = _by_sentence(places)
    date_by_s = _by_sentence(dates)
    fig_by_s = _by_sentence(figures)
    actor_by_s = _by_sentence(actors)
    article_country = _article_country(places)

    frames: list[Frame] = []
    current: Frame | None = None
    sentence_frame: dict[int, Frame] = {}

    pending: list[int] = []  # lede sentences with figures or dates, before any frame
    skip = set() if use_headline else _headline_sentences(analysis)
    for sent in analysis.sentences:
        if sent.index in skip:
            continue
        s_triggers = [t for t in trig_by_s.get(sent.index, []) if t.modality not in NON_EVENT_MODALITIES]
        s_places = place_by_s.get(sent.index, [])
        s_dates = date_by_s.get(sent.index, [])
        has_figures = bool(fig_by_s.get(sent.index))
        if cues.not_event.search(sent.text) and not has_figures and not s_triggers:
            continue
        if not s_triggers:
            if current is None:
                # The lede often gives the figures and date of the main event before its
                # trigger words appear; keep them for the first reported frame.
                if (has_figures or s_dates) and not cues.background.search(sent.text):
                    pending.append(sent.index)
                continue
            # A sentence that only continues the story (figures) joins the current frame.
            if has_figures and not cues.separate.search(sent.text):
                if not _frame_place_conflict(current, s_places) and not _date_conflict(current, s_dates):
                    current.add_sentence(sent.index)
                    sentence_frame[sent.index] = current
                    current.places.extend(p for p in s_places if p not in current.places)
            continue

        # Split the sentence's triggers by the place each stands nearest to.
        groups = _split_by_place(sent, s_triggers, s_places)
        for g_triggers, g_places in groups:
            g_dates = _nearest_dates(g_triggers, s_dates, len(groups) > 1)
            background = _background_reason(sent, g_triggers, g_dates, cues, article.published, text)
            target = _back_reference(frames, g_places, background)
            if (
                target is None
                and current is not None
                and background is None
                and current.background_reason is None
            ):
                if _anaphoric(text, g_triggers, current):
                    target = current  # "the attack", "the agreement": the incident already told
            opens_new = (
                current is None
                or bool(cues.separate.search(sent.text))
                or _frame_place_conflict(current, g_places)
                or _date_conflict(current, g_dates)
                or _kind(background) != _kind(current.background_reason)
            )
            if target is None:
                if opens_new:
                    target = Frame(background_reason=background)
                    frames.append(target)
                    if pending and background is None and all(f.background_reason for f in frames[:-1]):
                        for idx in pending:
                            target.add_sentence(idx)
                            target.places.extend(place_by_s.get(idx, []))
                            target.dates.extend(date_by_s.get(idx, []))
                        pending = []
                else:
                    target = current
            target.triggers.extend(g_triggers)
            target.add_sentence(sent.index)
            target.places.extend(p for p in g_places if p not in target.places)
            target.dates.extend(d for d in g_dates if d not in target.dates)
            sentence_frame[sent.index] = target
            current = target
    for fr in frames:
        fr.dates.sort(key=lambda d: d.date.span.start if d.date.span else 0)

    if not frames and skip:
        return build_events(
            analysis, triggers, actors, figures, dates, places, cues, dictionary, use_headline=True
        )
    events: list[Event] = []
    for frame in frames:
        event = _frame_to_event(
            frame,
            analysis,
            actor_by_s,
            fig_by_s,
            article_country,
            places,
            dictionary,
            decide_type,
            interaction_code,
            ucdp_type_of_violence,
            cues,
        )
        if event is not None:
            events.append(event)
    # Stable ids in reading order: reported events first, then background.
    events.sort(key=lambda e: (e.background, e.trigger.start if e.trigger else 0))
    for n, ev in enumerate(events, start=1):
        ev.id = f"{article.id}#{n}"
    return events


# --------------------------------------------------------------------------- helpers


_TERMINAL = (".", "!", "?", '"', "”", "'", "’", ":")


def _headline_sentences(analysis: Analysis) -> set[int]:
    """Leading lines without final punctuation, followed by a line break: a headline."""
    out: set[int] = set()
    text = analysis.text
    for sent in analysis.sentences[:2]:
        if len(analysis.sentences) <= len(out) + 1:
            break
        if sent.text.rstrip().endswith(_TERMINAL) or text[sent.end : sent.end + 1] != "\n":
            break
        out.add(sent.index)
    return out


def _anaphoric(text: str, triggers: list[TriggerMention], current: Frame) -> bool:
    """A trigger introduced by "the"/"this"/"that" of the same event type as the current incident."""
    types = {t.event_type for t in current.triggers}
    for t in triggers:
        before = text[max(0, t.span.start - 6) : t.span.start].lower()
        if before.endswith(("the ", "this ", "that ")) and t.event_type in types:
            return True
    return False


_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def _generic_ref(
    actor_id: str,
    name: str,
    inter: int,
    iso3: str | None,
    dictionary: ActorDictionary | None,
    like: ActorRef | None,
) -> ActorRef:
    entry = dictionary.get(actor_id) if dictionary is not None else None
    matched = like.matched if like is not None else ""
    span = like.span if like is not None else None
    if entry is not None:
        return dictionary.ref(entry, matched, span, country=iso3)  # type: ignore[union-attr]
    return ActorRef(name=name, matched=matched, inter=inter, country=iso3, actor_id=actor_id, span=span)


def _localise(ref: ActorRef | None, iso3: str | None, dictionary: ActorDictionary | None) -> ActorRef | None:
    """Give country-less state forces and generic actors the event's country."""
    if ref is None or iso3 is None:
        return ref
    if ref.actor_id is None and ref.name.endswith("(country unknown)") and dictionary is not None:
        kind = "police" if ref.name.startswith("Police") else "military"
        return dictionary.state_forces(iso3, kind, ref.matched, ref.span)
    if ref.country is None and ref.inter in (3, 4, 5, 6, 7):
        return ref.model_copy(update={"country": iso3})
    return ref


def _conventions(
    event_type: str,
    sub: str,
    actor1: ActorRef | None,
    assoc1: list[ActorRef],
    actor2: ActorRef | None,
    roles: Roles,
    iso3: str | None,
    dictionary: ActorDictionary | None,
) -> tuple[ActorRef | None, list[ActorRef], ActorRef | None]:
    """ACLED's actor conventions per event type: protesters and rioters are actor 1 of their
    events, victims of violence against civilians are actor 2, state forces abroad are external
    only in violent events."""
    everyone = [m.actor for ms in roles.mentions.values() for m in ms[:1]]
    if event_type in ("Protests", "Riots"):
        crowd = next((a for a in everyone if a.inter in (5, 6)), None)
        others = [a for a in (actor1, actor2) if a is not None and a.inter not in (5, 6, 7)]
        if event_type == "Protests":
            actor1 = _generic_ref("protesters", "Protesters", 6, iso3, dictionary, crowd)
            keep = sub in ("Protest with intervention", "Excessive force against protesters")
            actor2 = others[0] if others and keep else None
        else:
            actor1 = _generic_ref("rioters", "Rioters", 5, iso3, dictionary, crowd)
            victims = [a for a in (actor1, actor2) if a is not None and a.inter == 7]
            actor2 = others[0] if others else (victims[0] if victims else None)
        assoc1 = []
    elif event_type == "Violence against civilians":
        if actor1 is not None and actor1.inter == 7 and actor2 is not None and actor2.inter != 7:
            actor1, actor2 = actor2, actor1
        if actor2 is None or actor2.inter != 7:
            civ = next((a for a in everyone if a.inter == 7), None)
            if civ is not None or actor2 is None:
                actor2 = _generic_ref("civilians", "Civilians", 7, iso3, dictionary, civ)
    elif actor1 is not None and actor1.inter == 7 and actor2 is not None and actor2.inter != 7:
        actor1, actor2 = actor2, actor1
    if event_type not in _VIOLENT:
        actor1, actor2 = _domestic(actor1, dictionary), _domestic(actor2, dictionary)
        assoc1 = [a for a in (_domestic(x, dictionary) for x in assoc1) if a is not None]
    actor1 = _localise(actor1, iso3, dictionary)
    actor2 = _localise(actor2, iso3, dictionary)
    assoc1 = [a for a in (_localise(x, iso3, dictionary) for x in assoc1) if a is not None]
    return actor1, assoc1, actor2


def _domestic(ref: ActorRef | None, dictionary: ActorDictionary | None) -> ActorRef | None:
    if ref is None or ref.inter != 8 or dictionary is None or ref.actor_id is None:
        return ref
    entry = dictionary.get(ref.actor_id)
    if entry is not None and entry.inter == 1:
        return ref.model_copy(update={"inter": 1})
    return ref


def _kind(background: str | None) -> str:
    """Background reasons of one kind continue one frame: reported, plan/threat, or context."""
    if background is None:
        return "reported"
    if background in ("plan", "threat"):
        return "plan"
    return "background"


def _back_reference(frames: list[Frame], places: list[PlaceMention], background: str | None) -> Frame | None:
    """An earlier frame at the same named place that this mention continues ("the Solingen attack,
    which left three dead" after "an attack in Solingen"). A background mention never joins a
    reported frame; a plain mention of a background incident's place joins that incident. A mere
    country mention ("Austrian authorities") joins a background incident in that country when the
    reported events lie elsewhere."""
    real = [p for p in places if not p.demonym and p.place.level in ("place", "near_place", "admin2")]
    for fr in reversed(frames):
        if _kind(fr.background_reason) == "plan":
            continue
        if background is not None and fr.background_reason is None:
            continue
        if real and any(_same_location(p.place, q.place) for p in real for q in fr.places if not q.demonym):
            return fr
    reported_countries = {f.country() for f in frames if f.background_reason is None}
    countries = {p.place.iso3 for p in places if p.place.iso3} - reported_countries
    if countries and not real:
        for fr in reversed(frames):
            if _kind(fr.background_reason) == "background" and fr.country() in countries:
                return fr
    return None


def _article_country(places: list[PlaceMention]) -> str | None:
    counts = Counter(p.place.iso3 for p in places if p.place.iso3)
    return counts.most_common(1)[0][0] if counts else None


def _split_by_place(
    sent: Sentence, triggers: list[TriggerMention], places: list[PlaceMention]
) -> list[tuple[list[TriggerMention], list[PlaceMention]]]:
    """Triggers in one sentence belong to different incidents only when they sit next to places in
    different countries ("a plot in Austria and an attack in Solingen, Germany")."""
    real = [p for p in places if not p.demonym]
    countries = {p.place.iso3 for p in real if p.place.iso3}
    if len(triggers) < 2 or len(countries) < 2:
        return [(triggers, places)]
    groups: dict[str, tuple[list[TriggerMention], list[PlaceMention]]] = {}
    for t in triggers:
        # the first place after the trigger in the same sentence, else the nearest before it
        after = [p for p in real if p.place.span and p.place.span.start >= t.span.end]
        before = [p for p in real if p.place.span and p.place.span.end <= t.span.start]
        if after:
            near = min(after, key=lambda p: p.place.span.start)
        elif before:
            near = max(before, key=lambda p: p.place.span.end)
        else:
            near = None
        key = near.place.iso3 if near and near.place.iso3 else "?"
        groups.setdefault(key, ([], []))[0].append(t)
    for p in real:
        key = p.place.iso3 or "?"
        if key in groups:
            groups[key][1].append(p)
    # triggers with no place join the first group
    if "?" in groups and len(groups) > 1:
        orphan = groups.pop("?")
        first = next(iter(groups.values()))
        first[0].extend(orphan[0])
    return list(groups.values())


def _nearest_dates(
    triggers: list[TriggerMention], dates: list[DateMention], split: bool
) -> list[DateMention]:
    if not split or not dates:
        return list(dates)
    lo = min(t.span.start for t in triggers)
    hi = max(t.span.end for t in triggers)
    return [
        d for d in dates if d.date.span and min(abs(d.date.span.start - lo), abs(d.date.span.start - hi)) < 80
    ]


def _background_reason(
    sent: Sentence,
    triggers: list[TriggerMention],
    dates: list[DateMention],
    cues: Cues,
    published: dt.date | None,
    text: str,
) -> str | None:
    modalities = {t.modality for t in triggers}
    m = cues.background.search(sent.text)
    first = min((t.span.start for t in triggers), default=None)
    if m and (first is None or sent.start + m.start() <= first):
        # The cue governs the sentence's first event word ("In the wake of the bombing, ...").
        # A cue after it belongs to a trailing clause ("..., amid preparations to mark the
        # anniversary of ...") and leaves the main event reported.
        return f"context: '{m.group(0)}'"
    if modalities and modalities <= BACKGROUND_MODALITIES:
        return "threat" if "threat" in modalities else "plan"
    if published is not None:
        for d in dates:
            when = d.date.end or d.date.date
            if d.date.resolved and when and (published - when).days > cues.max_report_age_days:
                return f"history: dated {d.date.expression or when.isoformat()}"
    return None


@dataclass
class Roles:
    """The frame's actors by role: 'a' doers, 'b' done-to, 'u' named without a clear role."""

    agents: list[ActorMention]
    targets: list[ActorMention]
    unknown: list[ActorMention]
    mentions: dict[str, list[ActorMention]]
    votes: dict[str, int] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)  # named only as who reports ("..., police said")
    places: set[str] = field(default_factory=set)  # named only in a place's name ("a police station")


def _role_actors(
    frame: Frame,
    analysis: Analysis,
    actor_by_s: dict[int, list[ActorMention]],
    reporting_verbs: frozenset[str] = frozenset(),
    place_heads: frozenset[str] = frozenset(),
) -> Roles:
    """Vote each actor into a role over all its mentions in the frame's sentences. A mention that
    names a place ("A POLICE STATION") may be the side attacked there, never the doer."""
    votes: dict[str, int] = {}
    told: dict[str, bool] = {}  # every mention the subject of a reporting verb
    place_only: dict[str, bool] = {}  # every mention inside a place's name
    first: dict[str, ActorMention] = {}
    mentions: dict[str, list[ActorMention]] = {}
    # "rebels", "fighters", "militants" refer back to the named armed group of the incident.
    named_armed = next(
        (
            m
            for idx in sorted(frame.sentences)
            for m in actor_by_s.get(idx, [])
            if not m.generic and m.actor.inter in (2, 3, 4)
        ),
        None,
    )
    for idx in sorted(frame.sentences):
        sent = analysis.sentences[idx]
        trig = [t for t in frame.triggers if t.sentence == idx]
        for m in actor_by_s.get(idx, []):
            coref = named_armed is not None and m.generic and m.actor.inter == 3
            if coref:
                m = m.model_copy(update={"actor": named_armed.actor, "generic": False})
            name = m.actor.name
            first.setdefault(name, m)
            mentions.setdefault(name, []).append(m)
            # a pronoun-like "the attackers" names the group but does not decide its role
            role = "u" if coref else _role_of(m, trig, sent, reporting_verbs)
            nxt = re.match(r"\s*([A-Za-z]+)", analysis.text[m.span.end : m.span.end + 30])
            at_place = nxt is not None and nxt.group(1).lower() in place_heads
            if at_place and role == "a":
                role = "u"
            place_only[name] = place_only.get(name, True) and at_place
            votes[name] = votes.get(name, 0) + (1 if role == "a" else -1 if role == "b" else 0)
            reporting = not coref and _reports(m, sent, reporting_verbs)
            told[name] = told.get(name, True) and reporting
    order = sorted(first.values(), key=lambda m: m.span.start)
    return Roles(
        agents=[m for m in order if votes[m.actor.name] > 0],
        targets=[m for m in order if votes[m.actor.name] < 0],
        unknown=[m for m in order if votes[m.actor.name] == 0],
        mentions=mentions,
        votes=votes,
        sources={n for n, only in told.items() if only},
        places={n for n, only in place_only.items() if only},
    )


_IRREGULAR_REPORTING = {"said": "say", "told": "tell"}


def _reports(m: ActorMention, sent: Sentence, reporting_verbs: frozenset[str]) -> bool:
    """Whether the actor is the subject of a reporting verb in a parsed sentence."""
    if not reporting_verbs:
        return False
    # "..., POLICE SAID", "THE POLICE HAVE REPORTED": the next word reports, whatever the parse makes
    # of upper-case copy
    nxt = re.match(
        r"[\s,]*(?:(?:have|has|had|also|later|today|yesterday|officially)\s+)*([A-Za-z]+)",
        sent.text[m.span.end - sent.start :],
        re.I,
    )
    if nxt is not None:
        w = nxt.group(1).lower()
        forms = {w, w[:-1], w[:-2], w[:-3], _IRREGULAR_REPORTING.get(w, w)}
        if forms & reporting_verbs:
            return True
    doc = sent.doc
    if doc is None:
        return False
    span = doc.char_span(m.span.start - sent.start, m.span.end - sent.start, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in reporting_verbs


_AGENT_PREPS = {"by"}
_TARGET_PREPS = {"on", "against", "at", "targeting", "upon", "into"}


def _role_of(
    m: ActorMention, triggers: list[TriggerMention], sent: Sentence, reporting_verbs: frozenset[str] = frozenset()
) -> str:
    """'a' for the doer, 'b' for the one done to, 'u' when the sentence does not say.

    With a parse, the actor's relation must hang on a trigger word ("troops encountered IS
    members": IS is the object of the trigger); without one, an actor next to a trigger takes
    its side by word order. The subject of a reporting verb ("..., police said") tells of the
    event and takes no side in it."""
    if not triggers:
        return "u"
    spans = [(t.span.start, t.span.end) for t in triggers]
    heads = {t.head for t in triggers if t.head is not None}

    def is_trigger(tok) -> bool:
        off = sent.start + tok.idx
        return off in heads or any(a <= off < b for a, b in spans)

    doc = sent.doc
    if doc is not None:
        span = doc.char_span(m.span.start - sent.start, m.span.end - sent.start, alignment_mode="expand")
        if span is not None:
            tok = span.root
            hops = 0
            while (
                tok.dep_ in ("conj", "appos", "compound", "amod", "nmod", "poss")
                and tok.head is not tok
                and hops < 4
            ):
                tok = tok.head
                hops += 1
            dep, head = tok.dep_, tok.head
            if dep == "nsubj" and is_trigger(head):
                return "a"
            if dep in ("nsubjpass", "dobj") and is_trigger(head):
                return "b"
            if dep == "pobj":
                prep = head.lower_
                gov = head.head
                if is_trigger(gov) or (gov.dep_ == "agent" and is_trigger(gov.head)):
                    if prep in _AGENT_PREPS:
                        return "a"
                    if prep in _TARGET_PREPS:
                        return "b"
                    if prep == "with":
                        return "b"
                    if prep == "between":
                        return "a"
            if is_trigger(tok):  # the actor word is itself the trigger ("Israeli air strikes")
                return "a"
            if dep == "nsubj" and head.lemma_.lower() in reporting_verbs:
                return "u"
            # a subject whose verb governs a trigger ("gunmen stormed ... killing five")
            if dep == "nsubj" and any(
                is_trigger(t) for t in head.subtree if t.dep_ in ("xcomp", "advcl", "conj", "dobj", "pobj")
            ):
                return "a"
            return "u"
    # No parse: actors right next to a trigger take the side their word order gives.
    near = min(spans, key=lambda sp: abs(sp[0] - m.span.start))
    if near[0] - m.span.end > 80 or m.span.start - near[1] > 80:
        return "u"
    return "a" if m.span.start < near[0] else "b"


def _pick_sides(
    roles: Roles,
    frame: Frame,
    event_iso3: str | None,
    text: str,
    cues: Cues,
) -> tuple[ActorRef | None, list[ActorRef], ActorRef | None, list[ActorRef]]:
    agents, targets, unknown = list(roles.agents), list(roles.targets), list(roles.unknown)

    def rank(m: ActorMention) -> tuple[int, int, int, int]:
        # Prefer the clearest role, named over generic, home state forces over foreign, earlier.
        home = 0 if (m.actor.inter == 1 and event_iso3 and m.actor.country == event_iso3) else 1
        return (-abs(roles.votes.get(m.actor.name, 0)), 1 if m.generic else 0, home, m.span.start)

    def external(ref: ActorRef) -> ActorRef:
        if ref.inter == 1 and event_iso3 and ref.country and ref.country != event_iso3:
            return ref.model_copy(update={"inter": 8})
        return ref

    # Without a parsed role, a non-state armed group is the likelier doer than a state force
    # that is named mostly as a source ("police said").
    named_unknown = sorted(
        (u for u in unknown if not u.generic), key=lambda m: (m.actor.inter not in (2, 3, 4), m.span.start)
    )
    if not agents and targets and any(t.actor.inter == 7 for t in targets):
        # Civilians were targeted and no doer is parsed: an armed actor named near them is it.
        armed = [
            t
            for t in targets + named_unknown
            if t.actor.inter in (1, 2, 3, 4, 8) and t.actor.name not in roles.sources | roles.places
        ]
        if armed:
            agents = [armed[0]]
            targets = [t for t in targets if t is not armed[0]]
    if not agents and named_unknown:
        # not the force that only tells of it ("..., police said")
        doers = [u for u in named_unknown if u.actor.name not in roles.sources | roles.places]
        if doers:
            named_unknown.remove(doers[0])
            agents = [doers[0]]
    if not targets:
        pool = [
            u
            for u in named_unknown
            if not _same_side(agents, u, roles, text, cues) and u.actor.name not in roles.sources
        ]
        if pool:
            targets = [pool[0]]
    agents = sorted(agents, key=rank)
    targets = sorted(targets, key=rank)

    actor1 = external(agents[0].actor) if agents else None
    actor2 = external(targets[0].actor) if targets else None
    taken = {a.name for a in (actor1, actor2) if a is not None}
    assoc1: list[ActorRef] = []
    assoc2: list[ActorRef] = []
    if agents:
        lead = agents[0]
        for other in agents[1:] + named_unknown:
            if other.actor.name in taken or (other.generic and other.actor.inter in (6, 7)):
                continue
            if _allied(lead, other, roles, text, cues) or (
                other in agents[1:] and other.actor.inter in (1, 8) and lead.actor.inter in (1, 8)
            ):
                assoc1.append(external(other.actor))
                taken.add(other.actor.name)
    if targets:
        for other in targets[1:]:
            if other.actor.name not in taken and other.actor.inter == targets[0].actor.inter:
                assoc2.append(external(other.actor))
                taken.add(other.actor.name)
    return actor1, assoc1, actor2, assoc2


def _same_side(agents: list[ActorMention], other: ActorMention, roles: Roles, text: str, cues: Cues) -> bool:
    return any(_allied(a, other, roles, text, cues) for a in agents) or any(
        a.actor.inter in (1, 8) and other.actor.inter in (1, 8) for a in agents
    )


def _allied(a: ActorMention, b: ActorMention, roles: Roles, text: str, cues: Cues) -> bool:
    """Two actors are partners when a collaboration cue ("in collaboration with", "joint
    operation") or a plain "and" joins any of their mentions."""
    for x in roles.mentions.get(a.actor.name, [a]):
        for y in roles.mentions.get(b.actor.name, [b]):
            between = text[min(x.span.end, y.span.end) : max(x.span.start, y.span.start)]
            if len(between) > 80 or x.sentence != y.sentence:
                continue
            gap = between.strip(" ,").lower()
            # the cue must join the two names directly: "US forces, in collaboration with Iraqi ..."
            if gap in ("and", "with", "together with") or (cues.collaboration.match(gap) and len(gap) < 40):
                return True
    return False


def _assign_group(
    fm: FigureMention, actor1: ActorRef | None, assoc1: list[ActorRef], actor2: ActorRef | None
) -> str:
    if fm.victim_class == "civilians" or fm.figure.group == "civilians":
        return "civilians"
    va = fm.victim_actor
    side_a = [a for a in [actor1, *assoc1] if a is not None]
    if va is not None:
        if any(
            va.name == a.name
            or (va.country and va.country == a.country and va.inter in (1, 8) and a.inter in (1, 8))
            for a in side_a
        ):
            return "side_a"
        if actor2 is not None and (
            va.name == actor2.name
            or (va.country and va.country == actor2.country and va.inter == actor2.inter)
        ):
            return "side_b"
    if fm.victim_class == "security":
        if actor1 is not None and actor1.inter in (1, 8):
            return "side_a"
        if actor2 is not None and actor2.inter in (1, 8):
            return "side_b"
    if fm.victim_class == "combatants":
        if actor2 is not None and actor2.inter in (2, 3, 4):
            return "side_b"
        if actor1 is not None and actor1.inter in (2, 3, 4):
            return "side_a"
    if actor2 is not None and actor2.inter == 7 and fm.figure.kind in ("killed", "injured", "abducted"):
        return "civilians"
    return "unknown"


def _credible(f: Figure) -> bool:
    return f.status in ("official", "reported")


def _fatalities(figures: list[Figure]) -> tuple[int, UcdpDeaths]:
    """ACLED fatalities (lowest credible) and UCDP deaths by side with low/best/high."""
    killed = [f for f in figures if f.kind == "killed"]
    per_group_best: dict[str, int] = {}
    per_group_low: dict[str, int] = {}
    per_group_high: dict[str, int] = {}
    for group in ("side_a", "side_b", "civilians", "unknown"):
        fs = [f for f in killed if f.group == group]
        credible = [f for f in fs if _credible(f)]
        if credible:
            # Within one report, figures from the same kind of source restate or detail each other
            # (take the largest); official and reported sources that disagree conflict (take the
            # lowest credible, as ACLED does across reports).
            by_status = [[f for f in credible if f.status == st] for st in ("official", "reported")]
            tops = [max(fs, key=lambda f: f.value) for fs in by_status if fs]
            chosen = min(tops, key=lambda f: f.value)
            per_group_best[group] = chosen.value
            per_group_low[group] = min((f.low if f.low is not None else f.value) for f in tops)
        if fs:
            per_group_high[group] = max((f.high if f.high is not None else f.value) for f in fs)
    specific = sum(per_group_best.get(g, 0) for g in ("side_a", "side_b", "civilians"))
    unknown_total = per_group_best.get("unknown", 0)
    # An unattributed total ("12 people were killed, including 3 soldiers") covers the specific ones.
    deaths_unknown = max(0, unknown_total - specific)
    best = specific + deaths_unknown
    low_specific = sum(per_group_low.get(g, 0) for g in ("side_a", "side_b", "civilians"))
    low = low_specific + max(0, per_group_low.get("unknown", 0) - low_specific)
    high_specific = sum(per_group_high.get(g, 0) for g in ("side_a", "side_b", "civilians"))
    high = max(best, high_specific + max(0, per_group_high.get("unknown", 0) - high_specific))
    ucdp = UcdpDeaths(
        deaths_a=per_group_best.get("side_a", 0),
        deaths_b=per_group_best.get("side_b", 0),
        deaths_civilians=per_group_best.get("civilians", 0),
        deaths_unknown=deaths_unknown,
        low=min(low, best),
        best=best,
        high=high,
    )
    return best, ucdp


def _frame_to_event(
    frame: Frame,
    analysis: Analysis,
    actor_by_s: dict[int, list[ActorMention]],
    fig_by_s: dict[int, list[FigureMention]],
    article_country: str | None,
    all_places: list[PlaceMention],
    dictionary: ActorDictionary | None,
    decide_type,
    interaction_code,
    ucdp_type_of_violence,
    cues: Cues,
) -> Event | None:
    text = analysis.text
    article = analysis.article
    if not frame.triggers:
        return None
    if _kind(frame.background_reason) == "plan" and not frame.places and not frame.dates:
        return None  # talk of plans or threats with no place or time: not an incident
    best = frame.best_place()
    event_iso3 = (best.place.iso3 if best else None) or frame.country()
    if event_iso3 is None and not frame.background_reason:
        event_iso3 = article_country
    places = dictionary.place_heads if dictionary is not None else frozenset()
    roles = _role_actors(frame, analysis, actor_by_s, cues.reporting_verbs, places)
    actor1, assoc1, actor2, assoc2 = _pick_sides(roles, frame, event_iso3, text, cues)
    context = " ".join(analysis.sentences[i].text for i in sorted(frame.sentences))
    decided = decide_type(frame.triggers, actor1, actor2, context)
    asserted = [t for t in frame.triggers if t.modality == "asserted"]
    if decided is None and asserted and len(asserted) < len(frame.triggers):
        # Plans and foiled acts around an asserted act ("defused a bomb ... planning an attack")
        # must not hide the act itself.
        decided = decide_type(asserted, actor1, actor2, context)
        if decided is None and frame.background_reason is None:
            top = max(asserted, key=lambda t: t.weight)
            decided = (top.event_type, top.sub_event_type)
    if decided is None:
        return None
    event_type, sub_event_type = decided
    actor1, assoc1, actor2 = _conventions(
        event_type, sub_event_type, actor1, assoc1, actor2, roles, event_iso3, dictionary
    )

    # Figures of the frame's sentences, assigned to sides.
    figures: list[Figure] = []
    fig_spans: list[Span] = []
    for idx in sorted(frame.sentences):
        for fm in fig_by_s.get(idx, []):
            group = _assign_group(fm, actor1, assoc1, actor2)
            figures.append(fm.figure.model_copy(update={"group": group}))
            fig_spans.append(fm.figure.span)
    fatalities, ucdp = _fatalities(figures)

    # Place
    place: Place | None = best.place if best else None
    if place is None and event_iso3 and not frame.background_reason:
        place = _country_place(event_iso3, all_places)

    # Date
    date = _event_date(frame, article.published)

    # the words that typed the event: the first trigger of the decided sub-type (or type), not of
    # another reading of the frame ("IN A NEW BLOW TO THE CEASE-FIRE, GUERRILLAS DYNAMITED ...")
    trigger = min(
        frame.triggers,
        key=lambda t: (t.sub_event_type != sub_event_type, t.event_type != event_type, t.span.start),
    )
    evidence: dict[str, list[Span]] = {"event_type": [t.span for t in frame.triggers]}
    if actor1 and actor1.span:
        evidence["actor1"] = [actor1.span]
    if actor2 and actor2.span:
        evidence["actor2"] = [actor2.span]
    for a in assoc1:
        if a.span:
            evidence.setdefault("assoc_actor1", []).append(a.span)
    if date.span:
        evidence["date"] = [date.span]
    if place and place.span:
        evidence["place"] = [place.span]
    if fig_spans:
        evidence["figures"] = fig_spans
    evidence["sentences"] = [
        Span(
            start=analysis.sentences[i].start, end=analysis.sentences[i].end, text=analysis.sentences[i].text
        )
        for i in sorted(frame.sentences)
    ]

    inter = interaction_code(actor1, actor2)
    tov = ucdp_type_of_violence(event_type, sub_event_type, actor1, actor2, fatalities=fatalities)
    event = Event(
        id="",
        article_id=article.id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        disorder_type=DISORDER_TYPE.get(event_type),
        ucdp_type_of_violence=tov,
        actor1=actor1,
        assoc_actor1=assoc1,
        actor2=actor2,
        assoc_actor2=assoc2,
        interaction=inter,
        figures=figures,
        fatalities=fatalities,
        ucdp=ucdp,
        date=date,
        place=place,
        background=frame.background_reason is not None,
        background_reason=frame.background_reason,
        trigger=trigger.span,
        evidence=evidence,
        source=article.source,
        confidence=_confidence(frame, actor1, actor2, place),
    )
    event.note = _note(event)
    return event


def _country_place(iso3: str, places: list[PlaceMention]) -> Place | None:
    """Fall back to the country the article is about (level country), from its own mentions."""
    of_country = [p for p in places if p.place.iso3 == iso3]
    if not of_country:
        return None
    as_country = [p for p in of_country if p.place.level == "country"]
    if as_country:
        return as_country[0].place
    p = of_country[0].place
    return Place(
        name=p.country or iso3,
        expression=p.expression,
        level="country",
        country=p.country,
        iso3=p.iso3,
        iso2=p.iso2,
        acled_geo_precision=3,
        ucdp_where_prec=6,
        span=p.span,
    )


def _event_date(frame: Frame, published: dt.date | None) -> EventDate:
    d = frame.date()
    if d is not None and (d.resolved or frame.background_reason):
        return d
    if frame.background_reason:
        return EventDate(resolved=False, note="background event: the text gives no date for it")
    if d is not None and not d.resolved:
        return d
    if published is None:
        return EventDate(resolved=False, note="no date in the text and no publication date")
    return EventDate(
        date=published,
        start=published - dt.timedelta(days=6),
        end=published,
        precision="week",
        acled_time_precision=2,
        ucdp_date_prec=3,
        resolved=True,
        note="no date in the text: placed in the week up to the publication date",
    )


def _confidence(frame: Frame, a1: ActorRef | None, a2: ActorRef | None, place: Place | None) -> float:
    score = min(1.0, max(t.weight for t in frame.triggers)) * 0.5
    score += 0.2 if a1 else 0.0
    score += 0.1 if a2 else 0.0
    score += 0.1 if place and place.level in ("place", "near_place", "admin2", "admin1") else 0.0
    score += 0.1 if len(frame.triggers) > 1 else 0.0
    return round(min(score, 1.0), 2)


def _note(ev: Event) -> str:
    parts = [f"{ev.event_type} / {ev.sub_event_type}"]
    if ev.actor1:
        who = ev.actor1.name
        if ev.assoc_actor1:
            who += " (with " + ", ".join(a.name for a in ev.assoc_actor1) + ")"
        parts.append(who + (f" vs {ev.actor2.name}" if ev.actor2 else ""))
    if ev.place:
        parts.append("in " + (ev.place.expression or ev.place.name))
    if ev.date.date:
        parts.append(
            "on "
            + ev.date.date.isoformat()
            + ("" if ev.date.precision == "day" else f" ({ev.date.precision})")
        )
    counts = []
    for kind in ("killed", "injured", "arrested", "abducted"):
        fs = [f for f in ev.figures if f.kind == kind]
        if fs:
            counts.append(
                f"{kind}: "
                + ", ".join(
                    f"{f.value} {f.group}" + (f" per {f.claimed_by}" if f.claimed_by else "") for f in fs
                )
            )
    if counts:
        parts.append("; ".join(counts))
    if ev.background:
        parts.append(f"[background: {ev.background_reason}]")
    return "; ".join(parts)
