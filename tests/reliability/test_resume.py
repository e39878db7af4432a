"""Resume is exact: a run interrupted anywhere continues to what an uninterrupted run produces.

The multi-role run (ML Engineer -> DevOps Engineer -> PM) is interrupted in-process at every
point where a real Ctrl-C can land between two steps: each event the run emits, each model call
and each repository tool call. Then one real SIGINT goes to a ``team run`` process while the PM's
model call waits on a loopback Anthropic stub, and ``team run --resume`` finishes it.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from services import BIN, ROOT, child_env, wait_until
from stubs.anthropic_stub import AnthropicStub, Fault, Reply

from team.agent import RoleNodes
from team.engine import Engine, RunResult
from team.models.offline import OfflineModel
from team.topology import Team, packaged_path

REQUEST = "Train a churn model and expose it behind a REST API, set up CI/CD and plan the launch"
REPO = ROOT / "scenarios" / "fixtures" / "churn"
KEY = "sk-ant-test-RESUME-0123456789"
PM_PLAN = "Launch plan: success criteria agreed, relaunch in March."
INTERRUPTED = re.compile(
    r"error: interrupted: the run is saved as thread (\S+); "
    r"continue it with: team run --resume (\S+)"
)


_TOOL_ANSWERS: dict[tuple[str, str, str, int], str] = {}


class Interrupter:
    """Raises ``KeyboardInterrupt`` at the ``stop``-th point it is told about (0: never).

    While active, every model call and repository tool call of a run is a point; the test adds
    every event the run emits.
    """

    def __init__(self, stop: int = 0) -> None:
        self.points: list[str] = []
        self.stop = stop

    def __call__(self, where: str) -> None:
        self.points.append(where)
        if len(self.points) == self.stop:
            raise KeyboardInterrupt

    def on_event(self, event: Any) -> None:
        self(f"event {event.kind}")

    @contextmanager
    def active(self) -> Iterator[Interrupter]:
        generate, run_one = OfflineModel._generate, RoleNodes._run_one

        def model_call(model: OfflineModel, *args: Any, **kwargs: Any) -> Any:
            self("model call")
            return generate(model, *args, **kwargs)

        def tool_call(nodes: RoleNodes, call: dict[str, Any], rounds: int, *args: Any) -> str:
            self(f"tool call {call['name']}")
            if call["name"] not in nodes.repo_tools:  # a handoff: decided on the state
                return run_one(nodes, call, rounds, *args)
            # The repository does not change: each tool's answer is computed once per session.
            key = (nodes.role, call["name"], json.dumps(call["args"], sort_keys=True), rounds)
            if key not in _TOOL_ANSWERS:
                _TOOL_ANSWERS[key] = run_one(nodes, call, rounds, *args)
            return _TOOL_ANSWERS[key]

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(OfflineModel, "_generate", model_call)
            patch.setattr(RoleNodes, "_run_one", tool_call)
            yield self


def sqlite_saver(path: Path | str) -> Any:
    """The store ``team run`` keeps: each thread's latest checkpoint only, compressed."""
    from team.checkpoint import CompactSqliteSaver

    return CompactSqliteSaver(sqlite3.connect(path, check_same_thread=False))


def outcome(result: RunResult) -> dict[str, Any]:
    """What a user gets from a run: path, handoffs, deliverables, outcome and the transcript."""
    transcript = [
        (
            m["type"],
            m["data"].get("name"),
            m["data"]["content"],
            [(c["name"], c["args"]) for c in m["data"].get("tool_calls", [])],
        )
        for m in result.messages
    ]
    return {
        "visited": result.visited,
        "handoffs": result.handoffs,
        "deliverables": result.deliverables,
        "outcome": result.outcome,
        "transcript": transcript,
    }


