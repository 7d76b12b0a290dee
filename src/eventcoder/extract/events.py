"""Event triggers: the words that report an event of an ACLED sub-type, with their modality.

The knowledge (which words express an air strike, a protest, a denial) lives in
``data/triggers.yaml``; this module compiles it once (:meth:`TriggerLexicon.load`) and applies it:

* :meth:`TriggerLexicon.sentence_may_hold_event`: one compiled regex over the stems of every
  trigger and casualty word, run on every sentence to decide which get the full spaCy parse.
* :func:`find_triggers`: every trigger of an analysed article, with absolute spans, sub-type,
  weight (lowered by non-ACLED cues such as "earthquake" or "robbery" in the same sentence) and
  modality (asserted, negated, denied, threat, planned, hypothetical, foiled), read from the
  dependency parse when the sentence has one and from the words before the trigger otherwise.

The pattern mini-language (``word~`` for inflections, ``a|b`` alternatives, ``(opt)``, ``...`` gaps,
``#`` numbers, ``=Word`` case-sensitive) is documented at the top of the YAML file. It is compiled
to Python regexes here: a hand-rolled compiler because the patterns must also run on sentences
that were never parsed (spaCy's Matcher needs a Doc), and regexes over raw text keep the cheap path
cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..nlp import Analysis, Sentence
from ..records import SUB_TO_TYPE, Modality, Span, TriggerMention
from ..resources import data_path

# --------------------------------------------------------------------------- pattern compiler

_NUMBER = (
    r"(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|hundreds|thousand|thousands|dozen|dozens|scores|several|many|some|few|"
    r"a few|more than \d[\d,]*|at least \d[\d,]*|over \d[\d,]*|nearly \d[\d,]*|about \d[\d,]*)"
)
_SEP = r"[\s\-\u2010-\u2014]+"
_GAP = r"(?:" + _SEP + r"[^\s.;:!?]+){0,4}?"
_VOWELS = set("aeiou")


def inflections(word: str, irregular: dict[str, list[str]]) -> list[str]:
    """Regular inflections of an English word (noun plural, verb -s/-ed/-ing) plus listed irregular
    forms. Over-generation ('striked') is harmless: such strings never occur in text."""
    forms = {word}
    w = word
    if w.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {w + "es", w + "ed", w + "ing"}
    elif w.endswith("y") and len(w) > 2 and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    else:
        forms |= {w + "s", w + "ed", w + "ing"}
        if (
            len(w) >= 3
            and w[-1] in "bdgklmnprt"
            and w[-2] in _VOWELS
            and w[-3] not in _VOWELS
            and not (len(w) > 3 and w[-3] in _VOWELS)
        ):
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    # multiword tokens never occur (tokens are single words), irregular forms by the last word
    for extra in irregular.get(w, []):
        forms.add(extra)
        if extra.endswith("e"):
            forms.add(extra + "s")
    return sorted(forms, key=len, reverse=True)


def _token_regex(tok: str, irregular: dict[str, list[str]]) -> tuple[str, list[str]]:
    """Regex for one pattern token (alternatives, each of one or more words) and the literal
    prefixes of its alternatives' first words (for the candidate filter)."""
    alts: list[str] = []
    stems: list[str] = []
    for alt in tok.split("|"):
        alt = alt.strip()
        if not alt:
            continue
        words: list[str] = []
        for i, word in enumerate(alt.split()):
            if word == "<n>":
                words.append(_NUMBER)
                continue
            case = word.startswith("=")
            if case:
                word = word[1:]
            prefix = word.endswith("*")
            if prefix:
                word = word[:-1]
            if word.endswith("~"):
                forms = inflections(word[:-1] if case else word[:-1].lower(), irregular)
            else:
                forms = [word]
            body = "|".join(re.escape(f) for f in forms)
            if prefix:
                body = f"(?:{body})\\w*"
            words.append(f"(?-i:{body})" if case else f"(?:{body})")
            if i == 0:
                low = [f.lower() for f in forms]
                prefix = _common_prefix(low)
                # 'throw/threw/thrown' share only 'thr': keep the forms themselves then
                stems.extend([prefix] if len(prefix) >= 4 or prefix in low else low)
        alts.append(_SEP.join(words))
    return "(?:" + "|".join(alts) + ")", stems


