"""Per-transition overhead of a team run against a bare LangGraph graph.

Both graphs make the same transitions (triage, then four roles joined by three handoffs) with the
same scripted replies. Runs are interleaved in one process and the medians compared, so machine
noise hits both sides alike. Prints the ratio team/bare.

    python bench/overhead.py [--rounds 30]
"""

from __future__ import annotations

import argparse
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


def script() -> dict[str, list[AIMessage]]:
    steps = {
        role: [reply(f"{role} part.", handoff(nxt, f"{nxt} needed", "criterion"))]
        for role, nxt in itertools.pairwise(CHAIN)
    }
    steps[CHAIN[-1]] = [reply("Done.")]
    return steps


def run_prebuilt(team: Team, graph: Any, models: dict[str, ScriptedModel], index: int) -> float:
    """A team run on a graph compiled once (how a server runs it): transitions only."""
    start = time.perf_counter()
    result = run_team(team, "Train a churn model", graph=graph, thread_id=f"t{index}")
    elapsed = time.perf_counter() - start
    assert result.visited == CHAIN, result.visited
    return elapsed


def run_teamgraph(team: Team) -> float:
    models = {role: ScriptedModel(steps) for role, steps in script().items()}
    start = time.perf_counter()
    result = run_team(team, "Train a churn model", model=models)
    elapsed = time.perf_counter() - start
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


def run_bare() -> float:
    """Build and run the bare graph (the team run builds its graph too), checkpointed like a team run."""
    models = {role: ScriptedModel(steps) for role, steps in script().items()}
    start = time.perf_counter()
    config = {"configurable": {"thread_id": "bare"}}
    state = bare_graph(models).invoke({"messages": [HumanMessage("Train a churn model")]}, config)
    elapsed = time.perf_counter() - start
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
    ours, steady, bare = [], [], []
    for index in range(args.rounds):
        ours.append(run_teamgraph(team))
        steady.append(run_prebuilt(team, prebuilt, models, index))
        bare.append(run_bare())
    transitions = 1 + len(CHAIN)
    o, s, b = statistics.median(ours), statistics.median(steady), statistics.median(bare)
    print(
        f"transitions per run: {transitions} (triage + {len(CHAIN)} roles, {len(CHAIN) - 1} handoffs)"
    )
    print(f"team run   median {o * 1e3:8.2f} ms  ({o / transitions * 1e3:.2f} ms per transition)")
    print(
        f"team run on a prebuilt graph {s * 1e3:8.2f} ms  ({s / transitions * 1e3:.2f} ms per transition)"
    )
    print(f"bare graph median {b * 1e3:8.2f} ms  ({b / transitions * 1e3:.2f} ms per transition)")
    print(
        f"ratio team/bare, prebuilt graph: {s / b:.2f}x  (per transition: role subgraphs, prompts, events)"
    )
    print(f"ratio team/bare, building the graph each run: {o / b:.2f}x")


if __name__ == "__main__":
    main()
