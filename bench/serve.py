"""Throughput and latency of ``team serve`` against the same requests through ``Team.chat``.

The server runs in this process (uvicorn in a thread, on a port the OS picks on 127.0.0.1); C
clients send N one-turn conversations with the ``openai`` client (they share the process, and
its GIL, with the server). Then the same N requests go straight through ``Team.chat`` from C
threads. Both sides use the offline model and keep threads in memory, or in SQLite files with
``--checkpoint PATH`` (a ``postgresql://`` URL moves only the server's). Prints requests/s,
p50/p95 latency and the ratios server/in-process.

    python bench/serve.py [--requests 200] [--clients 8] [--stream] [--checkpoint memory]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

REQUESTS = [
    "Train a churn model on last year's customers",
    "Our nightly Airflow DAG keeps failing",
    "Set up a CI/CD pipeline with GitHub Actions",
    "Profile why p99 latency doubled",
    "Design the REST API for the orders service",
    "Plan the architecture for splitting the monolith into services",
    "Write the launch plan and timeline for stakeholders",
]


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """The app on 127.0.0.1 (a socket bound here, so no port race); yields the base URL."""
    import uvicorn

    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@contextmanager
def baseline_store(checkpoint: str) -> Iterator[tuple[Any, str]]:
    """The in-process side's saver: like the server's (memory, or SQLite in a sibling file)."""
    if checkpoint == "memory" or checkpoint.startswith(("postgresql://", "postgres://")):
        yield None, "memory"
        return
    from pathlib import Path

    from team.home import sqlite_checkpointer

    path = Path(checkpoint.removeprefix("sqlite://")).with_suffix(".baseline.sqlite")
    with sqlite_checkpointer(path) as saver:
        yield saver, f"sqlite {path}"


def measure(
    send: Callable[[int], str], requests: int, clients: int, budget: float
) -> dict[str, float]:
    """Run ``send(i)`` (it returns the turn's outcome) for every request from ``clients``
    threads; stop starting new ones once ``budget`` seconds are spent."""
    latencies: list[float] = []
    failed: list[str] = []
    stop_at = time.monotonic() + budget

    def one(index: int) -> None:
        if time.monotonic() > stop_at:
            return
        start = time.perf_counter()
        outcome = send(index)
        latencies.append(time.perf_counter() - start)
        if outcome != "done":
            failed.append(outcome)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return {
        "done": len(latencies),
        "failed": len(failed),
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": cuts[18] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per side (<= 5000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (<= 64)")
    parser.add_argument("--stream", action="store_true", help="stream the server's replies")
    parser.add_argument("--checkpoint", default="memory", help="the server's thread store")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per side at most")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 5000))
    clients = max(1, min(args.clients, 64))

    from openai import OpenAI

    from team.serve import create_app
    from team.topology import Team

    team = Team.load()
    run = uuid.uuid4().hex[:8]

    def text(index: int) -> str:
        return f"{REQUESTS[index % len(REQUESTS)]} (request {index})"

    with running_server(create_app(team, checkpoint=args.checkpoint)) as url:
        key = os.environ.get("TEAM_API_TOKEN") or "bench"
        client = OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60)

        def over_http(index: int) -> str:
            reply = client.chat.completions.create(
                model="teamgraph",
                messages=[{"role": "user", "content": text(index)}],
                extra_headers={"X-Thread-Id": f"http-{run}-{index}"},
                stream=args.stream,
            )
            if not args.stream:
                return reply.model_extra["teamgraph"]["outcome"]
            last = [c for c in reply if c.choices and c.choices[0].finish_reason]
            return last[-1].model_extra["teamgraph"]["outcome"] if last else "no final chunk"

        over_http(-1)  # warm-up: the first turn compiles the graph
        server = measure(over_http, requests, clients, args.budget)

    with baseline_store(args.checkpoint) as (saver, where):
        from team.engine import Engine

        engine = Engine(team, checkpointer=saver)

        def in_process(index: int) -> str:
            thread = f"direct-{run}-{index}"
            return engine.chat(text(index), thread_id=thread).outcome

        in_process(-1)
        direct = measure(in_process, requests, clients, args.budget)

    print(
        f"team serve bench: {requests} requests, {clients} clients, offline model, "
        f"threads: server {args.checkpoint}, in-process {where}"
        f"{', streamed' if args.stream else ''}"
    )
    print(f"{'':24}{'done':>6}{'failed':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in (("server (HTTP, openai)", server), ("Team.chat in-process", direct)):
        print(
            f"{name:24}{row['done']:>6.0f}{row['failed']:>8.0f}"
            f"{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
        )
    print(
        f"server / in-process: throughput {server['rps'] / direct['rps']:.2f}x, "
        f"p50 latency {server['p50'] / direct['p50']:.2f}x, "
        f"p95 latency {server['p95'] / direct['p95']:.2f}x"
    )


if __name__ == "__main__":
    main()