def _split_tokens(pattern: str) -> list[str]:
    """Split a pattern on spaces outside parentheses; groups keep their parentheses."""
    tokens: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in pattern:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch.isspace() and depth == 0:
            if buf:
                tokens.append("".join(buf))
                buf = []
            continue
        buf.append(ch)
    if buf:
        tokens.append("".join(buf))
    return tokens


def _common_prefix(words: list[str]) -> str:
    if not words:
        return ""
    p = words[0]
    for w in words[1:]:
        while not w.startswith(p):
            p = p[:-1]
    return p


def compile_pattern(pattern: str, irregular: dict[str, list[str]]) -> tuple[str, list[str]]:
    """Turn one lexicon pattern into a regex string and the stems of its most selective mandatory
    token (any mandatory token serves the sentence filter: the pattern cannot match without it)."""
    tokens = _split_tokens(pattern)
    parts: list[str] = []
    anchor: list[str] | None = None
    pending_gap = False
    need_sep = False  # a separator is owed before the next token
    for tok in tokens:
        if tok == "...":
            pending_gap = True
            continue
        optional = tok.startswith("(") and tok.endswith(")?")
        if optional:
            tok = tok[1:-2]
        elif tok.startswith("(") and tok.endswith(")"):
            tok = tok[1:-1]
        rx, stems = _token_regex(tok, irregular)
        lead = (_GAP + _SEP if pending_gap else _SEP) if need_sep else ""
        pending_gap = False
        if optional and not need_sep:
            parts.append(f"(?:{rx}{_SEP})?")  # a leading optional token takes its separator along
        elif optional:
            parts.append(f"(?:{lead}{rx})?")
        else:
            parts.append(lead + rx)
            need_sep = True
            if stems and (anchor is None or _anchor_score(stems) > _anchor_score(anchor)):
                anchor = stems
    body = "".join(parts)
    # The left word boundary is checked by WordRegex, not in the pattern: a leading assertion would
    # stop Python's re from skipping ahead on the first character, which makes scanning ~5x slower.
    return body + r"(?![\w])", anchor or []


_WEAK_ANCHORS = frozenset(
    [
        "in",
        "of",
        "the",
        "a",
        "an",
        "to",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "and",
        "or",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "has",
        "have",
        "had",
        "not",
        "no",
        "new",
        "up",
        "out",
        "over",
        "under",
        "into",
        "without",
        "back",
        "down",
        "off",
    ]
)


def _anchor_score(stems: list[str]) -> float:
    """How selective a token is for the sentence filter: longer, non-function-word stems win."""
    if any(s in _WEAK_ANCHORS or len(s) < 2 for s in stems):
        return -1.0
    return min(len(s) for s in stems) - 0.3 * len(stems)


class WordRegex:
    """A compiled pattern whose matches must start at a word start (not after a letter, digit,
    underscore or apostrophe). Same search/finditer/fullmatch interface as re.Pattern."""

    __slots__ = ("rx", "pattern")

    def __init__(self, pattern: str):
        self.rx = re.compile(pattern, re.IGNORECASE)
        self.pattern = pattern

    @staticmethod
    def _starts_word(text: str, i: int) -> bool:
        if i == 0:
            return True
        c = text[i - 1]
        if c == "-" and text[max(0, i - 4) : i - 1].lower() == "non":
            return False  # "non-violent" is not "violent"
        return not (c.isalnum() or c in "_'\u2019")

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        rx = self.rx
        while True:
            m = rx.search(text, pos)
            if m is None or self._starts_word(text, m.start()):
                return m
            pos = m.start() + 1

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        n = len(text)
        while pos <= n:
            m = self.search(text, pos)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.rx.fullmatch(text)


def _alternation(patterns: list[str], irregular: dict[str, list[str]]) -> WordRegex | None:
    if not patterns:
        return None
    pieces = [compile_pattern(str(p), irregular)[0] for p in patterns]
    return WordRegex("|".join(pieces))


