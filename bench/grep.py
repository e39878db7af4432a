"""Benchmark the `grep` tool against ripgrep run directly with the same command line.

For each tree and pattern, runs are interleaved (ours, rg, rg, ours, ...) for `--rounds` rounds
after one warm-up each, and the medians are compared. Ours is the LangChain tool end to end
(argument validation, the rg process, sorting, the cap and the "N more" count); rg is
`subprocess.run` of the exact command the tool builds (`team.tools.repo.grep_command`), with its
output captured.

Usage:
    .venv/bin/python bench/grep.py                 # the venv's site-packages (+ the base one)
    .venv/bin/python bench/grep.py --root DIR --rounds 7
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool

from team.tools import Sandbox, repo_tools
from team.tools.repo import grep_command
from team.tools.ripgrep import list_files

PATTERNS: list[dict[str, Any]] = [
    {"pattern": "zq_never_matches_qz"},
    {"pattern": "import numpy"},
    {"pattern": r"class \w+Error\("},
    {"pattern": "TODO|FIXME|XXX"},
    {"pattern": "def __init__"},
    {"pattern": "self"},
    {"pattern": "def test_", "glob": "*.py"},
    {"pattern": "def test_", "glob": "*/tests/**"},
    {"pattern": "deprecated", "ignore_case": True},
]


def default_roots() -> list[Path]:
    """The venv's site-packages, and the base interpreter's when it differs (often larger)."""
    roots = [Path(sysconfig.get_paths()["purelib"])]
    base_vars = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
    base = Path(sysconfig.get_paths(vars=base_vars)["purelib"])
    if base.is_dir() and base.resolve() != roots[0].resolve():
        roots.append(base)
    return roots


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def bench_tree(root: Path, rounds: int) -> tuple[float, float]:
    """Print one table for `root`; return the sums of medians in ms (ours, rg)."""
    sandbox = Sandbox(root)
    tool = repo_tools(root, allowed=["grep"])[0]
    searched = len(list_files(sandbox))
    on_disk = sum(1 for path in root.rglob("*") if path.is_file())
    print(f"\ntree: {root}")
    print(f"files: {searched} searched by the tool ({on_disk} on disk, incl. __pycache__)")
    print(f"{'pattern':<38} {'matches':>8} {'ours ms':>9} {'rg ms':>9} {'ratio':>6}")
    with ExitStack() as stack:  # a path glob keeps its temporary ignore file until the end
        commands = [stack.enter_context(grep_command(sandbox, **args))[0] for args in PATTERNS]
        return _compare(root, tool, commands, rounds)


def _compare(
    root: Path, tool: BaseTool, commands: list[list[str]], rounds: int
) -> tuple[float, float]:
    runners: list[tuple[Callable[[], object], Callable[[], object]]] = [
        (
            lambda args=args: tool.invoke(args),
            lambda command=command: subprocess.run(command, cwd=root, capture_output=True),
        )
        for args, command in zip(PATTERNS, commands, strict=True)
    ]
    for ours, direct in runners:  # warm the page cache
        ours()
        direct()
    times: list[tuple[list[float], list[float]]] = [([], []) for _ in runners]
    matches = [0 for _ in runners]
    for round_number in range(rounds):
        for index, pair in enumerate(runners):
            order = (0, 1) if round_number % 2 == 0 else (1, 0)  # alternate who goes first
            for which in order:
                elapsed, result = _timed(pair[which])
                times[index][which].append(elapsed)
                if which == 1:
                    matches[index] = result.stdout.count(b"\n")  # type: ignore[attr-defined]
    ours_ms = [statistics.median(ours) * 1000 for ours, _ in times]
    rg_ms = [statistics.median(direct) * 1000 for _, direct in times]
    ratios = [mine / theirs for mine, theirs in zip(ours_ms, rg_ms, strict=True)]
    for index, args in enumerate(PATTERNS):
        options = "".join(f" {key}={value!r}" for key, value in args.items() if key != "pattern")
        label = f"{args['pattern']!r}{options}"
        print(
            f"{label:<38} {matches[index]:>8} {ours_ms[index]:>9.1f} {rg_ms[index]:>9.1f} "
            f"{ratios[index]:>6.2f}"
        )
    total_ours, total_rg = sum(ours_ms), sum(rg_ms)
    print(
        f"{'overall':<38} {'':>8} {total_ours:>9.1f} {total_rg:>9.1f} "
        f"{total_ours / total_rg:>6.2f}  (sum of medians; geometric mean of ratios "
        f"{statistics.geometric_mean(ratios):.2f})"
    )
    return total_ours, total_rg


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, action="append", help="tree to search (repeatable)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    options = parser.parse_args(argv)
    roots = options.root or default_roots()
    print(f"rounds: {options.rounds}, medians; ratio = ours / rg (target <= 1.3)")
    for root in roots:
        bench_tree(root, options.rounds)


if __name__ == "__main__":
    main()
