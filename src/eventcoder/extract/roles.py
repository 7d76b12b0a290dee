"""Role fillers of an article's incidents: perpetrators (individuals and organisations), human
targets (named people), physical targets and weapons, as phrases written in the article.

This is the template view of event extraction used by the MUC-4 benchmark; it is read off the
coder's own output. Only the sentences of the article's reported violent events (battles,
explosions, violence against civilians, riots, arson; not state forces' air strikes or shelling of
an armed group nor their clashes with one, which are combat), and the other sentences whose own
words report an attack as having happened (a strong asserted trigger), are searched for
perpetrators, targets and weapons, so an article that reports no such incident gets none of those;
nor does a sentence that tells of the past (a year before the report's, "years ago") or of what did
not happen (denied, intended, defused before it went off: data/roles.yaml's ``unreal``). In those
sentences:

* perpetrator organisation: the coded side-A actor (and its associates), one filler per actor, as
  the article names it; with none, the armed group the article says claimed the incident or blames
  for it (a dictionary actor of rebel or militia type in a sentence of claim or attribution);
* perpetrator individual: a perpetrator word (data/roles.yaml) on the doing side of the event word
  (before it, or after "by") with the count and modifiers before it ("A GROUP OF SOME 30 HOODED
  MEN"), a generic side-A actor, or a person the article names as the perpetrator (see below); a
  perpetrator word that describes the next noun ("THE GUERRILLA ATTACK") only when no other
  perpetrator, individual or organisation, is found; a bare "REBELS" or "MEN" only when no more
  specific perpetrators ("URBAN GUERRILLAS", "THREE HEAVILY ARMED MEN", a named suspect) are;
* weapon: weapon words anywhere in the sentences (a generic "explosives" beside a specific one
  names no second weapon), not in a sentence of finds and seizures or an inventory of three or more
  counted weapons ("25 MISSILES, 915 RIFLES, 40 MORTARS");
* physical target: target head words on the receiving side (after the event word, or subject of
  "was bombed/attacked/destroyed"), widened to their noun phrase and, for heads such as "offices",
  to the "of" phrase that names them; outside bombings, not a building after "in/at/near" (where
  people were killed, not what was attacked); not a place of work or study that names a person
  ("UNIVERSITY STUDENT ...", "THE DIRECTOR OF THE COLUMBUS SCHOOL"); not a military target (a
  brigade's headquarters, a post, a helicopter: attacks on the forces are combat); a bare "building",
  "offices" or "car" only when nothing more specific is named.

People are read anywhere in the article, since reports name victims and suspects in later
sentences or recalled incidents: runs of words that read as a name (a given name from
data/given_names.txt first, or words the spaCy model's vocabulary does not know, in upper-case
copy where capitals tell nothing; not places the gazetteer knows) that cue lists of
data/roles.yaml put in a role: the subject of "was killed / were taken hostage" or the name after
"the murder of", "gunmen killed", "released", "the dead were identified as" or before "-- ONE OF
THOSE MASSACRED" is a human target; the subject of
"was arrested / is responsible for" or the name after "ordered by" or "the arrest of" a
perpetrator individual (with the title before it). A title ("MAYOR ...") before a name followed
by "was killed" names a human target too, and named victims are kept even when the coder typed
the report as non-violent (the protest over a judge's murder). A victim named only in sentences
that tell of the past ("THE 1980 ASSASSINATION OF ...", "TWO YEARS AGO") is not this report's, nor
is a fighter named only where the report tells of combat ("WHO WAS WOUNDED IN COMBAT").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from ..nlp import Analysis, Sentence, is_upper_text
from ..records import CodedArticle, Event
from ..resources import data_path, word_alternation
from .actors import find_actors
from .events import TriggerLexicon, sentence_triggers

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer
    from ..resources import Resources
    from .actors import ActorDictionary
    from .role_model import RoleModel

ROLES = ("perp_individual", "perp_organization", "hum_tgt", "phys_tgt", "weapon")
NAME_ROLES = {"hum_tgt", "perp_individual"}  # where two phrases may be the same person's name
# Riots count too: a mob that burns buses or stones a mayor's house commits the arson or attack a
# template records.
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
# Taking or retaking ground is not an attack on people or property: the template roles belong to
# attacks, bombings, killings and kidnappings (and to the clashes news often calls attacks).
NOT_ATTACKS = {"Government regains territory", "Non-state actor overtakes territory"}
# Arson and wrecking of property are the attacks on buildings and vehicles a template records,
# though ACLED files them under strategic developments.
PROPERTY = "Looting/property destruction"
# A sentence outside the coded events whose own words report an attack this strongly (trigger
# weight, data/triggers.yaml) is searched too: the coder types a frame by its most telling event,
# and the attacks it tells of besides ("... STAGED ATTACKS ON THE BRIGADE HEADQUARTERS ... TROOPS
# CONDUCTED SEARCHES AND ARRESTS", typed Arrests) still have perpetrators and targets.
STRONG_TRIGGER = 0.7

# Strikes from the air and shelling by state forces at armed groups are combat, not attacks a
# template records (those are the strikes that hit civilians).
STATE_COMBAT = {"Air/drone strike", "Shelling/artillery/missile attack"}


def is_incident(ev: Event) -> bool:
    """Whether the event is an incident whose roles the template records: an attack, bombing,
    killing, kidnapping or arson (or the clash news calls an attack), not state forces' air strikes
    or shelling of an armed group, nor a clash they fought, nor the taking of ground."""
    if (ev.event_type not in VIOLENT or ev.sub_event_type in NOT_ATTACKS) and ev.sub_event_type != PROPERTY:
        return False
    state = ev.actor1 is not None and ev.actor1.inter == 1
    civilians = ev.actor2 is not None and ev.actor2.inter in (6, 7)
    if ev.sub_event_type == "Armed clash" and state:
        return False  # the army's or police's own clash with an armed group: combat
    return not (ev.sub_event_type in STATE_COMBAT and state and not civilians)
SMALL_ARMS = re.compile(r"rifle|pistol|revolver|gun|bullet|firearm|knife|knives|machete|stone", re.I)
_WITH = re.compile(r"\b(?:with|using|fired|hurled|threw|placed|planted|detonated)\s+(?:\w+\s+){0,3}$", re.I)
_SEIZED = re.compile(
    r"\b(?:seized|found|confiscated|captured|recovered|discovered|seizure|cache|arsenal|surrendered)\b", re.I
)
STATE_WORDS = re.compile(r"soldiers|troops|policemen|police\s+officers|security\s+forces", re.I)
MAX_PER_ROLE = 6  # a report names a few of each (often more than three); longer lists are inventories
_PASSIVE = re.compile(
    r"^\s+(?:was|were|has been|have been|had been)\s+(?:\w+\s+)?"
    r"(?:bombed|attacked|destroyed|dynamited|burned|burnt|blown up|damaged|set on fire|hit|machinegunned|raided)\b",
    re.I,
)
_COUNTED = re.compile(r"\b\d[\d,]*\s+(?:[A-Za-z0-9\-]+\s+){0,2}$")
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


_INFLECTIONS = (("ies", "y"), ("men", "man"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""))


class English:
    """English words by part of speech, with regular inflections."""

    def __init__(self, by_pos: dict[str, frozenset[str]]):
        self.by_pos = by_pos
        self.all = frozenset().union(*by_pos.values())
        self._only: dict[tuple[str, str], bool] = {}  # answers kept: the same words recur in every report

    def _has(self, word: str, words: frozenset[str]) -> bool:
        if word in words:
            return True
        return any(
            word.endswith(suffix) and len(word) > len(suffix) + 2 and word[: -len(suffix)] + repl in words
            for suffix, repl in _INFLECTIONS
        )

    def known(self, word: str) -> bool:
        return self._has(word, self.all)

    def is_plural_noun(self, word: str) -> bool:
        """Whether the word is the regular plural of an English noun ("priests", "leaders")."""
        nouns = self.by_pos.get("noun", frozenset())
        return any(
            word.endswith(suffix) and word[: -len(suffix)] + repl in nouns for suffix, repl in (("es", ""), ("s", ""))
        )

    def only(self, word: str, pos: str) -> bool:
        """Whether the word is English only as `pos` ("met": a verb; "northwestern": an adjective)."""
        key = (word, pos)
        if (hit := self._only.get(key)) is not None:
            return hit
        words = self.by_pos.get(pos, frozenset())
        answer = self._has(word, words) and not any(
            self._has(word, w) for p, w in self.by_pos.items() if p != pos and p != "adv"
        )
        if len(self._only) < 200_000:
            self._only[key] = answer
        return answer


@dataclass(frozen=True)
class RoleLexicon:
    perpetrators: re.Pattern[str]
    physical_targets: re.Pattern[str]
    weapons: re.Pattern[str]
    person_titles: re.Pattern[str]
    organisation_heads: re.Pattern[str]
    perpetrators_more: re.Pattern[str]  # the candidates' wider lists (role_candidates)
    physical_targets_more: re.Pattern[str]
    words: frozenset[str]  # every lexicon word (not part of a person's name)
    cues: dict[str, str]  # regex alternations of the context cue lists (data: roles.yaml 'cues')
    given_names: frozenset[str] = frozenset()  # data/given_names.txt, lower case

    @classmethod
    def load(cls, path: Path | None = None, names: Path | None = None) -> RoleLexicon:
        with open(path or data_path("roles.yaml"), encoding="utf-8") as fh:
            d = yaml.safe_load(fh)
        with open(names or data_path("given_names.txt"), encoding="utf-8") as fh:
            given = frozenset(ln.strip().lower() for ln in fh if ln.strip() and not ln.lstrip().startswith("#"))

        def alt(*keys: str) -> re.Pattern[str]:
            words = [w for key in keys for w in d.get(key, [])]
            return re.compile(rf"(?<![\w-])(?:{word_alternation(words)})(?![\w-])", re.I)

        words = {w.lower() for key in d if key != "cues" for phrase in d[key] for w in str(phrase).split()}
        return cls(
            perpetrators=alt("perpetrators"),
            physical_targets=alt("physical_targets"),
            weapons=alt("weapons"),
            person_titles=alt("person_titles"),
            organisation_heads=alt("organisation_heads"),
            perpetrators_more=alt("perpetrators_more", "perpetrators"),
            physical_targets_more=alt("physical_targets_more", "physical_targets"),
            words=frozenset(words),
            cues={name: _cue_alternation(items) for name, items in (d.get("cues") or {}).items()},
            given_names=given,
        )

    def cue(self, name: str, before: str = r"\b", after: str = r"\b") -> re.Pattern[str]:
        """The cue list ``name`` as a case-insensitive regex between ``before`` and ``after``."""
        return _compiled(before + "(?:" + self.cues.get(name, "(?!)") + ")" + after)


def _cue_alternation(items: list[object]) -> str:
    """Longest first; a trailing * is any ending; the words of a phrase may be parted by any space
    (a line break in a wire report)."""
    phrases = sorted({str(w) for w in items if w}, key=lambda p: (-len(p), p))
    def one(p: str) -> str:
        words = p[:-1].split() if p.endswith("*") else p.split()
        return r"\s+".join(map(re.escape, words)) + (r"\w*" if p.endswith("*") else "")

    return "|".join(one(p) for p in phrases)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


@lru_cache(maxsize=2)
def default_roles() -> RoleLexicon:
    return RoleLexicon.load()


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# a wire dateline's date: "14 NOV 89", "3 March 1990"
_DATELINE_DATE = re.compile(
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4}|\d{2})\b", re.I
)


def report_year(coded: CodedArticle) -> int | None:
    """The year the report is written in: its publication date, else its first dated line's year,
    else the latest year it names."""
    if coded.article.published:
        return coded.article.published.year
    text = coded.article.text
    m = _DATELINE_DATE.search(text[:400])
    if m:
        y = int(m.group(1))
        return y if y >= 100 else (1900 + y if y >= 50 else 2000 + y)
    return max((int(y) for y in _YEAR.findall(text)), default=None)


def past_told(sentence: str, year: int | None, lex: RoleLexicon) -> bool:
    """Whether the sentence tells of something past: a cue of data/roles.yaml ("years ago",
    "anniversary") or a year before the report's ``year`` ("THE MARCH 1980 ASSASSINATION OF ...")."""
    if lex.cue("past").search(sentence):
        return True
    return year is not None and any(int(y) < year for y in _YEAR.findall(sentence))


