"""Actors: find every actor the article names and map it to the actor dictionary.

The dictionary (data/actors.yaml, format in docs/actors.md) holds named armed groups, generic
actors (civilians, protesters, gunmen) and templates that generate the military and police of
every country in data/countries.tsv from its demonyms ("Iraqi troops" -> Military Forces of
Iraq). Matching walks a token trie built once at load (longest match wins), one trie for
case-insensitive aliases and one for case-sensitive acronyms ("IS" but never "is"). Bare words
such as "troops" or "police" become the state forces of the country the article is about.
Capitalised names ending in words like "Brigade" or "Front" that the dictionary lacks are still
returned, marked ``in_dictionary=False``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from ..nlp import Analysis, is_upper_text
from ..records import ActorMention, ActorRef, Span
from ..resources import data_path

_TOKEN = re.compile(r"[\w\u00C0-\u024F]+(?:[.'’\-][\w\u00C0-\u024F]+)*\.?")


@dataclass
class Entry:
    id: str
    name: str
    inter: int
    country: str | None
    ucdp_name: str | None
    generic: bool = False
    parent: str | None = None
    kind: str | None = None  # 'military' / 'police' for state forces


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entry: Entry | None = None
    bare: str | None = None  # 'military' / 'police' for bare state-force words
    weight: int = 0  # country-name trie: 2 for a name, 1 for a demonym


def _norm_token(tok: str, lower: bool) -> str:
    tok = tok.replace("’", "'")
    if tok.endswith("."):
        tok = tok[:-1]
    return tok.lower() if lower else tok


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, raw) word tokens; a possessive 's is left out of the token."""
    out = []
    for m in _TOKEN.finditer(text):
        s, e = m.start(), m.end()
        raw = m.group(0)
        if raw.endswith("."):
            # keep abbreviations ("U.S.") whole, drop a sentence-final period
            if not re.fullmatch(r"(?:[A-Za-z]\.){2,}", raw):
                raw = raw[:-1]
                e -= 1
        low = raw.lower()
        if low.endswith(("'s", "’s")) and len(raw) > 2:
            raw = raw[:-2]
            e -= 2
        if raw:
            out.append((s, e, raw))
    return out