def trie_regex(stems: set[str]) -> str:
    """A regex matching any of ``stems`` as a word prefix, factored as a trie.

    Python's ``re`` tries alternatives one by one; a trie-shaped pattern makes the sentence filter
    fail on the first character for most positions, which keeps it in the microseconds."""
    trie: dict[str, Any] = {}
    for s in stems:
        if not s:
            continue
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a shorter stem already matches: longer ones add nothing for a prefix test
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        if len(branches) == 1:
            return branches[0]
        single = [b for b in branches if len(b) == 1 or (len(b) == 2 and b[0] == "\\")]
        multi = [b for b in branches if b not in single]
        parts = multi + (["[" + "".join(single) + "]"] if len(single) > 1 else single)
        return "(?:" + "|".join(parts) + ")"

    return emit(trie)


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Entry:
    id: str
    sub: str
    event_type: str
    weight: float
    regex: WordRegex
    requires: WordRegex | None = None
    forbids: WordRegex | None = None
    parts: tuple[WordRegex, ...] = ()  # one regex per pattern (run only when its anchor occurs)

    @property
    def target_dependent(self) -> bool:
        return self.id.startswith("any.")


@dataclass(frozen=True)
class NonAcled:
    id: str
    factor: float
    regex: WordRegex
    spares: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ModalityCues:
    name: str
    lemmas: frozenset[str]
    aux: frozenset[str]
    phrases: WordRegex | None
    object_lemmas: frozenset[str] = frozenset()
    object_phrases: WordRegex | None = None
    use_phrases: WordRegex | None = None  # foiled: words that tell a weapon was used after all
    with_lemmas: frozenset[str] = frozenset()  # foiled: "equipped with grenades" holds, "destroyed with" uses