def _clean(phrase: str) -> str:
    phrase = " ".join(phrase.split()).strip(" ,.;:\"'")
    return re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)


def _event_sentences(coded: CodedArticle, text: str) -> list[tuple[int, int, list[int], list[int]]]:
    """(start, end, evidence starts, trigger ends) of every sentence of a reported violent event:
    where the words that typed the event begin (an armed group's name among them) and where the
    event word itself ends ("shot dead"; an armed group's name when that alone typed it)."""
    out: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
    for ev in coded.reported:
        if not is_incident(ev):
            continue
        main = [ev.trigger.end] if ev.trigger is not None else []
        evidence = [s.start for s in ev.evidence.get("event_type", [])]
        evidence += [ev.trigger.start] if ev.trigger is not None else []
        for s in ev.evidence.get("sentences", []):
            ev_set, main_set = out.setdefault((s.start, s.end), (set(), set()))
            ev_set.update(t for t in evidence if s.start <= t < s.end)
            main_set.update(t for t in (main or evidence) if s.start < t <= s.end)
    return [(a, b, sorted(e), sorted(t)) for (a, b), (e, t) in sorted(out.items())]


def _attack_sentences(
    text: str,
    known: list[tuple[int, int, list[int], list[int]]],
    triggers: TriggerLexicon,
    bounds: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int, list[int], list[int]]]:
    """Sentences not among ``known`` (as :func:`_event_sentences` gives them) whose own words report
    an attack, bombing, killing or arson as having happened (an asserted trigger of weight
    STRONG_TRIGGER or more; not clashes, nor air strikes or shelling, which without the coded sides
    are as likely combat), with the starts and ends of those words. ``bounds``: the text's
    :func:`sentence_bounds`, when already read."""
    out = []
    for a, b in bounds if bounds is not None else sentence_bounds(text):
        if any(a < y and x < b for x, y, _, _ in known):
            continue
        hits = [
            t
            for t in sentence_triggers(Sentence(index=0, start=a, end=b, text=text[a:b]), triggers)
            if t.modality == "asserted"
            and t.weight >= STRONG_TRIGGER
            and (t.event_type in VIOLENT or t.sub_event_type == PROPERTY)
            and t.sub_event_type not in NOT_ATTACKS | STATE_COMBAT | {"Armed clash"}
        ]
        if hits:
            out.append((a, b, [min(t.span.start for t in hits)], [min(t.span.end for t in hits)]))
    return out


