"""Our own fixture articles (tests/fixtures/articles) coded as a careful analyst coded them.

Each NAME.txt has a NAME.yaml with the expected events (format: tests/fixtures/articles/README.md).
One test per article and field family, so a failure says what was wrong where.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from eventcoder.coder import code_article
from eventcoder.ingest import make_article

FOLDER = Path(__file__).parent / "fixtures" / "articles"
CASES = sorted(p.stem for p in FOLDER.glob("*.yaml")) if FOLDER.is_dir() else []


def load_case(name: str) -> tuple[dict, str]:
    meta = yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))
    text = (FOLDER / f"{name}.txt").read_text(encoding="utf-8")
    return meta, text


@pytest.fixture(scope="module")
def coded(resources):
    cache: dict[str, tuple[dict, object]] = {}

    def get(name: str):
        if name not in cache:
            meta, text = load_case(name)
            pub = meta.get("published")
            article = make_article(
                text=text,
                published=str(pub) if pub else None,
                title=meta.get("title"),
                source=meta.get("source"),
                id=str(meta.get("id") or name),
            )
            cache[name] = (meta, code_article(article, resources))
        return cache[name]

    return get


def _expected(meta: dict, background: bool) -> list[dict]:
    return [e for e in (meta.get("events") or []) if bool(e.get("background", False)) == background]


def _match(expected: dict, predicted: list) -> object | None:
    """The predicted event that best matches an expected one (same sub-type first, then type)."""
    same_sub = [p for p in predicted if p.sub_event_type == expected["sub_event_type"]]
    if same_sub:
        return same_sub[0]
    same_type = [p for p in predicted if p.event_type == expected["event_type"]]
    return same_type[0] if same_type else None


def test_fixture_set_is_large_enough():
    assert len(CASES) >= 15
    types = set()
    for name in CASES:
        meta, _ = load_case(name)
        types |= {e["event_type"] for e in meta.get("events") or []}
    assert types >= {
        "Battles",
        "Protests",
        "Riots",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Strategic developments",
    }


@pytest.mark.parametrize("name", CASES)
def test_reported_event_types(coded, name):
    meta, result = coded(name)
    expected = sorted((e["event_type"], e["sub_event_type"]) for e in _expected(meta, False))
    got = sorted((e.event_type, e.sub_event_type) for e in result.events if not e.background)
    assert got == expected


@pytest.mark.parametrize("name", CASES)
def test_actors(coded, name):
    meta, result = coded(name)
    reported = [e for e in result.events if not e.background]
    for exp in _expected(meta, False):
        ev = _match(exp, reported)
        assert ev is not None, f"no event for {exp['sub_event_type']}"
        for role in ("actor1", "actor2"):
            if exp.get(role):
                got = getattr(ev, role)
                assert got is not None, f"{role} missing"
                assert got.name == exp[role], role
                if exp.get(f"{role}_inter") is not None:
                    assert got.inter == exp[f"{role}_inter"], f"{role} inter"
        for assoc in exp.get("assoc_actor1") or []:
            assert assoc in {a.name for a in ev.assoc_actor1}


@pytest.mark.parametrize("name", CASES)
def test_dates(coded, name):
    meta, result = coded(name)
    reported = [e for e in result.events if not e.background]
    for exp in _expected(meta, False):
        ev = _match(exp, reported)
        assert ev is not None
        if exp.get("date"):
            assert ev.date.date == dt.date.fromisoformat(str(exp["date"]))
        if exp.get("date_precision"):
            assert ev.date.precision == exp["date_precision"]
        if "date" in exp and exp["date"] is None:
            assert not ev.date.resolved or ev.date.precision != "day"


@pytest.mark.parametrize("name", CASES)
def test_places(coded, name):
    meta, result = coded(name)
    reported = [e for e in result.events if not e.background]
    for exp in _expected(meta, False):
        ev = _match(exp, reported)
        assert ev is not None and ev.place is not None
        if exp.get("iso3"):
            assert ev.place.iso3 == exp["iso3"]
        if exp.get("admin1"):
            assert (ev.place.admin1 or "").lower() == str(exp["admin1"]).lower()
        if exp.get("place"):
            assert (ev.place.place or ev.place.name or "").lower() == str(exp["place"]).lower()
        if exp.get("geo_level"):
            assert ev.place.level == exp["geo_level"]


@pytest.mark.parametrize("name", CASES)
def test_figures(coded, name):
    meta, result = coded(name)
    reported = [e for e in result.events if not e.background]
    for exp in _expected(meta, False):
        ev = _match(exp, reported)
        assert ev is not None
        if exp.get("fatalities") is not None:
            assert ev.fatalities == exp["fatalities"]
        for fig in exp.get("figures") or []:
            found = [
                f
                for f in ev.figures
                if f.kind == fig["kind"]
                and f.value == fig["value"]
                and (not fig.get("group") or f.group == fig["group"])
            ]
            assert found, f"figure {fig} not found"
            if fig.get("status"):
                assert found[0].status == fig["status"]


@pytest.mark.parametrize("name", CASES)
def test_background_kept_apart(coded, name):
    meta, result = coded(name)
    published = meta.get("published")
    expected = _expected(meta, True)
    got = [e for e in result.events if e.background]
    assert len(got) >= len(expected)
    for e in got:
        if published:
            assert e.date.date != dt.date.fromisoformat(str(published)), "background given the article's date"
