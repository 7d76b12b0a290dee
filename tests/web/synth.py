"""Synthetic coded articles for the web tests and the load test (no spaCy, no real news).

Each article is built piece by piece from templates, so every evidence span's offsets are known
exactly and ``text[start:end] == span.text`` holds by construction.
"""

from __future__ import annotations

import datetime as dt
import random

from eventcoder.records import (
    ActorRef,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Figure,
    Place,
    Span,
)

# (country, iso3, iso2, admin1, town, lat, lon)
PLACES = [
    ("Iraq", "IRQ", "IQ", "Nineveh", "Mosul", 36.34, 43.13),
    ("Iraq", "IRQ", "IQ", "Baghdad", "Baghdad", 33.34, 44.40),
    ("Iraq", "IRQ", "IQ", "Kirkuk", "Kirkuk", 35.47, 44.39),
    ("Syria", "SYR", "SY", "Aleppo", "Aleppo", 36.20, 37.16),
    ("Syria", "SYR", "SY", "Idlib", "Idlib", 35.93, 36.63),
    ("Nigeria", "NGA", "NG", "Borno", "Maiduguri", 11.85, 13.16),
    ("Mali", "MLI", "ML", "Gao", "Gao", 16.27, -0.04),
    ("Sudan", "SDN", "SD", "North Darfur", "El Fasher", 13.63, 25.35),
    ("Somalia", "SOM", "SO", "Banaadir", "Mogadishu", 2.04, 45.34),
    ("Colombia", "COL", "CO", "Cauca", "Popayan", 2.44, -76.61),
]

# (event_type, sub_event_type, verb phrase, actor1, inter1, actor2, inter2, figure kind)
SCENARIOS = [
    ("Battles", "Armed clash", "clashed with", "Military Forces", 1, "Islamic State", 2, "killed"),
    (
        "Explosions/Remote violence",
        "Air/drone strike",
        "carried out an air strike on",
        "Military Forces",
        1,
        "Islamic State",
        2,
        "killed",
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "detonated a roadside bomb targeting",
        "Unidentified Armed Group",
        3,
        "Police Forces",
        1,
        "killed",
    ),
    (
        "Violence against civilians",
        "Attack",
        "attacked",
        "Unidentified Armed Group",
        3,
        "Civilians",
        7,
        "killed",
    ),
    ("Protests", "Peaceful protest", "marched against", "Protesters", 6, "Government", 1, "arrested"),
    ("Riots", "Violent demonstration", "clashed with", "Rioters", 5, "Police Forces", 1, "injured"),
    ("Strategic developments", "Arrests", "arrested", "Police Forces", 1, "Militants", 3, "arrested"),
]
CLAIMERS = [
    ("the interior ministry", "official"),
    ("local residents", "reported"),
    ("a rebel spokesman", "disputed"),
]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 7: "seven", 12: "12", 15: "fifteen", 30: "30"}


class _Text:
    """Appends pieces and returns the Span of each piece that matters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0

    def add(self, piece: str) -> Span:
        start = self.n
        self.parts.append(piece)
        self.n += len(piece)
        return Span(start=start, end=self.n, text=piece)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def make_article(i: int, rng: random.Random, start: dt.date, days: int) -> CodedArticle:
    """One synthetic report of one event, with spans for the type, actors, figure, claim, date, place."""
    country, iso3, iso2, admin1, town, lat, lon = rng.choice(PLACES)
    etype, sub, verb, a1, inter1, a2, inter2, kind = rng.choice(SCENARIOS)
    a1_name = f"{a1} of {country}" if a1 in ("Military Forces", "Police Forces", "Government") else a1
    a2_name = f"{a2} of {country}" if a2 in ("Military Forces", "Police Forces", "Government") else a2
    n = rng.choice(list(NUMBER_WORDS))
    claimer, status = rng.choice(CLAIMERS)
    day = start + dt.timedelta(days=rng.randrange(days))
    published = day + dt.timedelta(days=1)
    weekday = day.strftime("%A")
    jitter_lat = lat + rng.uniform(-0.3, 0.3)
    jitter_lon = lon + rng.uniform(-0.3, 0.3)

    t = _Text()
    t.add(f"{town.upper()}, {country} — ")
    s_a1 = t.add(a1_name)
    t.add(" ")
    s_trig = t.add(verb)
    t.add(" ")
    s_a2 = t.add(a2_name)
    t.add(" in ")
    s_place = t.add(town)
    t.add(f", {admin1} province, on ")
    s_date = t.add(weekday)
    t.add(f", and {'detained' if kind == 'arrested' else kind} ")
    s_fig = t.add(f"{NUMBER_WORDS[n]} people")
    t.add(", ")
    s_claim = t.add(f"{claimer} said")
    t.add(
        ".\n\nThe incident was the latest in a series of events in the area this month. "
        f"Witnesses described scenes of confusion in {town} after the {sub.lower()}."
    )
    text = t.text
    aid = f"synth-{i:06d}"
    figure = Figure(
        kind=kind,  # type: ignore[arg-type]
        group="civilians" if a2 == "Civilians" else "side_b",
        stated=NUMBER_WORDS[n],
        value=n,
        claimed_by=claimer,
        status=status,  # type: ignore[arg-type]
        span=s_fig,
        claim_span=s_claim,
    )
    event = Event(
        id=f"{aid}#1",
        article_id=aid,
        event_type=etype,
        sub_event_type=sub,
        actor1=ActorRef(name=a1_name, matched=a1_name, inter=inter1, country=iso3, span=s_a1),
        actor2=ActorRef(name=a2_name, matched=a2_name, inter=inter2, country=iso3, span=s_a2),
        interaction=int(f"{min(inter1, inter2)}{max(inter1, inter2)}"),
        figures=[figure],
        fatalities=n if kind == "killed" else 0,
        date=EventDate(
            date=day, start=day, end=day, precision="day", resolved=True, expression=weekday, span=s_date
        ),
        place=Place(
            name=town,
            expression=town,
            level="place",
            country=country,
            iso3=iso3,
            iso2=iso2,
            admin1=admin1,
            place=town,
            latitude=round(jitter_lat, 4),
            longitude=round(jitter_lon, 4),
            acled_geo_precision=1,
            span=s_place,
        ),
        trigger=s_trig,
        evidence={
            "event_type": [s_trig],
            "actor1": [s_a1],
            "actor2": [s_a2],
            "fatalities": [s_fig] if kind == "killed" else [],
            "date": [s_date],
            "location": [s_place],
        },
        note=f"{a1_name} {verb} {a2_name} in {town}.",
        source="Synthetic Wire",
        confidence=0.8,
    )
    article = Article(
        id=aid,
        text=text,
        title=f"{sub} in {town}",
        published=published,
        source="Synthetic Wire",
        url=f"https://example.org/news/{aid}",
    )
    for sp in [s_a1, s_trig, s_a2, s_place, s_date, s_fig, s_claim]:
        assert text[sp.start : sp.end] == sp.text
    return CodedArticle(article=article, events=[event], coder_version="synthetic")


def make_coded_articles(
    n: int, seed: int = 7, start: dt.date = dt.date(2024, 1, 1), days: int = 180
) -> list[CodedArticle]:
    """``n`` synthetic coded articles (one event each), reproducible for a given seed."""
    rng = random.Random(seed)
    return [make_article(i, rng, start, days) for i in range(n)]