def _modifier_use(word: str, after: str, lex: RoleLexicon) -> bool:
    """A singular perpetrator word followed by another noun ("GUERRILLA ATTACK") describes it."""
    if word.lower().endswith(("s", "men", "people")):  # plurals: "GUNMEN SHOT", "GUERRILLAS BURNED"
        return False
    nxt = re.match(r"\s+([A-Za-z][A-Za-z\-]*)", after)
    if nxt is None or lex.cue("not_modified", before=r"^\s+").match(after):
        return False
    low = nxt.group(1).lower()
    return low not in STOP_WORDS and not low.endswith("ed")


def _with_number(sent: str, start: int, end: int, lex: RoleLexicon) -> str:
    """The perpetrator words with the count and the modifiers before them ("THREE HEAVILY ARMED
    MEN", "A GROUP OF SOME 30 GUERRILLAS", "UNIDENTIFIED GUNMEN"), as reports and templates write a
    group of perpetrators."""
    counts = _compiled(
        rf"(?:\b(?:(?:\d+|{lex.cues.get('counts', '(?!)')})\s+){{1,3}})?"
        rf"(?:(?:{lex.cues.get('count_modifiers', '(?!)')})\s+)*$"
    )
    m = counts.search(sent[max(0, start - 60) : start])
    return sent[max(0, start - 60) + m.start() : end] if m and m.group(0) else sent[start:end]


def _members_of(text: str, actor_start: int, actor_end: int, lex: RoleLexicon) -> str | None:
    """ "MEMBERS OF THE FMLN" when the actor's name follows "members of": the individuals."""
    members = _compiled(
        rf"\b(?:(?:\d+|{lex.cues.get('member_counts', '(?!)')})\s+)?(?:{lex.cues.get('group_members', '(?!)')})"
        r"\s+of\s+(?:the\s+)?$"
    )
    m = members.search(text[max(0, actor_start - 40) : actor_start])
    return text[max(0, actor_start - 40) + m.start() : actor_end] if m else None


