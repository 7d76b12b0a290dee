"""Date expressions, resolved against the publication date.

``find_dates(analysis)`` finds every date expression of an article with one regular expression
compiled once from ``data/time.yaml`` ("early Thursday", "yesterday", "last week", "in August",
"3 February", "Feb. 3", "February 3, 2024", "December 2021", "between Monday and Wednesday",
"2 days ago", "in 2021") and resolves each to an :class:`records.EventDate` with a best date, a
start/end range, precision and the ACLED/UCDP precision codes.

Day dates written out in full ("3 February", "Feb. 3, 2024") are parsed by dateparser (with
RELATIVE_BASE = publication date and PREFER_DATES_FROM = past, so a year-less date never lands
after publication), once per distinct expression. Weekdays, weeks, weekends and months are
resolved here by calendar arithmetic, because dateparser returns one day and no range or
precision (and resolves "Thursday" to a day after publication when the report is dated Thursday).

Rules (see docs/figures-and-dates.md):
- a weekday is the last such day on or before publication: a report published on a Thursday
  that says "on Thursday" means that day; "last Thursday" then means a week earlier;
- a year-less date or month takes the publication year, or the year before if it would fall after
  publication;
- with no publication date, relative expressions stay unresolved (note 'no publication date');
  dates with a year still resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..records import DateMention, EventDate, Span
from ..resources import data_path

if TYPE_CHECKING:  # pragma: no cover
    from ..nlp import Analysis


def _word(w: Any) -> str:
    if w is True:  # YAML 1.1 reads a bare 'on' as true
        return "on"
    return str(w).strip()


def _phrases(words: list[Any]) -> str:
    items = sorted({_word(w).lower() for w in words if _word(w)}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in items)


def _names(names: list[str]) -> str:
    """Case-sensitive alternation of names in Title case or UPPER case, longest first."""
    forms = set()
    for n in names:
        forms.add(n[:1].upper() + n[1:].lower())
        forms.add(n.upper())
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
}


@dataclass
class TimeCues:
    """The compiled content of data/time.yaml."""

    rx: re.Pattern[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    relative_periods: dict[str, dict[str, Any]]
    codes: dict[str, tuple[int | None, int | None]]

    @classmethod
    def load(cls, path: Path | None = None) -> TimeCues:
        """Read and compile a date cue file (default: the bundled data/time.yaml)."""
        path = Path(path) if path else data_path("time.yaml")
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        months = {str(k).lower(): int(v) for k, v in data["months"].items()}
        weekdays = {str(k).lower(): int(v) for k, v in data["weekdays"].items()}
        mon = rf"(?:{_names(list(data['months']))})(?:\.(?!\w))?"
        wd = rf"(?:{_names(list(data['weekdays']))})"
        i = "(?i:"  # case-insensitive sub-pattern
        mods = _phrases(data.get("modifiers") or [])
        parts = _phrases(data.get("day_parts") or [])
        mprep = _phrases(data.get("month_prepositions") or [])
        yprep = _phrases(data.get("year_prepositions") or [])
        rdays = {_word(k).lower(): int(v) for k, v in data["relative_days"].items()}
        rper = {_word(k).lower(): dict(v) for k, v in data["relative_periods"].items()}
        day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        year = r"(?:1[89]\d\d|20\d\d)"
        ago_n = r"\d{1,2}|" + _phrases(list(_NUM_WORDS))
        pattern = (
            # ISO date
            rf"(?P<iso>\b{year}-[01]\d-[0-3]\d\b)"
            # between Monday and Wednesday / from Monday to Wednesday
            rf"|(?P<wdrange>{i}between|from)\s+(?P<wd1>{wd})\s+{i}and|to|through|until|till)\s+(?P<wd2>{wd})\b)"
            # 3 February (2024) / 3rd of February
            rf"|(?P<dmy>\b(?P<d1>{day})\s+(?:{i}of)\s+)?(?P<m1>{mon})(?:,?\s+(?P<y1>{year}))?\b(?!\s*\d))"
            # February 3(, 2024) / Feb. 3
            rf"|(?P<mdy>\b(?P<m2>{mon})\s+(?P<d2>{day})\b(?!\s*[:.]\d)(?:,?\s+(?P<y2>{year})\b)?)"
            # December 2021
            rf"|(?P<my>\b(?P<m3>{mon}),?\s+(?P<y3>{year})\b)"
            # in August / early March / last May
            rf"|(?P<inmonth>\b(?P<mp>{i}{mprep}))\s+(?:{i}the\s+month\s+of)\s+)?(?P<m4>{mon})\b(?!\.?,?\s*\d))"
            # N days ago
            rf"|(?P<ago>\b(?P<agon>{i}{ago_n}))\s+(?P<agou>{i}days?|weeks?|months?|years?))\s+{i}ago)\b)"
            # last week, earlier this month
            rf"|(?P<rper>\b{i}(?:the\s+)?(?:{_phrases(list(rper))}))\b)"
            # early Thursday, on Monday night, last Friday
            rf"|(?P<wday>\b(?:(?P<wmod>{i}{mods}|last|this|next|past|on))\s+)?(?:{i}early|late)\s+)?"
            rf"(?P<wd>{wd})\b(?:'s)?(?:\s+(?P<wpart>{i}{parts})))?)"
            # yesterday, last night, overnight
            rf"|(?P<rday>\b{i}(?:early|late)\s+)?{i}{_phrases(list(rdays))})\b(?:\s+(?P<rpart>{i}{parts})))?)"
            # in 2021
            rf"|(?P<inyear>\b{i}{yprep})\s+(?P<y4>{year})\b(?![-/]\d|\s*(?:people|troops|soldiers|km|%)))"
        )
        codes_raw = data.get("precision_codes") or {}
        codes = {str(k): (v[0], v[1]) for k, v in codes_raw.items()}
        # Every expression starts at the start of a word: checking that first makes the scan cheap.
        return cls(re.compile(rf"(?<!\w)(?=\w)(?:{pattern})"), months, weekdays, rdays, rper, codes)


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> TimeCues:
    """The compiled date cue file, loaded once per path (read-only)."""
    return TimeCues.load(Path(path) if path else None)


# --------------------------------------------------------------------------- resolution


def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _mid(a: dt.date, b: dt.date) -> dt.date:
    return a + dt.timedelta(days=(b - a).days // 2)


def _month_num(name: str, cues: TimeCues) -> int:
    return cues.months[name.rstrip(".").lower()]


def _parse_day(
    expr: str, base: dt.date | None, cache: dict[tuple[str, Any], dt.date | None]
) -> dt.date | None:
    """A day date written out ('3 February', 'Feb. 3, 2024'), parsed by dateparser once per call."""
    key = (expr, base)
    if key in cache:
        return cache[key]
    import dateparser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    norm = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", expr)
    norm = re.sub(r"\bof\b", " ", norm).replace(".", " ")
    got = dateparser.parse(norm, settings=settings, languages=["en"])
    out = got.date() if got else None
    cache[key] = out
    return out


def _make(
    precision: str,
    start: dt.date,
    end: dt.date,
    cues: TimeCues,
    date: dt.date | None = None,
    note: str | None = None,
) -> EventDate:
    acled, ucdp = cues.codes.get(precision, (None, None))
    prec = {"range": "week", "weekend": "week"}.get(precision, precision)
    return EventDate(
        date=date or (start if start == end else _mid(start, end)),
        start=start,
        end=end,
        precision=prec,  # type: ignore[arg-type]
        acled_time_precision=acled,
        ucdp_date_prec=ucdp,
        resolved=True,
        note=note,
    )


def _resolve(m: re.Match[str], pub: dt.date | None, cues: TimeCues, cache: dict) -> EventDate:
    g = m.groupdict()
    if g["iso"]:
        d = dt.date.fromisoformat(g["iso"])
        return _make("day", d, d, cues)
    if g["my"]:
        y, mo = int(g["y3"]), _month_num(g["m3"], cues)
        return _make("month", *_month_range(y, mo), cues)
    if g["dmy"] or g["mdy"]:
        if g["dmy"] and not g["d1"]:
            # a bare month name matched by the dmy branch ("February" with no day): month
            return _month_only(g["m1"], g["y1"], None, pub, cues)
        y = g["y1"] or g["y2"]
        if y is None and pub is None:
            return EventDate(resolved=False, note="no year in the text and no publication date")
        d = _parse_day(m.group(0), pub if y is None else None, cache)
        if d is None:
            return EventDate(resolved=False, note="could not parse the date")
        return _make("day", d, d, cues)
    if g["inmonth"]:
        return _month_only(g["m4"], None, (g["mp"] or "").lower(), pub, cues)
    if g["inyear"]:
        y = int(g["y4"])
        return _make("year", dt.date(y, 1, 1), dt.date(y, 12, 31), cues)
    if pub is None:
        return EventDate(resolved=False, note="no publication date")
    if g["wdrange"]:
        a = _weekday_before(pub, cues.weekdays[g["wd1"].lower()], False)
        b = _weekday_before(pub, cues.weekdays[g["wd2"].lower()], False)
        if b < a:
            a -= dt.timedelta(days=7)
        return _make("range", a, b, cues)
    if g["wday"]:
        mod = (g["wmod"] or "").lower()
        target = cues.weekdays[g["wd"].lower()]
        if mod == "next":
            ahead = (target - pub.isoweekday()) % 7 or 7
            d = pub + dt.timedelta(days=ahead)
            return _make("day", d, d, cues, note="future: next such weekday after publication")
        d = _weekday_before(pub, target, mod == "last")
        return _make("day", d, d, cues)
    if g["rday"]:
        key = re.sub(r"\s+", " ", g["rday"].lower())
        key = re.sub(r"^(?:early|late) ", "", key) if key not in cues.relative_days else key
        base_key = key.split(" ")[-1] if key not in cues.relative_days else key
        off = cues.relative_days.get(key, cues.relative_days.get(base_key, 0))
        d = pub + dt.timedelta(days=off)
        return _make("day", d, d, cues)
    if g["ago"]:
        n = g["agon"].lower()
        k = int(n) if n.isdigit() else _NUM_WORDS.get(re.sub(r"\s+", " ", n), 1)
        unit = g["agou"].lower().rstrip("s")
        vague = not n.isdigit() and re.sub(r"\s+", " ", n) in ("a few", "several", "a couple of")
        if unit == "day" and vague:
            # "a few days ago": some day of the past week
            return _make("week", pub - dt.timedelta(days=7), pub - dt.timedelta(days=1), cues)
        if unit == "day":
            d = pub - dt.timedelta(days=k)
            return _make("day", d, d, cues)
        if unit == "week":
            c = pub - dt.timedelta(days=7 * k)
            return _make("week", c - dt.timedelta(days=3), c + dt.timedelta(days=3), cues, date=c)
        if unit == "month":
            y, mo = pub.year, pub.month - k
            while mo < 1:
                mo += 12
                y -= 1
            return _make("month", *_month_range(y, mo), cues)
        return _make("year", dt.date(pub.year - k, 1, 1), dt.date(pub.year - k, 12, 31), cues)
    if g["rper"]:
        key = re.sub(r"\s+", " ", g["rper"].lower())
        key = key[4:] if key.startswith("the ") and key not in cues.relative_periods else key
        spec = cues.relative_periods.get(key) or {}
        return _period(spec, pub, cues)
    return EventDate(resolved=False, note="unrecognised expression")


def _weekday_before(pub: dt.date, target: int, strictly: bool) -> dt.date:
    """The last ``target`` weekday on or before ``pub`` (strictly before for 'last Thursday')."""
    back = (pub.isoweekday() - target) % 7
    if back == 0 and strictly:
        back = 7
    return pub - dt.timedelta(days=back)


def _month_only(
    name: str, year: str | None, prep: str | None, pub: dt.date | None, cues: TimeCues
) -> EventDate:
    mo = _month_num(name, cues)
    if year:
        return _make("month", *_month_range(int(year), mo), cues)
    if pub is None:
        return EventDate(resolved=False, note="no year in the text and no publication date")
    y = pub.year
    if mo > pub.month or (prep == "last" and mo == pub.month):
        y -= 1
    start, end = _month_range(y, mo)
    note = None
    if y == pub.year and mo == pub.month:
        end = pub
        note = "current month: up to the publication date"
    return _make(
        "month", start, end, cues, date=_mid(*_month_range(y, mo)) if note is None else None, note=note
    )


def _period(spec: dict[str, Any], pub: dt.date, cues: TimeCues) -> EventDate:
    unit = spec.get("unit", "week")
    off = int(spec.get("offset", 0))
    part = spec.get("part", "all")
    if unit == "week":
        if part == "past7":
            return _make("week", pub - dt.timedelta(days=6), pub, cues)
        monday = pub - dt.timedelta(days=pub.isoweekday() - 1) + dt.timedelta(weeks=off)
        end = monday + dt.timedelta(days=6)
        if part == "to_date":
            end = pub
        return _make("week", monday, end, cues)
    if unit == "weekend":
        sat = pub - dt.timedelta(days=(pub.isoweekday() - 6) % 7)
        if off == 0 and pub.isoweekday() < 6:
            sat += dt.timedelta(days=7)
        if off < 0 and sat == pub:
            sat = pub if pub.isoweekday() in (6, 7) else sat
        return _make("weekend", sat, sat + dt.timedelta(days=1), cues)
    if unit == "month":
        y, mo = pub.year, pub.month + off
        while mo < 1:
            mo += 12
            y -= 1
        start, end = _month_range(y, mo)
        if part == "to_date":
            return _make("month", start, pub, cues, date=_mid(start, pub))
        return _make("month", start, end, cues)
    y = pub.year + off
    end = pub if part == "to_date" else dt.date(y, 12, 31)
    return _make("year", dt.date(y, 1, 1), end, cues)


_STRIP = re.compile(r"^(?:on|in|during|of|the)\s+", re.IGNORECASE)


def find_dates(analysis: Analysis) -> list[DateMention]:
    """Every date expression of the article, resolved against ``analysis.article.published``."""
    cues = load_cues()
    text = analysis.text
    pub = analysis.article.published
    cache: dict[tuple[str, Any], dt.date | None] = {}
    out: list[DateMention] = []
    for sent in analysis.sentences:
        for m in cues.rx.finditer(text, sent.start, sent.end):
            start, end = m.start(), m.end()
            words = text[start:end]
            strip = _STRIP.match(words)
            if strip and not m.group("inyear") and not m.group("inmonth"):
                start += strip.end()
            elif strip and (m.group("inmonth") or m.group("inyear")):
                p = (m.group("mp") or "").lower() if m.group("inmonth") else words.split()[0].lower()
                if p in ("in", "during", "of", "on"):
                    start += strip.end()
            ev = _resolve(m, pub, cues, cache)
            ev.expression = text[start:end]
            ev.span = Span.of(text, start, end)
            out.append(DateMention(date=ev, sentence=sent.index))
    return out
