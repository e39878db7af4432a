"""Time and memory under oversized input, each against a normal-size baseline in the same run.

Three surfaces, each fed a normal input first and then hostile ones:

- the ``team`` command: a normal scenario, then 20,000-deep YAML, a 20 MB scenario, a FIFO and a
  ``/dev/zero`` symlink; time and the child's peak RSS (``wait4``).
- ``team serve`` (a child process on 127.0.0.1): a normal chat turn, then a 50 MB body, a
  100k-deep JSON body and an integer of 5,000 digits; the server's peak RSS (``VmHWM``) after each.
- the ``review`` tool: a repository of ordinary ML modules, then the same with a 100 KB
  ``x = a+a+...`` file and a deeply nested notebook, then a repository of 3,000 files under the
  tool's 10 s limit; time, Python's peak allocation (``tracemalloc``) and reply size.

    python bench/limits.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TEAM = shutil.which("team", path=str(Path(sys.executable).parent)) or "team"
LEAKY = (ROOT / "scenarios" / "fixtures" / "churn" / "churn" / "train.py").read_text()


def row(name: str, seconds: float, memory: str, result: str, base: float | None) -> None:
    ratio = f"{seconds / base:6.1f}x" if base else "  base "
    print(f"  {name:<34} {seconds:7.2f} s {ratio}  {memory:>14}  {result}")


def hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server(tmp: Path) -> None:
    from socket import socket

    with socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "TEAM_API_TOKEN"}
    command = [TEAM, "serve", "--port", str(port), "--checkpoint", str(tmp / "t.sqlite")]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        chat = b'{"model": "teamgraph", "messages": [{"role": "user", "content": "%s"}]}'
        probes: list[tuple[str, bytes]] = [
            ("normal turn (90 B)", chat % b"Train a churn model on last year's customers"),
            ("50 MB message", chat % (b"x" * 50_000_000)),
            ("100k-deep JSON", b"[" * 100_000 + b"]" * 100_000),
            ("integer of 5,000 digits", b'{"model": "teamgraph", "n": ' + b"9" * 5000 + b"}"),
        ]
        print(f"team serve (peak RSS of the server; store {tmp / 't.sqlite'})")
        base = None
        for name, body in probes:
            start = time.perf_counter()
            try:
                status = str(httpx.post(url + "/v1/chat/completions", content=body, timeout=300))
            except httpx.TransportError as exc:  # the server answered 413 and closed mid-upload
                status = f"closed: {type(exc).__name__}"
            seconds = time.perf_counter() - start
            store = sum(p.stat().st_size for p in tmp.glob("t.sqlite*"))
            memory = f"{hwm_mb(process.pid):.0f} MB"
            row(name, seconds, memory, f"{status[10:-1]}, store {store / 1e6:.1f} MB", base)
            base = base or seconds
    finally:
        process.kill()
        process.wait()


def traced(call: Callable[[], str]) -> tuple[float, float, str]:
    tracemalloc.start()
    start = time.perf_counter()
    reply = call()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, reply


def review(tmp: Path) -> None:
    from team.tools import repo_tools

    normal = tmp / "normal"
    normal.mkdir()
    for index in range(100):
        (normal / f"m{index:03d}.py").write_text(LEAKY)
    hostile = tmp / "hostile"
    shutil.copytree(normal, hostile)
    (hostile / "sum.py").write_text("x = " + "+".join(["a"] * 50_000) + "\n")
    nested = "[" * 100_000 + "]" * 100_000
    (hostile / "deep.ipynb").write_text(
        f'{{"cells": [{{"cell_type": "code", "source": {nested}}}]}}'
    )
    huge = tmp / "huge"
    huge.mkdir()
    for index in range(3000):
        (huge / f"m{index:04d}.py").write_text(LEAKY)
    print("review tool (Python peak allocation)")
    base = None
    for name, root in (
        ("100 ML modules", normal),
        ("+ 100 KB a+a+... and deep notebook", hostile),
        ("3,000 ML modules (10 s limit)", huge),
    ):
        tool = repo_tools(root, allowed=["review"])[0]
        seconds, peak, reply = traced(lambda t=tool: t.invoke({}))
        partial = ", partial" if "results are partial" in reply else ""
        result = f"{reply.splitlines()[0]}, reply {len(reply.encode()) / 1024:.0f} KiB{partial}"
        row(name, seconds, f"{peak:.0f} MB", result, base)
        base = base or seconds


def cli(tmp: Path) -> None:
    deep = tmp / "deep.yaml"
    deep.write_text("name: deep\nrequest: " + "[" * 20_000 + "]" * 20_000 + "\n")
    big = tmp / "big.yaml"
    big.write_text("name: big\nrequest: " + "x" * 20_000_000 + "\n")
    fifo = tmp / "pipe.yaml"
    os.mkfifo(fifo)
    zero = tmp / "zero.yaml"
    zero.symlink_to("/dev/zero")
    print("team run (peak RSS of the command)")
    base = None
    env = {**os.environ, "TEAM_HOME": str(tmp / "home")}
    for name, path in (
        ("normal scenario", ROOT / "scenarios" / "ba_admin_auth.yaml"),
        ("20,000-deep YAML", deep),
        ("20 MB scenario", big),
        ("FIFO as scenario", fifo),
        ("/dev/zero symlink", zero),
    ):
        start = time.perf_counter()
        process = subprocess.Popen(
            [TEAM, "run", str(path)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        error = process.stderr.read().decode().strip() if process.stderr else ""
        process.stderr.close() if process.stderr else None
        shown = error.rsplit(": ", 1)[-1] if error else "ok"
        result = f"exit {os.waitstatus_to_exitcode(status)}: {shown[:60]}"
        row(name, seconds, f"{usage.ru_maxrss / 1024:.0f} MB", result, base)
        base = base or seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cli(tmp)  # first: a child's peak RSS starts at this process's size when it forks
        (tmp / "serve").mkdir()
        server(tmp / "serve")
        review(tmp)


if __name__ == "__main__":
    main()