def _actor_fillers(
    ev: Event, roles: dict[str, list[str]], lex: RoleLexicon, text: str = "", seen: set[str] | None = None
) -> None:
    """The event's side-A actors as fillers; ``seen`` (canonical names already given) keeps one
    filler per actor, so that "FMLN" after "FARABUNDO MARTI NATIONAL LIBERATION FRONT" is not a
    second organisation."""
    seen = set() if seen is None else seen
    for actor in [ev.actor1, *ev.assoc_actor1]:
        if actor is None or not actor.matched or actor.inter in (7, 8):
            continue
        key = actor.actor_id or actor.name
        if key in seen and actor.in_dictionary:
            continue
        if actor.inter == 1 and not (ev.actor2 is not None and ev.actor2.inter in (6, 7)):
            continue  # state forces are perpetrators when they strike civilians, not when they respond
        seen.add(key)
        name = _clean(actor.matched)
        # "guerrillas", "unidentified gunmen": individuals, not a group (the perpetrator word is the head)
        generic = any(
            h.end() == len(name) and _with_number(name, h.start(), h.end(), lex) == name
            for h in lex.perpetrators.finditer(name)
        )
        roles["perp_individual" if generic else "perp_organization"].append(name)
        if not generic and actor.span is not None and text:
            members = _members_of(text, actor.span.start, actor.span.end, lex)
            if members:
                roles["perp_individual"].append(_clean(members))


def _name_after_title(text: str, end: int, lex: RoleLexicon, english: English | None = None) -> str | None:
    """The two to four name words right after a title ("MAYOR ANDRES FELIPE ORTIZ"). A possessive
    ends the name ("MAURICIO STUBIG'S" -> MAURICIO STUBIG); with English words known, so do a verb
    ("... WARNED") and an English plural ("JESUIT PRIESTS", "AEU LEADERS"), and upper-case words
    that are all English and none a given name ("SECOND SECRETARY") are no name."""
    words: list[str] = []
    pos = end
    for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*\.?", text[end : end + 60]):
        gap = text[pos : end + m.start()]
        if words and gap.strip() != "":
            break  # a comma or other punctuation ends the name
        if not words and gap.strip() not in ("", ","):
            break
        w = m.group(0).rstrip(".")
        possessive = re.search(r"(?:'S|'s|’s|')$", w)
        if possessive:
            w = w[: possessive.start()]
        low = w.lower()
        if low in STOP_WORDS or low in _NOT_NAMES or low in lex.words or len(w) < 2:
            break
        if english is not None and (english.only(low, "verb") or (low.endswith("s") and english.is_plural_noun(low))):
            break
        words.append(w)
        pos = end + m.end()
        if len(words) == 4 or possessive:
            break
    if (
        english is not None
        and all(w.isupper() for w in words)
        and all(english.known(w.lower()) and w.lower() not in lex.given_names for w in words)
    ):
        return None  # upper-case "LARGE NUMBER", "SECOND SECRETARY": English words, not a name
    return " ".join(words) if len(words) >= 2 else None


_PARTICLES = frozenset({"de", "del", "la"})  # inside Spanish names: "ANGELA PIEDAD DE GUERRERO"
# a word of a name: an apostrophe inside it (O'HIGGINS, D'AUBUISSON), not a possessive ending, so
# that "CEREZO'S" ends the name at CEREZO
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z\-]|'(?=[A-Za-z])(?![Ss]\b))*")
_SPEAKER_AFTER = re.compile(
    r"\s*,?\s*(?:said|says|stated|added|announced|reported|noted|told|explained|asserted|declared)\b", re.I
)
_SENT_BREAK = re.compile(r"[.;:!?](?=\s|$)|\n\s*\n|--")


def word_runs(
    text: str, eligible: Callable[[str, str], bool], joined_by: Callable[[str], bool] = str.isspace
) -> list[list[re.Match[str]]]:
    """Runs of consecutive words that ``eligible(word, lower_case_word)`` accepts, parted only by a
    gap ``joined_by`` accepts; DE / DEL / LA inside a run belong to it, at its end they do not.
    The words of what may be a person's name ("ANGELA PIEDAD DE GUERRERO")."""
    runs: list[list[re.Match[str]]] = [[]]
    for w in _WORD.finditer(text):
        low = w.group(0).lower()
        prev = runs[-1][-1] if runs[-1] else None
        joined = prev is not None and joined_by(text[prev.end() : w.start()])
        ok = eligible(w.group(0), low)
        if low in _PARTICLES and runs[-1]:
            ok = joined
        if ok and (joined or not runs[-1]):
            runs[-1].append(w)
        else:
            runs.append([w] if ok else [])
    for run in runs:
        while run and run[-1].group(0).lower() in _PARTICLES:
            run.pop()
    return [run for run in runs if run]


