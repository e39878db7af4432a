"""Per-transition overhead of a team run against a bare LangGraph graph.

Both graphs make the same transitions (triage, then four roles joined by three handoffs) with the
same scripted replies, checkpointed in memory. Two comparisons, each side built the same way:
graphs compiled once and reused (what a server does), and a whole run that builds its graph
(what ``team run`` does in-process). Runs are interleaved in one process and the medians
compared, so machine noise hits both sides alike. Prints the ratios team/bare, in wall-clock time
and in CPU time (every thread of this process: a busy machine's waits for a core left out).

    python bench/overhead.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import statistics
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command

from team.engine import run_team
from team.graph import build_graph
from team.testing import ScriptedModel, handoff, reply
from team.topology import Team

CHAIN = ["ml_engineer", "data_engineer", "backend_architect", "pm"]


@functools.cache
def _conditions() -> dict[tuple[str, str], str]:
    edges = Team.load().graph.edges
    return {(a, b): edges[a, b]["condition"] for a, b in itertools.pairwise(CHAIN)}


def script() -> dict[str, list[AIMessage]]:
    """Each role hands on along its card's edge, citing that edge's own condition (a handoff
    whose criterion does not fit its reason is refused, as it would be for a real model)."""
    steps = {}
    for role, nxt in itertools.pairwise(CHAIN):
        condition = _conditions()[role, nxt]
        steps[role] = [
            reply(f"{role} part.", handoff(nxt, f"The work needs: {condition}", condition))
        ]
    steps[CHAIN[-1]] = [reply("Done.")]
    return steps


Times = tuple[float, float]
"""Seconds of a run: wall clock, CPU."""


def _now() -> Times:
    return time.perf_counter(), time.process_time()


def _since(start: Times) -> Times:
    wall, cpu = _now()
    return wall - start[0], cpu - start[1]


def run_prebuilt(team: Team, graph: Any, models: dict[str, ScriptedModel], index: int) -> Times:
    """A team run on a graph compiled once (how a server runs it): transitions only."""
    start = _now()
    result = run_team(team, "Train a churn model", graph=graph, thread_id=f"t{index}")
    elapsed = _since(start)
    assert result.visited == CHAIN, result.visited
    return elapsed


def run_teamgraph(team: Team) -> Times:
    models = {role: ScriptedModel(steps) for role, steps in script().items()}
    start = _now()
    result = run_team(team, "Train a churn model", model=models)
    elapsed = _since(start)
    assert result.visited == CHAIN, result.visited
    return elapsed


def bare_graph(models: dict[str, ScriptedModel]) -> Any:
    """The same transitions as plain LangGraph: a triage node and one node per role."""

    def node(role: str, nxt: str | None) -> Any:
        def call(state: MessagesState) -> Command:
            answer = models[role].invoke(state["messages"])
            if nxt is None:
                return Command(goto=END, update={"messages": [answer]})
            result = ToolMessage("Transferred.", tool_call_id=answer.tool_calls[0]["id"])
            return Command(goto=nxt, update={"messages": [answer, result]})

        return call

    builder = StateGraph(MessagesState)
    builder.add_node("triage", lambda state: Command(goto=CHAIN[0]), destinations=(CHAIN[0],))
    builder.add_edge(START, "triage")
    for index, role in enumerate(CHAIN):
        nxt = CHAIN[index + 1] if index + 1 < len(CHAIN) else None
        builder.add_node(role, node(role, nxt), destinations=(nxt,) if nxt else ())
    return builder.compile(checkpointer=InMemorySaver())


def run_bare(graph: Any = None, index: int = 0) -> Times:
    """Run the bare graph: built for this run (like ``team run``), or the prebuilt ``graph``."""
    start = _now()
    if graph is None:
        graph = bare_graph({role: ScriptedModel(steps) for role, steps in script().items()})
    config = {"configurable": {"thread_id": f"bare{index}"}}
    state = graph.invoke({"messages": [HumanMessage("Train a churn model")]}, config)
    elapsed = _since(start)
    assert len(state["messages"]) == 1 + 2 * 3 + 1
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    team = Team.load()
    run_teamgraph(team), run_bare()  # warm up imports and caches
    models = {role: ScriptedModel(steps * (args.rounds + 1)) for role, steps in script().items()}
    prebuilt = build_graph(
        team, model=lambda role: models.get(role, models["pm"]), checkpointer=InMemorySaver()
    )
    bare_models = {
        role: ScriptedModel(steps * (args.rounds + 1)) for role, steps in script().items()
    }
    bare_prebuilt = bare_graph(bare_models)
    ours, steady, bare, bare_steady = [], [], [], []
    for index in range(args.rounds):
        ours.append(run_teamgraph(team))
        steady.append(run_prebuilt(team, prebuilt, models, index))
        bare.append(run_bare())
        bare_steady.append(run_bare(bare_prebuilt, index))
    transitions = 1 + len(CHAIN)
    print(
        f"transitions per run: {transitions} (triage + {len(CHAIN)} roles, {len(CHAIN) - 1} handoffs)"
    )
    for clock, title in ((0, "wall clock"), (1, "CPU time")):
        o, s = _median(ours, clock), _median(steady, clock)
        b, bs = _median(bare, clock), _median(bare_steady, clock)
        print(f"{title}:")
        for label, value in (
            ("team, prebuilt graph", s),
            ("bare, prebuilt graph", bs),
            ("team run, graph built", o),
            ("bare run, graph built", b),
        ):
            print(
                f"{label:22} median {value * 1e3:7.2f} ms ({value / transitions * 1e3:.2f} ms/transition)"
            )
        print(f"ratio team/bare, prebuilt graphs (per transition): {s / bs:.2f}x")
        print(f"ratio team/bare, whole run building its graph:     {o / b:.2f}x")


def _median(runs: list[Times], clock: int) -> float:
    return statistics.median(run[clock] for run in runs)


if __name__ == "__main__":
    main()
