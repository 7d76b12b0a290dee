"""The final ACLED typing decision for one event, and the UCDP type and ACLED interaction codes.

:func:`decide_type` takes the triggers of one incident (as grouped by ``eventcoder.resolve``), the
coded actors and the incident's text, and applies ACLED's rules for mixed incidents and for
actor-dependent sub-types. The rules are documented in docs/event-types.md; the word lists they use
(state, non-state, civilian and demonstration words) come from ``data/triggers.yaml``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .extract.events import TriggerLexicon, default_lexicon
from .records import ACLED_TYPES, SUB_TO_TYPE, ActorRef, TriggerMention

PRECEDENCE: list[str] = [s for subs in ACLED_TYPES.values() for s in subs]
RANK: dict[str, int] = {s: i for i, s in enumerate(PRECEDENCE)}

ARMED_INTER = {1, 2, 3, 4, 8}
STATE_INTER = {1, 8}
NONSTATE_INTER = {2, 3, 4}
CIVILIAN_INTER = {6, 7}

NOT_EVENT = {"negated", "denied", "hypothetical"}
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
EXPLOSIONS = ACLED_TYPES["Explosions/Remote violence"]
VAC = ACLED_TYPES["Violence against civilians"]
PROTESTS = ACLED_TYPES["Protests"]
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")
STRATEGIC = ACLED_TYPES["Strategic developments"]

# Cue ids (see data/triggers.yaml) whose words are strong evidence of ground fighting; weaker clash
# cues (offensive, operation, 'fighting' alone) do not turn an air strike into a battle.
STRONG_CLASH = (
    "clash.clash",
    "clash.fighting",
    "clash.gunbattle",
    "clash.battle",
    "clash.ambush",
    "clash.ground",
    "clash.encounter",
)
RIOT_BY_DEMONSTRATORS = ("riot.violence", "riot.riot")
GENERIC_EXPLOSION = {"rem.blast"}
KILLING = {"any.killed", "vac.massacre", "vac.murder", "vac.killed_civilians"}


def decide_type(
    triggers: list[TriggerMention],
    actor1: ActorRef | None,
    actor2: ActorRef | None,
    context: str,
    lexicon: TriggerLexicon | None = None,
) -> tuple[str, str] | None:
    """(event_type, sub_event_type) of one incident from its triggers, actors and text, or None
    when nothing asserted is strong enough (denied, negated, hypothetical or too weak)."""
    lex = lexicon or default_lexicon()
    scores, cues = _scores(triggers, actor1, actor2, context, lex)
    if not scores:
        return None
    strong = {s: v for s, v in scores.items() if v >= lex.min_score}
    if not strong:
        return None
    sub = _choose(strong, cues, actor1, actor2, context, triggers, lex)
    if sub is None:
        return None
    return SUB_TO_TYPE[sub], sub


def _scores(
    triggers: list[TriggerMention],
    actor1: ActorRef | None,
    actor2: ActorRef | None,
    context: str,
    lex: TriggerLexicon,
) -> tuple[dict[str, float], dict[str, set[str]]]:
    """Score per sub-type: the sum over distinct cues of each cue's best weight."""
    best: dict[tuple[str, str], float] = {}
    for t in triggers:
        if t.modality in NOT_EVENT:
            continue
        sub, w = t.sub_event_type, t.weight
        if t.modality == "foiled":
            if t.event_type in VIOLENT_TYPES:
                sub = "Disrupted weapons use"
            elif t.event_type == "Protests":
                sub = "Protest with intervention"
            else:
                continue
        elif t.modality in ("planned", "threat"):
            w *= 0.5
        if t.cue.startswith("any.") or (t.cue == "vac.murder" and sub == "Attack"):
            sub = _by_actors(sub, actor1, actor2)
        key = (sub, t.cue)
        best[key] = max(best.get(key, 0.0), w)
    # generic explosion words give way to any named explosive weapon of the same incident
    named = {sub for (sub, cue) in best if sub in EXPLOSIONS and cue not in GENERIC_EXPLOSION}
    if named:
        best = {k: w for k, w in best.items() if k[1] not in GENERIC_EXPLOSION}
    scores: dict[str, float] = defaultdict(float)
    cues: dict[str, set[str]] = defaultdict(set)
    for (sub, cue), w in best.items():
        scores[sub] += w
        cues[sub].add(cue)
    return dict(scores), dict(cues)