def name_runs(
    text: str, lex: RoleLexicon, english: English | None, gazetteer: Gazetteer | None = None
) -> list[tuple[int, int]]:
    """Spans of what reads as a person's name: two to five words that are neither function words
    nor role words (titles included), with at least one that is not an English word in upper-case
    copy (where capitals tell nothing), capitalised in ordinary copy. Not a name: a run that starts
    with an adjective or a demonym ("SALVADORAN LEFTIST"), that an organisation or place word follows
    ("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "TRES PLAYITAS HAMLET", "JUAN PABLO II BOULEVARD"),
    or that the gazetteer knows as a place."""
    upper = is_upper_text(text)
    if upper and english is None:
        return []

    def eligible(word: str, low: str) -> bool:
        if low in STOP_WORDS or low in lex.words or len(low) < 2 or low in _NOT_NAMES:
            return False
        if upper:
            return english is None or not english.only(low, "verb")
        return word[0].isupper()

    place_start = lex.cue("place_name_starts", after=r"$")
    place_head = lex.cue("place_heads", before="^", after="$")
    out: list[tuple[int, int]] = []
    unsure: list[tuple[int, int]] = []  # read as a name only if the article names the person in full
    for run in word_runs(text, eligible, joined_by=lambda gap: gap in (" ", "\n")):
        if not 2 <= len(run) <= 5:
            continue
        lows = [w.group(0).lower() for w in run]
        if english is not None and upper:
            # "COLLEAGUE MARIELA ...", "SPANIARD FRANCISCO PUJA": English words before the name
            # describe the person (a given name that is also a word, ANGEL or VICTORIA, stays)
            while len(run) > 2 and lows[0] not in lex.given_names and english.known(lows[0]):
                run, lows = run[1:], lows[1:]
        start, end = run[0].start(), run[-1].end()
        if place_start.match(lows[0]):
            continue  # "SAN CARLOS", "PUERTO LIBERTADOR"
        given = lows[0] in lex.given_names
        if english is not None and not given:
            if english.only(lows[0], "adj"):
                continue
            if upper:
                # without a given name first: two words that are not English, the last among them
                # ("OQUELI COLINDRES"; not "TRES PLAYITAS HAMLET"), and not a province's name last
                unknown = [not english.known(w) for w in lows if w not in _PARTICLES]
                if (
                    sum(unknown) < 2
                    or not unknown[-1]
                    or (gazetteer is not None and any(f.level != "place" for f in gazetteer.lookup(lows[-1])))
                ):
                    unsure.append((start, end))
                    continue
        nxt = re.match(r"\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?", text[end : end + 40])
        if nxt and (
            lex.organisation_heads.fullmatch(nxt.group(1))
            or place_head.match(nxt.group(1))
            or (nxt.group(2) and lex.organisation_heads.fullmatch(f"{nxt.group(1)} {nxt.group(2)}"))
        ):
            # "FARABUNDO MARTI NATIONAL LIBERATION FRONT", "TRES PLAYITAS HAMLET", "ZARATE WILKA ARMED FORCES"
            continue
        if gazetteer is not None and (gazetteer.country_of_demonym(lows[0]) is not None or gazetteer.lookup(text[start:end])):
            continue
        out.append((start, end))
    # ... unless the article names that person in full: "DELGADO PARKER" after "HECTOR DELGADO PARKER"
    names = {" ".join(text[a:b].split()).upper() for a, b in out}
    for a, b in unsure:
        tail = " " + " ".join(text[a:b].split()).upper()
        if any(n.endswith(tail) for n in names):
            out.append((a, b))
    return sorted(out)


def victim_names(
    text: str,
    lex: RoleLexicon,
    english: English | None,
    gazetteer: Gazetteer | None = None,
    runs: list[tuple[int, int]] | None = None,
) -> list[str]:
    """People the article names as victims of a killing, kidnapping or attack, in order: the
    subjects of "... was killed / were taken hostage" (a relative "X, who was kidnapped" too), the
    names after "the murder ... of", "the attack against", "gunmen killed", "released", "the victims
    were identified as" up to the end of that phrase, and the name just before "-- one of those
    massacred". Never a name that speaks ("X said"). ``runs``: the article's :func:`name_runs`,
    when already read."""
    return _cued_names(text, lex, english, gazetteer, "victim", runs=runs)


def perpetrator_names(
    text: str,
    lex: RoleLexicon,
    english: English | None,
    gazetteer: Gazetteer | None = None,
    runs: list[tuple[int, int]] | None = None,
) -> list[str]:
    """People the article names as the perpetrators of an incident: the subjects of "... was
    arrested / were charged", of "... is responsible for / ordered / carried out", and the names
    after "ordered by", "on orders from", "the arrest of" (cue lists: roles.yaml), with the title
    before them. ``runs``: the article's :func:`name_runs`, when already read."""
    return _cued_names(text, lex, english, gazetteer, "perpetrator", titled=True, runs=runs)


_PREP = re.compile(r"\b(?:to|of|for|with|from|by)\b", re.I)
_OF_AFTER = r"\b(?:[^.;:,()]{0,40}?\s)?(?:of|against|on)\s"
_LIST_AFTER = (
    r"\b[^.;]{0,40}?\b(?:identified(?:\s+by\s+\w+)?(?:\s+as)?|named(?:\s+as)?|include[sd]?|were|was|are|is)\b\s*:?\s*"
)
_LIST_BREAK = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_BE = r"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been|being)\s+(?:\w+\s+){0,2}?"


