"""team eval on a real model client: --concurrency 16 against 1, in one invocation.

The client is langchain-anthropic's ChatAnthropic talking to the loopback Anthropic stub of the
tests, which answers every request after a fixed latency (as a model would take) and answers
the first sight of each distinct request with a 429 that the client retries. Both runs must give
the same results; the script prints wall time, trials per second and the speed-up.

python bench/eval_concurrency.py [--latency 0.2] [--trials 4] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import write_scenario  # noqa: E402
from stubs.anthropic_stub import AnthropicStub  # noqa: E402
from stubs.team_player import TeamPlayer  # noqa: E402
from test_eval_scale import PATHS, SONNET  # noqa: E402

from team.evaluate.suite import run_suite  # noqa: E402

KEY = "bench-key"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per model call")
    parser.add_argument("--trials", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="eval-bench-"))
    for number, (request, path) in enumerate(PATHS.items()):
        write_scenario(folder, f"s{number}", request, {"path": path, "outcome": "done"})
    runs = len(PATHS) * args.trials
    os.environ.update(ANTHROPIC_API_KEY=KEY, TEAM_MODEL_TIMEOUT="30")
    seconds, results = {}, {}
    for concurrency in (1, args.concurrency):
        player = TeamPlayer(PATHS, rate_limited=True)
        with AnthropicStub(api_key=KEY, responder=player, latency=args.latency) as stub:
            os.environ["ANTHROPIC_BASE_URL"] = stub.base_url
            start = time.perf_counter()
            suite = run_suite([folder], model=SONNET, trials=args.trials, concurrency=concurrency)
            seconds[concurrency] = time.perf_counter() - start
            requests = len(stub.requests)
        results[concurrency] = suite.to_dict(timings=False)
        passed = len(suite.scenarios) - len(suite.failed)
        print(
            f"concurrency={concurrency}: {runs} trials, {suite.usage['calls']} model calls "
            f"({requests} requests, {player.faults} answered 429) in {seconds[concurrency]:.2f} s"
            f" = {runs / seconds[concurrency]:.2f} trials/s; {passed}/{len(suite.scenarios)} "
            f"scenarios passed; call latency p50 {suite.usage['latency_p50']:.2f} s"
        )
    same = results[1] == results[args.concurrency]
    print(f"same results: {same}")
    ratio = seconds[1] / seconds[args.concurrency]
    print(f"speed-up of concurrency {args.concurrency} over 1: {ratio:.2f}x")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