class ActorDictionary:
    """The loaded dictionary with its matchers."""

    def __init__(self, data: dict[str, Any], countries: list[dict[str, str]]):
        self.entries: dict[str, Entry] = {}
        self.by_canonical: dict[str, Entry] = {}
        self.ci = _Node()
        self.cs = _Node()
        self.country_names = _Node()  # for the article's country
        self.country_iso3: dict[str, str] = {}
        self.country_display: dict[str, str] = {}
        with_the = set(data.get("names_with_the") or [])
        self.unknown_heads: dict[str, int] = dict(data.get("unknown_group_heads") or {})
        # words after a force's name that make it the name of a place ("a police station"): the force
        # may be the one attacked there, not the one acting
        self.place_heads: frozenset[str] = frozenset(str(w).lower() for w in data.get("place_heads") or [])

        for c in countries:
            iso3, name = c["iso3"], c["name"]
            display = f"the {name}" if name in with_the else name
            self.country_display[iso3] = display
            demonyms = [d for d in c.get("demonyms", "").split("|") if d]
            aliases = [a for a in c.get("aliases", "").split("|") if a]
            for n in [name, *aliases]:
                self._add(
                    self.country_names,
                    n,
                    Entry(id=iso3, name=name, inter=0, country=iso3, ucdp_name=None),
                    lower=False,
                    weight=2,
                )
            for d in demonyms:
                self._add(
                    self.country_names,
                    d,
                    Entry(id=iso3, name=name, inter=0, country=iso3, ucdp_name=None),
                    lower=False,
                    weight=1,
                )
            for tpl in data.get("templates") or []:
                kind = "police" if tpl["id"].startswith("police") else "military"
                fmt = {"name": display, "country": name, "iso3": iso3}
                entry = Entry(
                    id=tpl["id"].format(**fmt),
                    name=tpl["name"].format(**fmt),
                    inter=int(tpl["inter"]),
                    country=iso3,
                    ucdp_name=(tpl.get("ucdp_name") or "").format(**fmt) or None,
                    kind=kind,
                )
                self._register(entry)
                for alias in tpl.get("aliases") or []:
                    if "{demonym}" in alias:
                        for d in demonyms:
                            self._add(self.ci, alias.format(demonym=d, **fmt), entry, lower=True)
                    else:
                        for n in [name, *aliases]:
                            self._add(self.ci, alias.format(**{**fmt, "country": n}), entry, lower=True)

        for a in data.get("actors") or []:
            entry = Entry(
                id=a["id"],
                name=a["name"],
                inter=int(a["inter"]),
                country=a.get("country"),
                ucdp_name=a.get("ucdp_name"),
                generic=bool(a.get("generic", False)),
                parent=a.get("parent"),
            )
            self._register(entry)
            for alias in a.get("aliases") or []:
                self._add(self.ci, alias, entry, lower=True)
            for alias in a.get("cs_aliases") or []:
                self._add(self.cs, alias, entry, lower=False)

        bare = data.get("bare_state_forces") or {}
        for kind, words in bare.items():
            for w in words:
                node = self._walk_create(self.ci, w, lower=True)
                if node.entry is None:
                    node.bare = kind

    # ----------------------------------------------------------------- building

    def _register(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        self.by_canonical.setdefault(entry.name, entry)

    def _walk_create(self, root: _Node, phrase: str, lower: bool) -> _Node:
        node = root
        for _s, _e, raw in _tokens(phrase):
            node = node.children.setdefault(_norm_token(raw, lower), _Node())
        return node

    def _add(self, root: _Node, phrase: str, entry: Entry, lower: bool, weight: int = 0) -> None:
        node = self._walk_create(root, phrase, lower)
        if node is root:
            return
        if node.entry is None or (node.entry.generic and not entry.generic):
            node.entry = entry
        node.weight = max(weight, node.weight)

    @classmethod
    def load(cls, path: Path | None = None, countries: Path | None = None) -> ActorDictionary:
        """Load the dictionary (default: the bundled data/actors.yaml and data/countries.tsv)."""
        with open(path or data_path("actors.yaml"), encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        with open(countries or data_path("countries.tsv"), encoding="utf-8") as fh:
            rows = list(
                csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t")
            )
        return cls(data, rows)

    # ----------------------------------------------------------------- lookups

    def get(self, actor_id: str) -> Entry | None:
        return self.entries.get(actor_id)

    def by_name(self, name: str) -> Entry | None:
        return self.by_canonical.get(name)

    def state_forces(
        self, iso3: str | None, kind: str = "military", matched: str = "", span: Span | None = None
    ) -> ActorRef:
        """The military or police of a country as an ActorRef."""
        if iso3 is None:
            label = "Military Forces" if kind == "military" else "Police Forces"
            return ActorRef(
                name=f"{label} (country unknown)",
                matched=matched,
                inter=1,
                actor_id=None,
                in_dictionary=False,
                span=span,
            )
        entry = self.entries.get(f"{'police' if kind == 'police' else 'military'}-{iso3}")
        if entry is None:
            return self.state_forces(None, kind, matched, span)
        return self.ref(entry, matched, span)

    @staticmethod
    def ref(entry: Entry, matched: str, span: Span | None, country: str | None = None) -> ActorRef:
        return ActorRef(
            name=entry.name,
            matched=matched,
            inter=entry.inter,
            country=entry.country or country,
            ucdp_name=entry.ucdp_name,
            actor_id=entry.id,
            in_dictionary=True,
            span=span,
        )


def _longest(root: _Node, toks: list[tuple[int, int, str]], i: int, lower: bool) -> tuple[int, _Node] | None:
    node = root
    best = None
    j = i
    while j < len(toks):
        nxt = node.children.get(_norm_token(toks[j][2], lower))
        if nxt is None:
            break
        node = nxt
        j += 1
        if node.entry is not None or node.bare is not None:
            best = (j, node)
    return best


def article_country(text: str, dictionary: ActorDictionary) -> str | None:
    """The country the article is mostly about: names count twice, demonyms once."""
    toks = _tokens(text)
    counts: Counter[str] = Counter()
    i = 0
    while i < len(toks):
        hit = _longest(dictionary.country_names, toks, i, lower=False)
        if hit and i > 0 and toks[i - 1][2][:1].isupper() and text[toks[i - 1][1] : toks[i][0]] == " ":
            # inside a longer name ("Lake Chad", "Gulf of Guinea" is handled by the next word)
            prev = toks[i - 1][2]
            if prev not in (
                "The",
                "In",
                "At",
                "From",
                "To",
                "And",
                "Of",
                "On",
                "By",
                "For",
            ) and not prev.endswith("'s"):
                hit = None
        if hit:
            j, node = hit
            if node.entry is not None:
                counts[node.entry.country or ""] += node.weight or 1
            i = j
        else:
            i += 1
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else None


def _ambiguous_in_capitals(alias: str) -> bool:
    """Whether a case-sensitive alias cannot be told from a plain word in upper-case copy: two
    letters ("IS"), an English function word, or an alias written in mixed case ("LeT"). Three-
    letter acronyms (ELN, ETA, PKK) are still matched."""
    return len(alias) < 3 or alias.lower() in STOP_WORDS or not alias.isupper()


def find_actors(analysis: Analysis, dictionary: ActorDictionary) -> list[ActorMention]:
    """Every actor mention in the article, in text order."""
    text = analysis.text
    upper = is_upper_text(text)
    home = article_country(text if not upper else text.title(), dictionary)
    out: list[ActorMention] = []
    for sent in analysis.sentences:
        toks = [(s + sent.start, e + sent.start, raw) for s, e, raw in _tokens(sent.text)]
        i = 0
        while i < len(toks):
            cands = []
            ci = _longest(dictionary.ci, toks, i, lower=True)
            if ci:
                cands.append(ci)
            cs = _longest(dictionary.cs, toks, i, lower=False)
            if cs and not (upper and _ambiguous_in_capitals(text[toks[i][0] : toks[cs[0] - 1][1]])):
                cands.append(cs)
            if not cands:
                i += 1
                continue
            j, node = max(cands, key=lambda c: (c[0], c[1].entry is not None and not c[1].entry.generic))
            start, end = toks[i][0], toks[j - 1][1]
            span = Span.of(text, start, end)
            matched = text[start:end]
            if node.entry is not None:
                ref = dictionary.ref(node.entry, matched, span, country=home if node.entry.generic else None)
                out.append(
                    ActorMention(actor=ref, span=span, sentence=sent.index, generic=node.entry.generic)
                )
            else:
                ref = dictionary.state_forces(home, node.bare or "military", matched, span)
                out.append(ActorMention(actor=ref, span=span, sentence=sent.index, generic=False))
            i = j
        out.extend(_unknown_groups(sent.index, sent.start, sent.text, text, dictionary, out, upper))
    out.sort(key=lambda m: m.span.start)
    return out


def _unknown_groups(
    sent_index: int,
    offset: int,
    sent_text: str,
    text: str,
    dictionary: ActorDictionary,
    known: list[ActorMention],
    upper: bool,
) -> list[ActorMention]:
    """Capitalised names ending in a group word ("the Tiger Brigade") not in the dictionary."""
    if upper or not dictionary.unknown_heads:
        return []
    heads = "|".join(re.escape(h) for h in sorted(dictionary.unknown_heads, key=len, reverse=True))
    pattern = re.compile(rf"\b((?:[A-Z][\w'’\-]+\s+(?:(?:of|for|the|al|de|and)\s+)?){{1,5}}(?:{heads}))\b")
    out = []
    for m in pattern.finditer(sent_text):
        s, e = offset + m.start(1), offset + m.end(1)
        if any(k.span.start < e and s < k.span.end for k in known):
            continue
        name = text[s:e]
        first = name.split()[0]
        if first in ("The", "A", "An", "In", "On", "At", "By", "For", "And"):
            s += len(first) + 1
            name = text[s:e]
        if len(name.split()) < 2:
            continue
        head = name.split()[-1]
        inter = int(dictionary.unknown_heads.get(head, 3))
        span = Span.of(text, s, e)
        ref = ActorRef(name=name, matched=name, inter=inter, actor_id=None, in_dictionary=False, span=span)
        out.append(ActorMention(actor=ref, span=span, sentence=sent_index, generic=False))
    return out
