"""Candidate role fillers of an article, each with the surface features a role model scores.

Every phrase that could fill a template role is proposed, wherever it stands in the article:
perpetrator and target words of the role lexicon (data/roles.yaml) and their noun phrases, the
coder's actors, people named after a title or a victim cue, weapons. What decides whether a
candidate fills its role is learned (:mod:`eventcoder.extract.role_model`) from these features:
where the candidate stands relative to the coder's reported and background events, which side of
the event word, after "by", in a passive "was bombed", in a sentence of denial or claim, how often
the article repeats it, and the words themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from ..gazetteer import Gazetteer
from ..nlp import Analysis, Sentence
from ..records import CodedArticle, Event
from ..resources import Resources
from .actors import ActorDictionary, find_actors
from .roles import (
    _BY,
    _PARTICLES,
    _PASSIVE,
    _SEIZED,
    _VICTIM_AFTER,
    _VICTIM_CUE,
    _VICTIM_LEAD,
    _WITH,
    _WORD,
    NOT_ATTACKS,
    SMALL_ARMS,
    STATE_WORDS,
    VIOLENT,
    English,
    RoleLexicon,
    _clean,
    _name_after_title,
    _of_steps,
    _rule_roles,
    _widen_left,
    past_told,
    report_year,
    sentence_bounds,
    word_runs,
)

_NUMBER = re.compile(
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|dozens?|several|some|about|a group of|group of|band of)$",
    re.I,
)
_MEMBERS = re.compile(
    r"\b(?:(?:\d+|two|three|four|five|six|some|several|other)\s+)?(?:members?|militants?|commandos?|fighters?|elements?|units?|troops?|cell|"
    r"column|squad|detachment|front)\s+of\s+(?:the\s+)?",
    re.I,
)


@dataclass
class Candidate:
    role: str
    text: str  # the phrase as the filler would be written
    start: int
    end: int
    features: list[str] = field(default_factory=list)
    group: int = 0  # candidates of one group are variants of one mention (the model keeps the best)


@dataclass
class _Sent:
    start: int
    end: int
    index: int
    kind: str  # "event", "background" or "none"
    triggers: list[int]


def _sentences(coded: CodedArticle) -> list[_Sent]:
    bounds = sentence_bounds(coded.article.text)
    out = [_Sent(a, b, i, "none", []) for i, (a, b) in enumerate(bounds)]

    def mark(ev: Event, kind: str) -> None:
        trig = [s.start for s in ev.evidence.get("event_type", [])]
        if ev.trigger is not None:
            trig.append(ev.trigger.start)
        spans = ev.evidence.get("sentences", []) or ([ev.trigger] if ev.trigger else [])
        for sp in spans:
            for s in out:
                if s.start < sp.end and sp.start < s.end:
                    if kind == "event" or s.kind == "none":
                        s.kind = kind
                    s.triggers.extend(t for t in trig if s.start <= t < s.end)

    for ev in coded.events:
        if ev.event_type not in VIOLENT or ev.sub_event_type in NOT_ATTACKS:
            continue
        mark(ev, "background" if ev.background else "event")
    return out


def _sent_of(sents: list[_Sent], offset: int) -> _Sent:
    for s in sents:
        if s.start <= offset < s.end:
            return s
    return sents[-1]


def _bucket(n: int, cuts: tuple[int, ...]) -> str:
    for c in cuts:
        if n <= c:
            return str(c)
    return f"{cuts[-1]}+"


class _Builder:
    def __init__(
        self,
        coded: CodedArticle,
        lex: RoleLexicon,
        gazetteer: Gazetteer | None = None,
        english: English | None = None,
    ):
        self.coded = coded
        self.gazetteer = gazetteer
        self.english = english
        self.lex = lex
        self.text = coded.article.text
        self.low = self.text.lower()
        self.sents = _sentences(coded) or [_Sent(0, len(self.text), 0, "none", [])]
        self.doc_violent = any(s.kind == "event" for s in self.sents)
        self.year = report_year(coded)
        self.first_event = next((s.index for s in self.sents if s.kind == "event"), None)
        self.out: list[Candidate] = []
        self.group = 0

    def common(self, start: int, end: int, phrase: str) -> list[str]:
        s = _sent_of(self.sents, start)
        sent = self.text[s.start : s.end]
        f = [
            f"sent={s.kind}",
            f"doc_violent={int(self.doc_violent)}",
            f"sidx={_bucket(s.index, (0, 1, 3, 6))}",
        ]
        if self.first_event is not None:
            f.append(f"from_event={_bucket(abs(s.index - self.first_event), (0, 1, 3))}")
        if s.triggers:
            first = min(s.triggers)
            f.append("pos=before" if start < first else "pos=after")
            near = min(abs(start - t) for t in s.triggers)
            f.append(f"near={_bucket(near, (20, 60, 150))}")
        if _BY.search(self.text[max(0, start - 20) : start]):
            f.append("by")
        if self.lex.cue("denial").search(sent):
            f.append("deny_ctx")
        if self.lex.cue("claim").search(sent):
            f.append("claim_ctx")
        if past_told(sent, self.year, self.lex):
            f.append("past_ctx")
        if self.lex.cue("accusation").search(sent):
            f.append("accuse_ctx")
        count = len(re.findall(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", self.low)) if phrase else 0
        f.append(f"count={_bucket(count, (1, 2, 4))}")
        f.append(f"nwords={_bucket(len(phrase.split()), (1, 2, 3))}")
        return f

    def add(
        self, role: str, start: int, end: int, src: str, extra: list[str], new_group: bool = True
    ) -> None:
        phrase = _clean(self.text[start:end])
        if not phrase:
            return
        if new_group:
            self.group += 1
        feats = [f"src={src}", *extra, *self.common(start, end, phrase)]
        self.out.append(Candidate(role, phrase, start, end, [f"{role}:{x}" for x in feats], self.group))

    # ------------------------------------------------------------------ per role

    def perpetrators(self) -> None:
        text = self.text
        for m in self.lex.perpetrators_more.finditer(text):
            head = m.group(0).lower()
            nxt = re.match(r"\s+([A-Za-z]+)", text[m.end() : m.end() + 30])
            extra = [f"head={head}"]
            if nxt and nxt.group(1).lower() not in STOP_WORDS and not nxt.group(1).lower().endswith("ed"):
                extra.append("modifier_use")  # "guerrilla attack": the word describes the next noun
            if STATE_WORDS.fullmatch(m.group(0)):
                extra.append("state_word")
            if head.endswith("s"):
                extra.append("plural")
            self.add("perp_individual", m.start(), m.end(), "lex", extra)
            left = _widen_left(text, m.start(), self.lex)
            if left < m.start():
                self.add("perp_individual", left, m.end(), "lex", [*extra, "widened"], new_group=False)
            num = re.search(r"(\S+)\s+$", text[max(0, left - 20) : left])
            if num and _NUMBER.search(num.group(1)):
                self.add(
                    "perp_individual", left - len(num.group(0)), m.end(), "lex", [*extra, "numbered"], False
                )
        for m in _MEMBERS.finditer(text):
            org = re.match(r"[A-Z0-9][A-Z0-9'\-]*(?:\s+[A-Z0-9][A-Z0-9'\-]*){0,6}", text[m.end() : m.end() + 80])
            if org is None or org.group(0).lower() in STOP_WORDS:
                continue
            end = m.end() + org.end()
            self.add("perp_individual", m.start(), end, "members_of", [])

    def actors(self, dictionary: ActorDictionary | None) -> None:
        """Every actor the dictionary finds in the article (or, without a dictionary, the coder's
        event actors), with the part it plays in the coder's events."""
        parts: dict[str, set[str]] = {}
        for ev in self.coded.events:
            violent = ev.event_type in VIOLENT and ev.sub_event_type not in NOT_ATTACKS
            tag = ("bg" if ev.background else "rep") + ("_violent" if violent else "_other")
            strikes_civ = ev.actor2 is not None and ev.actor2.inter in (6, 7)
            for side, group in (("a", [ev.actor1, *ev.assoc_actor1]), ("b", [ev.actor2, *ev.assoc_actor2])):
                for actor in group:
                    if actor is None:
                        continue
                    p = parts.setdefault(actor.name, set())
                    p.add(f"ev={side}_{tag}")
                    if side == "a" and strikes_civ and violent:
                        p.add("strikes_civilians")
        if dictionary is not None:
            sents = [
                Sentence(index=s.index, start=s.start, end=s.end, text=self.text[s.start : s.end])
                for s in self.sents
            ]
            refs = [
                m.actor
                for m in find_actors(Analysis(article=self.coded.article, sentences=sents), dictionary)
            ]
        else:
            refs = [
                a
                for ev in self.coded.events
                for a in [ev.actor1, *ev.assoc_actor1, ev.actor2, *ev.assoc_actor2]
                if a
            ]
        for actor in refs:
            if not actor.matched or actor.inter in (7, 8):
                continue
            start = actor.span.start if actor.span else max(self.low.find(actor.matched.lower()), 0)
            name = _clean(actor.matched)
            role = "perp_individual" if self.lex.perpetrators.fullmatch(name) else "perp_organization"
            extra = [f"inter={actor.inter}", *sorted(parts.get(actor.name, {"ev=none"}))]
            self.add(role, start, start + len(actor.matched), "actor", extra)

    def organisations(self) -> None:
        """Organisation names the dictionary does not know: the words before a parenthesised
        acronym ("ZARATE WILLKA ARMED FORCES OF LIBERATION (FAL)") and the acronym, and phrases
        ending in an organisation head word ("... LIBERATION FRONT"), with their variants."""
        text = self.text
        for m in _ACRONYM.finditer(text):
            acr = m.group(1)
            words = list(_WORD.finditer(text[max(0, m.start() - 120) : m.start()]))
            base = max(0, m.start() - 120)
            self.group += 1
            for k in range(1, min(len(words), 8) + 1):
                span = words[-k:]
                first = span[0].group(0).lower()
                gap = text[base + span[0].start() : base + span[-1].end()]
                if re.search(r"[,;:.()\"]", gap):
                    break
                if first in STOP_WORDS and first not in ("of",):
                    continue
                initials = "".join(w.group(0)[0].upper() for w in span if w.group(0).lower() not in STOP_WORDS)
                extra = [f"nwords={min(k, 6)}"]
                if _initials_fit(initials, acr):
                    extra.append("acronym_fits")
                self.add("perp_organization", base + span[0].start(), base + span[-1].end(), "before_acronym",
                         extra, new_group=False)
            self.add("perp_organization", m.start(1), m.end(1), "acronym", [f"len={min(len(acr), 5)}"])
        for m in self.lex.organisation_heads.finditer(text):
            extra = [f"head={m.group(0).lower()}"]
            self.group += 1
            for k, left in enumerate(_left_steps(text, m.start(), self.lex, steps=5, allow_roles=True), 1):
                self.add("perp_organization", left, m.end(), "org_head", [*extra, f"wide={k}"], new_group=False)
                for j, right in enumerate(_of_steps(text, m.end()), 1):
                    self.add("perp_organization", left, right, "org_head", [*extra, f"wide={k}", f"of_len={j}"],
                             new_group=False)

    def weapons(self) -> None:
        text = self.text
        for m in self.lex.weapons.finditer(text):
            s = _sent_of(self.sents, m.start())
            sent = text[s.start : s.end]
            extra = [f"head={m.group(0).lower()}"]
            if _WITH.search(text[max(0, m.start() - 40) : m.start()]):
                extra.append("used")
            if _SEIZED.search(sent):
                extra.append("seized_ctx")
            if SMALL_ARMS.search(m.group(0)):
                extra.append("small_arms")
            self.add("weapon", m.start(), m.end(), "lex", extra)

    def physical_targets(self) -> None:
        text = self.text
        for m in self.lex.physical_targets_more.finditer(text):
            extra = [f"head={m.group(0).lower()}"]
            if _PASSIVE.match(text[m.end() :]):
                extra.append("passive")
            of = re.match(r"\s+of\s+", text[m.end() : m.end() + 6], re.I)
            if of:
                extra.append("of_follows")
            self.add("phys_tgt", m.start(), m.end(), "lex", extra)
            lefts = _left_steps(text, m.start(), self.lex)
            for k, left in enumerate(lefts, 1):
                self.add("phys_tgt", left, m.end(), "lex", [*extra, "widened", f"wide={k}"], new_group=False)
            for k, right in enumerate(_of_steps(text, m.end()), 1):
                for left in [m.start(), *lefts[-1:]]:
                    wide = ["widened"] if left < m.start() else []
                    self.add("phys_tgt", left, right, "lex", [*extra, *wide, "of_complement", f"of_len={k}"], False)

    def people(self) -> None:
        text = self.text
        for m in self.lex.person_titles.finditer(text):
            name = _name_after_title(text, m.end(), self.lex, self.english)
            if not name:
                continue
            start = text.find(name, m.end())
            if start < 0:
                continue
            extra = [f"title={m.group(0).lower()}"]
            if _VICTIM_AFTER.match(text[start + len(name) :]):
                extra.append("victim_after")
            self.add("hum_tgt", start, start + len(name), "title", extra)
            self.add("perp_individual", m.start(), start + len(name), "title_perp", extra)
        for m in _VICTIM_CUE.finditer(text):
            pos = m.end()
            while (t := self.lex.person_titles.match(text, pos)) is not None or (
                t := _VICTIM_LEAD.match(text, pos)
            ) is not None:
                pos = t.end()
                pos += len(text[pos:]) - len(text[pos:].lstrip())
            name = _name_after_title(text, pos, self.lex, self.english)
            if name:
                start = text.find(name, pos)
                self.add(
                    "hum_tgt",
                    start,
                    start + len(name),
                    "victim_cue",
                    [f"cue={m.group(0).split()[0].lower()}"],
                )

    def names(self, english: English) -> None:
        """Runs of two to four words that are not English words (people's names in upper-case
        copy, where capitals tell nothing): "HECTOR OQUELI COLINDRES"."""
        text = self.text
        def eligible(word: str, low: str) -> bool:
            return not (
                low in STOP_WORDS
                or low in self.lex.words
                or len(low) < 2
                or english.only(low, "verb")  # "... SAID", "CEREZO MET"
            )

        for run in word_runs(text, eligible):
            if len(run) < 2:
                continue
            self.group += 1
            first = len(self.out)
            for i in range(len(run)):
                for j in range(i + 2, min(len(run), i + 4) + 1):
                    self._name(run[i:j], english, trimmed=(i > 0 or j < len(run)))
            # the same name as a perpetrator (the person accused of the incident), its own group
            self.group += 1
            for c in self.out[first:]:
                feats = ["perp_individual:" + f.split(":", 1)[1] for f in c.features]
                self.out.append(Candidate("perp_individual", c.text, c.start, c.end, feats, self.group))

    def _name(self, words: list[re.Match[str]], english: English, trimmed: bool) -> None:
        text = self.text
        lows = [w.group(0).lower() for w in words]
        if lows[0] in _PARTICLES or lows[-1] in _PARTICLES:
            return
        known = [english.known(w) for w in lows if w not in _PARTICLES]
        if all(known):
            return
        if english.only(lows[0], "adj") or (
            self.gazetteer is not None and self.gazetteer.country_of_demonym(lows[0]) is not None
        ):
            return  # "NORTHWESTERN SAN SALVADOR", "SPANISH JESUIT IGNACIO ELLACURIA": the name comes after
        start, end = words[0].start(), words[-1].end()
        sent = text[(s := _sent_of(self.sents, start)).start : s.end]
        extra = [f"unknown={_bucket(known.count(False), (1, 2))}", f"len={len(known)}"]
        extra += [name for name, on in (("first_english", known[0]), ("last_english", known[-1])) if on]
        if trimmed:
            extra.append("trimmed")
        surname = len(re.findall(rf"(?<![\w']){re.escape(lows[-1])}(?![\w'])", self.low))
        extra.append(f"surname_count={_bucket(surname, (1, 2, 4))}")
        after = re.match(r"\s+([A-Za-z]+)", text[end : end + 30])
        if after and self.lex.organisation_heads.fullmatch(after.group(1)):
            extra.append("org_like")  # "FARABUNDO MARTI NATIONAL LIBERATION" before FRONT
        if self.lex.cue("victim_words").search(sent):
            extra.append("victim_words")
        if _VICTIM_AFTER.match(text[end:]):
            extra.append("victim_after")
        if re.match(r"\s*,\s*(?:a|an|the|\d+)?\s*\w+", text[end : end + 20], re.I):
            extra.append("apposition")
        before = text[max(0, start - 25) : start].lower()
        if self.lex.person_titles.search(before):
            extra.append("title_before")
        if re.search(r"\b(?:of|against)\s+$", before):
            extra.append("of_before")
        if re.search(r"\b(?:in|at|from|to|near|toward|towards)\s+$", before):
            extra.append("place_prep_before")
        if re.match(r"\s*,?\s*(?:said|says|stated|added|announced|reported|noted|told|explained|asserted)\b",
                    text[end : end + 20], re.I):
            extra.append("speaker")
        if self.gazetteer is not None:
            places = self.gazetteer.lookup(text[start:end])
            if places:
                extra.append("gazetteer_place")
                if any(f.level != "place" or f.population >= 100_000 for f in places):
                    extra.append("big_place")
        self.add("hum_tgt", start, end, "name_run", extra, new_group=False)