def _cued_names(
    text: str,
    lex: RoleLexicon,
    english: English | None,
    gazetteer: Gazetteer | None,
    kind: str,
    titled: bool = False,
    runs: list[tuple[int, int]] | None = None,
) -> list[str]:
    """Names standing where the cue lists ``{kind}_passives`` (the subject: "X was killed"),
    ``{kind}_predicates`` (the subject: "X ordered"), ``{kind}_nouns`` (after "... of": "the murder
    of X"), ``{kind}_objects`` (right after: "gunmen killed X") and ``{kind}_appositions`` (right
    before: "X -- ONE OF THOSE MASSACRED") put a person of that role. With
    ``titled``, a title right before the name is part of it ("COLONEL X", as perpetrators are listed)."""
    if runs is None:
        runs = name_runs(text, lex, english, gazetteer)
    runs = [r for r in runs if not _SPEAKER_AFTER.match(text, r[1])]
    if not runs:
        return []
    found: list[tuple[int, int]] = []
    clause = lex.cue("clause_starts")
    subjects = [
        *lex.cue(f"{kind}_passives", before=_BE).finditer(text),
        *lex.cue(f"{kind}_predicates", before=r"\s").finditer(text),
    ]
    for m in subjects:
        base = max(0, m.start() - 250)
        before = text[base : m.start()]
        breaks = [b.end() for b in _SENT_BREAK.finditer(before)]
        begin = base + (breaks[-1] if breaks else 0)
        rel = re.search(r",?\s*who\s+$", before, re.I)
        if rel:  # "ERNESTINA UMANZOR, WHO WAS KIDNAPPED": the name just before
            at = base + rel.start()
            found.extend([r for r in runs if begin <= r[0] and r[1] <= at and at - r[1] < 5][-1:])
            continue
        begin = max([begin, *(c.end() for c in clause.finditer(text, begin, m.start()))])
        if re.search(r"\bby\b", text[begin : m.start()], re.I):
            continue
        found.extend(r for r in runs if begin <= r[0] and r[1] <= m.start())
    # "JOSE IGNACIO ELLACURIA -- ONE OF THOSE MASSACRED --": the name just before an apposition of the role
    for m in lex.cue(f"{kind}_appositions", before=r"(?:,|--|\()\s*").finditer(text):
        found.extend([r for r in runs if r[1] <= m.start() and m.start() - r[1] < 3][-1:])
    end_words = lex.cue(f"{kind}_object_end")
    objects = [
        *((m, False) for m in lex.cue(f"{kind}_nouns", after=_OF_AFTER).finditer(text)),
        *((m, False) for m in lex.cue(f"{kind}_objects", after=r"\s").finditer(text)),
        # "the dead were identified as X, 42, ...; Y, ...": a list to the end of the sentence
        *((m, True) for m in lex.cue(f"{kind}_heads", after=_LIST_AFTER).finditer(text)),
    ]
    for m, listing in objects:
        stop = min(len(text), m.end() + (400 if listing else 160))
        if (b := (_LIST_BREAK if listing else _SENT_BREAK).search(text, m.end(), stop)) is not None:
            stop = b.start()
        if not listing and (e := end_words.search(text, m.end(), stop)) is not None:
            stop = e.start()
        inside = [r for r in runs if m.end() <= r[0] and r[1] <= stop]
        if inside and inside[0][0] - m.end() <= 60:
            # a name inside an apposition's phrase ("..., A FORMER ADVISER TO PRESIDENT X") is
            # someone else, not one more victim
            keep = inside[:1]
            for r in inside[1:]:
                seg = re.split(r"[,;]", text[m.end() : r[0]])[-1]
                if not _PREP.search(seg):
                    keep.append(r)
            found.extend(keep)
    # a surname named in full elsewhere is that person: "DELGADO PARKER" after "HECTOR DELGADO PARKER"
    full: dict[str, tuple[int, int]] = {}
    for a, b in runs:
        words = text[a:b].split()
        for k in range(1, len(words)):
            key = " ".join(words[k:]).upper()
            if key not in full or full[key][1] - full[key][0] < b - a:
                full[key] = (a, b)
    found = [full.get(" ".join(text[a:b].split()).upper(), (a, b)) for a, b in found]
    out = []
    for a, b in sorted(set(found)):
        for _ in range(3 if titled else 0):  # "LIEUTENANT COLONEL", "VICE PRESIDENT"
            t = _TITLE_BEFORE.search(text, max(0, a - 40), a)
            if t is None or not lex.person_titles.fullmatch(t.group(1)):
                break
            a = t.start(1)
        out.append(" ".join(text[a:b].split()))
    return out


_TITLE_BEFORE = re.compile(r"\b([A-Za-z]+)\s+$")


_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a text, split at sentence punctuation and blank lines (the
    coarse split the role readers need, without the language model)."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return bounds


def claimed_organisations(coded: CodedArticle, lex: RoleLexicon, actors: ActorDictionary) -> list[str]:
    """Armed groups (dictionary actors of rebel or militia type) the article names in a sentence of
    claim or attribution ("the attack was attributed to the Shining Path", "the ELN claimed
    responsibility"), in text order."""
    text = coded.article.text
    claim = lex.cue("claim")
    sents = [Sentence(index=i, start=a, end=b, text=text[a:b]) for i, (a, b) in enumerate(sentence_bounds(text))]
    keep = [s.index for s in sents if claim.search(s.text)]
    if not keep:
        return []
    out = []
    for m in find_actors(Analysis(article=coded.article, sentences=[sents[i] for i in keep]), actors):
        if m.actor.inter in (2, 3) and m.actor.matched and not m.generic:
            out.append(_clean(m.actor.matched))
    return out


_STOP_OF = re.compile(r"[A-Za-z][A-Za-z'\-]*|[0-9]+[A-Za-z]*")


def _of_steps(text: str, end: int, steps: int = 6) -> list[int]:
    """Ends of "HEAD OF [THE] X Y Z" with one, two, ... words after OF (at most `steps`), stopping
    at punctuation, a verb-like word or a function word other than AND/OF/THE."""
    m = re.match(r"\s+of\s+(?:the\s+)?", text[end : end + 12], re.I)
    if m is None:
        return []
    out: list[int] = []
    pos = end + m.end()
    for w in _STOP_OF.finditer(text, pos, min(len(text), pos + 120)):
        if text[pos : w.start()].strip():
            break
        low = w.group(0).lower()
        if low in STOP_WORDS and low not in ("and", "of", "the"):
            break
        if low.endswith(("ed", "ing")) or low in ("said", "says"):
            break
        pos = w.end()
        if low not in ("and", "of", "the"):
            out.append(pos)
        if len(out) == steps:
            break
    return out


