"""Role fillers of an article's incidents: perpetrators (individuals and organisations), human
targets (named people), physical targets and weapons, as phrases written in the article.

This is the template view of event extraction used by the MUC-4 benchmark; it is read off the
coder's own output. Only the sentences of the article's reported violent events (battles,
explosions, violence against civilians) are searched, so an article that reports no such incident
gets no fillers. In those sentences:

* perpetrator organisation: the coded side-A actor (and its associates) as the article names it;
* perpetrator individual: a perpetrator word (data/roles.yaml) on the doing side of the event word
  (before it, or after "by"), or a generic side-A actor;
* weapon: weapon words anywhere in the sentences;
* physical target: target head words on the receiving side (after the event word, or subject of
  "was bombed/attacked/destroyed"), widened to their noun phrase;
* human target: a named person introduced by a title ("Mayor ...", "Father ...") on the receiving
  side, or named after "the murder/assassination/kidnapping of" or "killed/kidnapped" anywhere in
  the article (a report's victims are often named in a later sentence or a recalled attack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from ..records import CodedArticle, Event
from ..resources import data_path, word_alternation

ROLES = ("perp_individual", "perp_organization", "hum_tgt", "phys_tgt", "weapon")
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# Taking or retaking ground is not an attack on people or property: the template roles belong to
# attacks, bombings, killings and kidnappings (and to the clashes news often calls attacks).
NOT_ATTACKS = {"Government regains territory", "Non-state actor overtakes territory"}
SMALL_ARMS = re.compile(r"rifle|pistol|revolver|gun|bullet|firearm|knife|knives|machete|stone", re.I)
_WITH = re.compile(r"\b(?:with|using|fired|hurled|threw|placed|planted|detonated)\s+(?:\w+\s+){0,3}$", re.I)
_SEIZED = re.compile(
    r"\b(?:seized|found|confiscated|captured|recovered|discovered|seizure|cache|arsenal|surrendered)\b", re.I
)
STATE_WORDS = re.compile(r"soldiers|troops|policemen|police\s+officers|security\s+forces", re.I)
MAX_PER_ROLE = 3  # a report names few of each; long lists are inventories, not the incident
_PASSIVE = re.compile(
    r"^\s+(?:was|were|has been|have been|had been)\s+(?:\w+\s+)?"
    r"(?:bombed|attacked|destroyed|dynamited|burned|burnt|blown up|damaged|set on fire|hit|machinegunned|raided)\b",
    re.I,
)
_BY = re.compile(r"\bby\s+(?:the\s+|a\s+|an\s+|some\s+|several\s+)?$", re.I)
_VICTIM_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:was|were|has been|have been|had been)\s+(?:\w+\s+)?"
    r"(?:killed|murdered|assassinated|kidnapped|abducted|shot|wounded|injured|attacked|executed)\b",
    re.I,
)


# Words after which the victim is named: "the murder of Luis Perez", "gunmen killed Mayor Ana Ruiz".
_VICTIM_CUE = re.compile(
    r"\b(?:(?:murder|assassination|killing|kidnapping|abduction|execution|death)\s+of|"
    r"(?:murdered|assassinated|killed|kidnapped|abducted|executed|shot)(?:\s+(?:and\s+)?\w+ed)?)\s+",
    re.I,
)
_VICTIM_LEAD = re.compile(r"(?:the|a|an|former|presidential|\w+'s)\s+", re.I)
_NOT_NAMES = frozenset(
    {
        "said",
        "says",
        "today",
        "yesterday",
        "outside",
        "inside",
        "near",
        "during",
        "after",
        "before",
        "while",
        "when",
    }
)


@dataclass(frozen=True)
class RoleLexicon:
    perpetrators: re.Pattern[str]
    physical_targets: re.Pattern[str]
    weapons: re.Pattern[str]
    person_titles: re.Pattern[str]
    words: frozenset[str]  # every lexicon word (not part of a person's name)

    @classmethod
    def load(cls, path: Path | None = None) -> RoleLexicon:
        with open(path or data_path("roles.yaml"), encoding="utf-8") as fh:
            d = yaml.safe_load(fh)

        def alt(key: str) -> re.Pattern[str]:
            return re.compile(rf"(?<![\w-])(?:{word_alternation(d.get(key, []))})(?![\w-])", re.I)

        words = {w.lower() for key in d for phrase in d[key] for w in str(phrase).split()}
        return cls(
            perpetrators=alt("perpetrators"),
            physical_targets=alt("physical_targets"),
            weapons=alt("weapons"),
            person_titles=alt("person_titles"),
            words=frozenset(words),
        )


@lru_cache(maxsize=2)
def default_roles() -> RoleLexicon:
    return RoleLexicon.load()


def _clean(phrase: str) -> str:
    phrase = " ".join(phrase.split()).strip(" ,.;:\"'")
    return re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)


def _event_sentences(coded: CodedArticle, text: str) -> list[tuple[int, int, list[int]]]:
    """(start, end, trigger offsets) of every sentence of a reported violent event."""
    out: dict[tuple[int, int], set[int]] = {}
    for ev in coded.reported:
        if ev.event_type not in VIOLENT or ev.sub_event_type in NOT_ATTACKS:
            continue
        trig = [s.start for s in ev.evidence.get("event_type", [])]
        if ev.trigger is not None:
            trig.append(ev.trigger.start)
        for s in ev.evidence.get("sentences", []):
            out.setdefault((s.start, s.end), set()).update(t for t in trig if s.start <= t < s.end)
    return [(a, b, sorted(t)) for (a, b), t in sorted(out.items())]


def _actor_fillers(ev: Event, roles: dict[str, list[str]], lex: RoleLexicon) -> None:
    for actor in [ev.actor1, *ev.assoc_actor1]:
        if actor is None or not actor.matched or actor.inter in (7, 8):
            continue
        if actor.inter == 1 and not (ev.actor2 is not None and ev.actor2.inter in (6, 7)):
            continue  # state forces are perpetrators when they strike civilians, not when they respond
        name = _clean(actor.matched)
        generic = bool(lex.perpetrators.fullmatch(name))  # "guerrillas": individuals, not a group
        roles["perp_individual" if generic else "perp_organization"].append(name)


def _name_after_title(text: str, end: int, lex: RoleLexicon) -> str | None:
    """The two to four name words right after a title ("MAYOR ANDRES FELIPE ORTIZ")."""
    words: list[str] = []
    pos = end
    for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*\.?", text[end : end + 60]):
        gap = text[pos : end + m.start()]
        if words and gap.strip() != "":
            break  # a comma or other punctuation ends the name
        if not words and gap.strip() not in ("", ","):
            break
        w = m.group(0).rstrip(".")
        low = w.lower()
        if low in STOP_WORDS or low in _NOT_NAMES or low in lex.words or len(w) < 2:
            break
        words.append(w)
        pos = end + m.end()
        if len(words) == 4:
            break
    return " ".join(words) if len(words) >= 2 else None


_MODIFIER = re.compile(r"[A-Za-z][A-Za-z\-]*(?:'S|'s|’s)?$")


def _widen_left(sent: str, start: int, lex: RoleLexicon) -> int:
    """Start of the noun phrase ending in the head word at `start`: up to three modifiers before
    it ("Antioquia liqueur plant", "the minister's residence"), never a function word, a verb form in
    -ed, a number or a role word of another kind."""
    pos = start
    for _ in range(3):
        m = re.search(r"(\S+)\s+$", sent[:pos])
        if m is None:
            break
        word = m.group(1)
        low = word.lower().rstrip("'s").rstrip("’s")
        if (
            not _MODIFIER.match(word)
            or word.lower() in STOP_WORDS
            or low in STOP_WORDS
            or low in _NOT_NAMES
            or low.endswith(("ed", "ing", "est"))
            or low.isdigit()
            or lex.perpetrators.fullmatch(word)
            or lex.weapons.fullmatch(word)
        ):
            break
        pos = m.start(1)
    return pos


def extract_roles(coded: CodedArticle, lexicon: RoleLexicon | None = None) -> dict[str, list[str]]:
    """Fillers per role (see ROLES), each a phrase of the article, without duplicates."""
    lex = lexicon or default_roles()
    text = coded.article.text
    roles: dict[str, list[str]] = {r: [] for r in ROLES}
    sentences = _event_sentences(coded, text)
    if not sentences:
        return roles
    for ev in coded.reported:
        if ev.event_type in VIOLENT and ev.sub_event_type not in NOT_ATTACKS:
            _actor_fillers(ev, roles, lex)
    # state forces are perpetrators only where the coder has them strike civilians
    state_strikes = any(
        ev.actor1 is not None and ev.actor1.inter == 1 and ev.actor2 is not None and ev.actor2.inter in (6, 7)
        for ev in coded.reported
    )
    for start, end, triggers in sentences:
        sent = text[start:end]
        first = (min(triggers) - start) if triggers else len(sent)
        seized = bool(_SEIZED.search(sent))
        for m in lex.weapons.finditer(sent):
            used = _WITH.search(sent[max(0, m.start() - 40) : m.start()])
            if seized and not used:
                continue  # an inventory of what was found
            if SMALL_ARMS.search(m.group(0)) and not used:
                continue
            roles["weapon"].append(_clean(m.group(0)))
        for m in lex.perpetrators.finditer(sent):
            if STATE_WORDS.fullmatch(m.group(0)) and not state_strikes:
                continue
            if m.start() < first or _BY.search(sent[max(0, m.start() - 20) : m.start()]):
                roles["perp_individual"].append(_clean(m.group(0)))
        for m in lex.physical_targets.finditer(sent):
            if m.start() > first or _PASSIVE.match(sent[m.end() :]):
                roles["phys_tgt"].append(_clean(sent[_widen_left(sent, m.start(), lex) : m.end()]))
        for m in lex.person_titles.finditer(sent):
            name = _name_after_title(sent, m.end(), lex)
            if name and (m.start() > first or _VICTIM_AFTER.match(sent[m.end() :])):
                roles["hum_tgt"].append(name)
    # the victims of the article's killings and kidnappings are named anywhere in it ("the murder of
    # ... was carried out by"), not only in the sentence that reports the event
    for m in _VICTIM_CUE.finditer(text):
        pos = m.end()
        while (t := lex.person_titles.match(text, pos)) is not None or (
            t := _VICTIM_LEAD.match(text, pos)
        ) is not None:
            pos = t.end()
            pos += len(text[pos:]) - len(text[pos:].lstrip())
        name = _name_after_title(text, pos, lex)
        if name:
            roles["hum_tgt"].append(name)
    return {r: _distinct(vals)[:MAX_PER_ROLE] for r, vals in roles.items()}


def _distinct(phrases: list[str]) -> list[str]:
    """Phrases in order without repeats; a phrase that ends another one ("substation" after "power
    substation") names the same thing and is dropped."""
    out: list[str] = []
    for p in dict.fromkeys(v for v in phrases if v):
        low = p.lower()
        if any(o.lower().endswith(" " + low) for o in out):
            continue
        out = [o for o in out if not low.endswith(" " + o.lower())]
        out.append(p)
    return out
