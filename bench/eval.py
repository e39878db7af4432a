"""Scenarios per second for the whole suite with 1 and 2 workers, in one invocation.

python bench/eval.py [scenarios/]
"""

from __future__ import annotations

import argparse
import time

from team.evaluate.suite import collect_scenarios, run_suite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["scenarios"])
    parser.add_argument("--trials", type=int, default=1)
    args = parser.parse_args()
    files = collect_scenarios(args.paths)
    runs = len(files) * args.trials
    rates = {}
    for workers in (1, 2):
        start = time.perf_counter()
        suite = run_suite(files, trials=args.trials, workers=workers)
        elapsed = time.perf_counter() - start
        rates[workers] = runs / elapsed
        passed = len(suite.scenarios) - len(suite.failed)
        print(
            f"workers={workers}: {runs} runs in {elapsed:.1f} s = {rates[workers]:.2f} scenarios/s ({passed}/{len(suite.scenarios)} passed)"
        )
    print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