_AT_PLACE = re.compile(
    r"\b(?:in|at|near|outside|inside|from|into|on)\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+|their\s+)?$", re.I
)
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


def extract_roles(
    coded: CodedArticle,
    lexicon: RoleLexicon | None = None,
    resources: Resources | None = None,
    method: str = "rules",
    model: RoleModel | None = None,
) -> dict[str, list[str]]:
    """Fillers per role (see ROLES), each a phrase of the article, without duplicates.

    ``method="rules"`` reads them with the rules of this module; ``method="model"`` scores every
    candidate filler (:mod:`.role_candidates`) with the trained role-filler model (``model``, or the
    shipped ``data/role_model.json``), with the dictionaries of ``resources`` when given."""
    lex = lexicon or default_roles()
    if method == "rules":
        english = resources.english if resources is not None else None
        gazetteer = resources.gazetteer if resources is not None else None
        actors = resources.actors if resources is not None else None
        triggers = resources.lexicon if resources is not None else None
        return _rule_roles(coded, lex, english, gazetteer, actors, triggers)
    if method != "model":
        raise ValueError(f"unknown role method {method!r} (rules or model)")
    from .role_candidates import RoleRefs, candidates
    from .role_model import default_model

    model = model or default_model()
    if model is None:
        raise FileNotFoundError("no role model: data/role_model.json is missing (scripts/train_roles.py)")
    refs = RoleRefs.of(resources) if resources is not None else None
    return model.decode(candidates(coded, lex, refs), ROLES)


def _rule_roles(
    coded: CodedArticle,
    lex: RoleLexicon,
    english: English | None = None,
    gazetteer: Gazetteer | None = None,
    actors: ActorDictionary | None = None,
    triggers: TriggerLexicon | None = None,
) -> dict[str, list[str]]:
    text = coded.article.text
    roles: dict[str, list[str]] = {r: [] for r in ROLES}
    sentences = _event_sentences(coded, text)
    bounds = sentence_bounds(text)
    if triggers is not None:
        sentences = sorted(sentences + _attack_sentences(text, sentences, triggers, bounds))
    if not sentences:
        # a named victim of a killing or kidnapping is an incident the coder may have typed as
        # something else (the protest over a judge's murder)
        roles["hum_tgt"] = _distinct(victim_names(text, lex, english, gazetteer), names=True)[:MAX_PER_ROLE]
        return roles
    seen: set[str] = set()
    year = report_year(coded)
    for ev in coded.reported:
        if is_incident(ev):
            _actor_fillers(ev, roles, lex, text, seen)
    # state forces are perpetrators only where the coder has them strike civilians
    state_strikes = any(
        ev.actor1 is not None and ev.actor1.inter == 1 and ev.actor2 is not None and ev.actor2.inter in (6, 7)
        for ev in coded.reported
    )
    described: list[str] = []
    bombed = {
        (s.start, s.end)
        for ev in coded.reported
        if ev.event_type == "Explosions/Remote violence"
        for s in ev.evidence.get("sentences", [])
    }
    killed_after = lex.cue("casualty_passives", before=r"\s+(?:\w+\s+){0,2}?" + _BE)
    died_after = lex.cue("deaths", before=r"\s+(?:\w+\s+){0,2}?")
    of_heads = lex.cue("of_heads", before="^", after="$")
    # perpetrator words that are the object of another word are not the doers; one describing word
    # may stand between ("WITH THE SALVADORAN REBELS"), not a time ("ON TUESDAY GUERRILLAS ATTACKED")
    object_of = lex.cue(
        "object_words",
        after=rf"\s+(?:(?:the|a|an|these|those|their|its)\s+)?(?:(?!(?:{lex.cues.get('time_words', '(?!)')})\b)[A-Za-z]+\s+)?$",
    )
    person = rf"(?:{lex.cues.get('person_nouns', '(?!)')}|{lex.person_titles.pattern})"
    military = lex.cue("military_targets")
    person_after = _compiled(rf"\s+{person}\b")
    person_of = _compiled(rf"\b{person}\s+(?:of|at)\s+(?:the\s+)?$")
    unreal = lex.cue("unreal")
    for start, end, evidence, triggers in sentences:
        sent = text[start:end]
        if past_told(sent, year, lex):
            continue  # "IN JULY 1989 THE SHINING PATH BOMBED A BUS ...": an earlier incident
        if unreal.search(sent):
            continue  # "THE ARMY DENIED THAT GUERRILLAS ATTACKED ...", "... WOULD HAVE DESTROYED"
        # targets stand after the first word that typed the event, perpetrators before the event
        # word itself ("UNIDENTIFIED GUNMEN TODAY SHOT DEAD ...": the gunmen typed it too)
        first = (min(evidence) - start) if evidence else len(sent)
        acted = (min(triggers) - start) if triggers else len(sent)
        seized = bool(_SEIZED.search(sent))
        counted = [m for m in lex.weapons.finditer(sent) if _COUNTED.search(sent[max(0, m.start() - 25) : m.start()])]
        if len(counted) >= 3:
            seized = True  # "25 ANTIAIRCRAFT MISSILES, 915 RIFLES, 40 MORTARS ...": an inventory
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
            if _modifier_use(m.group(0), sent[m.end() : m.end() + 30], lex):
                # "THE TERRORIST ATTACK": the word describes the next noun; it names the perpetrators
                # only when nothing else in the event's sentences does
                described.append(_clean(m.group(0)))
                continue
            if killed_after.match(sent, m.end()) or died_after.match(sent, m.end()):
                continue  # "11 SUBVERSIVES WERE KILLED": the dead of a clash, not its perpetrators
            phrase = _with_number(sent, m.start(), m.end(), lex)
            at = m.end() - len(phrase)  # "BY UNIDENTIFIED GUNMEN": "by" before the modifiers
            if m.start() < acted or _BY.search(sent[max(0, at - 20) : at]):
                if object_of.search(sent[max(0, at - 40) : at]):
                    continue  # "TALKS WITH THE REBELS", "THE NUMBER OF GUERRILLAS KILLED"
                roles["perp_individual"].append(_clean(phrase))
        for m in lex.physical_targets.finditer(sent):
            if m.start() > first or _PASSIVE.match(sent[m.end() :]):
                left = _widen_left(sent, m.start(), lex)
                if (start, end) not in bombed and _AT_PLACE.search(sent[max(0, left - 12) : left]):
                    continue  # where people were killed or seized, not what was attacked (a bomb's is)
                right = m.end()
                if of_heads.match(m.group(0)) and (of := _of_steps(sent, right)):
                    right = of[-1]  # "the offices of the deputy mayor", not "offices"
                if person_after.match(sent, right) or person_of.search(sent[max(0, left - 40) : left]):
                    continue
                if military.search(sent[left:right]):
                    continue  # "THE HEADQUARTERS OF THE 1ST INFANTRY BRIGADE": combat, not terrorism  # "UNIVERSITY STUDENT MARIO FLORES", "DIRECTOR OF THE COLUMBUS SCHOOL"
                roles["phys_tgt"].append(_clean(sent[left:right]))
        for m in lex.person_titles.finditer(sent):
            name = _name_after_title(sent, m.end(), lex, english)
            if name and _VICTIM_AFTER.match(sent[m.end() :]):
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
        name = _name_after_title(text, pos, lex, english)
        if name:
            roles["hum_tgt"].append(name)
    runs = name_runs(text, lex, english, gazetteer)  # read once for both roles
    roles["hum_tgt"].extend(victim_names(text, lex, english, gazetteer, runs))
    roles["perp_individual"].extend(perpetrator_names(text, lex, english, gazetteer, runs))
    if actors is not None and not roles["perp_organization"]:
        # no side A the coder could name: the group that claimed it or that the article blames
        for name in claimed_organisations(coded, lex, actors):
            if name.lower() not in {o.lower() for o in roles["perp_organization"]}:
                roles["perp_organization"].append(name)
    # the victim of an old incident ("THE MARCH 1980 ASSASSINATION OF ..."), or a fighter hit in combat
    # ("SOLDIER ..., WHO WAS WOUNDED IN COMBAT"), is not a target of the report's incidents
    combat = lex.cue("combat")
    if roles["hum_tgt"]:
        elsewhere = [(a, b) for a, b in bounds if past_told(text[a:b], year, lex) or combat.search(text, a, b)]
        roles["hum_tgt"] = [n for n in roles["hum_tgt"] if not _only_in(n, text, elsewhere)]
    if not roles["perp_individual"] and not roles["perp_organization"]:
        # "THE GUERRILLA ATTACK" names the perpetrators only when no group is named either
        roles["perp_individual"] = described[:1]
    plain = lex.cue("generic_perpetrators", before="^", after="$")
    if any(not plain.match(p) for p in roles["perp_individual"]):
        # "REBELS" beside "URBAN GUERRILLAS" or a named suspect: the same group named again
        roles["perp_individual"] = [p for p in roles["perp_individual"] if not plain.match(p)]
    bare = lex.cue("generic_targets", before="^", after="$")
    if any(not bare.match(t) for t in roles["phys_tgt"]):
        # "THE BUILDING", "HIS CAR" beside "THE OFFICES OF THE ... FEDERATION": the same target
        # again, or where people were, not one more target
        roles["phys_tgt"] = [t for t in roles["phys_tgt"] if not bare.match(t)]
    generic = lex.cue("generic_weapons", before="^", after="$")
    if any(not generic.match(w) for w in roles["weapon"]):
        # "explosives" beside "dynamite" or "a bomb" re-describes them
        roles["weapon"] = [w for w in roles["weapon"] if not generic.match(w)]
    return {
        r: _distinct(vals, names=r in NAME_ROLES, number=r == "weapon")[:MAX_PER_ROLE] for r, vals in roles.items()
    }


