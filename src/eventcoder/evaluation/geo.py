"""``eventcoder eval geo``: geoparsing accuracy on LGL / TR-News / GeoWebNews-style XML.

Each article's text is analysed with every sentence parsed (``full=True``) and its toponyms found
and geocoded with ``extract.place.find_places``. Scores:

* detection: a predicted toponym matches a gold toponym when their character spans overlap
  (each gold and each prediction used once); precision, recall, F1;
* geocoding, over gold toponyms that were detected: accuracy@161 km (share within 161 km, 100
  miles), mean and median error in km, and AUC of the error curve as defined by Gritta et al.
  (2018): the area under the curve of ln(1 + error km) / ln(20039), the largest possible error,
  over the sorted errors; 0 is perfect, lower is better.
"""

from __future__ import annotations

import math
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table

from ..gazetteer import haversine_km
from ..records import Article
from ..resources import Resources

MAX_ERROR_KM = 20039.0


@dataclass
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None


@dataclass
class GeoArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]


def read_geo_xml(path: Path) -> list[GeoArticle]:
    """Articles with gold toponyms from the LGL / TR-News XML format."""
    root = ET.parse(path).getroot()
    out: list[GeoArticle] = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for t in art.iter("toponym"):
            start, end = t.findtext("start"), t.findtext("end")
            if start is None or end is None:
                continue
            lat = t.findtext("gaztag/lat") or t.findtext("lat")
            lon = t.findtext("gaztag/lon") or t.findtext("lon")
            tops.append(
                GoldToponym(
                    start=int(start),
                    end=int(end),
                    phrase=t.findtext("phrase") or text[int(start) : int(end)],
                    lat=float(lat) if lat else None,
                    lon=float(lon) if lon else None,
                )
            )
        out.append(GeoArticle(id=art.get("docid") or str(len(out)), text=text, toponyms=tops))
    return out


def auc_of_errors(errors_km: list[float]) -> float:
    """Gritta et al.'s AUC: mean of ln(1+e)/ln(MAX) over the errors (the area under the sorted
    curve on a unit x-axis)."""
    if not errors_km:
        return 0.0
    return sum(math.log1p(min(e, MAX_ERROR_KM)) / math.log1p(MAX_ERROR_KM) for e in errors_km) / len(
        errors_km
    )


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs (gold index, prediction index) of overlapping spans, each used at most once, greedily
    by largest overlap."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                pairs.append((ov, gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _ov, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


@dataclass
class GeoReport:
    file: str
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    errors_km: list[float] = field(default_factory=list)
    unplaced: int = 0  # detected gold toponyms the coder found but gave no coordinates (rivers...)
    seconds: float = 0.0
    worst: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def acc161(self) -> float:
        return sum(e <= 161 for e in self.errors_km) / len(self.errors_km) if self.errors_km else 0.0

    @property
    def acc161_all(self) -> float:
        """accuracy@161 km counting detected toponyms left without coordinates as misses."""
        n = len(self.errors_km) + self.unplaced
        return sum(e <= 161 for e in self.errors_km) / n if n else 0.0

    def to_dict(self) -> dict[str, Any]:
        e = self.errors_km
        return {
            "file": self.file,
            "articles": self.articles,
            "detection": {
                "gold": self.gold,
                "predicted": self.predicted,
                "matched": self.matched,
                "precision": round(self.precision, 4),
                "recall": round(self.recall, 4),
                "f1": round(self.f1, 4),
            },
            "geocoding": {
                "scored": len(e),
                "unplaced": self.unplaced,
                "accuracy_at_161km": round(self.acc161, 4),
                "accuracy_at_161km_unplaced_as_miss": round(self.acc161_all, 4),
                "mean_error_km": round(statistics.fmean(e), 1) if e else None,
                "median_error_km": round(statistics.median(e), 1) if e else None,
                "auc": round(auc_of_errors(e), 4),
            },
            "seconds": round(self.seconds, 2),
            "articles_per_s": round(self.articles / self.seconds, 2) if self.seconds else None,
            "worst": self.worst,
        }

    def render(self) -> Group:
        d = self.to_dict()
        t = Table(title=f"eval geo: {self.file} ({self.articles} articles)")
        t.add_column("measure")
        t.add_column("value", justify="right")
        det, geo = d["detection"], d["geocoding"]
        t.add_row("toponym detection precision", f"{det['precision']:.3f}")
        t.add_row("toponym detection recall", f"{det['recall']:.3f}")
        t.add_row("toponym detection F1", f"{det['f1']:.3f}")
        t.add_row("geocoded (detected gold toponyms)", str(geo["scored"]))
        t.add_row("detected but left without coordinates", str(geo["unplaced"]))
        t.add_row("accuracy@161 km", f"{geo['accuracy_at_161km']:.3f}")
        t.add_row("  counting those as misses", f"{geo['accuracy_at_161km_unplaced_as_miss']:.3f}")
        t.add_row("mean error km", str(geo["mean_error_km"]))
        t.add_row("median error km", str(geo["median_error_km"]))
        t.add_row("AUC (lower is better)", f"{geo['auc']:.3f}")
        t.add_row("articles/s", str(d["articles_per_s"]))
        parts: list[Any] = [t]
        if self.worst:
            w = Table(title="worst geocoding errors")
            for col in ("article", "toponym", "context", "predicted", "error km"):
                w.add_column(col)
            for row in self.worst:
                w.add_row(
                    row["article"], row["phrase"], row["context"], row["predicted"], f"{row['error_km']:.0f}"
                )
            parts.append(w)
        return Group(*parts)


def evaluate_geo(path: Path, resources: Resources, errors: int = 0, limit: int | None = None) -> GeoReport:
    """Score toponym detection and geocoding on a gold XML file."""
    from ..extract.place import find_places

    docs = read_geo_xml(path)
    if limit is not None:
        docs = docs[:limit]
    report = GeoReport(file=str(path))
    gaz = resources.gazetteer
    analyzer = resources.analyzer
    misses: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for doc in docs:
        analysis = analyzer.analyze(Article(id=doc.id, text=doc.text), full=True)
        preds = [m for m in find_places(analysis, gaz) if m.place.span is not None]
        report.articles += 1
        report.gold += len(doc.toponyms)
        report.predicted += len(preds)
        pairs = match_spans(
            [(g.start, g.end) for g in doc.toponyms],
            [(p.place.span.start, p.place.span.end) for p in preds],
        )
        report.matched += len(pairs)
        for gi, pi in pairs:
            g, p = doc.toponyms[gi], preds[pi].place
            if g.lat is None:
                continue
            if p.latitude is None or p.longitude is None:
                report.unplaced += 1
                continue
            err = haversine_km(g.lat, g.lon, p.latitude, p.longitude)
            report.errors_km.append(err)
            if errors:
                misses.append(
                    {
                        "article": doc.id,
                        "phrase": g.phrase,
                        "context": doc.text[max(0, g.start - 50) : g.end + 50].replace("\n", " "),
                        "predicted": f"{p.name}, {p.admin1 or ''}, {p.country or ''} ({p.level})",
                        "error_km": err,
                    }
                )
    report.seconds = time.perf_counter() - t0
    if errors:
        report.worst = sorted(misses, key=lambda m: -m["error_km"])[:errors]
    return report
