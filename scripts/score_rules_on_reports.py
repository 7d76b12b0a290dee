"""Score the role rules (or the model) on the project's own written reports (training/roles/*.txt).

The MUC-4 dev file is what the rules were developed against; these 455 reports were written for
the project by others, before and independently of most rule changes, so their score is a second,
less tuned measure of the same rules (the model's own figure on them is its cross-validated F1 in
scripts/train_roles.py, as it is trained on them).

    python scripts/score_rules_on_reports.py [--data training/roles] [--roles rules|model]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roles_data import read_reports  # noqa: E402

from eventcoder.coder import code_article  # noqa: E402
from eventcoder.evaluation.muc4 import ROLE_LABELS, MucReport  # noqa: E402
from eventcoder.extract.roles import extract_roles  # noqa: E402
from eventcoder.records import Article  # noqa: E402
from eventcoder.resources import Resources  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "training" / "roles")
    ap.add_argument("--roles", choices=("rules", "model"), default="rules")
    args = ap.parse_args(argv)
    resources = Resources.load()
    report = MucReport(file=str(args.data), method=args.roles)
    for path in sorted(args.data.glob("*.txt")):
        for r in read_reports(path):
            coded = code_article(Article(id=r["id"], text=r["doc"]), resources)
            pred = extract_roles(coded, resources=resources, method=args.roles)
            report.documents += 1
            for role in ROLE_LABELS:
                report.add(role, pred.get(role, []), r["roles"].get(role, []))
    for role, c in report.roles.items():
        print(f"{ROLE_LABELS[role]:26} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}")
    o = report.overall
    print(f"{'overall (micro)':26} P {o.precision:.3f}  R {o.recall:.3f}  F1 {o.f1:.3f}  ({report.documents} reports)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
