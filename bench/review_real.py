"""Precision of `team review` on real code, and recall on labelled leaky scripts.

    python bench/real/fetch.py          # once: the pinned corpora of bench/real/manifest.yaml
    python bench/review_real.py [--corpus NAME ...] [--cache DIR]

--corpus names a corpus of bench/real/manifest.yaml (tuning, fresh, ...; repeatable); `all`, the
default, reviews every corpus in the manifest.
Precision: each corpus folder is reviewed inside its whole unpacked sdist, as a user reviews a
folder of a checkout (a runner outside the folder may seed what the folder trains); paths stay
relative to the folder. Every finding on a corpus is matched to a recorded judgement (true / false, with the
reason) by package, path, line and rule. Judgements are read from every
bench/real/judgements*.yaml, so a corpus can be judged in a file of its own; the same finding
judged twice with different verdicts is an error. A finding with no judgement is listed as
unjudged and left out of precision.
Recall: each file under tests/fixtures/leaky/<flaw>/ is a script with a flaw of that type, its
lines marked `# expect: <rule>`; a file counts as found when every marked finding is reported.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from team.review import review_path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "real"))
from fetch import DEFAULT_CACHE, fetch, load_manifest  # noqa: E402

LEAKY = ROOT / "tests" / "fixtures" / "leaky"
MARKER = re.compile(r"#\s*expect:\s*([\w-]+)")
Key = tuple[str, str, int, str]


def load_judgements(folder: Path = ROOT / "bench" / "real") -> dict[Key, dict]:
    """(corpus entry, path, line, rule) -> the judgement, from every judgements*.yaml in folder."""
    judged: dict[Key, dict] = {}
    where: dict[Key, Path] = {}
    for path in sorted(folder.glob("judgements*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry, items in data.items():
            for j in items or []:
                key = (entry, j["path"], int(j["line"]), j["rule"])
                if key in judged and judged[key]["verdict"] != j["verdict"]:
                    sys.exit(
                        f"error: {entry} {key[1]}:{key[2]} {key[3]} is judged both ways, "
                        f"in {where[key].name} and {path.name}"
                    )
                judged[key], where[key] = j, path
    return judged


def precision(corpus: str, cache: Path, judged: dict[Key, dict]) -> tuple[dict, list[str]]:
    """Per rule: findings, judged true, judged false; and the unjudged findings."""
    counts: dict[str, Counter[str]] = {}
    unjudged: list[str] = []
    for entry in load_manifest()[corpus]:
        name = f"{entry['package']}-{entry['version']}"
        for f in review_path(fetch(entry, cache, whole=True)):
            tally = counts.setdefault(f.rule, Counter())
            tally["findings"] += 1
            j = judged.get((name, f.path, f.line, f.rule))
            if j is None:
                tally["unjudged"] += 1
                unjudged.append(f"{name} {f.path}:{f.line}: {f.rule}: {f.evidence}")
            else:
                tally["true" if j["verdict"] else "false"] += 1
    return counts, unjudged


def recall(leaky: Path = LEAKY) -> dict[str, tuple[int, int, list[str]]]:
    """Flaw type -> (files found, files, the files missed)."""
    out: dict[str, tuple[int, int, list[str]]] = {}
    for flaw in sorted(p for p in leaky.iterdir() if p.is_dir()):
        found, missed = 0, []
        files = sorted(flaw.glob("*.py"))
        for file in files:
            marked = {
                (n, m.group(1))
                for n, line in enumerate(file.read_text().splitlines(), start=1)
                if (m := MARKER.search(line))
            }
            reported = {(f.line, f.rule) for f in review_path(file)}
            if marked and marked <= reported:
                found += 1
            else:
                missed.append(file.name)
        out[flaw.name] = (found, len(files), missed)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    manifest = load_manifest()
    parser.add_argument("--corpus", action="append", choices=[*manifest, "all"])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    judged = load_judgements()
    chosen = args.corpus or ["all"]
    corpora = list(manifest) if "all" in chosen else list(dict.fromkeys(chosen))
    for corpus in corpora:
        entries = ", ".join(f"{e['package']} {e['version']}" for e in manifest[corpus])
        counts, unjudged = precision(corpus, args.cache, judged)
        print(f"\n## precision on {corpus} corpus ({entries})")
        print("| rule | findings | true | false | unjudged | precision |")
        print("|---|---|---|---|---|---|")
        for rule, c in sorted(counts.items()):
            judged_n = c["true"] + c["false"]
            p = f"{c['true'] / judged_n:.2f}" if judged_n else "-"
            row = (rule, c["findings"], c["true"], c["false"], c["unjudged"], p)
            print("| " + " | ".join(map(str, row)) + " |")
        for line in unjudged:
            print(f"unjudged: {line}")
    print("\n## recall on labelled leaky scripts (tests/fixtures/leaky)")
    print("| flaw | found | files | recall | missed |")
    print("|---|---|---|---|---|")
    for flaw, (found, total, missed) in recall().items():
        rate = f"{found / total:.2f}" if total else "-"
        print(f"| {flaw} | {found} | {total} | {rate} | {', '.join(missed)} |")


if __name__ == "__main__":
    main()