def _by_actors(sub: str, actor1: ActorRef | None, actor2: ActorRef | None) -> str:
    """Retype a target-dependent trigger from the coded actors: armed vs armed is a clash, an
    armed actor against civilians an attack."""
    if actor2 is None:
        return sub
    if actor2.inter in CIVILIAN_INTER:
        return "Attack"
    if actor2.inter in ARMED_INTER and (actor1 is None or actor1.inter in ARMED_INTER):
        return "Armed clash"
    return sub


def _words(lex: TriggerLexicon, key: str, text: str) -> bool:
    rx = lex.word_lists.get(key)
    return bool(rx and rx.search(text))


def _choose(
    strong: dict[str, float],
    cues: dict[str, set[str]],
    actor1: ActorRef | None,
    actor2: ActorRef | None,
    context: str,
    triggers: list[TriggerMention],
    lex: TriggerLexicon,
) -> str | None:
    def has(sub: str) -> bool:
        return sub in strong

    def score(sub: str) -> float:
        return strong.get(sub, 0.0)

    def cue_in(sub: str, prefixes: tuple[str, ...]) -> bool:
        return any(c.startswith(prefixes) for c in cues.get(sub, ()))

    demo = any(has(s) for s in PROTESTS) or _words(lex, "demonstration_words", context)
    explosion = max((score(s) for s in EXPLOSIONS), default=0.0)

    # --- territory changing hands
    terr = score(TERRITORY[0]) + score(TERRITORY[1])
    strong_clash = has("Armed clash") and cue_in("Armed clash", STRONG_CLASH)
    if has("Non-violent transfer of territory") and score("Non-violent transfer of territory") >= 0.8:
        if not strong_clash and terr < 1.5 * score("Non-violent transfer of territory"):
            return "Non-violent transfer of territory"
    if terr >= 0.8 or (terr >= lex.min_score and not strong_clash and explosion < 0.8):
        return _territory_side(actor1, context, triggers, strong, lex)

    # --- demonstrations and riots
    riot = score("Violent demonstration") >= 0.6
    riot_cues = cues.get("Violent demonstration", set())
    if riot and riot_cues <= {"riot.unrest"} and has("Excessive force against protesters"):
        riot = False  # "violence" near a demonstration fired on: the violence is the state's
    mob = has("Mob violence")
    if demo and any(has(s) for s in PROTESTS) and has("Looting/property destruction"):
        riot = True
    if "riot.riot" in riot_cues and strong_clash and not _words(lex, "nonstate_words", context):
        return "Violent demonstration"  # rioters clashing
    if demo and (riot or (strong_clash and not _words(lex, "nonstate_words", context))):
        if explosion >= 0.9 and not riot:
            return _best(EXPLOSIONS, strong)
        return "Violent demonstration"
    if mob and explosion < 0.9:
        return "Mob violence"
    if strong_clash and _communal(context, lex):
        return "Mob violence"
    if riot and not strong_clash:
        return (
            "Violent demonstration"
            if demo or cue_in("Violent demonstration", ("riot.riot",))
            else "Mob violence"
        )
    if any(has(s) for s in PROTESTS) or (demo and (has("Attack") or has("Arrests"))):
        # violence by non-state armed actors against a demonstration is an attack / explosion
        if explosion >= 0.9:
            return _best(EXPLOSIONS, strong)
        agent_nonstate = actor1 is not None and actor1.inter in NONSTATE_INTER
        if has("Excessive force against protesters"):
            return "Attack" if agent_nonstate else "Excessive force against protesters"
        if (has("Attack") or has("Armed clash")) and any(has(s) for s in PROTESTS):
            # deadly violence at a demonstration: by whom against whom, from the coded actors
            if agent_nonstate:
                return "Attack"
            if (
                actor1 is not None
                and actor1.inter in STATE_INTER
                and actor2 is not None
                and actor2.inter in (6, 7)
            ):
                return "Excessive force against protesters"
        if has("Protest with intervention") or has("Arrests"):
            # intervention in an incident where people were killed: the force was excessive
            if any(
                c.startswith("any.killed") for c in cues.get("Attack", set()) | cues.get("Armed clash", set())
            ):
                return "Excessive force against protesters"
            return "Protest with intervention"
        if any(has(s) for s in PROTESTS):
            return "Peaceful protest"

    # --- battles and remote violence. Chemical weapons and suicide bombings are coded as such even
    # when fighting goes with them (the attackers' gunfire is part of the attack); other remote
    # violence inside a ground battle is a battle.
    for special in ("Chemical weapon", "Suicide bomb"):
        if score(special) >= 0.9:
            return special
    if strong_clash:
        return "Armed clash"
    if explosion >= lex.min_score:
        ex = _best(EXPLOSIONS, strong)
        if has("Armed clash") and score("Armed clash") > explosion + 0.3:
            return "Armed clash"
        return ex
    clash = score("Armed clash")
    if has("Armed clash") and (clash >= 0.8 or clash >= max(score(s) for s in VAC + STRATEGIC)):
        return "Armed clash"

    # --- violence against civilians: sexual violence > attack > abduction
    for s in VAC:
        if has(s):
            if s == "Abduction/forced disappearance" and has("Armed clash"):
                return "Armed clash"
            if (
                s == "Attack"
                and has("Abduction/forced disappearance")
                and not (cues.get("Attack", set()) & KILLING)
            ):
                # an abduction beats a generic "attack"; abduction followed by a killing is an attack
                return "Abduction/forced disappearance"
            if s == "Attack" and has("Looting/property destruction") and score("Attack") < 0.6:
                return "Looting/property destruction"
            if s == "Attack" and _sd_dominates(strong, score("Attack")):
                return max((x for x in STRATEGIC if has(x)), key=lambda x: (score(x), -RANK[x]))
            return s

    # --- strategic developments: the best-supported one, unless weak fighting words outscore it
    sd = [s for s in STRATEGIC if has(s)]
    if sd:
        top = max(sd, key=lambda s: (score(s), -RANK[s]))
        return "Armed clash" if clash > score(top) else top
    return "Armed clash" if has("Armed clash") else None