@cache
def uninterrupted() -> tuple[dict[str, Any], tuple[str, ...]]:
    """The run without interruption, and its interrupt points in order."""
    with Interrupter().active() as points:
        engine = Engine(Team.load(), repo=REPO, checkpointer=sqlite_saver(":memory:"))
        result = engine.run(REQUEST, thread_id="m1", on_event=points.on_event)
    return outcome(result), tuple(points.points)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "stop" in metafunc.fixturenames:
        points = uninterrupted()[1]
        ids = [f"{n}-{where.replace(' ', '-')}" for n, where in enumerate(points, start=1)]
        metafunc.parametrize("stop", range(1, len(points) + 1), ids=ids)


def test_the_uninterrupted_run_has_four_roles() -> None:
    result, points = uninterrupted()
    # Each ask goes to its owner: the REST API to the Backend Architect, CI/CD to DevOps.
    roles = ["ml_engineer", "backend_architect", "devops_engineer", "pm"]
    assert result["visited"] == roles
    assert sorted(result["deliverables"]) == sorted(roles)
    assert [h["target"] for h in result["handoffs"]] == roles[1:]
    assert result["outcome"] == "done"
    assert {p.split()[0] for p in points} == {"event", "model", "tool"}


@pytest.fixture(scope="module")
def shared_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """One compiled team for every interrupted run (each on a thread of its own), on a store
    file: LangGraph saves to it in the background, as in ``team run``."""
    store = tmp_path_factory.mktemp("interrupted") / "threads.sqlite"
    return Engine(Team.load(), repo=REPO, checkpointer=sqlite_saver(store))


def test_interrupted_anywhere_resumes_to_the_same_run(stop: int, shared_engine: Engine) -> None:
    expected, points = uninterrupted()
    engine, thread = shared_engine, f"m{stop}"
    with Interrupter(stop).active() as interrupter, pytest.raises(KeyboardInterrupt):
        engine.run(REQUEST, thread_id=thread, on_event=interrupter.on_event)
    assert interrupter.points[-1] == points[stop - 1]
    assert outcome(engine.resume(thread)) == expected


# The real command line: Ctrl-C names the thread, and what cannot be resumed says why.


def pm_on_claude(folder: Path) -> Path:
    """The default team with the PM on Claude (a loopback stub), the other roles offline."""
    topology = (packaged_path("graphs") / "default.yaml").read_text(encoding="utf-8")
    graph = folder / "pm_on_claude.yaml"
    graph.write_text(topology + "models:\n  pm: anthropic:claude-sonnet-4-6\n", encoding="utf-8")
    return graph


def team_command(*args: str | Path) -> list[str]:
    return [str(BIN / "team"), *map(str, args)]


def claude_env(home: Path, stub: AnthropicStub) -> dict[str, str]:
    return child_env(
        TEAM_HOME=str(home),
        ANTHROPIC_API_KEY=KEY,
        ANTHROPIC_BASE_URL=stub.base_url,
        TEAM_MODEL_TIMEOUT="60",
    )


def json_run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stderr) == (0, "")
    data = json.loads(done.stdout)
    return {k: data[k] for k in ("visited", "handoffs", "deliverables", "outcome")}


def handed_to_pm(trace: Path) -> bool:
    lines = trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []
    events = [json.loads(line) for line in lines if line.endswith("}")]
    return any(e["kind"] == "handoff" and e["data"]["target"] == "pm" for e in events)


