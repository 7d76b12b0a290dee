"""A logistic-regression scorer of candidate role fillers, and the decoding into template roles.

The weights are a data file (``data/role_model.json``) written by ``scripts/train_roles.py`` from
training reports we wrote ourselves (``training/roles/``). Each candidate's probability is the
logistic of the summed weights of its features; per role, the best variant of each mention is kept,
the phrases above the role's threshold are returned best first, at most ``MAX_PER_ROLE``.

The fit is SciPy's L-BFGS on the regularised log loss (SciPy is already installed; scikit-learn
would add a dependency for one logistic regression), and the model is a JSON file of named weights
that can be read and audited as it is: no pickled estimator in the package.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..resources import data_path
from .role_candidates import Candidate
from .roles import MAX_PER_ROLE, NAME_ROLES, _distinct


def expand(features: list[str]) -> list[str]:
    """The candidate's features plus their conjunctions with the sentence kind and the source (a
    linear model cannot combine them itself: "after the event word" means something else in a
    background sentence)."""
    role = features[0].split(":", 1)[0] if features else ""
    base = [f.split(":", 1)[1] for f in features]
    sent = next((b for b in base if b.startswith("sent=")), "sent=?")
    src = next((b for b in base if b.startswith("src=")), "src=?")
    out = [f"{role}:bias", *features]
    for b in base:
        if b != sent:
            out.append(f"{role}:{sent}&{b}")
        if b != src and not b.startswith("sent="):
            out.append(f"{role}:{src}&{b}")
    return out


@dataclass
class RoleModel:
    weights: dict[str, float]
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> RoleModel:
        with open(path or data_path("role_model.json"), encoding="utf-8") as fh:
            d = json.load(fh)
        return cls(weights=d["weights"], thresholds=d.get("thresholds", {}), meta=d.get("meta", {}))

    def save(self, path: Path) -> None:
        d = {"meta": self.meta, "thresholds": self.thresholds, "weights": dict(sorted(self.weights.items()))}
        path.write_text(json.dumps(d, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")

    def prob(self, cand: Candidate) -> float:
        z = sum(self.weights.get(f, 0.0) for f in expand(cand.features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def decode(self, cands: list[Candidate], roles: tuple[str, ...]) -> dict[str, list[str]]:
        best: dict[tuple[str, int], tuple[float, str]] = {}
        for c in cands:
            p = self.prob(c)
            key = (c.role, c.group)
            if key not in best or p > best[key][0]:
                best[key] = (p, c.text)
        per_role: dict[str, dict[str, tuple[float, str]]] = {r: {} for r in roles}
        for (role, _), (p, text) in best.items():
            seen = per_role[role].get(text.lower())
            if p >= self.thresholds.get(role, 0.5) and (seen is None or p > seen[0]):
                per_role[role][text.lower()] = (p, text)
        out: dict[str, list[str]] = {}
        for role in roles:
            ranked = sorted(per_role[role].values(), key=lambda pt: -pt[0])
            out[role] = _distinct([t for _, t in ranked], names=role in NAME_ROLES)[:MAX_PER_ROLE]
        return out


@lru_cache(maxsize=2)
def default_model() -> RoleModel | None:
    path = data_path("role_model.json")
    return RoleModel.load(path) if path.exists() else None


def fit(examples: list[tuple[list[str], int]], l2: float = 1.0) -> dict[str, float]:
    """Weights minimising the L2-regularised log loss of (features, label) examples: SciPy's
    L-BFGS on a sparse matrix of the binary features (the bias is not regularised)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    indptr, cols = [0], []
    for feats, _ in examples:
        cols.extend(index.setdefault(f, len(index)) for f in dict.fromkeys(expand(feats)))
        indptr.append(len(cols))
    if not index:
        return {}
    x = csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(examples), len(index)))
    y = np.array([lab for _, lab in examples], dtype=np.float64)
    reg = np.full(len(index), l2)
    for f, i in index.items():
        if f.endswith(":bias"):
            reg[i] = 0.0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        # log(1 + e^z) - y z, computed stably
        value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(reg * w * w))
        grad = x.T @ (1.0 / (1.0 + np.exp(-z)) - y) + reg * w
        return value, grad

    w = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    return {f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= 1e-4}
