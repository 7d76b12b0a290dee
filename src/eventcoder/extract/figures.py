"""Figures of people killed, injured, arrested or abducted, with who claims them.

``find_figures(analysis, resources)`` reads every sentence of an article (parsed or not) with
regular expressions compiled once from ``data/figures.yaml`` and returns one
:class:`records.FigureMention` per stated figure. Numbers in words are read with text2num; vague
quantities ("dozens", "several") and qualifiers ("at least", "up to") are coded per ACLED as the
data file says. Each figure carries the words stated, the coded value (range -> low end), the
victims ("IS operatives"), their class (civilians / security / combatants), who claimed the figure
and the status of that claim (official / reported / unconfirmed / disputed).

Why regular expressions and not the parse: most sentences are not parsed (selective parsing, see
nlp.py), and news English states figures in a small number of fixed frames ("<N> <victims> were
killed", "killed <N> <victims>", "the death toll rose to <N>", "left <N> dead"). The frames, verbs,
cue words and claim vocabularies all live in the data file; this module holds the mechanism.
See docs/figures-and-dates.md for the rules (claims across sentences, status precedence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from text_to_num import text2num

from ..records import ActorRef, Figure, FigureMention, Span
from ..resources import data_path

if TYPE_CHECKING:  # pragma: no cover
    from ..nlp import Analysis, Sentence
    from ..resources import Resources

KINDS = ("killed", "injured", "arrested", "abducted")
CLASSES = ("civilians", "security", "combatants")

_QUOTES = "“”\"‘’'«»"
# A word token inside a victim phrase: optional quotes, a word (letters/digits, inner hyphens and
# apostrophes), optional quotes; or a short parenthesised acronym "(IS)".
_TOKEN = r"(?:\([^()\n]{1,40}\)|[" + _QUOTES + r"]*[^\W_][\w'’-]*[" + _QUOTES + r"]*)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?![\d,.]?\d)|\d+(?![\d,.:/]\d)(?!\d)"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)


def _word(w: Any) -> str:
    # YAML 1.1 reads a bare on/off/yes/no as a boolean: give the word back.
    if w is True:
        return "on"
    if w is False:
        return "no"
    return str(w).strip().lower()


def _words_rx(words: list[Any]) -> str:
    """Alternation of plain words/phrases (longest first), spaces matching spaces or hyphens."""
    items = sorted({_word(w) for w in words if _word(w)}, key=len, reverse=True)
    return "|".join(r"[\s-]+".join(re.escape(p) for p in w.split()) for w in items)


def _regex_alt(items: list[str]) -> str:
    return "|".join(f"(?:{x})" for x in items if str(x).strip())


@dataclass
class FigureCues:
    """The compiled content of data/figures.yaml."""

    quantity: re.Pattern[str]
    fixed: dict[str, int]
    vague: dict[str, int]
    singular: frozenset[str]
    qualifiers: dict[str, dict[str, Any]]
    after: re.Pattern[str]
    after_seg: re.Pattern[str]
    before: re.Pattern[str]
    nominal: re.Pattern[str]
    toll: re.Pattern[str]
    count: re.Pattern[str]
    active_object: re.Pattern[str]
    person_only: frozenset[str]
    zeros: list[tuple[re.Pattern[str], str, str]]
    class_rx: dict[str, re.Pattern[str]]
    person_rx: re.Pattern[str]
    not_people: re.Pattern[str]
    victim_phrase: re.Pattern[str]
    claim_after: re.Pattern[str]
    claim_before: re.Pattern[str]
    chain: re.Pattern[str]
    source_end: re.Pattern[str]
    max_words: int
    official: re.Pattern[str]
    reported: re.Pattern[str]
    own_outlet: re.Pattern[str]
    unconfirmed: re.Pattern[str]
    disputed: re.Pattern[str]
    anaphora: re.Pattern[str]
    back_stop: re.Pattern[str]
    exclude_before: re.Pattern[str]
    exclude_after: re.Pattern[str]
    conjoined: re.Pattern[str]
    subset: re.Pattern[str]
    party_sources: re.Pattern[str]
    deny: re.Pattern[str]
    vague_needs_victims: frozenset[str]
    topic_shift: re.Pattern[str]
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> FigureCues:
        """Read and compile a figures cue file (default: the bundled data/figures.yaml)."""
        path = Path(path) if path else data_path("figures.yaml")
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        num = data["numbers"]
        words = _words_rx(num["words"])
        fixed = {str(k).lower(): int(v) for k, v in num["fixed"].items()}
        vague = {str(k).lower(): int(v) for k, v in num["vague"].items()}
        singular = frozenset(str(w).lower() for w in num.get("singular", []))
        quals = {str(k).lower(): (v or {}) for k, v in data["qualifiers"].items()}
        numwords = rf"(?:{words})(?:(?:\s+|-)(?:and\s+)?(?:{words}))*"
        n = (
            rf"(?:{_DIGITS}|(?:{_words_rx(list(fixed))})(?![\w-])|(?:{_words_rx(list(vague))})(?:\s+of)?(?![\w-])"
            rf"|{numwords}(?![\w-])|(?:{_words_rx(list(singular))})(?![\w-]))"
        )
        qual = _words_rx(list(quals))
        quantity = re.compile(
            rf"(?<![\w$€£¥.,-])(?=\w)(?:(?P<qual>{qual})\s+)?"
            rf"(?:between\s+(?P<b1>{n})\s+and\s+(?P<b2>{n})"
            rf"|(?P<n1>{n})(?:\s*(?:-|–|—|\bto\b|\bor\b)\s*(?P<n2>{_DIGITS}|{numwords}(?![\w-])))?)",
            re.IGNORECASE,
        )

        def kind_alt(part: str, suffix: str = "") -> re.Pattern[str]:
            pieces = []
            for k in KINDS:
                alt = _regex_alt(data["kinds"][k].get(part) or [])
                if alt:
                    pieces.append(rf"(?P<k_{k}>{alt})")
            body = "|".join(pieces)
            return re.compile(rf"\b(?:{body}){suffix}", re.IGNORECASE)

        aux = _regex_alt(data.get("auxiliaries") or [])
        stops = _words_rx(data.get("phrase_stops") or [])
        # "<victims> [aux]* <verb>": the victim phrase is at most 7 tokens, none a clause stop word.
        victim_tok = rf"(?!(?:{stops}|{aux})\b){_TOKEN}"
        after_verbs = kind_alt("after").pattern[2:]  # without the leading \b
        # The verb is searched first, then the words between the number and the verb must be a
        # victim phrase (possessive quantifiers: no backtracking), an optional relative clause or
        # appositive, and auxiliaries.
        after = re.compile(rf"\b{after_verbs}\b", re.IGNORECASE)
        after_seg = re.compile(
            rf"(?P<victims>(?:\s*+{victim_tok}){{0,7}}+)(?P<rel>\s+(?:who|that)\s+[^,.;:()]{{1,60}}"
            rf"|\s*,\s*(?:including|among\s+them|mostly|most\s+of\s+them|all\s+of\s+them)\s+[^,;.()]{{1,60}},)?"
            rf"\s*(?:,\s*)?(?P<aux>(?:(?:{aux})\s+){{0,3}})",
            re.IGNORECASE,
        )
        victim_phrase = re.compile(
            rf"(?:\s*(?:of\s+)?(?:the\s+)?)?(?P<victims>(?:\s*{victim_tok}){{0,7}})", re.IGNORECASE
        )
        before = kind_alt("before", r"\s+(?:(?:a\s+total\s+of|of)\s+)?$")
        nominal = kind_alt("nominal", r"\s+of\s+(?:(?:some|at\s+least|about|around|over)\s+)?$")
        toll = kind_alt("toll", r"\s+(?:(?:some|at\s+least|about|around|over|nearly)\s+)?$")
        count = kind_alt("count", r"\b")
        active_object = re.compile(
            rf"^\s+(?:(?:{qual})\s+)?(?:{n}|the|his|her|their|its|two|dozens)\b", re.IGNORECASE
        )
        zeros = [
            (
                re.compile(rf"\b(?:{z['regex']})\b", re.IGNORECASE),
                str(z["kind"]),
                str(z.get("group", "unknown")),
            )
            for z in data.get("zeros") or []
        ]
        classes = data["victim_classes"]
        class_rx = {c: re.compile(rf"\b(?:{_words_rx(classes[c])})\b", re.IGNORECASE) for c in CLASSES}
        person_words = [w for c in CLASSES for w in classes[c]] + list(data.get("people") or [])
        person_rx = re.compile(rf"\b(?:{_words_rx(person_words)})\b", re.IGNORECASE)
        not_people = re.compile(rf"\b(?:{_words_rx(data.get('not_people') or [])})\b", re.IGNORECASE)
        cl = data["claims"]
        claim_after = re.compile(rf"\b(?:{_regex_alt(cl['verbs_after'])})\b", re.IGNORECASE)
        claim_before = re.compile(rf"\b(?:{_regex_alt(cl['before_source'])})\s+", re.IGNORECASE)
        chain = re.compile(rf"\b(?:{_regex_alt(cl['chain_verbs'])})\s+", re.IGNORECASE)
        source_end = re.compile("|".join(cl["source_end"]), re.IGNORECASE)
        st = data["status"]

        def rx(items: list[str]) -> re.Pattern[str]:
            return re.compile(rf"(?:{_regex_alt(items)})", re.IGNORECASE)

        back_stop = re.compile(
            r"^(?:that|which|who|whom|while|when|but|as|after|before|if|because|however|although|though|"
            r"was|were|is|are|be|been|has|have|had|said|says|and|so|then|meanwhile|also|where|"
            + _regex_alt(cl.get("deny_verbs") or [])
            + "|"
            + after_verbs.replace("(?P<k_killed>", "(?:")
            .replace("(?P<k_injured>", "(?:")
            .replace("(?P<k_arrested>", "(?:")
            .replace("(?P<k_abducted>", "(?:")
            + r")$",
            re.IGNORECASE,
        )
        exclude_before = re.compile(
            rf"(?:\b(?:aged|age|ages|of\s+age|number|no\.|nos\.|page|article|section|chapter|room|route|"
            rf"highway|flight|resolution|paragraph|km|kilometres?|kilometers?|miles?|{_MONTHS})\.?\s*"
            rf"|[$€£¥#]\s*|\b(?:us|rs|n|ksh|usd|eur)\$?\s*|\bone\s+of\s+)$",
            re.IGNORECASE,
        )
        exclude_after = re.compile(
            rf"^(?:[-\s]*(?:years?|yrs?|months?|weeks?|days?|hours?|minutes?)[-\s]*old\b|\s*(?:%|percent|per\s+cent)"
            rf"|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|hrs\b|h\b|:\d)|(?:st|nd|rd|th)\b|\s*(?:{_MONTHS})\b"
            rf"|\s*(?:km|kilomet|miles?\b|metres?\b|meters?\b|kg\b|tons?\b|tonnes?\b)"
            rf"|\s*(?:million|billion|bn\b|m\b)\s*(?:dollars|euros|pounds|naira|usd|\$)"
            rf"|\s*(?:dollars|euros|pounds|naira|rupees|shillings|cedis|rand|yuan|yen)\b"
            rf"|\s+of\s+the\s+(?:\w+est|most|worst|best|biggest|largest|first|last)\b|\s*-\s*\d{{2}}\b)",
            re.IGNORECASE,
        )
        conjoined = re.compile(
            r"^\s*(?:,\s*)?(?:and|as\s+well\s+as|plus)\s+(?:another\s+|a\s+further\s+|his\s+|her\s+|their\s+|its\s+)?$"
            r"|^\s*,\s*$",
            re.IGNORECASE,
        )
        subset = re.compile(
            r"^\s*[,(]?\s*(?:including|among\s+them|among\s+whom|of\s+whom|mostly|most\s+of\s+them|"
            r"among\s+the\s+dead\s+were|among\s+the\s+victims\s+were)\s+$",
            re.IGNORECASE,
        )
        return cls(
            quantity=quantity,
            fixed=fixed,
            vague=vague,
            singular=singular,
            qualifiers=quals,
            after=after,
            after_seg=after_seg,
            before=before,
            nominal=nominal,
            toll=toll,
            count=count,
            active_object=active_object,
            person_only=frozenset(str(w).lower() for w in data.get("person_only") or []),
            zeros=zeros,
            class_rx=class_rx,
            person_rx=person_rx,
            not_people=not_people,
            victim_phrase=victim_phrase,
            claim_after=claim_after,
            claim_before=claim_before,
            chain=chain,
            source_end=source_end,
            max_words=int(cl.get("max_words", 9)),
            official=rx(st["official"]),
            reported=rx(st["reported"]),
            own_outlet=rx(st["own_outlet"]),
            unconfirmed=rx(st["unconfirmed"]),
            disputed=rx(st["disputed"]),
            anaphora=rx(st["anaphora"]),
            back_stop=back_stop,
            exclude_before=exclude_before,
            exclude_after=exclude_after,
            conjoined=conjoined,
            subset=subset,
            party_sources=rx(st.get("party_sources") or ["(?!)"]),
            deny=re.compile(rf"\b(?:{_regex_alt(cl.get('deny_verbs') or ['(?!)'])})\b", re.IGNORECASE),
            topic_shift=re.compile(
                rf"^\W*(?:{_regex_alt(cl.get('topic_shift') or ['(?!)'])})\b", re.IGNORECASE
            ),
            vague_needs_victims=frozenset(_word(w) for w in num.get("vague_needs_victims") or []),
            path=path,
        )


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> FigureCues:
    """The compiled cue file, loaded once per path (read-only)."""
    return FigureCues.load(Path(path) if path else None)


def _cues_for(resources: Resources | None) -> FigureCues:
    path = getattr(getattr(resources, "paths", None), "figures", None)
    return load_cues(str(path) if path else None)


# --------------------------------------------------------------------------- numbers


def parse_number(words: str, cues: FigureCues) -> int | None:
    """Value of one number expression: digits, number words, fixed or vague quantities, 'a'/'an'."""
    w = re.sub(r"\s+", " ", words.strip().lower())
    if not w:
        return None
    if w[0].isdigit():
        try:
            return int(w.replace(",", ""))
        except ValueError:
            return None
    if w in cues.fixed:
        return cues.fixed[w]
    base = w[:-3].strip() if w.endswith(" of") else w
    if base in cues.vague:
        return cues.vague[base]
    if w in cues.fixed or base in cues.fixed:
        return cues.fixed.get(base)
    if w in cues.singular:
        return 1
    try:
        return int(text2num(w.replace(" and ", " "), "en"))
    except ValueError:
        return None


@dataclass
class _Quantity:
    start: int  # sentence-local
    end: int
    num_start: int
    stated: str
    value: int
    low: int | None
    high: int | None
    singular: bool
    vague: bool
    word: str  # the number word(s), lower-case, without a trailing 'of'


def _read_quantity(m: re.Match[str], text: str, cues: FigureCues) -> _Quantity | None:
    qual = (m.group("qual") or "").lower()
    qual = re.sub(r"[\s-]+", " ", qual)
    if m.group("b1"):
        lo, hi = parse_number(m.group("b1"), cues), parse_number(m.group("b2"), cues)
        first = m.group("b1")
        num_start = m.start("b1") if not qual else m.start()
    else:
        first = m.group("n1")
        lo = parse_number(first, cues)
        hi = parse_number(m.group("n2"), cues) if m.group("n2") else None
        num_start = m.start()
    if lo is None:
        return None
    singular = first.strip().lower() in cues.singular
    vague = first.strip().lower().removesuffix(" of") in cues.vague
    end = m.end()
    if singular and qual:
        return None
    low = high = None
    value = lo
    if hi is not None:
        if hi < lo:  # "3-2" is not a range of people
            return None
        # "rose from 20 to 30": a change, not a range; the later figure counts.
        if re.search(r"\bfrom\s+$", text[max(0, m.start() - 6) : m.start()], re.IGNORECASE) and re.search(
            r"\bto\b", m.group(0), re.IGNORECASE
        ):
            value = hi
        else:
            low, high = lo, hi
    bound = cues.qualifiers.get(qual, {}).get("bound") if qual else None
    if bound == "high" and high is None:
        high = value
    stated = text[m.start() : end]
    word = re.sub(r"\s+", " ", first.strip().lower()).removesuffix(" of")
    return _Quantity(m.start(), end, num_start, stated, value, low, high, singular, vague, word)


# --------------------------------------------------------------------------- claims


@dataclass
class _Claim:
    source: str
    start: int  # absolute span of the attribution words
    end: int
    anchor: int  # absolute offset of the reporting verb
    opening: bool  # a frame that may cover later sentences ("X reported that ...")


_WORD = re.compile(r"\([^()]{1,40}\)|[\w'’.&-]+")


def _source_before(text: str, lo: int, end: int, cues: FigureCues) -> tuple[int, str] | None:
    """The source noun phrase ending at ``end`` (walking back over words), within text[lo:end].

    The walk stops at punctuation, clause words and verbs (``back_stop``); 'and' joins two
    sources when the word before it names one ("police and residents")."""
    seg = text[lo:end]
    toks = list(_WORD.finditer(seg))
    # "the authorities also confirmed": adverbs between the source and its verb are skipped
    while toks and toks[-1].group(0).lower() in _SKIP_ADVERBS:
        toks.pop()
    start_tok = len(toks)
    for i in range(len(toks) - 1, -1, -1):
        t = toks[i]
        gap = seg[t.end() : toks[i + 1].start()] if i + 1 < len(toks) else seg[t.end() :]
        if re.search(r"[,;:!?\"“”]|\.\s|\n[ \t]*\n", gap):
            break
        word = t.group(0).strip("'’")
        if word.lower() == "and" and start_tok < len(toks) and i > 0:
            prev = toks[i - 1].group(0)
            if cues.official.fullmatch(prev) or cues.reported.fullmatch(prev) or prev[:1].isupper():
                continue
            break
        if cues.back_stop.match(word):
            break
        start_tok = i
        if len(toks) - i >= cues.max_words:
            break
    while start_tok < len(toks) and toks[start_tok].group(0).startswith("("):
        start_tok += 1
    if start_tok >= len(toks):
        return None
    s = lo + toks[start_tok].start()
    e = lo + toks[-1].end()
    src = text[s:e]
    if not any(ch.isalpha() for ch in src):
        return None
    return s, src


def _source_after(text: str, start: int, hi: int, cues: FigureCues) -> tuple[int, str] | None:
    """The source noun phrase starting at ``start`` and ending at a source_end cue or ``hi``; a
    name keeps its apposition ("Dr Ahmed Ali, a hospital director")."""
    seg = text[start:hi]
    m = cues.source_end.search(seg)
    e = m.start() if m else len(seg)
    words = list(_WORD.finditer(seg[:e]))
    if not words:
        return None
    words = words[: cues.max_words]
    src = text[start : start + words[-1].end()].rstrip(".")
    if src[:1].isupper() and not cues.official.search(src) and not cues.reported.search(src):
        app = _APPOSITION.match(text, start + len(src), hi)
        if app and (cues.official.search(app.group(0)) or cues.reported.search(app.group(0))):
            src = text[start : app.end()]
    return start + len(src), src


_APPOSITION = re.compile(r",\s+(?:a|an|the)\s+[\w'’-]+(?:\s+[\w'’-]+){0,5}?(?=\s*(?:[,.;:]|$))")
_SKIP_ADVERBS = frozenset(
    ["also", "later", "earlier", "previously", "further", "separately", "initially", "had", "has", "have"]
)
_DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your"]
)


def _sourcey(src: str, cues: FigureCues) -> bool:
    """Whether a phrase can name a source: a cue word, a proper name or a personal pronoun."""
    words = src.split()
    first = words[0].lower()
    if first in ("it", "which", "this", "there", "what", "them", "no", "none"):
        return False
    content = [w for w in words if w.lower() not in _DETERMINERS]
    if not content or all(w.lower().endswith("ly") for w in content):
        return False  # "the", "officially"
    if cues.official.search(src) or cues.reported.search(src) or cues.own_outlet.search(src):
        return True
    if cues.party_sources.fullmatch(src):
        return True
    if first in ("he", "she", "they", "we", "i"):
        return True
    # a proper name; in upper-case copy capitals say nothing, so only cue words count there
    return not src.isupper() and any(w[:1].isupper() for w in content)


@dataclass
class _SentenceClaims:
    claims: list[_Claim]
    denied: list[tuple[int, int]]  # absolute ranges of denied complements ("denied reports that ...")
    disputed_after: int | None  # offset after which a disputing cue follows the figure


def _claims_in(sent: Sentence, text: str, cues: FigureCues) -> _SentenceClaims:
    """Attributions in one sentence: chains first, then 'according to X', 'X said', 'said X'."""
    out: list[_Claim] = []
    lo, hi = sent.start, sent.end
    taken: list[tuple[int, int]] = []
    denied: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in cues.chain.finditer(text, lo, hi):
        a = _source_before(text, lo, m.start(), cues)
        b = _source_after(text, m.end(), hi, cues)
        if a and b:
            src = f"{a[1]} citing {b[1]}"
            out.append(_Claim(src, a[0], b[0], m.start(), _opening(text, b[0], hi)))
            taken.append((a[0], b[0]))
    for m in cues.claim_before.finditer(text, lo, hi):
        if not free(m.start(), m.end()):
            continue
        word = m.group(0).strip().lower()
        b = _source_after(text, m.end(), hi, cues)
        if not b:
            continue
        if not word.startswith(("according", "citing", "quoting")):
            # "said X" only right after a comma or a quote: ", said the army."
            before = text[max(lo, m.start() - 3) : m.start()]
            if not re.search(r"[,\"”’]\s*$", before):
                continue
            if not (cues.official.search(b[1]) or cues.reported.search(b[1]) or b[1][:1].isupper()):
                continue
        if not _sourcey(b[1], cues):
            continue
        opening = m.start() - lo < 3 and word.startswith("according")
        out.append(_Claim(b[1], m.start(), b[0], m.start(), opening))
        taken.append((m.start(), b[0]))
    for m in cues.deny.finditer(text, lo, hi):
        # "X denied (reports|claims) that ...": what follows is disputed, not X's claim.
        tail = text[m.end() : hi]
        t = re.match(r"(?:\s+[\w'’-]+){0,4}?\s+that\b", tail)
        if t:
            denied.append((m.end() + t.end(), hi))
            taken.append((m.start(), m.end() + t.end()))
            continue
        a = _source_before(text, lo, m.start(), cues)
        if a and free(a[0], m.end()) and _sourcey(a[1], cues):
            # "X denied the claim, saying ...": X's own figures follow.
            out.append(_Claim(a[1], a[0], m.end(), m.start(), False))
            taken.append((a[0], m.end()))
    for m in cues.claim_after.finditer(text, lo, hi):
        if not free(m.start(), m.end()):
            continue
        if any(a <= m.start() < b for a, b in denied):
            continue
        a = _source_before(text, lo, m.start(), cues)
        if not a or not _sourcey(a[1], cues):
            continue
        out.append(_Claim(a[1], a[0], m.end(), m.start(), _opening(text, m.end(), hi)))
        taken.append((a[0], m.end()))
    out.sort(key=lambda c: c.start)
    # "..., a figure the army disputed" / "which the government denied": disputes what precedes it.
    disputed_after = None
    for m in cues.disputed.finditer(text, lo, hi):
        if not any(a <= m.start() < b for a, b in taken) and not any(
            a - 80 <= m.start() <= a for a, _ in denied
        ):
            disputed_after = m.start()
    return _SentenceClaims(out, denied, disputed_after)


def _opening(text: str, pos: int, hi: int) -> bool:
    """A reporting frame opens ("X reported that ...") when several words follow it."""
    rest = text[pos:hi]
    return len(re.findall(r"\w+", rest)) >= 4 and not re.match(r"\s*[,.;]", rest)


def _party_source(source: str | None, cues: FigureCues) -> bool:
    if not source:
        return False
    head = source.split(" citing ")[0].strip()
    return bool(cues.own_outlet.search(head) or cues.party_sources.fullmatch(head))


def _source_status(source: str | None, cues: FigureCues) -> str:
    """official / reported from the words naming the source (the first one of a chain).

    Each part of "A and B" is read alone; a part naming medical staff, media, witnesses, residents
    or monitors is 'reported' even with 'officials' in it ("hospital officials"); the claim is
    official if any part is."""
    if not source:
        return "reported"
    head = source.split(" citing ")[0]
    parts = re.split(r"\s+and\s+", head)
    statuses = []
    for part in parts:
        if cues.reported.search(part):
            statuses.append("reported")
        elif cues.official.search(part):
            statuses.append("official")
        else:
            statuses.append("reported")
    return "official" if "official" in statuses else "reported"


@dataclass
class _Raw:
    kind: str
    group: str
    q: _Quantity | None
    stated: str
    value: int
    low: int | None
    high: int | None
    span: tuple[int, int]  # absolute
    victims: tuple[int, int] | None  # absolute
    frame: str  # after / before / nominal / toll / count / zero / conjoined


def _kind_of(m: re.Match[str]) -> str:
    for k in KINDS:
        if m.groupdict().get(f"k_{k}"):
            return k
    return "killed"


def _victims_of(text: str, start: int, end: int) -> tuple[int, int] | None:
    seg = text[start:end]
    stripped = seg.strip(" \t\n" + _QUOTES)
    if not stripped:
        return None
    s = start + seg.index(stripped)
    return s, s + len(stripped)


_PARTITIVE = re.compile(r"\s+(?:of|out\s+of)\s+(?:the\s+|its\s+|their\s+|our\s+)?", re.IGNORECASE)
_DET_BEFORE = re.compile(r"\b(?:the|their|its|his|her|our)\s+$", re.IGNORECASE)
_NO = re.compile(r"\bno(?:ne|body)?\b", re.IGNORECASE)


def _sentence_figures(sent: Sentence, text: str, cues: FigureCues) -> list[_Raw]:
    st = sent.text
    base = sent.start
    out: list[_Raw] = []
    # explicit zeros
    zero_spans: list[tuple[int, int]] = []
    zeros = cues.zeros if _NO.search(st) else []
    for rx, kind, group in zeros:
        for m in rx.finditer(st):
            if any(not (m.end() <= a or m.start() >= b) for a, b in zero_spans):
                continue
            zero_spans.append((m.start(), m.end()))
            out.append(
                _Raw(kind, group, None, "no", 0, None, None, (base + m.start(), base + m.end()), None, "zero")
            )
    last: _Raw | None = None
    last_q_end: int | None = None
    for m in cues.quantity.finditer(st):
        if any(not (m.end() <= a or m.start() >= b) for a, b in zero_spans):
            continue
        q = _read_quantity(m, st, cues)
        if q is None:
            continue
        prev_q_end, last_q_end = last_q_end, q.end
        if q.singular and not cues.person_rx.search(st, q.end, q.end + 60):
            continue  # 'a'/'an' count only before a person noun: most are dropped here, cheaply
        pre = st[max(0, q.start - 40) : q.start]
        if prev_q_end is not None and _PARTITIVE.fullmatch(st, prev_q_end, q.start):
            continue  # "seven of the nine soldiers": the second number is the whole, not a figure
        post = st[q.end : q.end + 40]
        if cues.exclude_before.search(pre) or cues.exclude_after.match(post):
            continue
        if re.match(r"\s*(?:-|–)\s*year", post, re.IGNORECASE):
            continue
        if q.word.isdigit() and int(q.word) < 120 and re.search(r"\w,\s*$", pre) and post.startswith(","):
            continue  # "Garcia Alvarado, 56, was killed": an age
        raw = _classify(q, st, base, pre, cues, last)
        if raw is not None:
            out.append(raw)
            last = raw
    return out


def _classify(q: _Quantity, st: str, base: int, pre: str, cues: FigureCues, last: _Raw | None) -> _Raw | None:
    """Decide whether the quantity at q is a figure and of which kind (see module docstring)."""
    frame = None
    kind = None
    vic: tuple[int, int] | None = None
    end = q.end
    limit = min(len(st), q.end + 160)
    after = cues.after.search(st, q.end, limit)
    # "the wounded soldiers died": a participle before a person noun is an adjective; look on.
    while after and (
        (cues.person_rx.match(st, after.end() + 1) and st[after.end() : after.end() + 1] == " ")
        or _DET_BEFORE.search(st, max(0, after.start() - 8), after.start())
    ):
        after = cues.after.search(st, after.end(), limit)
    seg = cues.after_seg.fullmatch(st, q.end, after.start()) if after else None
    if after and seg:
        ok = True
        v = seg.group("victims")
        has_aux = bool(seg.group("rel") or seg.group("aux").strip())
        if not has_aux and cues.active_object.match(st, after.end()):
            ok = False  # "5 soldiers killed 3 militants": active verb, the number is the agent
        if v and cues.not_people.search(v):
            ok = False
        if q.singular and not (v and cues.person_rx.search(v)):
            ok = False
        if ok:
            kind = _kind_of(after)
            frame = "after"
            vic = _victims_of(st, seg.start("victims"), seg.end("victims")) if v.strip() else None
            end = after.end()
    if frame is None:
        bm = cues.before.search(pre) or cues.nominal.search(pre) or cues.toll.search(pre)
        if bm:
            vm = cues.victim_phrase.match(st, q.end)
            v = vm.group("victims") if vm else ""
            verb = bm.group(0).strip().lower().split()[0]
            needs_person = q.singular or verb in cues.person_only
            if v and cues.not_people.search(v):
                return None
            if needs_person and not (v and cues.person_rx.search(v)):
                return None
            if q.singular and v and not cues.person_rx.match(v.strip(" " + _QUOTES)):
                # "killing a 19-year-old student": allow an adjective or two before the person noun
                words = v.split()
                if not any(cues.person_rx.fullmatch(w.strip(_QUOTES + ".,")) for w in words[:4]):
                    return None
            kind = _kind_of(bm)
            frame = "before"
            if vm and v.strip():
                vic = _victims_of(st, vm.start("victims"), vm.end("victims"))
                if vic:
                    end = vic[1]
    if frame is None:
        cm = re.match(r"\s+(?:(?:more|other|further|additional|confirmed)\s+)?", st[q.end :])
        pos = q.end + (cm.end() if cm else 0)
        cnt = cues.count.match(st, pos)
        if cnt and not q.singular:
            kind = _kind_of(cnt)
            frame = "count"
            end = cnt.end()
    if frame is None and last is not None and last.frame in ("before", "conjoined", "after", "count"):
        between = st[last.span[1] - base : q.start]
        if q.singular:
            return None
        if cues.conjoined.match(between) or cues.subset.match(between):
            vm = cues.victim_phrase.match(st, q.end)
            v = vm.group("victims") if vm else ""
            if v and cues.not_people.search(v):
                return None
            if last.frame == "after" and not cues.subset.match(between):
                return None
            kind = last.kind
            frame = "conjoined"
            if vm and v.strip():
                vic = _victims_of(st, vm.start("victims"), vm.end("victims"))
                if vic:
                    end = vic[1]
    if frame is None or kind is None:
        return None
    if q.vague and not vic and q.word in cues.vague_needs_victims:
        if frame not in ("count", "toll"):
            return None  # "killed many" / "arrested some": too vague without victims
    v_abs = (base + vic[0], base + vic[1]) if vic else None
    return _Raw(
        kind,
        "unknown",
        q,
        q.stated.strip(),
        q.value,
        q.low,
        q.high,
        (base + q.start, base + end),
        v_abs,
        frame,
    )


def _victim_class(victims: str | None, cues: FigureCues) -> str:
    if not victims:
        return "unknown"
    best: tuple[int, int, str] | None = None
    for i, c in enumerate(CLASSES):
        for m in cues.class_rx[c].finditer(victims):
            key = (-(m.end() - m.start()), m.start() * 0 + i, c)
            if best is None or key < best:
                best = key
    return best[2] if best else "unknown"


def _clean_who(text: str) -> str | None:
    who = re.sub(r"[" + _QUOTES + r"]", "", text)
    who = re.sub(r"\s+", " ", who).strip(" ,.")
    who = re.sub(r"^(?:of\s+)?(?:the|other|more)\s+", "", who, flags=re.IGNORECASE)
    if re.fullmatch(r"(?:of\s+)?(?:them|those|these|us|whom|which|it)", who, re.IGNORECASE):
        return None
    return who or None


def _actors_by_span(analysis: Analysis, resources: Resources | None) -> list[Any]:
    """Actor mentions of the article, if the actor extractor and dictionary are available."""
    if resources is None:
        return []
    try:
        from .actors import find_actors  # type: ignore[import-not-found]

        return list(find_actors(analysis, resources.actors))
    except Exception:  # noqa: BLE001 - figures must work without the actor stage
        return []


def find_figures(analysis: Analysis, resources: Resources | None = None) -> list[FigureMention]:
    """Every figure of people killed, injured, arrested or abducted in the article, with its claim.

    Claims: an attribution in the same sentence wins (the nearest one before the figure, else the
    nearest after). Otherwise, unless the sentence opens with a change of topic ("Meanwhile, ..."),
    the latest attribution of the sentence just before it in the same paragraph covers it, or the
    latest opening frame ("Centcom reported that ...") of an earlier sentence of the paragraph; in
    the lede (first paragraph that is not a headline), the first opening frame of the next three
    sentences does (news ledes state the fact and attribute it just after). A source named only by
    a name that an earlier attribution introduced ("Prokudin" after "the regional governor Oleksandr
    Prokudin") takes that attribution's status.

    Status: 'official' or 'reported' from the source words (data/figures.yaml, status.official /
    status.reported); 'unconfirmed' when the source is a party to the fighting or its outlet (the
    claimant then ends with " (party's own outlet)"), or when the sentence, or the next one speaking
    of "these reports", says the figure is unverified or uncommented; 'disputed' when the figure
    sits in a denied complement ("denied reports that ..."), is followed by a disputing word ("a
    figure the army disputed"), or the next sentence denies "the claim".
    """
    cues = _cues_for(resources)
    text = analysis.text
    sentences = analysis.sentences
    per_sent: list[list[_Raw]] = [_sentence_figures(s, text, cues) for s in sentences]
    if not any(per_sent):
        return []
    claims = _LazyClaims(sentences, text, cues)
    para = _paragraph_ids(text, sentences)
    lede = _lede(sentences, para, text)
    actors = _actors_by_span(analysis, resources)
    out: list[FigureMention] = []
    for i, sent in enumerate(sentences):
        doubt = _later_doubt(i, sentences, para, per_sent, cues) if per_sent[i] else None
        for raw in per_sent[i]:
            shift = bool(cues.topic_shift.match(sent.text))
            claim = _claim_for(i, raw, claims, para, lede, shift)
            source = claim.source if claim else None
            if source and source.lower() in _PRONOUNS:
                source = _antecedent(i, claims) or source
            status = _source_status(source, cues)
            if source and status == "reported" and not cues.reported.search(source):
                earlier = [c.source for j in range(i + 1) for c in claims[j]]
                status = _known_name_status(source, earlier, cues) or status
            own = _party_source(source, cues) or bool(cues.own_outlet.search(sent.text))
            if own or cues.unconfirmed.search(sent.text):
                status = "unconfirmed"
            sc = claims.at(i)
            if any(a <= raw.span[0] < b for a, b in sc.denied) or (
                sc.disputed_after is not None and sc.disputed_after > raw.span[1]
            ):
                status = "disputed"
            if doubt == "disputed" or (doubt == "unconfirmed" and status != "disputed"):
                status = doubt
            claimed_by = source
            if own:
                claimed_by = (claimed_by or "the group") + " (party's own outlet)"
            who = _clean_who(text[raw.victims[0] : raw.victims[1]]) if raw.victims else None
            vclass = _victim_class(who, cues)
            group = "civilians" if (vclass == "civilians" or raw.group == "civilians") else "unknown"
            if raw.frame == "zero" and raw.group == "civilians":
                vclass = "civilians"
                who = "civilians"
            victim_actor = _victim_actor(raw, actors)
            if victim_actor is not None and vclass == "unknown":
                vclass = {1: "security", 8: "security", 7: "civilians", 2: "combatants", 3: "combatants"}.get(
                    victim_actor.inter, "unknown"
                )
            fig = Figure(
                kind=raw.kind,  # type: ignore[arg-type]
                group=group,  # type: ignore[arg-type]
                stated=raw.stated,
                value=raw.value,
                low=raw.low,
                high=raw.high,
                who=who or None,
                claimed_by=claimed_by,
                status=status,  # type: ignore[arg-type]
                span=Span.of(text, *raw.span),
                claim_span=Span.of(text, claim.start, claim.end) if claim else None,
                sentence=Span.of(text, sent.start, sent.end),
            )
            out.append(
                FigureMention(
                    figure=fig,
                    sentence=sent.index,
                    victim_actor=victim_actor,
                    victim_class=vclass,  # type: ignore[arg-type]
                )
            )
    return out


_PRONOUNS = frozenset(["he", "she", "they", "we"])


def _antecedent(i: int, claims: _LazyClaims) -> str | None:
    """The last named source of the three sentences before sentence i ('he said' -> who he is)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        named = [c.source for c in claims[j] if c.source.lower() not in _PRONOUNS]
        if named:
            return named[-1]
    return None


def _known_name_status(source: str, seen: list[str], cues: FigureCues) -> str | None:
    """Status of an earlier source that introduced the proper name(s) this source consists of."""
    names = [w for w in re.findall(r"[\w'’-]+", source) if w[:1].isupper() and w.lower() not in ("the", "a")]
    if not names or len(names) > 3:
        return None
    for other in seen:
        if other != source and all(re.search(rf"\b{re.escape(n)}\b", other) for n in names):
            st = _source_status(other, cues)
            if st == "official" or cues.reported.search(other):
                return st
    return None


def _victim_actor(raw: _Raw, actors: list[Any]) -> ActorRef | None:
    if not raw.victims or not actors:
        return None
    a, b = raw.victims
    for am in actors:
        if am.span.start >= a and am.span.end <= b:
            return am.actor
    return None


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _paragraph_ids(text: str, sentences: list[Sentence]) -> list[int]:
    """Paragraph number of each sentence: paragraphs end at blank lines when the text has any
    (hard-wrapped copy), else at line breaks."""
    blank = bool(_BLANK_LINE.search(text))
    ids: list[int] = []
    p = 0
    for i, s in enumerate(sentences):
        gap = text[sentences[i - 1].end : s.start] if i else ""
        if i and (_BLANK_LINE.search(gap) if blank else "\n" in gap):
            p += 1
        ids.append(p)
    return ids


def _lede(sentences: list[Sentence], para: list[int], text: str) -> int:
    """Paragraph id of the lede: the first paragraph that ends like a sentence (not a headline)."""
    last: dict[int, Sentence] = {}
    for s, p in zip(sentences, para, strict=True):
        last[p] = s
    for p in sorted(last):
        if re.search(r"[.!?][\"”’')]*$", last[p].text):
            return p
    return 0


class _LazyClaims:
    """Claims per sentence, worked out only for the sentences a figure looks at."""

    def __init__(self, sentences: list[Sentence], text: str, cues: FigureCues):
        self.sentences, self.text, self.cues = sentences, text, cues
        self.done: dict[int, _SentenceClaims] = {}

    def at(self, i: int) -> _SentenceClaims:
        if i not in self.done:
            self.done[i] = _claims_in(self.sentences[i], self.text, self.cues)
        return self.done[i]

    def __getitem__(self, i: int) -> list[_Claim]:
        return self.at(i).claims

    def __len__(self) -> int:
        return len(self.sentences)


def _claim_for(
    i: int, raw: _Raw, claims: _LazyClaims, para: list[int], lede: int, shift: bool
) -> _Claim | None:
    """The attribution that covers a figure (rules in find_figures' docstring)."""
    here = claims[i]
    if here:
        before = [c for c in here if c.start <= raw.span[0]]
        if before:
            return before[-1]
        return min(here, key=lambda c: c.start - raw.span[1])
    if shift:
        return None
    # an opening frame earlier in the same paragraph, or any attribution of the sentence before
    j = i - 1
    while j >= 0 and para[j] == para[i]:
        if claims[j]:
            frames = [c for c in claims[j] if c.opening]
            if frames:
                return frames[-1]
            return claims[j][-1] if j == i - 1 else None
        j -= 1
    # the lede: attributed in the next sentences
    if para[i] == lede:
        for j in range(i + 1, min(len(claims), i + 4)):
            if claims[j]:
                frames = [c for c in claims[j] if c.opening]
                return frames[0] if frames else None
    return None


def _later_doubt(
    i: int, sentences: list[Sentence], para: list[int], per_sent: list[list[_Raw]], cues: FigureCues
) -> str | None:
    """'disputed' when the next sentence of the paragraph denies 'the claim'; 'unconfirmed' when it
    says the report is unverified or uncommented ('has yet to comment on these reports') and states
    no figure of its own; else None."""
    j = i + 1
    if j >= len(sentences) or para[j] != para[i]:
        return None
    t = sentences[j].text
    if not cues.anaphora.search(t):
        return None
    if cues.deny.search(t) or cues.disputed.search(t):
        return "disputed"
    if cues.unconfirmed.search(t) and not per_sent[j]:
        return "unconfirmed"
    return None