@dataclass
class TriggerLexicon:
    """The compiled trigger lexicon (read-only once loaded)."""

    entries: list[Entry]
    non_acled: list[NonAcled]
    modality: dict[str, ModalityCues]
    candidate: re.Pattern[str]
    armed_targets: WordRegex | None
    civilian_targets: WordRegex | None
    telling: WordRegex | None = None
    word_lists: dict[str, WordRegex] = field(default_factory=dict)
    # filter stem -> (entry index, pattern index); patterns without a usable anchor always run
    anchors: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    unanchored: list[tuple[int, int]] = field(default_factory=list)
    min_weight: float = 0.3
    min_score: float = 0.45
    window: int = 70
    path: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> TriggerLexicon:
        """Load and compile a lexicon file (default: the bundled ``data/triggers.yaml``)."""
        path = Path(path) if path else data_path("triggers.yaml")
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        irregular = {str(k): [str(x) for x in v] for k, v in (data.get("irregular") or {}).items()}
        stems: set[str] = {str(w).lower() for w in data.get("candidate_words", [])}
        entries: list[Entry] = []
        part_anchors: list[tuple[int, int, set[str] | None]] = []
        seen: set[str] = set()
        for raw in data.get("entries", []):
            eid = str(raw["id"])
            sub = str(raw["sub"])
            if sub not in SUB_TO_TYPE:
                raise ValueError(f"{path}: entry {eid}: unknown sub-type {sub!r}")
            if eid in seen:
                raise ValueError(f"{path}: duplicate entry id {eid!r}")
            seen.add(eid)
            if "regex" in raw:
                pieces = [str(r) for r in raw["regex"]]
                part_anchors.extend((len(entries), j, None) for j in range(len(pieces)))
            else:
                pieces = []
                for j, p in enumerate(raw.get("patterns", [])):
                    rx, anchor = compile_pattern(str(p), irregular)
                    pieces.append(rx)
                    ok = bool(anchor) and all(len(s) >= 2 for s in anchor)
                    part_anchors.append((len(entries), j, set(anchor) if ok else None))
                    stems.update(s for s in anchor if len(s) >= 2)
            entries.append(
                Entry(
                    id=eid,
                    sub=sub,
                    event_type=SUB_TO_TYPE[sub],
                    weight=float(raw.get("weight", 1.0)),
                    regex=WordRegex("|".join(pieces)),
                    parts=tuple(WordRegex(p) for p in pieces),
                    requires=_alternation(raw.get("requires") or [], irregular),
                    forbids=_alternation(raw.get("forbids") or [], irregular),
                )
            )
        non_acled = [
            NonAcled(
                id=str(g["id"]),
                factor=float(g.get("factor", 0.5)),
                regex=_alternation(g["patterns"], irregular),  # type: ignore[arg-type]
                spares=frozenset(g.get("spares") or []),
            )
            for g in data.get("non_acled", [])
        ]
        mod = data.get("modality") or {}
        modality = {
            name: ModalityCues(
                name=name,
                lemmas=frozenset(str(x).lower() for x in (mod.get(name) or {}).get("lemmas") or []),
                aux=frozenset(str(x).lower() for x in (mod.get(name) or {}).get("aux") or []),
                phrases=_alternation((mod.get(name) or {}).get("phrases") or [], irregular),
                object_lemmas=frozenset(
                    str(x).lower() for x in (mod.get(name) or {}).get("object_lemmas") or []
                ),
                object_phrases=_alternation((mod.get(name) or {}).get("object_phrases") or [], irregular),
                use_phrases=_alternation((mod.get(name) or {}).get("use_phrases") or [], irregular),
                with_lemmas=frozenset(str(x).lower() for x in (mod.get(name) or {}).get("with_lemmas") or []),
            )
            for name in ("denied", "negated", "threat", "planned", "hypothetical", "foiled")
        }
        targets = data.get("targets") or {}
        word_lists = {
            key: rx
            for key in ("demonstration_words", "state_words", "nonstate_words", "civilian_words")
            if (rx := _alternation(data.get(key) or [], irregular)) is not None
        }
        candidate = re.compile(r"\b" + trie_regex(stems), re.IGNORECASE)
        # The filter regex reports the shortest stem that matched at a position: index every entry
        # under the shortest filter stem that is a prefix of each of its anchors.
        ordered = sorted(stems, key=len)
        anchors: dict[str, list[tuple[int, int]]] = {}
        unanchored: list[tuple[int, int]] = []
        for i, j, es in part_anchors:
            if es is None:
                unanchored.append((i, j))
                continue
            keys = {next((k for k in ordered if a.startswith(k)), a) for a in es}
            for k in keys:
                anchors.setdefault(k, []).append((i, j))
        return cls(
            entries=entries,
            non_acled=non_acled,
            modality=modality,
            candidate=candidate,
            armed_targets=_alternation(targets.get("armed") or [], irregular),
            civilian_targets=_alternation(targets.get("civilian") or [], irregular),
            telling=_alternation(targets.get("telling") or [], irregular),
            word_lists=word_lists,
            anchors=anchors,
            unanchored=unanchored,
            min_weight=float(data.get("min_weight", 0.3)),
            min_score=float(data.get("min_score", 0.45)),
            window=int(mod.get("window", 70)),
            path=path,
        )

    def sentence_may_hold_event(self, text: str) -> bool:
        """Cheap test run on every sentence: may it report an event, a casualty figure or an arrest?

        True whenever any trigger of the lexicon could match (their first words are in the filter)
        or a casualty/arrest/armed-actor word occurs; false for most background sentences."""
        return self.candidate.search(text) is not None

    def parts_for(self, text: str) -> list[tuple[Entry, WordRegex]]:
        """The (entry, pattern regex) pairs that can match in ``text``: those whose anchor stem
        occurs (cheap prefilter: the pattern cannot match without its anchor)."""
        idx = set(self.unanchored)
        for m in self.candidate.finditer(text):
            idx.update(self.anchors.get(m.group(0).lower(), ()))
        return [(self.entries[i], self.entries[i].parts[j]) for i, j in sorted(idx)]

    def entry(self, cue: str) -> Entry | None:
        """The lexicon entry with this id."""
        for e in self.entries:
            if e.id == cue:
                return e
        return None


@lru_cache(maxsize=1)
def default_lexicon() -> TriggerLexicon:
    """The bundled lexicon, loaded once (read-only)."""
    return TriggerLexicon.load()