def _sd_dominates(strong: dict[str, float], attack: float) -> bool:
    """A weak generic 'attack/killed' next to a clear strategic development (a defused bomb, an
    arrest) does not make an attack."""
    sd = max((strong.get(s, 0.0) for s in STRATEGIC), default=0.0)
    return attack < 0.6 and sd > attack


def _communal(context: str, lex: TriggerLexicon) -> bool:
    """A clash between civilian groups (villagers, clans, communities) with no armed actor named."""
    return (
        _words(lex, "civilian_words", context)
        and not _words(lex, "nonstate_words", context)
        and not _words(lex, "state_words", context)
    )


def _best(subs: list[str], strong: dict[str, float]) -> str:
    """Highest-precedence sub-type among ``subs`` with a score close to the best one."""
    # capped at 1: many words for one weapon must not hide another weapon clearly named
    top = max(min(1.0, strong.get(s, 0.0)) for s in subs)
    for s in subs:
        if min(1.0, strong.get(s, 0.0)) >= max(0.6 * top, 1e-9):
            return s
    return subs[0]


def _territory_side(
    actor1: ActorRef | None,
    context: str,
    triggers: list[TriggerMention],
    strong: dict[str, float],
    lex: TriggerLexicon,
) -> str:
    """Government regains territory when the taker is the state (or forces fighting for it),
    Non-state actor overtakes territory when it is a rebel, militia or other non-state group."""
    if actor1 is not None:
        if actor1.inter in STATE_INTER:
            return TERRITORY[0]
        if actor1.inter in NONSTATE_INTER:
            return TERRITORY[1]
    # No coded actor: the first state / non-state word of the trigger's sentence before the trigger
    # (usually the subject of a lead sentence), else the agent after "by" in the passive.
    terr = [t for t in triggers if t.sub_event_type in TERRITORY]
    if terr:
        anchor = terr[0].span.text
        pos = context.find(anchor)
        before = context[:pos] if pos >= 0 else context[:160]
        cut = max(before.rfind(". "), before.rfind("; "))
        before = before[cut + 1 :]
        # skip the attribution: "an army spokesman said (that) rebels took ..."
        saids = list(_SAID.finditer(before))
        if saids:
            before = before[saids[-1].end() :]
        side = _first_side(before, lex)
        if side is None and pos >= 0:
            side = _first_side_after_by(context[pos : pos + 160], lex)
        if side is not None:
            return side
    return max(TERRITORY, key=lambda s: strong.get(s, 0.0))