def test_ctrl_c_names_the_thread_and_resume_finishes_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = pm_on_claude(tmp_path)
    with AnthropicStub([Reply(text=PM_PLAN)], api_key=KEY) as stub:
        for name, value in claude_env(tmp_path, stub).items():
            monkeypatch.setenv(name, value)
        result = Engine(Team.load(graph=graph), repo=REPO).run(REQUEST)
    whole = {k: v for k, v in outcome(result).items() if k != "transcript"}
    assert whole["visited"] == ["ml_engineer", "backend_architect", "devops_engineer", "pm"]
    assert whole["deliverables"]["pm"] == PM_PLAN

    # The PM's model call hangs (the stub answers it only after 10 s): Ctrl-C lands inside it.
    run = ("run", "-r", REQUEST, "--repo", REPO, "--graph", graph)
    home, trace = tmp_path / "stopped", tmp_path / "trace.jsonl"
    with AnthropicStub([Fault(timeout=10), Reply(text=PM_PLAN)], api_key=KEY) as stub:
        env = claude_env(home, stub)
        child = subprocess.Popen(
            team_command(*run, "--trace", trace),  # no --thread: the id must still be printed
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # A shell that starts jobs in the background (nohup ... &) ignores SIGINT, and the
            # child would inherit that; Ctrl-C must reach it as at a terminal.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            wait_until(
                lambda: handed_to_pm(trace) and len(stub.requests) == 1,
                seconds=120,
                what="the PM's model call",
            )
            child.send_signal(signal.SIGINT)
            _, stderr = child.communicate(timeout=60)
        finally:
            child.kill()
        assert child.returncode == 130
        assert len(stderr.splitlines()) == 1, stderr
        printed = INTERRUPTED.fullmatch(stderr.strip())
        assert printed is not None, stderr
        thread = printed.group(1)
        assert thread == printed.group(2) and thread.startswith("run-")

        resumed = json_run(team_command("run", "--resume", thread, "--json", "--graph", graph), env)
        stub.assert_complete()
    assert resumed == whole


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """``team`` in-process on a TEAM_HOME of the test's own: ``cli(args) -> (exit code, stderr)``."""
    from typer.testing import CliRunner

    from team.cli import app

    monkeypatch.setenv("TEAM_HOME", str(tmp_path / "home"))

    def invoke(*args: str | Path) -> tuple[int, str]:
        result = CliRunner().invoke(app, [str(a) for a in args])
        return result.exit_code, result.stderr

    return invoke


def interrupted_run(repo: Path, thread: str, stop: int) -> None:
    """A run in TEAM_HOME's store interrupted at its ``stop``-th point, as Ctrl-C leaves it."""
    from team.home import sqlite_checkpointer

    with sqlite_checkpointer() as saver, Interrupter(stop).active() as interrupter:
        engine = Engine(Team.load(), repo=repo, checkpointer=saver)
        with pytest.raises(KeyboardInterrupt):
            engine.run(REQUEST, thread_id=thread, on_event=interrupter.on_event)


def test_resume_of_an_unknown_thread(cli: Any) -> None:
    assert cli("run", "--resume", "nosuch") == (2, "error: no saved run with thread id 'nosuch'\n")


def test_resume_when_the_repository_is_gone(cli: Any, tmp_path: Path) -> None:
    repo = tmp_path / "churn"
    shutil.copytree(REPO, repo)
    interrupted_run(repo, "m1", stop=20)
    shutil.rmtree(repo)
    assert cli("run", "--resume", "m1") == (2, f"error: {repo}: the run's repository is gone\n")


def test_a_new_run_on_an_interrupted_thread_is_refused(cli: Any) -> None:
    interrupted_run(REPO, "m1", stop=20)
    code, stderr = cli("run", "-r", REQUEST, "--repo", REPO, "--thread", "m1")
    assert (code, stderr) == (
        2,
        "error: thread 'm1' holds an interrupted run: resume it, or give another thread id\n",
    )
    assert cli("run", "--resume", "m1") == (0, "")


def test_resume_of_a_run_waiting_for_approval(cli: Any, tmp_path: Path) -> None:
    topology = (packaged_path("graphs") / "default.yaml").read_text(encoding="utf-8")
    graph = tmp_path / "approval.yaml"
    graph.write_text(topology + "approval: [devops_engineer]\n", encoding="utf-8")
    run = ("run", "-r", REQUEST, "--repo", REPO, "--graph", graph, "--thread", "a1")
    assert cli(*run) == (1, "")
    assert cli("run", "--resume", "a1", "--graph", graph) == (
        2,
        "error: run 'a1' waits for a handoff approval: approve or reject it\n",
    )


def test_ctrl_c_before_anything_is_saved_says_so(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_run(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "run", no_run)
    code, stderr = cli("run", "-r", REQUEST, "--thread", "early")
    assert (code, stderr) == (
        130,
        "error: interrupted before thread early was saved: nothing to resume\n",
    )
