"""Document-level role filling measured on MUC-4 (the GRIT-format JSON of ConfliBERT's data).

The file maps a document id to ``{"doc": text, "roles": {role: [entity, ...]}}`` where an entity is
the list of its mentions (strings of the text). Roles: perpetrator individuals and organisations,
human targets, physical targets and weapons. Each document is coded with the real coder and its
fillers read by :func:`eventcoder.extract.roles.extract_roles`.

Scoring, the usual for this dataset: per role, a predicted filler matches a gold entity when it
equals one of the entity's mentions (case-insensitive, spaces normalised); each gold entity is
matched at most once and each prediction at most once. Precision = matched predictions /
predictions, recall = matched gold entities / gold entities, per role and micro-averaged overall.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table

from ..records import Article
from ..resources import Resources

# gold key -> our role name
ROLE_KEYS: dict[str, str] = {
    "perp_individual_id": "perp_individual",
    "perp_organization_id": "perp_organization",
    "hum_tgt_name": "hum_tgt",
    "phys_tgt_id": "phys_tgt",
    "incident_instrument_id": "weapon",
}
ROLE_LABELS = {
    "perp_individual": "perpetrator individuals",
    "perp_organization": "perpetrator organisations",
    "hum_tgt": "human targets",
    "phys_tgt": "physical targets",
    "weapon": "weapons",
}


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


@dataclass
class MucDoc:
    id: str
    text: str
    gold: dict[str, list[list[str]]]  # role -> entities -> mentions


def read_muc4(path: Path) -> list[MucDoc]:
    """Documents with their gold entities per role (role names as in ROLE_KEYS' values)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    docs = []
    for doc_id, item in data.items():
        roles = item.get("roles") or {}
        gold = {ours: [list(e) for e in roles.get(key) or []] for key, ours in ROLE_KEYS.items()}
        docs.append(MucDoc(id=str(doc_id), text=item.get("doc") or "", gold=gold))
    return docs


def match_role(pred: list[str], gold: list[list[str]]) -> int:
    """Number of matched (prediction, gold entity) pairs, each used once."""
    used: set[int] = set()
    matched = 0
    for p in dict.fromkeys(_norm(x) for x in pred):
        for gi, entity in enumerate(gold):
            if gi not in used and p in {_norm(m) for m in entity}:
                used.add(gi)
                matched += 1
                break
    return matched


@dataclass
class RoleCounts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class MucReport:
    file: str
    method: str = "rules"
    documents: int = 0
    roles: dict[str, RoleCounts] = field(default_factory=lambda: {r: RoleCounts() for r in ROLE_LABELS})
    seconds: float = 0.0
    worst: list[dict[str, Any]] = field(default_factory=list)

    @property
    def overall(self) -> RoleCounts:
        out = RoleCounts()
        for c in self.roles.values():
            out.predicted += c.predicted
            out.gold += c.gold
            out.matched += c.matched
        return out

    def add(self, role: str, pred: list[str], gold: list[list[str]]) -> int:
        c = self.roles[role]
        preds = list(dict.fromkeys(_norm(x) for x in pred))
        m = match_role(preds, gold)
        c.predicted += len(preds)
        c.gold += len(gold)
        c.matched += m
        return m

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "method": self.method,
            "documents": self.documents,
            "roles": {r: c.as_dict() for r, c in self.roles.items()},
            "overall": self.overall.as_dict(),
            "seconds": round(self.seconds, 2),
            "documents_per_s": round(self.documents / self.seconds, 2) if self.seconds else None,
            "worst": self.worst,
        }

    def render(self) -> Group:
        t = Table(title=f"eval muc4: {self.file} ({self.documents} documents, roles by {self.method})")
        for col in ("role", "gold", "predicted", "matched", "P", "R", "F1"):
            t.add_column(col, justify="left" if col == "role" else "right")
        rows = [(ROLE_LABELS[r], c) for r, c in self.roles.items()] + [("overall (micro)", self.overall)]
        for label, c in rows:
            t.add_row(
                label, str(c.gold), str(c.predicted), str(c.matched),
                f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
            )  # fmt: skip
        docs_s = self.documents / self.seconds if self.seconds else 0.0
        t.caption = f"{docs_s:.1f} documents/s"
        parts: list[Any] = [t]
        if self.worst:
            w = Table(title="documents with the most errors")
            for col in ("document", "role", "gold (first mention)", "predicted"):
                w.add_column(col)
            for row in self.worst:
                for role, (gold, pred) in row["roles"].items():
                    w.add_row(row["id"], ROLE_LABELS[role], "; ".join(gold), "; ".join(pred))
            parts.append(w)
        return Group(*parts)


def evaluate_muc4(
    path: Path, resources: Resources, errors: int = 0, limit: int | None = None, method: str = "rules"
) -> MucReport:
    """Code every document and score its role fillers (read by ``method``: "rules" or "model", see
    :func:`eventcoder.extract.roles.extract_roles`) against the gold entities."""
    from ..coder import code_article
    from ..extract.roles import extract_roles

    docs = read_muc4(path)
    if limit is not None:
        docs = docs[:limit]
    report = MucReport(file=str(path), method=method)
    cases: list[tuple[int, dict[str, Any]]] = []
    t0 = time.perf_counter()
    for doc in docs:
        coded = code_article(Article(id=doc.id, text=doc.text), resources)
        pred = extract_roles(coded, resources=resources, method=method)
        report.documents += 1
        missed = 0
        detail: dict[str, tuple[list[str], list[str]]] = {}
        for role in ROLE_LABELS:
            gold = doc.gold.get(role, [])
            m = report.add(role, pred.get(role, []), gold)
            missed += (len(gold) - m) + (len(set(map(_norm, pred.get(role, [])))) - m)
            if gold or pred.get(role):
                detail[role] = ([e[0] for e in gold if e], pred.get(role, []))
        if errors and missed:
            cases.append((missed, {"id": doc.id, "text": doc.text[:400], "roles": detail}))
    report.seconds = time.perf_counter() - t0
    if errors:
        report.worst = [c for _, c in sorted(cases, key=lambda x: -x[0])[:errors]]
    return report
