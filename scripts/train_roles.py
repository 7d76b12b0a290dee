"""Train the role-filler model (src/eventcoder/data/role_model.json) from training/roles/*.txt.

The training reports are our own writing (training/roles/GUIDELINES.md). Each report is coded by
the real coder, its candidate fillers generated (eventcoder.extract.role_candidates), and a
candidate labelled a filler when its phrase equals a mention of an annotated entity of its role.
Thresholds per role are chosen by k-fold cross-validation over the training reports (never on
evaluation data); the final weights are fitted on all of them.

    python scripts/train_roles.py [--out FILE] [--folds 5] [--l2 1.0]
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roles_data import read_reports  # noqa: E402

from eventcoder.coder import code_article  # noqa: E402
from eventcoder.evaluation.muc4 import ROLE_LABELS, MucDoc, MucReport, _norm  # noqa: E402
from eventcoder.extract.role_candidates import Candidate, RoleRefs, candidates  # noqa: E402
from eventcoder.extract.role_model import RoleModel, fit  # noqa: E402
from eventcoder.extract.roles import ROLES, default_roles  # noqa: E402
from eventcoder.records import Article  # noqa: E402
from eventcoder.resources import Resources, data_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = [round(0.15 + 0.05 * i, 2) for i in range(14)]


def label(c: Candidate, doc: MucDoc) -> int:
    mentions = {_norm(m) for e in doc.gold.get(c.role, []) for m in e}
    return int(_norm(c.text) in mentions)


def load_docs(folder: Path) -> list[MucDoc]:
    return [
        MucDoc(id=r["id"], text=r["doc"], gold=r["roles"])
        for f in sorted(folder.glob("*.txt"))
        for r in read_reports(f)
    ]


def augmented(docs: list[MucDoc], seed: int = 7) -> list[MucDoc]:
    """Each report with incidents once more, followed by the paragraphs of a report without any:
    real reports bury their incident among more names, places and talk than the written ones do,
    and the copies teach the model that most names of a long report fill no role."""
    quiet = [d for d in docs if not any(d.gold.values())]
    rng = random.Random(seed)
    out = []
    for d in docs:
        if quiet and any(d.gold.values()):
            other = rng.choice(quiet)
            out.append(MucDoc(id=d.id + "+", text=d.text + "\n\n   " + other.text, gold=d.gold))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "training" / "roles")
    ap.add_argument("--out", type=Path, default=data_path("role_model.json"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--augment", action="store_true", help="add copies of the reports padded with another")
    ap.add_argument("--cache", type=Path, help="pickle of the coded candidates, reused when present")
    args = ap.parse_args()

    docs = load_docs(args.data)
    if not docs:
        print(f"no training reports in {args.data}", file=sys.stderr)
        return 1
    if args.augment:
        docs = docs + augmented(docs)
    by_id = {d.id: d for d in docs}
    t0 = time.perf_counter()
    cands: dict[str, list[Candidate]] = {}
    if args.cache and args.cache.exists():
        cands = pickle.loads(args.cache.read_bytes())
    missing = [d for d in docs if d.id not in cands]
    if missing:
        res = Resources.load()
        lex = default_roles()
        for d in missing:
            coded = code_article(Article(id=d.id, text=d.text), res)
            cands[d.id] = candidates(coded, lex, RoleRefs.of(res))
        if args.cache:
            args.cache.write_bytes(pickle.dumps(cands))
    print(f"{len(docs)} reports coded in {time.perf_counter() - t0:.0f} s")

    def examples(ids: list[str]) -> list[tuple[list[str], int]]:
        return [(c.features, label(c, by_id[i])) for i in ids for c in cands[i]]

    ids = [d.id for d in docs]
    base = sorted({i.rstrip("+") for i in ids})
    random.Random(13).shuffle(base)
    fold_of = {b: k % args.folds for k, b in enumerate(base)}
    folds = [[i for i in ids if fold_of[i.rstrip("+")] == k] for k in range(args.folds)]
    reports = {t: MucReport(file="cv") for t in THRESHOLDS}
    for k, test in enumerate(folds):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        model = RoleModel(weights=fit(examples(train), l2=args.l2))
        for t in THRESHOLDS:
            model.thresholds = {r: t for r in ROLES}
            for i in test:
                pred = model.decode(cands[i], ROLES)
                for role in ROLE_LABELS:
                    reports[t].add(role, pred.get(role, []), by_id[i].gold.get(role, []))
    thresholds: dict[str, float] = {}
    cv: dict[str, float] = {}
    for role in ROLE_LABELS:
        best = max(THRESHOLDS, key=lambda t: (reports[t].roles[role].f1, -abs(t - 0.5)))
        thresholds[role] = best
        cv[role] = round(reports[best].roles[role].f1, 3)
        print(f"{role:18s} threshold {best:.2f}  cross-validated F1 {cv[role]:.3f}")
    matched = sum(reports[thresholds[r]].roles[r].matched for r in ROLE_LABELS)
    predicted = sum(reports[thresholds[r]].roles[r].predicted for r in ROLE_LABELS)
    gold = sum(reports[thresholds[r]].roles[r].gold for r in ROLE_LABELS)
    p, r = matched / max(predicted, 1), matched / max(gold, 1)
    overall = round(2 * p * r / (p + r), 3) if p + r else 0.0
    print(f"overall cross-validated F1 {overall:.3f} (P {p:.3f}, R {r:.3f})")
    weights = fit(examples(ids), l2=args.l2)
    model = RoleModel(
        weights=weights,
        thresholds=thresholds,
        meta={
            "trained_on": f"{len(docs)} reports in training/roles",
            "l2": args.l2,
            "cross_validated_f1": {**cv, "overall": overall},
            "features": len(weights),
        },
    )
    model.save(args.out)
    print(f"{len(weights)} weights written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
