"""Toponyms: find place names in an article and geocode them offline with article context.

Detection: spaCy entities (GPE, LOC, FAC; NORP for demonyms) in parsed sentences, plus a scan of
capitalised word sequences in every sentence against the gazetteer (most sentences are not
parsed). A capitalised name that is not a country, demonym or province is kept only when NER
says it is a place, a place preposition or settlement word introduces it, or it is a sizeable
town that is not sentence-initial.

Disambiguation (candidates from eventcoder.gazetteer): a score per candidate from its kind and
population, the countries the article names (names, aliases, demonyms), the provinces it names,
"X, Y" apposition, and words around the name ("province", "district", "the town of").

Relations and precision: "western Iraq" (region), "near X" (near_place), "the border with X",
"X province" (admin1), "X district" (admin2), seas (water), each with ACLED geo_precision and
UCDP where_prec. Cue words live in data/geo/cues.yaml.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..gazetteer import Feature, Gazetteer, haversine_km, norm
from ..nlp import Analysis, is_upper_text
from ..records import Place, PlaceMention, Span
from ..resources import data_path, word_alternation

PRECISION = {
    # level: (ACLED geo_precision, UCDP where_prec)
    "place": (1, 1),
    "near_place": (2, 2),
    "admin2": (2, 3),
    "admin1": (3, 4),
    "region": (3, 5),
    "country": (3, 6),
    "water": (3, 7),
}
LEVEL_RANK = {"place": 0, "near_place": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5, "water": 6}

_CAP = r"[A-Z\u00C0-\u00DE][\w'’\-\.]*"
_CONNECT = r"(?:al|el|as|ad|an|ar|at|ash|de|da|do|du|des|del|la|le|of|upon|on|sur|am|bin|ibn|wa)"
_SEQ = re.compile(rf"\b{_CAP}(?:[ \-]+(?:{_CONNECT}[ \-]+)?{_CAP})*")
_FUNCTION_WORDS = {"the", "a", "an", "on", "in", "at", "of", "and", "to", "from", "by", "for", "with", "near"}
_UNIT_WORD = re.compile(r"\s(?:County|Parish|District|Borough|Township|Municipality|Rayon)$")
_SENT_START = re.compile(r"(?:^|[.!?:;\"“”\n]\s*)$")


@dataclass(frozen=True)
class GeoCues:
    directions: re.Pattern[str]
    near: re.Pattern[str]
    border: re.Pattern[str]
    admin1_after: re.Pattern[str]
    admin2_after: re.Pattern[str]
    settlement_before: re.Pattern[str]
    preposition_before: re.Pattern[str]
    local_after: re.Pattern[str]
    local_feature: re.Pattern[str]
    natural_feature: re.Pattern[str]
    water: dict[str, str]
    upper_copy_words: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> GeoCues:
        with open(path or data_path("geo/cues.yaml"), encoding="utf-8") as fh:
            d = yaml.safe_load(fh)

        alt = word_alternation

        return cls(
            directions=re.compile(
                rf"\b(?:the\s+)?(?:({alt(d['directions'])})(?:\s+part\s+of(?:\s+the)?|\s+parts\s+of(?:\s+the)?)?)\s+$",
                re.I,
            ),
            near=re.compile(
                rf"\b(?:{alt(d['near'])})(?:\s+the\s+(?:town|village|city)\s+of)?\s+(?:the\s+)?$", re.I
            ),
            border=re.compile(rf"\b(?:{alt(d['border'])})\s+(?:the\s+)?$", re.I),
            admin1_after=re.compile(rf"^\s+(?:{alt(d['admin1_words'])})\b", re.I),
            admin2_after=re.compile(rf"^\s+(?:{alt(d['admin2_words'])})\b", re.I),
            settlement_before=re.compile(rf"\b(?:{alt(d['settlement_words'])})\s+of\s+$", re.I),
            preposition_before=re.compile(rf"\b(?:{alt(d['place_prepositions'])})\s+(?:the\s+)?$", re.I),
            local_after=re.compile(rf"^(?:'s)?\s+(?:{alt(d.get('local_after', []))})\b", re.I),
            local_feature=re.compile(
                rf"\b(?:(?:{_CAP}\s+){{1,3}}(?:{alt(d.get('local_feature_words', []))})"
                rf"|(?:{alt(d.get('local_feature_prefixes', []))})\s+(?:{_CAP}|\d+)(?:\s+{_CAP})?)(?![\w])"
            ),
            natural_feature=re.compile(
                rf"\b(?:(?:{_CAP}\s+){{1,3}}(?:{alt(d.get('natural_feature_words', []))})"
                rf"|(?:{alt(d.get('natural_feature_prefixes', []))})\s+{_CAP}(?:\s+{_CAP})?)(?![\w])"
            ),
            water={norm(w): w for w in d.get("water", [])},
            upper_copy_words=frozenset(norm(w) for w in d.get("upper_copy_words", [])),
        )


@lru_cache(maxsize=2)
def default_cues() -> GeoCues:
    return GeoCues.load()


@dataclass
class _Cand:
    start: int
    end: int
    sentence: int
    ner: str | None  # entity label if NER found it
    features: list[Feature]
    demonym_cc: str | None = None
    is_water: bool = False
    partial: bool = False  # matched only part of a longer capitalised name
    local_feature: bool = False  # a street, park...: placed at the nearest town named
    natural: bool = False  # a river, lake, mountain: found, but not placed


def _case_restored(text: str) -> str:
    """Upper-case wire copy: capitalise words (same length) so capitalisation cues work."""
    out = text.title()
    return out if len(out) == len(text) else text


def find_places(analysis: Analysis, gazetteer: Gazetteer, cues: GeoCues | None = None) -> list[PlaceMention]:
    """Every toponym in the article, geocoded, in text order."""
    cues = cues or default_cues()
    text = analysis.text
    scan = _case_restored(text) if is_upper_text(text) else text
    cands = _candidates(analysis, gazetteer, scan, cues)
    if not cands:
        return []
    context = _context(cands, gazetteer, text)
    first = [_resolve(c, i, cands, context, gazetteer, text, cues) for i, c in enumerate(cands)]
    # Second pass: the places the other names of the article resolved to vote for their
    # provinces and neighbourhoods ("Gainesville" among Atlanta and Hall County is in Georgia).
    _add_neighbours(context, first)
    mentions: list[PlaceMention] = []
    for i, c in enumerate(cands):
        m = _resolve(c, i, cands, context, gazetteer, text, cues)
        if m is not None:
            mentions.append(m)
    return mentions


# --------------------------------------------------------------------------- detection


def _candidates(analysis: Analysis, gaz: Gazetteer, scan: str, cues: GeoCues) -> list[_Cand]:
    text = analysis.text
    upper = is_upper_text(text)  # once: it reads the text, and datelines are checked per name
    taken: list[tuple[int, int]] = []
    out: list[_Cand] = []
    blocked: list[tuple[int, int]] = []
    soft_blocked: list[tuple[int, int]] = []
    for ent in analysis.entities:
        if ent.label in ("PERSON", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"):
            blocked.append((ent.start, ent.end))
        elif ent.label == "ORG":
            soft_blocked.append((ent.start, ent.end))  # small NER model: cities are often ORG

    def overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
        return any(a < e and s < b for s, e in spans)

    # 1. NER places.
    for ent in analysis.entities:
        if ent.label not in ("GPE", "LOC", "FAC", "NORP"):
            continue
        start, end = ent.start, ent.end
        name = text[start:end]
        if name.lower().startswith("the "):
            start += 4
            name = name[4:]
        name = name.rstrip("'’s").strip() if name.endswith(("'s", "’s")) else name
        end = start + len(name)
        if ent.label == "NORP":
            info = gaz.country_of_demonym(name)
            if info is None:
                regions = [f for f in gaz.lookup(name) if f.level == "region"]
                if regions:
                    out.append(_Cand(start, end, ent.sentence, ent.label, regions))
                    taken.append((start, end))
                continue
            out.append(_Cand(start, end, ent.sentence, ent.label, [], demonym_cc=info.iso2))
            taken.append((start, end))
            continue
        if norm(name) in cues.water:
            out.append(_Cand(start, end, ent.sentence, ent.label, [], is_water=True))
            taken.append((start, end))
            continue
        if text[end : end + 1] == "." and gaz.lookup_abbreviation(name + "."):
            end += 1
            feats = gaz.lookup_abbreviation(name + ".")
        else:
            feats = gaz.lookup_abbreviation(name) or _filter_acronym(name, gaz.lookup(name), text, cues)
        if not feats:
            continue
        out.append(_Cand(start, end, ent.sentence, ent.label, feats))
        taken.append((start, end))

    # 2. Streets, parks, rivers: "Main Street", "Route 7", "Lake Lanier".
    features = [(m, False) for m in cues.local_feature.finditer(scan)]
    features += [(m, True) for m in cues.natural_feature.finditer(scan)]
    for m, natural in sorted(features, key=lambda mn: mn[0].start()):
        s, e = m.start(), m.end()
        first = text[s:e].split()[0]
        if first.lower() in _FUNCTION_WORDS or overlaps(s, e, taken) or overlaps(s, e, blocked):
            continue
        if gaz.lookup(text[s:e]):
            continue  # a town of that name ("Long Beach", "Lake Placid"): the place scan takes it
        if natural and norm(text[s:e]) in cues.water:
            continue  # seas are water places (below)
        out.append(_Cand(s, e, analysis.sentence_at(s).index, None, [], local_feature=True, natural=natural))
        taken.append((s, e))

    # 3. Capitalised sequences anywhere.
    rejected: list[tuple[int, int, list[Feature]]] = []
    for m in _SEQ.finditer(scan):
        # words split at hyphens too: "Egyptian-US", "Athens-Clarke County" (the longest match
        # first still takes "Winston-Salem" whole)
        words = [(w.start(), w.end()) for w in re.finditer(r"[^\s\-]+", m.group(0))]
        words = [(m.start() + a, m.start() + b) for a, b in words]
        i = 0
        while i < len(words):
            found = None
            for j in range(min(len(words), i + 5), i, -1):
                s, e = words[i][0], words[j - 1][1]
                raw = text[s:e].rstrip(",")
                if raw.endswith(".") and not overlaps(s, s + len(raw), taken):
                    abbr = gaz.lookup_abbreviation(raw)
                    if abbr:
                        found = (s, s + len(raw), abbr, None, False)
                        break
                name = text[s:e].rstrip(".,")
                if name.endswith(("'s", "’s")):
                    name = name[:-2]
                e = s + len(name)
                if overlaps(s, e, taken):
                    continue
                key = norm(name)
                if key in cues.water:
                    found = (s, e, [], None, True)
                    break
                info = gaz.country_of_demonym(name) if key in gaz.demonyms else None
                feats = gaz.lookup(name)
                if not _dateline(s, e, text, upper):
                    feats = _filter_acronym(name, feats, text, cues)
                if info is not None and not any(f.level == "country" for f in feats):
                    found = (s, e, [], info.iso2, False)  # a demonym: a mention of its country
                    break
                if feats:
                    found = (s, e, feats, None, False)
                    break
            if found is None:
                i += 1
                continue
            s, e, feats, demonym_cc, water = found
            sent = analysis.sentence_at(s).index
            soft = any(s < be and bs < e for bs, be in soft_blocked)
            big = max((f.population for f in feats), default=0) >= 100_000 or any(
                f.level in ("country", "admin1") for f in feats
            )
            person = any(s < be and bs < e for bs, be in blocked)
            strong = (
                _dateline(s, e, text, upper)
                or bool(_PARTY_BEFORE.search(text[max(0, s - 2) : s]))
                or (not person and _local_use(s, e, feats, text, cues))
            )
            if (
                not water
                and not strong
                and (
                    (soft and not big and not demonym_cc)
                    or not _accept(s, e, feats, demonym_cc, text, scan, cues, blocked)
                )
            ):
                rejected.append((s, e, feats))
                i += 1
                continue
            partial = len(words) > 1 and (s, e) != (words[0][0], words[-1][1])
            out.append(_Cand(s, e, sent, None, feats, demonym_cc=demonym_cc, is_water=water, partial=partial))
            taken.append((s, e))
            # skip the words consumed
            while i < len(words) and words[i][0] < e:
                i += 1
    # A name accepted as a place somewhere in the article is a place everywhere in it, and a town
    # of a province the article names is a place when it is not at the start of a sentence.
    accepted = {norm(text[c.start : c.end]) for c in out if c.features}
    provinces = {
        (f.cc, norm(f.name))
        for c in out
        for f in c.features
        if f.level == "admin1" and len({g.cc for g in c.features}) == 1
    }
    for s, e, feats in rejected:
        in_named_province = (
            provinces
            and not any(s < be and bs < e for bs, be in blocked)
            and not _SENT_START.search(text[max(0, s - 3) : s])
            and s > 0
            and any(f.admin1 and (f.cc, norm(f.admin1)) in provinces for f in feats)
        )
        if (norm(text[s:e]) in accepted or in_named_province) and not overlaps(s, e, taken):
            out.append(_Cand(s, e, analysis.sentence_at(s).index, None, feats))
            taken.append((s, e))
    out.sort(key=lambda c: c.start)
    return out


_DATELINE_AFTER = re.compile(r"^(?:,[^\n,]{2,25})?\s*(?:[—–:\x97]|-{1,2}\s|\((?:AP|Reuters|AFP|UPI)\))")
_PARTY_BEFORE = re.compile(r"\b[DRI]-$")
# "John Smith, 34, of Annville", "both of Annville", "a native of Annville"
_RESIDENCE_BEFORE = re.compile(r"(?:,|\bboth|\ball|\bnative|\bresidents?)\s+of\s+$")


def _dateline(s: int, e: int, text: str, upper: bool) -> bool:
    """ "TEGA CAY — Firefighters...", "BEIRUT: Israel...", "COLUMBIA, Ky. (AP) -": the place a
    report was filed from, in capitals before a dash or colon (``upper``: the whole text is in
    capitals, where that tells nothing)."""
    name = text[s:e]
    return (
        len(name) >= 3
        and name.isupper()
        and not upper
        and bool(_DATELINE_AFTER.match(text[e : e + 40]))
    )


def _local_use(s: int, e: int, feats: list[Feature], text: str, cues: GeoCues) -> bool:
    """A town named as the home of a local institution or person ("Danbury police", "a Bicester
    teenager") or of a legislator ("D-Raleigh")."""
    if not any(f.level in ("place", "admin2") for f in feats) or len(text[s:e]) <= 3:
        return False
    return bool(
        cues.local_after.match(text[e : e + 30]) or _RESIDENCE_BEFORE.search(text[max(0, s - 30) : s])
    )


def _filter_acronym(name: str, feats: list[Feature], text: str = "", cues: GeoCues | None = None) -> list[Feature]:
    """An all-capitals name of up to four letters ("US", "DRC") is a country or nothing: such
    acronyms name organisations far more often than villages. In upper-case copy, where every word
    is in capitals, an acronym that is also a common word ("CAR": the Central African Republic, or
    a car) is nothing."""
    if len(name) <= 4 and name.isupper():
        if cues is not None and norm(name) in cues.upper_copy_words and is_upper_text(text):
            return []
        return [f for f in feats if f.level == "country"]
    return feats


def _accept(
    s: int,
    e: int,
    feats: list[Feature],
    demonym_cc: str | None,
    text: str,
    scan: str,
    cues: GeoCues,
    blocked: list[tuple[int, int]],
) -> bool:
    """Keep a capitalised name that NER did not mark as a place only with supporting evidence."""
    if any(s < be and bs < e for bs, be in blocked):
        # NER called it a person (the small model often does for cities): keep it only when the
        # words before introduce a place and it is a province or a sizeable town.
        before = scan[max(0, s - 40) : s]
        introduced = cues.preposition_before.search(before) or cues.settlement_before.search(before)
        sizeable = any(f.level in ("country", "admin1") or f.population >= 50_000 for f in feats)
        return bool(introduced or re.search(r"\bof\s+$", before)) and sizeable
    if demonym_cc:
        return True
    levels = {f.level for f in feats}
    name = text[s:e]
    before = scan[max(0, s - 40) : s]
    if "country" in levels and len(name) > 2:
        return True
    if len(name) <= 2:
        return False
    sentence_initial = bool(_SENT_START.search(text[max(0, s - 3) : s])) or s == 0
    introduced = bool(cues.preposition_before.search(before) or cues.settlement_before.search(before))
    if introduced or cues.admin1_after.match(text[e : e + 25]) or cues.admin2_after.match(text[e : e + 25]):
        return True
    if "admin2" in levels and _UNIT_WORD.search(name):
        return True  # "Walker County", "Abu Ghraib District": the name says what it is
    if "admin1" in levels and not sentence_initial:
        return True
    biggest = max((f.population for f in feats), default=0)
    return (
        biggest >= 100_000 and not sentence_initial and " " not in name or biggest >= 100_000 and " " in name
    )


# --------------------------------------------------------------------------- context and scoring


@dataclass
class _Context:
    countries: Counter[str]
    admin1: set[tuple[str, str]]
    by_name: dict[str, Counter[str]] = field(default_factory=dict)  # each name's own votes
    # names of the article that can be a county (cc, province, county) or a town inside one
    county_names: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    town_county_names: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # filled after a first pass: the province and point each candidate resolved to
    resolved_admin1: dict[int, tuple[str, str]] = field(default_factory=dict)
    resolved_points: dict[int, tuple[float, float]] = field(default_factory=dict)
    resolved_mentions: dict[int, PlaceMention] = field(default_factory=dict)  # towns and counties


NEIGHBOUR_KM = 80.0


def _add_neighbours(ctx: _Context, first: list[PlaceMention | None]) -> None:
    for i, m in enumerate(first):
        if m is None or m.demonym or not m.place.iso2:
            continue
        p = m.place
        if p.level in ("place", "near_place", "admin2", "admin1") and p.admin1:
            ctx.resolved_admin1[i] = (p.iso2, norm(p.admin1))
        if (
            p.level in ("place", "near_place", "admin2")
            and p.latitude is not None
            and p.longitude is not None
        ):
            ctx.resolved_points[i] = (p.latitude, p.longitude)
            if p.name == p.place or p.level == "admin2":
                ctx.resolved_mentions[i] = m


def _containment_bonus(f: Feature, c: _Cand, ctx: _Context, text: str) -> float:
    """A town and a county of the article that can contain each other support both readings
    ("Paris" and "Henry County": Paris, Tennessee, in Henry County, Tennessee)."""
    own = norm(text[c.start : c.end])
    if f.level == "place" and f.admin2:
        others = ctx.county_names.get((f.cc, norm(f.admin1 or ""), norm(f.admin2)), set())
    elif f.level == "admin2":
        others = ctx.town_county_names.get((f.cc, norm(f.admin1 or ""), norm(f.name)), set())
    else:
        return 0.0
    return 6.0 if others - {own} else 0.0


def _neighbour_bonus(f: Feature, i: int, ctx: _Context) -> float:
    """Support for a candidate from the other places of the article: same province, or close by."""
    if f.level not in ("place", "admin2", "admin1") or not ctx.resolved_admin1:
        return 0.0
    key = (f.cc, norm(f.admin1 or f.name))
    same = sum(1 for j, a in ctx.resolved_admin1.items() if j != i and a == key)
    if f.level == "admin1":
        return min(same, 3) * 1.5
    near = any(
        j != i and haversine_km(f.lat, f.lon, lat, lon) <= NEIGHBOUR_KM
        for j, (lat, lon) in ctx.resolved_points.items()
    )
    return min(same, 3) * 1.0 + (1.5 if near else 0.0)


def _context(cands: list[_Cand], gaz: Gazetteer, text: str) -> _Context:
    countries: Counter[str] = Counter()
    by_name: dict[str, Counter[str]] = {}
    admin1: set[tuple[str, str]] = set()
    for c in cands:
        own = by_name.setdefault(norm(text[c.start : c.end]), Counter())
        if c.demonym_cc:
            own[c.demonym_cc] += 1
            continue
        ctry = [f for f in c.features if f.level == "country"]
        if ctry:
            own[ctry[0].cc] += 2
            continue
        # unambiguous provinces and large towns also tell the country (small places do not:
        # a false match would vote for its own country)
        ccs = {f.cc for f in c.features}
        if len(ccs) == 1 and any(f.level == "admin1" or f.population >= 100_000 for f in c.features):
            own[next(iter(ccs))] += 1
        for f in c.features:
            if f.level == "admin1":
                admin1.add((f.cc, norm(f.name)))
    for votes in by_name.values():
        countries.update(votes)
    county_names: dict[tuple[str, str, str], set[str]] = {}
    town_county_names: dict[tuple[str, str, str], set[str]] = {}
    for c in cands:
        name = norm(text[c.start : c.end])
        for f in c.features:
            if f.level == "admin2":
                county_names.setdefault((f.cc, norm(f.admin1 or ""), norm(f.name)), set()).add(name)
            elif f.level == "place" and f.admin2:
                town_county_names.setdefault((f.cc, norm(f.admin1 or ""), norm(f.admin2)), set()).add(name)
    return _Context(
        countries=countries,
        admin1=admin1,
        by_name=by_name,
        county_names=county_names,
        town_county_names=town_county_names,
    )


def _score(
    f: Feature, c: _Cand, i: int, ctx: _Context, text: str, cues: GeoCues, apposition: list[Feature]
) -> float:
    after = text[c.end : c.end + 25]
    before = text[max(0, c.start - 40) : c.start]
    if f.level == "region":
        return 12.0  # a continent: no country context applies
    if f.level == "country":
        score = 12.0
    elif f.level == "admin1":
        # A province or state is named in news far more often than a village of the same name.
        score = 5.6
        if cues.admin1_after.match(after):
            score += 6.0
    elif f.level == "admin2":
        score = 4.0  # a county: named in local news about as often as a mid-sized town
    else:
        score = math.log10(f.population + 10)
        if norm(f.name) != norm(text[c.start : c.end]) and f.level == "place":
            score -= 1.5  # matched by one of its alternate names only
        if cues.settlement_before.search(before):
            score += 2.0
        if cues.admin1_after.match(after):
            score -= 3.0
    # The countries the rest of the article names: a name does not support its own reading
    # ("Palestine" three times does not make the Palestine of a Texas court report a country).
    own = ctx.by_name.get(norm(text[c.start : c.end]), Counter())
    total = sum(ctx.countries.values()) - sum(own.values())
    here = ctx.countries.get(f.cc, 0) - own.get(f.cc, 0)
    if total:
        score += 5.0 * here / total
        if here == 0:
            # The article names other countries but never this one: a same-named place there
            # needs to be much bigger to win.
            score -= 1.0 if f.level == "country" else 4.0
    if f.level in ("place", "admin2") and f.admin1 and (f.cc, norm(f.admin1)) in ctx.admin1:
        score += 3.0
    score += _neighbour_bonus(f, i, ctx) + _containment_bonus(f, c, ctx, text)
    for a in apposition:
        if Gazetteer.contains(a, f):
            score += 8.0
    return score


def _resolve(
    c: _Cand, i: int, cands: list[_Cand], ctx: _Context, gaz: Gazetteer, text: str, cues: GeoCues
) -> PlaceMention | None:
    expression_start = c.start
    if c.is_water:
        name = text[c.start : c.end]
        place = Place(
            name=name,
            expression=name,
            level="water",
            acled_geo_precision=PRECISION["water"][0],
            ucdp_where_prec=PRECISION["water"][1],
            span=Span.of(text, c.start, c.end),
        )
        return PlaceMention(place=place, sentence=c.sentence, relation="mention")
    if c.local_feature:
        return _local_feature(c, i, ctx, text)
    if c.demonym_cc:
        f = gaz.country_feature.get(c.demonym_cc)
        info = gaz.countries.get(c.demonym_cc)
        if f is None or info is None:
            return None
        place = _place(f, gaz, text, c.start, c.end, "country")
        return PlaceMention(place=place, sentence=c.sentence, demonym=True, relation="mention")

    # "X, Y": Y (the next candidate right after a comma) contains X.
    apposition: list[Feature] = []
    if i + 1 < len(cands):
        nxt = cands[i + 1]
        gap = text[c.end : nxt.start]
        if gap.strip() in (",",) and nxt.features:
            apposition = [f for f in nxt.features if f.level in ("country", "admin1")]
    key = norm(text[c.start : c.end])
    feats = c.features
    if any(f.level in ("country", "admin1", "region") and norm(f.name) == key for f in feats):
        # a country or province called by its own name beats towns that only list it as an alias
        feats = [f for f in feats if f.level != "place" or norm(f.name) == key]
    best = max(feats, key=lambda f: _score(f, c, i, ctx, text, cues, apposition))
    if (
        best.level == "place"
        and ctx.countries
        and ctx.countries.get(best.cc, 0) == 0
        and (best.population < 50_000 or c.partial)
        and not apposition
    ):
        # A small place in a country the article never names is a false match ("the Koran",
        # "Lido beach"): better no place than a wrong one.
        return None

    after = text[c.end : c.end + 25]
    before = text[max(0, c.start - 60) : c.start]
    end = c.end
    level = best.level
    relation = "in"
    m2 = cues.admin2_after.match(after)
    m1 = cues.admin1_after.match(after)
    if best.level == "place" and m2:
        level = "admin2"
        end = c.end + m2.end()
    elif best.level == "admin1" and m1:
        end = c.end + m1.end()
    elif best.level == "place" and m1:
        level = "admin1"
        end = c.end + m1.end()
    dm = cues.directions.search(before)
    if dm and best.level in ("country", "admin1"):
        expression_start = c.start - (len(before) - dm.start())
        while text[expression_start].isspace():
            expression_start += 1
        if text[expression_start : expression_start + 4].lower() == "the ":
            expression_start += 4
        level = "region" if best.level == "country" else "admin1"
        relation = "region"
    elif cues.border.search(before):
        relation = "border"
    elif cues.near.search(before) and level == "place":
        level = "near_place"
        relation = "near"
    place = _place(best, gaz, text, expression_start, end, level)
    return PlaceMention(place=place, sentence=c.sentence, relation=relation)


def _local_feature(c: _Cand, i: int, ctx: _Context, text: str) -> PlaceMention | None:
    """A street or park placed at the town named nearest to it (before it if possible); a river or
    a mountain kept as a toponym without coordinates."""
    name = text[c.start : c.end]
    if c.natural:
        place = Place(name=name, expression=name, level="unknown", span=Span.of(text, c.start, c.end))
        return PlaceMention(place=place, sentence=c.sentence, relation="mention")
    anchors = [(j, m) for j, m in ctx.resolved_mentions.items() if j != i]
    if not anchors:
        return None
    j, anchor = min(anchors, key=lambda jm: (jm[0] > i, abs(jm[0] - i)))
    place = anchor.place.model_copy(
        update={"name": name, "expression": name, "span": Span.of(text, c.start, c.end)}
    )
    return PlaceMention(place=place, sentence=c.sentence, relation="in")


def _place(f: Feature, gaz: Gazetteer, text: str, start: int, end: int, level: str) -> Place:
    info = gaz.countries.get(f.cc)
    acled, ucdp = PRECISION[level]
    if level == "region" and f.level == "admin1":
        acled, ucdp = 3, 4
    return Place(
        name=f.name,
        expression=text[start:end],
        level=level,
        country=info.name if info else None,
        iso3=info.iso3 if info else None,
        iso2=f.cc,
        admin1=f.admin1 if f.level != "admin1" else f.name,
        admin2=f.admin2,
        place=f.name if f.level == "place" else None,
        latitude=f.lat,
        longitude=f.lon,
        geonameid=f.geonameid,
        population=f.population or None,
        acled_geo_precision=acled,
        ucdp_where_prec=ucdp,
        span=Span.of(text, start, end),
    )


def best_event_place(mentions: list[PlaceMention], sentences: list[int]) -> PlaceMention | None:
    """The most precise non-demonym place named in the given sentences (earliest on ties)."""
    pool = [
        m
        for m in mentions
        if m.sentence in set(sentences)
        and not m.demonym
        and not (m.place.level == "region" and not m.place.iso2)  # a continent places no event
        and m.place.level != "unknown"  # a river or mountain without coordinates
    ]
    if not pool:
        return None
    return min(
        pool, key=lambda m: (LEVEL_RANK.get(m.place.level, 9), m.place.span.start if m.place.span else 0)
    )
