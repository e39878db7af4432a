"""Speed of the ML code review (``team review``) on a real tree of many Python files.

Reviews the venv's site-packages (or a given folder) and prints files per second. A baseline in
the same invocation, parsing every file with ``ast.parse`` alone, gives the review's cost as a
ratio to the parsing it cannot avoid.

    python bench/review.py [TREE]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import sysconfig
import time
from pathlib import Path

from team.review import review_path

SKIP = {".git", ".venv", "node_modules", "site-packages", "__pycache__"}


def python_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.py") if not SKIP & set(p.relative_to(root).parts[:-1])]


def parse_all(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        with contextlib.suppress(SyntaxError, ValueError):
            ast.parse(path.read_bytes())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(sysconfig.get_paths()["purelib"])
    parser.add_argument("tree", nargs="?", type=Path, default=default)
    args = parser.parse_args()
    # review_path skips folders named site-packages, so review the packages inside it.
    roots = [p for p in sorted(args.tree.iterdir()) if p.is_dir() and not p.name.endswith("-info")]
    files = [f for root in roots for f in python_files(root)]
    baseline = parse_all(files)
    start = time.perf_counter()
    findings = 0
    for root in roots:
        findings += len(review_path(root))
    elapsed = time.perf_counter() - start
    print(f"tree: {args.tree} ({len(roots)} packages, {len(files)} Python files)")
    print(f"review: {elapsed:.1f} s, {len(files) / elapsed:,.0f} files/s, {findings} findings")
    print(f"ast.parse alone: {baseline:.1f} s, {len(files) / baseline:,.0f} files/s")
    print(f"ratio review/parse: {elapsed / baseline:.2f}x")


if __name__ == "__main__":
    main()