# --------------------------------------------------------------------------- finding triggers


@dataclass
class _Hit:
    start: int  # local to the sentence
    end: int
    entry: Entry
    weight: float
    sub: str


def find_triggers(analysis: Analysis, lexicon: TriggerLexicon) -> list[TriggerMention]:
    """Every event trigger of the article, in text order, with absolute spans and modality."""
    out: list[TriggerMention] = []
    for sent in analysis.sentences:
        if not (sent.candidate or lexicon.sentence_may_hold_event(sent.text)):
            continue
        out.extend(sentence_triggers(sent, lexicon))
    return out


def sentence_triggers(sent: Sentence, lexicon: TriggerLexicon) -> list[TriggerMention]:
    """The triggers of one sentence (absolute offsets via ``sent.start``)."""
    text = sent.text
    hits: list[_Hit] = []
    allowed: dict[str, bool] = {}
    for entry, regex in lexicon.parts_for(text):
        found = allowed.get(entry.id)
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            if found is None:
                found = (entry.requires is None or entry.requires.search(text) is not None) and (
                    entry.forbids is None or entry.forbids.search(text) is None
                )
                allowed[entry.id] = found
            if not found:
                break
            hits.append(_Hit(m.start(), m.end(), entry, entry.weight, entry.sub))
    if not hits:
        return []
    hits = _resolve_overlaps(hits)

    # Non-ACLED cues scale the sentence's triggers down.
    factors = [(g.factor, g.spares) for g in lexicon.non_acled if g.regex.search(text)]
    kept: list[_Hit] = []
    for h in hits:
        f = min((fac for fac, spares in factors if h.sub not in spares), default=1.0)
        h.weight = round(h.weight * f, 3)
        if h.weight >= lexicon.min_weight:
            kept.append(h)

    out: list[TriggerMention] = []
    for h in kept:
        sub = h.sub
        if h.entry.target_dependent:
            sub = _target_sub(text, h, lexicon)
        modality, head = _modality(sent, h, lexicon)
        if modality == "asserted" and _weapons_only_found(text, h, lexicon):
            modality = "foiled"
        start, end = sent.start + h.start, sent.start + h.end
        out.append(
            TriggerMention(
                span=Span(start=start, end=end, text=text[h.start : h.end]),
                sentence=sent.index,
                event_type=SUB_TO_TYPE[sub],
                sub_event_type=sub,
                cue=h.entry.id,
                weight=h.weight,
                modality=modality,
                head=head,
            )
        )
    out.sort(key=lambda t: t.span.start)
    return out


