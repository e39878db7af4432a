"""The engine from a chat app's seat: what each turn says, approvals, paused threads."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.types import Command

from team.engine import Engine
from team.errors import TeamError
from team.testing import ScriptedModel, handoff, reply
from team.topology import Team

FIRST = "Train a churn model and expose it behind a REST API"
SECOND = "Now add data quality checks to the ETL feeding it"
THIRD = "Plan the launch with the stakeholders: scope, timeline and success criteria"


def approval_team(default_team, roles=("devops_engineer",)):
    topology = default_team.topology.model_copy(update={"approval": tuple(roles)})
    return Team.from_cards(list(default_team.cards.values()), topology)


def spoke(result) -> list[str]:
    return [e.role for e in result.events if e.kind == "role"]


def test_each_turn_holds_only_its_own_work(default_team):
    engine = Engine(default_team)
    first = engine.chat(FIRST, thread_id="u1")
    second = engine.chat(SECOND, thread_id="u1")
    third = engine.chat(THIRD, thread_id="u1")

    assert first.visited == ["ml_engineer", "backend_architect"]
    assert first.text.startswith("## Backend Architect: deliverable")

    assert (second.role, second.visited, spoke(second)) == (
        "data_engineer",
        ["data_engineer"],
        ["data_engineer"],
    )
    assert second.text.startswith("## Data Engineer: deliverable")
    assert f"**Request:** {SECOND}" in second.text
    assert "Backend Architect" not in second.text and FIRST not in second.text
    assert list(second.deliverables) == ["data_engineer"]
    assert second.handoffs == [] and second.turns == [SECOND]

    assert third.role == "pm" and spoke(third) == ["pm"]
    assert third.text.startswith("## PM: deliverable") and f"**Request:** {THIRD}" in third.text
    assert list(third.deliverables) == ["pm"]
    assert all(e.role == "pm" for e in third.events if e.kind == "deliverable")


def test_stream_and_astream_second_turn_events(default_team):
    engine = Engine(default_team)
    list(engine.stream(FIRST, thread_id="s"))
    events = list(engine.stream(SECOND, thread_id="s"))
    kinds = [e.kind for e in events]
    assert kinds[0] == "triage" and kinds[-1] == "done"
    assert {e.role for e in events if e.kind in ("role", "deliverable", "token")} == {
        "data_engineer"
    }
    tokens = "".join(e.text for e in events if e.kind == "token")
    deliverable = next(e.text for e in events if e.kind == "deliverable")
    assert tokens.strip() == deliverable and deliverable.startswith("## Data Engineer")

    async def go():
        await engine.achat(FIRST, thread_id="as")
        return [e async for e in engine.astream(SECOND, thread_id="as")]

    async_events = asyncio.run(go())
    assert [(e.kind, e.role) for e in async_events if e.kind != "token"] == [
        (e.kind, e.role) for e in events if e.kind != "token"
    ]


def test_chat_remembers_the_active_role_across_turns(default_team):
    engine = Engine(default_team)
    first = engine.chat("Train a churn model on last year's customers", thread_id="a")
    assert (first.role, first.outcome, first.handoffs) == ("ml_engineer", "done", [])
    second = engine.chat("ok, what would you do next?", thread_id="a")
    assert second.role == "ml_engineer" and "what would you do next" in second.text
    other = engine.chat("Our nightly Airflow DAG keeps failing", thread_id="b")
    assert other.role == "data_engineer"


def test_async_twins(default_team):
    engine = Engine(default_team)

    async def go():
        first = await engine.achat("Set up a CI/CD pipeline with GitHub Actions", thread_id="x")
        events = [e async for e in engine.astream("and add a canary deployment", thread_id="x")]
        return first, events

    first, events = asyncio.run(go())
    assert first.role == "devops_engineer" and first.outcome == "done"
    assert events[-1].kind == "done" and any(e.kind == "token" for e in events)
    said = next(e.text for e in events if e.kind == "deliverable")
    assert "canary deployment" in said and "GitHub Actions" not in said.split("\n")[2]


def test_compiled_graph_is_a_usable_subgraph(default_team):
    from langgraph.graph import START, StateGraph

    from team.state import TeamState

    outer = StateGraph(TeamState)
    outer.add_node("team", Engine(default_team).graph)
    outer.add_edge(START, "team")
    state = outer.compile().invoke(
        {"messages": [("user", "Profile why p99 latency doubled")]},
        {"configurable": {"thread_id": "outer"}},
    )
    assert state["visited"] == ["performance_engineer"]


def test_handoff_waits_for_approval_then_continues(default_team):
    ml = ScriptedModel(
        [
            reply(
                "Need GPUs.", handoff("devops_engineer", "provision GPU nodes", "ML infrastructure")
            )
        ]
    )
    devops = ScriptedModel([reply("GPU node pool planned.")])
    engine = Engine(
        approval_team(default_team), model={"ml_engineer": ml, "devops_engineer": devops}
    )
    paused = engine.chat("Train a model", thread_id="ap")
    assert paused.outcome == "pending"
    assert paused.pending == {
        "type": "approval",
        "source": "ml_engineer",
        "target": "devops_engineer",
        "criterion": "ML infrastructure",
        "reason": "provision GPU nodes",
        "message": "Waiting for approval: handoff ml_engineer -> devops_engineer "
        "(ML infrastructure). Approve or reject it to continue.",
    }
    assert paused.text == "Need GPUs." and devops.calls == []
    done = engine.approve("ap")
    assert (done.outcome, done.role, done.text) == (
        "done",
        "devops_engineer",
        "GPU node pool planned.",
    )
    assert [e.kind for e in done.events if e.kind in ("approval", "handoff")] == [
        "approval",
        "handoff",
    ]
    assert "Need GPUs." not in [e.text for e in done.events]  # shown once, with the paused turn
    ml.assert_complete()
    devops.assert_complete()
    with pytest.raises(TeamError, match="has no handoff waiting for approval"):
        engine.approve("ap")


def test_paused_thread_state_shows_the_conversation(default_team):
    ml = ScriptedModel([reply("Need GPUs.", handoff("devops_engineer", "GPU nodes", "ML infra"))])
    engine = Engine(approval_team(default_team), model={"ml_engineer": ml})
    engine.chat("Train a model", thread_id="st")
    state = engine.graph.get_state(engine.config("st"))
    said = [(m.type, m.name, m.content) for m in state.values["messages"]]
    assert said == [("human", None, "Train a model"), ("ai", "ml_engineer", "Need GPUs.")]
    assert state.values["pending"]["target"] == "devops_engineer"


def test_a_message_for_a_paused_thread_is_refused_not_dropped(default_team):
    ml = ScriptedModel([reply("Need GPUs.", handoff("devops_engineer", "GPU nodes", "ML infra"))])
    devops = ScriptedModel([reply("Planned.")])
    engine = Engine(
        approval_team(default_team), model={"ml_engineer": ml, "devops_engineer": devops}
    )
    engine.chat("Train a model", thread_id="pz")
    with pytest.raises(
        TeamError,
        match=r"thread 'pz' is paused. Waiting for approval: handoff ml_engineer -> devops_engineer",
    ):
        engine.chat("and what about costs?", thread_id="pz")
    # The graph itself (as LangGraph Server runs it): the message is not run, the handoff waits.
    config = engine.config("pz")
    engine.graph.invoke({"messages": [("user", "hello?")]}, config)
    state = engine.graph.get_state(config)
    assert state.interrupts and state.interrupts[0].value["target"] == "devops_engineer"
    assert "hello?" not in [m.content for m in state.values["messages"]]
    # What a LangGraph UI shows: the interrupt itself says the message was not run, and why.
    assert state.interrupts[0].value["message"] == (
        "Waiting for approval: handoff ml_engineer -> devops_engineer (ML infra). "
        'Approve or reject it to continue. Your new message was not run: "hello?". '
        "Send it again after the decision."
    )
    engine.graph.invoke(Command(resume={"approve": True}), config)
    assert engine.graph.get_state(config).values["active"] == "devops_engineer"
    devops.assert_complete()


def test_rejected_handoff_is_not_offered_again_in_that_turn(default_team):
    ml = ScriptedModel(
        [
            reply("", handoff("devops_engineer", "provision GPU nodes", "ML infrastructure")),
            reply("", handoff("devops_engineer", "really, GPU nodes", "ML infrastructure")),
            reply("Fine: we train on CPU first."),
        ]
    )
    engine = Engine(approval_team(default_team), model={"ml_engineer": ml})
    assert engine.chat("Train a model", thread_id="rj").outcome == "pending"
    assert "transfer_to_devops_engineer" in ml.tools
    done = engine.reject("rj", note="no budget this quarter")
    assert (done.outcome, done.role, done.text) == (
        "done",
        "ml_engineer",
        "Fine: we train on CPU first.",
    )
    assert "transfer_to_devops_engineer" not in ml.tools
    rejection = ml.calls[1][-1]
    assert isinstance(rejection, ToolMessage)
    assert rejection.content == (
        "Handoff to devops_engineer rejected by a human reviewer: no budget this quarter"
    )
    refused = ml.calls[2][-1]
    assert refused.content.startswith("error: a human rejected the handoff to devops_engineer")
    assert [e.data["approved"] for e in done.events if e.kind == "approval"] == [False]
    ml.assert_complete()


def test_offline_role_goes_on_after_a_rejection(default_team):
    engine = Engine(approval_team(default_team, ("backend_architect",)))
    paused = engine.chat(FIRST, thread_id="off")
    assert paused.outcome == "pending" and paused.pending["target"] == "backend_architect"
    after = engine.reject("off", note="the API waits until next quarter")
    assert after.outcome == "done" and after.pending is None
    assert "backend_architect" not in after.visited
    assert all(h["target"] != "backend_architect" for h in after.handoffs)
    # The ML Engineer answers the whole request itself and says why the API part stayed.
    assert after.text.startswith("## ML Engineer: deliverable")
    assert '**Addressed here:** "Train a churn model"; "expose it behind a REST API"' in after.text
    assert (
        "**Not handed over:** a human rejected the handoff to the Backend Architect: "
        "the API waits until next quarter"
    ) in after.text


def test_empty_request_on_the_graph_runs_no_role(default_team):
    graph = Engine(default_team).graph
    state = graph.invoke({"messages": []}, {"configurable": {"thread_id": "empty"}})
    assert state["outcome"] == "error" and "empty request" in state["note"]
    assert not state.get("visited")
    assert isinstance(state["messages"][-1], AIMessage)


def test_chat_input_errors(default_team):
    engine = Engine(default_team)
    with pytest.raises(TeamError, match="empty message"):
        engine.chat("  ", thread_id="e")
    with pytest.raises(TeamError, match="thread_id must be a non-empty string"):
        engine.chat("hi", thread_id="")
    with pytest.raises(TeamError, match="repository path does not exist"):
        Engine(default_team, repo="/no/such/dir")


def test_a_thread_past_its_size_limit_takes_no_more_turns(default_team):
    limits = default_team.topology.limits.model_copy(update={"max_thread_chars": 10_000})
    topology = default_team.topology.model_copy(update={"limits": limits})
    engine = Engine(Team.from_cards(list(default_team.cards.values()), topology))
    first = engine.chat(
        "Write user stories for saved searches. " + "Context. " * 1200, thread_id="big"
    )
    assert first.outcome == "done"
    before = engine.graph.get_state(engine.config("big")).values["messages"]
    with pytest.raises(
        TeamError,
        match=r"thread 'big' holds \d+ characters of conversation; "
        r"the limit is 10000 \(limits.max_thread_chars\)",
    ):
        engine.chat("and the acceptance criteria?", thread_id="big")
    assert engine.graph.get_state(engine.config("big")).values["messages"] == before  # kept
    assert engine.chat("and the acceptance criteria?", thread_id="fresh").outcome == "done"