def _only_in(name: str, text: str, where: list[tuple[int, int]]) -> bool:
    """Whether every mention of the name stands in one of the sentences ``where``."""
    spots = [m.start() for m in re.finditer(re.escape(name), text)]
    return bool(spots) and all(any(a <= i < b for a, b in where) for i in spots)


def _singular(phrase: str) -> str:
    low = phrase.lower()
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low


def _distinct(phrases: list[str], names: bool = False, number: bool = False) -> list[str]:
    """Phrases in order without repeats; a phrase that ends another one ("substation" after "power
    substation") names the same thing and is dropped. With ``names``, a name whose words all stand
    in a longer one ("PARDO LEAL" beside "JAIME PARDO LEAL") is the same person: the longer stays,
    in the place of the first of the two. With ``number``, singular and plural are one ("BOMB",
    "BOMBS": one kind of weapon); the first stays."""
    out: list[str] = []
    for p in dict.fromkeys(v for v in phrases if v):
        low = p.lower()
        if number and any(_singular(o) == _singular(p) for o in out):
            continue
        words = set(low.split())
        if any(o.lower().endswith(" " + low) for o in out):
            continue
        if names and any(words < set(o.lower().split()) for o in out):
            continue
        shorter = [o for o in out if low.endswith(" " + o.lower()) or (names and set(o.lower().split()) < words)]
        if shorter:
            at = out.index(shorter[0])
            out = [o for o in out if o not in shorter]
            out.insert(at, p)
            continue
        out.append(p)
    return out