_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9\-]{1,9})\)")


def _initials_fit(initials: str, acronym: str) -> bool:
    """Whether an acronym's letters are the initials of the name's words in order (some may be
    left out, as translations reorder words): FMLN in FARABUNDO MARTI NATIONAL LIBERATION FRONT."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    if not letters or not initials or initials[0] != letters[0]:
        return False
    pos = 0
    for c in letters:
        pos = initials.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _left_steps(text: str, start: int, lex: RoleLexicon, steps: int = 4, allow_roles: bool = False) -> list[int]:
    """Starts of the noun phrase ending at `start` with one, two, ... more modifiers before it
    (nearest first), stopping where _widen_left would."""
    out: list[int] = []
    pos = start
    for _ in range(steps):
        m = re.search(r"(\S+)\s+$", text[max(0, pos - 60) : pos])
        if m is None:
            break
        word = m.group(1)
        low = word.lower().rstrip("'s").rstrip("’s")
        if (
            not re.match(r"[A-Za-z0-9][A-Za-z0-9\-]*(?:'S|'s|’s)?$", word)
            or word.lower() in STOP_WORDS
            or low in STOP_WORDS
            or (not allow_roles and low.endswith(("ing", "est")))
            or (low.endswith("ed") and low not in ("armed", "united"))
            or (not allow_roles and (lex.perpetrators.fullmatch(word) or lex.weapons.fullmatch(word)))
        ):
            break
        pos = pos - len(text[max(0, pos - 60) : pos]) + m.start(1)
        out.append(pos)
    return out


@dataclass(frozen=True)
class RoleRefs:
    """The reference data candidates are read with: the actor dictionary, English words by part of
    speech (to tell names from words in upper-case copy) and the gazetteer (to tell people from
    places). Any may be missing; the candidates are then fewer and plainer."""

    actors: ActorDictionary | None = None
    english: English | None = None
    gazetteer: Gazetteer | None = None

    @classmethod
    def of(cls, resources: Resources) -> RoleRefs:
        return cls(resources.actors, resources.english, resources.gazetteer)


def candidates(coded: CodedArticle, lex: RoleLexicon, refs: RoleRefs | None = None) -> list[Candidate]:
    """Every candidate filler of the article with its features."""
    refs = refs or RoleRefs()
    english = refs.english
    b = _Builder(coded, lex, refs.gazetteer, english)
    if not b.text.strip():
        return []
    b.perpetrators()
    b.actors(refs.actors)
    b.organisations()
    b.weapons()
    b.physical_targets()
    b.people()
    if english is not None:
        b.names(english)
    # what the hand-written rules (eventcoder.extract.roles) would answer is one more feature
    ruled = {
        (role, v.lower()) for role, vals in _rule_roles(coded, lex, english, refs.gazetteer).items() for v in vals
    }
    for c in b.out:
        if (c.role, c.text.lower()) in ruled:
            c.features.append(f"{c.role}:rule")
    return b.out