def _resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Keep one reading where matches overlap: a containing match beats a contained one of no
    greater weight or of the same sub-type; partial overlaps keep the heavier match."""
    hits.sort(key=lambda h: (-(h.end - h.start), -h.weight, h.start))
    kept: list[_Hit] = []
    for h in hits:
        drop = False
        for k in kept:
            if h.end <= k.start or h.start >= k.end:
                continue
            if k.start <= h.start and h.end <= k.end:  # contained
                if h.weight <= k.weight or h.sub == k.sub:
                    drop = True
                    break
                continue
            if h.weight <= k.weight:  # partial overlap
                drop = True
                break
        if not drop:
            kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


def _target_sub(text: str, h: _Hit, lexicon: TriggerLexicon) -> str:
    """Armed clash if the nearest target after a target-dependent trigger is armed, else Attack;
    with nothing after it, the nearest before it ('soldiers were shot dead'), not the word right
    before it ('a terrorist attack': the attackers). A target word that tells of the event ('...,
    police said') is not one."""
    after = text[h.end : h.end + 90]
    best: tuple[int, str] | None = None
    for rx, sub in ((lexicon.armed_targets, "Armed clash"), (lexicon.civilian_targets, "Attack")):
        if rx is None:
            continue
        for m in rx.finditer(after):
            rest = after[m.end() :].lstrip(" ,")
            told = lexicon.telling.search(rest[:20]) if lexicon.telling is not None else None
            if told is not None and told.start() == 0:
                continue  # "..., POLICE SAID": who tells of it, not whom it hit
            if best is None or m.start() < best[0]:
                best = (m.start(), sub)
            break
    if best is not None:
        return best[1]
    before = text[max(0, h.start - 60) : h.start]
    for rx, sub in ((lexicon.armed_targets, "Armed clash"), (lexicon.civilian_targets, "Attack")):
        if rx is None:
            continue
        last = None
        for m in rx.finditer(before):
            if not before[m.end() :].strip():
                continue  # "A TERRORIST ATTACK", "GUERRILLA RAIDS": the word tells who attacked
            last = m
        if last is not None and (best is None or last.end() > best[0]):
            best = (last.end(), sub)
    return best[1] if best else h.sub


# --------------------------------------------------------------------------- modality

_CLAUSE_BREAK = re.compile(r"[;]|\bbut\b|\bwhile\b|\bhowever\b|\. ", re.IGNORECASE)
_NEG_WINDOW = 22
_MODALITY_ORDER = ("denied", "foiled", "threat", "planned", "hypothetical", "negated")


def _modality(sent: Sentence, h: _Hit, lexicon: TriggerLexicon) -> tuple[Modality, int | None]:
    if sent.doc is not None:
        return _modality_parsed(sent, h, lexicon)
    return _modality_text(sent.text, h, lexicon), None


def _modality_text(text: str, h: _Hit, lexicon: TriggerLexicon) -> Modality:
    """Without a parse: the closest modality cue in the words before the trigger, in its clause."""
    lo = max(0, h.start - lexicon.window)
    before = text[lo : h.start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(before):
        cut = m.end()
    before = before[cut:]
    best: tuple[int, str] | None = None
    for name in _MODALITY_ORDER:
        cues = lexicon.modality.get(name)
        if cues is None or cues.phrases is None:
            continue
        if name == "foiled" and h.entry.sub == "Disrupted weapons use":
            continue
        scope = before[-_NEG_WINDOW:] if name == "negated" else before
        offset = len(before) - len(scope)
        for m in cues.phrases.finditer(scope):
            pos = offset + m.end()
            if best is None or pos > best[0]:
                best = (pos, name)
    # "an attack was foiled" / "a plot ... thwarted": the cue follows the trigger
    after = text[h.end : h.end + 30]
    foil = lexicon.modality.get("foiled")
    if foil and foil.object_phrases and h.entry.event_type == "Explosions/Remote violence":
        # a weapon found, seized or defused is not a weapon used
        near = before[-45:]
        if foil.object_phrases.search(near):
            return "foiled"
        m = re.match(r"[^.;]{0,25}?\b(?:was|were|have been|has been|had been)\s+(\w+)", after)
        if m and foil.object_phrases.fullmatch(m.group(1)):
            return "foiled"
    if foil and foil.phrases and h.entry.sub != "Disrupted weapons use":
        m = foil.phrases.search(after)
        if m and re.match(r"\s*(?:was|were|has been|had been|is|are)?\s*$", after[: m.start()]):
            return "foiled"
    return best[1] if best else "asserted"  # type: ignore[return-value]


def _weapons_only_found(text: str, h: _Hit, lexicon: TriggerLexicon) -> bool:
    """A sentence that finds, seizes or defuses explosives and tells of no explosion, death or
    injury ("an arms cache containing hand grenades was discovered", "police seized two
    landmines"): its explosive weapons were not used."""
    foil = lexicon.modality.get("foiled")
    if h.entry.event_type != "Explosions/Remote violence" or foil is None:
        return False
    if foil.object_phrases is None:
        return False
    found = foil.object_phrases.search(text)
    if found is None:
        return False
    if h.entry.sub == "Air/drone strike" and found.start() >= h.end:
        return False  # "warplanes destroyed the depot": the aircraft did the destroying
    return foil.use_phrases is None or not foil.use_phrases.search(text)


def _weapon_not_used(tok, lemmas: frozenset[str], with_lemmas: frozenset[str] = frozenset()) -> bool:
    """A weapon that is the object of finding, seizing, destroying or defusing ('destroyed an IED',
    'a cache of mortars', 'bombs discovered in a house') or held with a verb of ``with_lemmas``
    ('equipped with grenades') was not used; 'destroyed the pylon with dynamite' used it."""
    t = tok
    for _ in range(6):
        for c in t.children:
            if c.lemma_.lower() in lemmas and (
                c.dep_ == "acl" or (c.dep_ == "relcl" and any(g.dep_ == "auxpass" for g in c.children))
            ):
                return True
        if t.dep_ in ("dobj", "nsubjpass", "attr") and t.head.lemma_.lower() in lemmas:
            return True
        if t.dep_ == "pobj" and t.head.lower_ == "with" and t.head.head.lemma_.lower() in with_lemmas:
            return True  # "equipped with grenades", "armed with suicide belts"
        if t.head is t:
            return False
        if t.dep_ in ("conj", "appos", "compound", "amod", "nmod"):
            t = t.head
        elif t.dep_ == "pobj" and t.head.lower_ == "of":
            t = t.head.head  # "a cache of mortars", "an array of weapons"
            if t.lemma_.lower() in lemmas:
                return True
        else:
            return False
    return False


def _modality_parsed(sent: Sentence, h: _Hit, lexicon: TriggerLexicon) -> tuple[Modality, int | None]:
    """With a parse: negation/modal auxiliaries of the trigger's own clause, then the verbs that
    govern it (deny, threaten, plan, foil ...), nearest first."""
    doc = sent.doc
    assert doc is not None
    span = doc.char_span(h.start, h.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return _modality_text(sent.text, h, lexicon), None
    tok = span.root
    head = sent.start + tok.idx
    mod = lexicon.modality
    is_dwu = h.entry.sub == "Disrupted weapons use"

    def lemma_in(t, name: str) -> bool:
        cues = mod.get(name)
        return bool(cues and t.lemma_.lower() in cues.lemmas)

    # the noun itself: "no attack", "no clashes"
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
                return "negated", head
    # first verb: the trigger (if verbal) or the verb it is the object of
    verb = tok
    if tok.pos_ not in ("VERB", "AUX"):
        verb = tok.head if tok.dep_ in ("dobj", "attr", "oprd", "xcomp", "pobj") else None
        if verb is not None and verb.pos_ == "ADP":
            verb = verb.head
        if verb is not None and verb.pos_ not in ("VERB", "AUX"):
            verb = None
    if verb is not None:
        for c in verb.children:
            low = c.lower_
            if c.dep_ == "neg":
                return "negated", head
            if c.dep_ == "aux":
                if mod.get("planned") and low in mod["planned"].aux:
                    return "planned", head
                if mod.get("hypothetical") and low in mod["hypothetical"].aux:
                    return "hypothetical", head
            if c.dep_ == "mark" and low in ("if", "unless"):
                return "hypothetical", head
    # governors, nearest first
    governed: str | None = None
    node = tok
    for _ in range(6):
        if node.dep_ == "ROOT" or node.head is node:
            break
        node = node.head
        for name in ("denied", "foiled", "threat", "planned", "hypothetical"):
            if name == "foiled" and is_dwu:
                continue
            if lemma_in(node, name):
                governed = name
                break
        if governed is None and node.pos_ in ("VERB", "AUX"):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
                governed = "hypothetical"
        if governed is not None:
            break
    if governed in ("denied", "threat", "planned", "hypothetical"):
        return governed, head  # type: ignore[return-value]
    foil = mod.get("foiled")
    if foil and foil.object_lemmas and h.entry.event_type == "Explosions/Remote violence":
        # ... unless the trigger itself says it went off ("A CAR BOMB EXPLODED ..., DESTROYING THE
        # FRONT": upper-case copy parses the bomb as what was destroyed)
        went_off = foil.use_phrases is not None and foil.use_phrases.search(sent.text[h.start : h.end])
        if not went_off and _weapon_not_used(tok, foil.object_lemmas, foil.with_lemmas):
            return "foiled", head
    if governed is not None:
        return governed, head  # type: ignore[return-value]
    # passive foil after a noun subject: "the attack was foiled" is covered by the head climb;
    return "asserted", head
