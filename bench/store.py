"""Bytes of ``threads.sqlite`` per offline flagship run: LangGraph's SQLite saver vs the store.

Runs the flagship scenario RUNS times (each on its own thread) into a fresh store file, once
with LangGraph's own ``SqliteSaver`` (every checkpoint of every step, uncompressed: what
``team run`` kept before) and once with ``team.home.sqlite_checkpointer`` (each thread's latest
checkpoint, compressed), in this process. Prints the bytes of each file and their ratio, and
checks that both stores resume the threads to the same result.

    python bench/store.py [--runs 6] [scenarios/churn_flagship.yaml]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from team.engine import Engine, resume_run
from team.home import sqlite_checkpointer
from team.scenarios import load_scenario
from team.topology import Team


@contextmanager
def langgraph_saver(path: Path) -> Iterator[Any]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        yield SqliteSaver(conn)
    finally:
        conn.close()


def measure(
    opener: Callable[[Path], AbstractContextManager[Any]], scenario: Path, runs: int
) -> tuple[int, float, list[Any]]:
    """Store bytes after ``runs`` runs, seconds taken, and each thread's resumed result."""
    loaded = load_scenario(scenario)
    team = Team.load()
    store = Path(tempfile.mkdtemp()) / "threads.sqlite"
    started = time.perf_counter()
    with opener(store) as saver:
        engine = Engine(team, repo=loaded.repo_path(), checkpointer=saver)
        for run in range(runs):
            engine.run(loaded.request, followups=loaded.followups, thread_id=f"flagship-{run}")
        seconds = time.perf_counter() - started
        resumed = [resume_run(team, f"flagship-{run}", saver) for run in range(runs)]
    return store.stat().st_size, seconds, resumed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="scenarios/churn_flagship.yaml")
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    scenario = Path(args.scenario)

    print(f"{args.runs} offline runs of {scenario}, one thread each")
    rows = {}
    for name, opener in (
        ("langgraph SqliteSaver", langgraph_saver),
        ("team store", sqlite_checkpointer),
    ):
        for runs in (1, args.runs):
            size, seconds, resumed = measure(opener, scenario, runs)
            rows[name, runs] = size, resumed
            print(f"  {name:22} {runs} run(s): {size:>10,} bytes  {seconds:6.2f} s")
    for runs in (1, args.runs):
        before, after = rows["langgraph SqliteSaver", runs], rows["team store", runs]
        same = [a.to_json(timings=False) for a in after[1]] == [
            b.to_json(timings=False) for b in before[1]
        ]
        print(
            f"{runs} run(s): team store / langgraph SqliteSaver = {after[0] / before[0]:.3f} "
            f"({before[0] / runs:,.0f} -> {after[0] / runs:,.0f} bytes per run); "
            f"resumed results identical: {same}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
