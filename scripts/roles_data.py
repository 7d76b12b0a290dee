"""Read and check the role-filler training reports in training/roles/*.txt.

Format (one file holds many reports):

    === DOC some-id
    TEXT OF THE REPORT, UPPER CASE, PARAGRAPHS SEPARATED BY A BLANK LINE.

    SECOND PARAGRAPH.
    --- roles
    perp_individual: MEMBERS OF THE FMLN | FMLN URBAN COMMANDOS
    perp_organization: FARABUNDO MARTI NATIONAL LIBERATION FRONT | FMLN
    hum_tgt: JOSE ANTONIO MEZA
    phys_tgt: ELECTRIC POWER SUBSTATION | SUBSTATION
    weapon: DYNAMITE

Each role line is one entity; " | " separates the ways the text writes it. Every mention must
occur in the text (case-insensitive). A report with no incident has an empty roles section.

    python scripts/roles_data.py training/roles/*.txt     # check files, print counts
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROLES = ("perp_individual", "perp_organization", "hum_tgt", "phys_tgt", "weapon")


class FormatError(ValueError):
    pass


def _wrap(text: str) -> str:
    """Paragraphs as the wire copy lays them out: lines of at most 70 characters, each
    paragraph after the first indented by three spaces."""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for i, p in enumerate(paras):
        lines, cur = [], "   " if i else ""
        for w in p.split(" "):
            if len(cur) + len(w) + 1 > 70 and cur.strip():
                lines.append(cur.rstrip())
                cur = ""
            cur += ("" if not cur or cur.endswith(" ") else " ") + w
        lines.append(cur.rstrip())
        out.append("\n".join(lines))
    return "\n\n".join(out)


def read_reports(path: Path) -> list[dict]:
    """[{"id", "doc", "roles": {role: [[mention, ...], ...]}}] of one file; FormatError on
    anything malformed (with the report id and the line)."""
    raw = path.read_text(encoding="utf-8")
    chunks = re.split(r"^=== DOC[ \t]+", raw, flags=re.M)
    out = []
    seen: set[str] = set()
    for chunk in chunks[1:]:
        head, _, body = chunk.partition("\n")
        doc_id = f"{path.stem}-{head.strip()}"
        if doc_id in seen:
            raise FormatError(f"{doc_id}: id used twice")
        seen.add(doc_id)
        text, sep, roles_part = body.partition("\n--- roles")
        if not sep:
            raise FormatError(f"{doc_id}: no '--- roles' line")
        doc = _wrap(text)
        if len(doc.split()) < 40:
            raise FormatError(f"{doc_id}: text too short")
        flat = " ".join(doc.lower().split())
        roles: dict[str, list[list[str]]] = {r: [] for r in ROLES}
        for line in roles_part.splitlines()[1:]:
            if not line.strip():
                continue
            role, colon, rest = line.partition(":")
            role = role.strip()
            if not colon or role not in ROLES:
                raise FormatError(f"{doc_id}: bad role line {line!r}")
            mentions = [" ".join(m.split()) for m in rest.split("|") if m.strip()]
            if not mentions:
                raise FormatError(f"{doc_id}: empty entity in {line!r}")
            for m in mentions:
                if not re.search(rf"(?<![a-z0-9]){re.escape(m.lower())}(?![a-z0-9])", flat):
                    raise FormatError(f"{doc_id}: mention {m!r} is not in the text")
            roles[role].append(mentions)
        out.append({"id": doc_id, "doc": doc, "roles": roles})
    return out


def main(argv: list[str]) -> int:
    bad = 0
    total = 0
    for name in argv:
        try:
            reports = read_reports(Path(name))
        except FormatError as exc:
            print(f"{name}: {exc}")
            bad += 1
            continue
        empty = sum(1 for r in reports if not any(r["roles"].values()))
        ents = {role: sum(len(r["roles"][role]) for r in reports) for role in ROLES}
        words = sum(len(r["doc"].split()) for r in reports)
        total += len(reports)
        print(f"{name}: {len(reports)} reports ({empty} without incident), {words} words, entities {ents}")
    print(f"{total} reports")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
