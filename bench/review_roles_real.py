"""Precision of the roles' reviews (`team review --role ...`) on real web apps and services.

    python bench/review_roles_real.py [--corpus tuning|fresh|fresh2|fresh3|all] [--role ROLES] [--cache DIR]
    python bench/review_roles_real.py --corpus tuning --unjudged FILE   # findings left to judge

Fetches the pinned sdists of bench/roles_real/manifest.yaml with bench/real/fetch.py (PyPI,
sha256-checked, into ~/.cache/teamgraph/roles_real; the whole sdist, so that the reviewed folder
sits in its project as in a checkout), reviews each as the Backend Architect, the
Performance Engineer and the PM (by default), and matches every finding to a recorded judgement
in bench/roles_real/judgements*.yaml (true / false, with the reason) by package, path, line and
rule. Prints precision per role and rule; a finding with no judgement is listed as unjudged and
left out of precision. `--unjudged FILE` writes those findings as YAML entries to judge.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from team.audit import RoleFinding, audit_path, parse_roles

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench" / "roles_real"
sys.path.insert(0, str(ROOT / "bench" / "real"))
from fetch import fetch, load_manifest  # noqa: E402
from review_real import Key, load_judgements  # noqa: E402

DEFAULT_CACHE = Path.home() / ".cache" / "teamgraph" / "roles_real"
DEFAULT_ROLES = "backend_architect,performance_engineer,pm"


def findings(corpus: str, cache: Path, roles: list[str]) -> list[tuple[str, RoleFinding]]:
    """(entry name, finding) for every finding of `roles` on a corpus (fetched once)."""
    out = []
    for entry in load_manifest(HERE / "manifest.yaml")[corpus]:
        name = f"{entry['package']}-{entry['version']}"
        out += [(name, f) for f in audit_path(fetch(entry, cache, whole=True), roles=roles)]
    return out


def tally(
    found: list[tuple[str, RoleFinding]], judged: dict[Key, dict]
) -> tuple[dict[tuple[str, str], Counter[str]], list[tuple[str, RoleFinding]]]:
    """Per (role, rule): findings, judged true, judged false, unjudged; and the unjudged ones."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    unjudged = []
    for name, f in found:
        c = counts.setdefault((f.role, f.rule), Counter())
        c["findings"] += 1
        j = judged.get((name, f.path, f.line, f.rule))
        if j is None:
            c["unjudged"] += 1
            unjudged.append((name, f))
        else:
            c["true" if j["verdict"] else "false"] += 1
    return counts, unjudged


def table(counts: dict[tuple[str, str], Counter[str]]) -> list[str]:
    """The markdown table of precision per role and rule, with a total row per role."""
    rows = ["| role | rule | findings | true | false | unjudged | precision |", "|---" * 7 + "|"]
    for key, c in sorted(counts.items()):
        judged_n = c["true"] + c["false"]
        p = f"{c['true'] / judged_n:.2f}" if judged_n else "-"
        cells = (*key, c["findings"], c["true"], c["false"], c["unjudged"], p)
        rows.append("| " + " | ".join(map(str, cells)) + " |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    manifest = load_manifest(HERE / "manifest.yaml")
    parser.add_argument("--corpus", choices=[*manifest, "all"], default="all")
    parser.add_argument("--role", default=DEFAULT_ROLES, help="comma-separated role ids, or all")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--unjudged", type=Path, help="write the unjudged findings here as YAML")
    args = parser.parse_args()
    roles = [r for r in parse_roles(args.role) if r != "ml_engineer"]
    judged = load_judgements(HERE)
    corpora = list(manifest) if args.corpus == "all" else [args.corpus]
    todo: dict[str, list[dict]] = {}
    for corpus in corpora:
        entries = manifest[corpus]
        counts, unjudged = tally(findings(corpus, args.cache, roles), judged)
        names = ", ".join(f"{e['package']} {e['version']}" for e in entries)
        print(f"\n## precision on the {corpus} corpus ({names})")
        print("\n".join(table(counts)))
        for name, f in unjudged:
            print(f"unjudged: {name} {f.path}:{f.line}: {f.rule}: {f.evidence}")
            todo.setdefault(name, []).append(
                {"path": f.path, "line": f.line, "rule": f.rule, "verdict": None, "why": "",
                 "message": f.message, "evidence": f.evidence}
            )  # fmt: skip
    if args.unjudged:
        args.unjudged.write_text(yaml.safe_dump(todo, sort_keys=False, width=200))


if __name__ == "__main__":
    main()
