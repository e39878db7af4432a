from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from test_runtime import REQUEST, assert_valid_history

from team.context import PACKET_HEADER, view
from team.engine import run_team
from team.testing import ScriptedModel, handoff, reply, tool_call
from team.topology import ContextSettings, Team


def team_with_context(default_team, **settings):
    topology = default_team.topology.model_copy(update={"context": ContextSettings(**settings)})
    return Team.from_cards(list(default_team.cards.values()), topology)


def transcript():
    return [
        HumanMessage("first question", id="h1"),
        AIMessage("first answer", name="pm", id="a0"),
        HumanMessage("Train a model and plan it", id="h2"),
        AIMessage(
            "", name="ml_engineer", tool_calls=[tool_call("grep", "c1", pattern="fit")], id="a1"
        ),
        ToolMessage("train.py:1: fit", tool_call_id="c1", name="grep", id="t1"),
        AIMessage(
            "ML plan",
            name="ml_engineer",
            tool_calls=[handoff("pm", "timeline", "scope", "c2")],
            id="a2",
        ),
        ToolMessage("Transferred to pm.", tool_call_id="c2", name="transfer_to_pm", id="t2"),
        AIMessage("", name="pm", tool_calls=[tool_call("glob", "c3", pattern="*")], id="a3"),
        ToolMessage("train.py", tool_call_id="c3", name="glob", id="t3"),
    ]


HANDOFFS = [
    {
        "source": "ml_engineer",
        "target": "pm",
        "criterion": "scope",
        "reason": "timeline",
        "step": 1,
        "turn": 2,
    }
]


def test_packet_view_is_small_and_keeps_pairs():
    shown = view(
        transcript(),
        role="pm",
        policy="packet",
        handoffs=HANDOFFS,
        deliverables={"ml_engineer": "ML plan"},
        turn=2,
    )
    kinds = [(m.type, (m.content[:16] if isinstance(m.content, str) else "")) for m in shown]
    assert kinds == [
        ("human", "first question"),
        ("ai", "first answer"),
        ("human", "Train a model an"),
        ("human", PACKET_HEADER),
        ("ai", ""),
        ("tool", "train.py"),
    ]
    packet = shown[3].content
    assert "From: ml_engineer\nCriterion: scope\nReason: timeline" in packet
    assert "### ml_engineer\nML plan" in packet
    assert_valid_history(shown)


def test_summary_view_adds_a_safe_tail():
    # The tail would start at a tool result; it widens to the call that result answers.
    for last_n, tail in ((3, ["a1", "t1", "a2", "t2"]), (1, ["a2", "t2"])):
        shown = view(
            transcript(),
            role="pm",
            policy="summary",
            handoffs=HANDOFFS,
            deliverables={},
            turn=2,
            last_n=last_n,
        )
        assert [m.id for m in shown] == ["h1", None, "h2", *tail, None, "a3", "t3"]
        assert shown[-3].content.startswith(PACKET_HEADER)
        assert_valid_history(shown)


def test_full_view_and_triage_pick_see_everything():
    messages = transcript()
    assert (
        view(messages, role="pm", policy="full", handoffs=HANDOFFS, deliverables={}, turn=2)
        == messages
    )
    shown = view(
        messages, role="ml_engineer", policy="packet", handoffs=HANDOFFS, deliverables={}, turn=2
    )
    assert [m.id for m in shown] == ["h1", None, "h2", "a1", "t1", "a2", "t2", "a3", "t3"]


@pytest.mark.parametrize("policy", ["full", "summary", "packet"])
def test_offline_team_takes_the_same_path_under_every_policy(default_team, policy):
    result = run_team(team_with_context(default_team, policy=policy), REQUEST)
    assert result.visited == ["ml_engineer", "backend_architect", "pm"]


def test_policy_per_edge(default_team):
    team = team_with_context(default_team, policy="packet", edges={"ml_engineer->pm": "full"})
    ml = ScriptedModel(
        [reply("", tool_call("glob", pattern="*")), reply("Plan.", handoff("pm", "dates", "scope"))]
    )
    pm = ScriptedModel([reply("Agreed.")])
    run_team(team, "Train a model", repo=".", model={"ml_engineer": ml, "pm": pm})
    assert [m.type for m in pm.calls[0]] == ["system", "human", "ai", "tool", "ai", "tool"]
    packet_team = team_with_context(default_team, policy="packet")
    ml2 = ScriptedModel(
        [reply("", tool_call("glob", pattern="*")), reply("Plan.", handoff("pm", "dates", "scope"))]
    )
    pm2 = ScriptedModel([reply("Agreed.")])
    run_team(packet_team, "Train a model", repo=".", model={"ml_engineer": ml2, "pm": pm2})
    assert [m.type for m in pm2.calls[0]] == ["system", "human", "human"]
    assert pm2.calls[0][2].content.startswith(PACKET_HEADER)
