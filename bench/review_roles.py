"""Speed of every role's review (``team review --role all``) against the ML review alone.

Reviews a large tree (default: the venv's site-packages) once as ``ml_engineer`` (the baseline)
and once as ``all`` in the same process, and prints files per second for each and their ratio.
Files counted are the ones the reviews read: Python files, manifests, data files and documents.

    python bench/review_roles.py [TREE]
"""

from __future__ import annotations

import argparse
import sysconfig
import time
from collections import Counter
from pathlib import Path

from team.audit import ROLES, audit_path
from team.audit.repo import Repo


def timed(tree: Path, roles: list[str]) -> tuple[float, Counter[str]]:
    start = time.perf_counter()
    found = audit_path(tree, roles=roles)
    return time.perf_counter() - start, Counter(f.role or "parse-error" for f in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "tree", nargs="?", type=Path, default=Path(sysconfig.get_paths()["purelib"])
    )
    args = parser.parse_args()
    repo = Repo.scan(args.tree.resolve())
    files = len(repo.files)
    python = len(repo.python)
    print(f"tree: {args.tree} ({files} files, {python} Python)")
    base, _ = timed(args.tree, ["ml_engineer"])
    every, every_found = timed(args.tree, list(ROLES))
    print(f"--role ml_engineer: {base:.1f} s, {python / base:.0f} Python files/s (baseline)")
    print(
        f"--role all:         {every:.1f} s, {files / every:.0f} files/s, {python / every:.0f} Python files/s"
    )
    print(f"ratio all / ml_engineer time: {every / base:.2f}x")
    print("findings by role:", dict(sorted(every_found.items())))


if __name__ == "__main__":
    main()