_BY = re.compile(r"\bby\b", re.IGNORECASE)
_SAID = re.compile(
    r"\b(?:said|says|say|told|reported|reports|announced|stated|claimed|according to)\b(?:\s+\w+)?(?:\s+that)?",
    re.IGNORECASE,
)


def _first_side_after_by(text: str, lex: TriggerLexicon) -> str | None:
    """Passive voice: 'the town was captured by militants'."""
    m = _BY.search(text)
    if not m:
        return None
    return _first_side(text[m.end() : m.end() + 80], lex)


def _first_side(text: str, lex: TriggerLexicon) -> str | None:
    best: tuple[int, str] | None = None
    for key, side in (("state_words", TERRITORY[0]), ("nonstate_words", TERRITORY[1])):
        rx = lex.word_lists.get(key)
        m = rx.search(text) if rx else None
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), side)
    return best[1] if best else None


# --------------------------------------------------------------------------- UCDP and interaction


def ucdp_type_of_violence(
    event_type: str,
    sub_event_type: str,
    actor1: ActorRef | None,
    actor2: ActorRef | None,
    fatalities: int | None = None,
) -> int | None:
    """UCDP type of violence: 1 state-based (a government is a side), 2 non-state (organised
    non-state groups on both sides), 3 one-sided (an organised actor against civilians).

    None for strategic developments and for protests and riots, except the deadly ones that UCDP
    covers (excessive force against protesters: one-sided; mob violence: non-state). Pass
    ``fatalities=0`` to get None for those too when nobody died."""
    if event_type == "Strategic developments":
        return None
    if event_type in ("Protests", "Riots"):
        if fatalities == 0:
            return None
        if sub_event_type == "Excessive force against protesters":
            return 3
        if sub_event_type == "Mob violence":
            return 2
        return None
    if event_type == "Violence against civilians":
        return 3
    i1 = actor1.inter if actor1 else None
    i2 = actor2.inter if actor2 else None
    if i2 in CIVILIAN_INTER or (i1 in CIVILIAN_INTER and i2 is None):
        return 3
    if i1 in STATE_INTER or i2 in STATE_INTER:
        return 1
    if i1 in NONSTATE_INTER and i2 in NONSTATE_INTER:
        return 2
    if event_type == "Battles":
        return 1 if (i1 is None or i2 is None) else 2
    # remote violence by a non-state actor with no named target: against civilians unless the
    # target is armed (unknown here)
    return 3 if i1 in NONSTATE_INTER else (1 if i1 is None else None)


def interaction_code(actor1: ActorRef | None, actor2: ActorRef | None) -> int | None:
    """ACLED interaction code: the two inter codes with the smaller digit first (12, 78, never 87);
    a one-sided event with a single actor is X0 (e.g. 20)."""
    codes = [a.inter for a in (actor1, actor2) if a is not None]
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    lo, hi = sorted(codes)
    return lo * 10 + hi
