from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import ToolMessage

from team.errors import TeamError
from team.testing import ScriptedModel, handoff, reply
from team.topology import Team


def approval_team(default_team, roles=("devops_engineer",)):
    topology = default_team.topology.model_copy(update={"approval": tuple(roles)})
    return Team.from_cards(list(default_team.cards.values()), topology)


def test_chat_remembers_the_active_role_across_turns(default_team):
    team = Team.from_cards(list(default_team.cards.values()), default_team.topology)
    first = team.chat("Train a churn model on last year's customers", thread_id="a")
    assert (first.role, first.outcome, first.handoffs) == ("ml_engineer", "done", [])
    assert first.text.startswith("## ML Engineer: deliverable")
    second = team.chat("ok, what would you do next?", thread_id="a")
    assert second.role == "ml_engineer"
    other = team.chat("Our nightly Airflow DAG keeps failing", thread_id="b")
    assert other.role == "data_engineer"


def test_stream_yields_typed_events_with_tokens(default_team):
    team = Team.from_cards(list(default_team.cards.values()), default_team.topology)
    events = list(team.stream("Train a churn model and expose it behind a REST API", thread_id="s"))
    kinds = [e.kind for e in events]
    assert kinds[0] == "triage" and kinds[-1] == "done"
    assert {"role", "token", "deliverable", "handoff"} <= set(kinds)
    tokens = "".join(e.text for e in events if e.kind == "token" and e.role == "ml_engineer")
    deliverable = next(
        e.text for e in events if e.kind == "deliverable" and e.role == "ml_engineer"
    )
    assert tokens.strip() == deliverable
    assert events[-1].data == {"outcome": "done"}


def test_async_twins(default_team):
    team = Team.from_cards(list(default_team.cards.values()), default_team.topology)

    async def go():
        reply_ = await team.achat("Set up a CI/CD pipeline with GitHub Actions", thread_id="x")
        events = [e async for e in team.astream("and add a canary deployment", thread_id="x")]
        return reply_, events

    reply_, events = asyncio.run(go())
    assert reply_.role == "devops_engineer" and reply_.outcome == "done"
    assert events[-1].kind == "done" and any(e.kind == "token" for e in events)


def test_compiled_graph_is_a_usable_subgraph(default_team):
    from langgraph.graph import START, StateGraph

    from team.state import TeamState

    outer = StateGraph(TeamState)
    outer.add_node("team", default_team.compile())
    outer.add_edge(START, "team")
    state = outer.compile().invoke({"messages": [("user", "Profile why p99 latency doubled")]})
    assert state["visited"] == ["performance_engineer"]


def test_handoff_waits_for_approval_then_continues(default_team):
    team = approval_team(default_team)
    ml = ScriptedModel(
        [
            reply(
                "Need GPUs.", handoff("devops_engineer", "provision GPU nodes", "ML infrastructure")
            )
        ]
    )
    devops = ScriptedModel([reply("GPU node pool planned.")])
    models = {"ml_engineer": ml, "devops_engineer": devops}
    paused = team.chat("Train a model", thread_id="ap", model=models)
    assert paused.outcome == "pending"
    assert paused.pending == {
        "type": "approval",
        "source": "ml_engineer",
        "target": "devops_engineer",
        "criterion": "ML infrastructure",
        "reason": "provision GPU nodes",
    }
    assert devops.calls == []
    done = team.approve("ap", model=models)
    assert (done.outcome, done.role, done.text) == (
        "done",
        "devops_engineer",
        "GPU node pool planned.",
    )
    ml.assert_complete()
    devops.assert_complete()
    with pytest.raises(TeamError, match="has no handoff waiting for approval"):
        team.approve("ap", model=models)


def test_rejected_handoff_is_a_tool_result_the_role_can_act_on(default_team):
    team = approval_team(default_team)
    ml = ScriptedModel(
        [
            reply("", handoff("devops_engineer", "provision GPU nodes", "ML infrastructure")),
            reply("Fine: we train on CPU first."),
        ]
    )
    models = {"ml_engineer": ml}
    assert team.chat("Train a model", thread_id="rj", model=models).outcome == "pending"
    done = team.reject("rj", note="no budget this quarter", model=models)
    assert (done.outcome, done.role, done.text) == (
        "done",
        "ml_engineer",
        "Fine: we train on CPU first.",
    )
    seen = ml.calls[1][-1]
    assert isinstance(seen, ToolMessage)
    assert (
        seen.content
        == "Handoff to devops_engineer rejected by a human reviewer: no budget this quarter"
    )


def test_chat_input_errors(default_team):
    with pytest.raises(TeamError, match="empty message"):
        default_team.chat("  ", thread_id="e")
    with pytest.raises(TeamError, match="thread_id must be a non-empty string"):
        default_team.chat("hi", thread_id="")
    with pytest.raises(TeamError, match="repository path does not exist"):
        default_team.chat("hi", thread_id="e", repo="/no/such/dir")
