from __future__ import annotations

import json
import logging
import re
import sqlite3
import warnings
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage, messages_from_dict

from team.engine import run_team
from team.errors import TeamError
from team.graph import build_graph
from team.models.offline import OfflineModel
from team.testing import ScriptedModel, handoff, reply, tool_call
from team.topology import Team, Topology

SNAPSHOTS = Path(__file__).parent / "snapshots"
REQUEST = (
    "Train a churn prediction model on our customer data and expose it behind a REST API. "
    "Also we need to agree the launch timeline with stakeholders."
)


def assert_valid_history(messages):
    """Every tool call is answered right after its message; no empty text message is stored."""
    pending: list[str] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            assert message.tool_call_id in pending, message
            pending.remove(message.tool_call_id)
            continue
        assert not pending, f"unanswered tool calls {pending} before {message!r}"
        if isinstance(message, AIMessage):
            assert message.content or message.tool_calls, "empty AI message stored"
            pending = [c["id"] for c in message.tool_calls]
        else:
            assert message.content, "empty message stored"
    assert not pending


def history(result):
    return messages_from_dict(result.messages)


def team_with(default_team, **limits):
    topology = default_team.topology.model_copy(
        update={"limits": default_team.topology.limits.model_copy(update=limits)}
    )
    return Team.from_cards(list(default_team.cards.values()), topology)


def test_mermaid_shows_exactly_the_card_edges(default_team):
    graph = build_graph(default_team, model=OfflineModel(cards=default_team.cards))
    mermaid = graph.get_graph().draw_mermaid()
    assert mermaid == (SNAPSHOTS / "team_graph.mmd").read_text()
    drawn = set(re.findall(r"^\t(\w+) -\.-> (\w+);$", mermaid, re.M))
    plumbing = {"triage", "tools", "__end__"}
    roles = {(a, b) for a, b in drawn if a not in plumbing and b not in plumbing}
    assert roles == set(default_team.graph.edges)
    # Every role reaches the tools node and back, and may end the turn.
    assert {(r, "tools") for r in default_team.cards} <= drawn
    assert {("tools", r) for r in default_team.cards} <= drawn
    assert {(r, "__end__") for r in default_team.cards} <= drawn
    assert {b for a, b in drawn if a == "triage"} == set(default_team.cards)


def test_offline_run_hands_off_by_criteria(default_team):
    result = run_team(default_team, REQUEST)
    assert result.outcome == "done"
    assert result.visited == ["ml_engineer", "backend_architect", "pm"]
    first, second = result.handoffs
    assert (
        first["criterion"]
        == default_team.cards["ml_engineer"].handoff_to("backend_architect").condition
    )
    assert '"expose it behind a REST API"' in first["reason"]
    assert second["source"] == "backend_architect" and second["target"] == "pm"
    assert "stakeholders" in second["reason"]
    assert set(result.deliverables) == {"ml_engineer", "backend_architect", "pm"}
    # No repository: no workflow step has evidence, so none is shown (left out, never filled
    # with a quote of the request); the deliverable still says what it addressed.
    ml = result.deliverables["ml_engineer"]
    assert "### Workflow" not in ml and "applies to" not in ml
    assert '**Addressed here:** "Train a churn prediction model on our customer data"' in ml
    assert_valid_history(history(result))


def test_offline_run_is_byte_for_byte_reproducible(default_team):
    first, second = run_team(default_team, REQUEST), run_team(default_team, REQUEST)
    assert first.to_json(timings=False) == second.to_json(timings=False)
    assert first.usage.keys() == {"ml_engineer", "backend_architect", "pm"}
    assert first.usage["ml_engineer"]["calls"] == 1


def test_offline_model_keeps_tool_calls_when_streamed(default_team):
    graph = build_graph(default_team, model=OfflineModel(cards=default_team.cards))
    config = {"configurable": {"thread_id": "s"}, "recursion_limit": 50}
    tokens = list(
        graph.stream({"messages": [HumanMessage(REQUEST)]}, config, stream_mode="messages")
    )
    assert tokens
    streamed = graph.invoke({"messages": [HumanMessage(REQUEST)]}, {"recursion_limit": 50})
    assert streamed["visited"] == ["ml_engineer", "backend_architect", "pm"]


def _without_edge(team, source: str, target: str):
    """`team` with one handoff criterion cut from `source`'s card: the default cards reach every
    role from every other, so a refused handoff needs a team whose cards do not."""
    from team.topology import Team

    card = team.cards[source]
    cut = card.model_copy(
        update={"handoffs": tuple(h for h in card.handoffs if h.target_id != target)}
    )
    return Team.from_cards(
        [cut if c.id == source else c for c in team.cards.values()], team.topology
    )


def test_illegal_handoff_is_refused_and_the_model_may_retry(default_team):
    team = _without_edge(default_team, "devops_engineer", "ml_engineer")
    ml = ScriptedModel(
        [reply("GPUs needed.", handoff("devops_engineer", "provision a GPU cluster"))], label="ml"
    )
    devops = ScriptedModel(
        [reply("", handoff("ml_engineer", "back to you")), reply("Cluster plan written.")],
        label="devops",
    )
    result = run_team(team, "Train a model", model={"ml_engineer": ml, "devops_engineer": devops})
    ml.assert_complete()
    devops.assert_complete()
    assert result.visited == ["ml_engineer", "devops_engineer"]
    refusal = [
        m
        for m in history(result)
        if isinstance(m, ToolMessage) and m.name == "transfer_to_ml_engineer"
    ]
    assert refusal[0].content == (
        "error: devops_engineer cannot hand off to 'ml_engineer'; allowed targets: "
        "performance_engineer, data_engineer, backend_architect, system_architect, pm"
    )
    retry_input = devops.calls[1]
    assert isinstance(retry_input[-1], ToolMessage) and retry_input[-1].content.startswith("error:")
    assert_valid_history(history(result))


def test_two_handoffs_in_one_turn_first_legal_wins(default_team):
    ml = ScriptedModel(
        [
            reply(
                "",
                handoff("nobody", "x"),
                handoff("pm", "scope", "stakeholders"),
                handoff("data_engineer", "etl"),
            )
        ]
    )
    pm = ScriptedModel([reply("Scope agreed.")])
    result = run_team(default_team, "Train a model", model={"ml_engineer": ml, "pm": pm})
    assert result.visited == ["ml_engineer", "pm"]
    answers = {m.name: m.content for m in history(result) if isinstance(m, ToolMessage)}
    assert answers == {
        "transfer_to_nobody": "Not run: this turn handed off to pm.",
        "transfer_to_pm": "Transferred to pm.",
        "transfer_to_data_engineer": "Not run: this turn handed off to pm.",
    }
    assert result.handoffs[0]["criterion"] == "stakeholders"
    assert_valid_history(history(result))


def test_repo_tool_and_handoff_in_one_turn(default_team, tmp_path):
    (tmp_path / "train.py").write_text("model.fit(X, y)\n")
    ml = ScriptedModel(
        [
            reply("", tool_call("grep", pattern="fit")),
            reply(
                "Found training.",
                tool_call("glob", pattern="*.py"),
                handoff("pm", "timeline", "scope"),
            ),
        ]
    )
    pm = ScriptedModel([reply("Timeline set.")])
    result = run_team(
        default_team, "Train a model", repo=tmp_path, model={"ml_engineer": ml, "pm": pm}
    )
    messages = history(result)
    grep_result = next(m for m in messages if isinstance(m, ToolMessage) and m.name == "grep")
    assert "train.py:1:" in grep_result.content
    glob_result = next(m for m in messages if isinstance(m, ToolMessage) and m.name == "glob")
    assert glob_result.content == "Not run: this turn handed off to pm."
    assert ml.calls[1][-1].name == "grep"
    assert result.visited == ["ml_engineer", "pm"]
    assert_valid_history(messages)


def test_unknown_tool_and_bad_arguments_are_tool_errors(default_team, tmp_path):
    ml = ScriptedModel(
        [
            reply("", tool_call("shell", cmd="rm -rf /"), tool_call("read_file", start_line=3)),
            reply("Done."),
        ]
    )
    result = run_team(default_team, "Train a model", repo=tmp_path, model={"ml_engineer": ml})
    answers = [m.content for m in history(result) if isinstance(m, ToolMessage)]
    assert answers[0].startswith(
        "error: unknown tool 'shell'; available tools: glob, read_file, grep, analyze"
    )
    assert answers[1].startswith("error:") and "path" in answers[1]
    assert result.outcome == "done"


def test_ping_pong_ends_the_run_with_outcome_loop(default_team):
    ml = ScriptedModel(
        [
            reply("", handoff("data_engineer", "etl")),
            reply("", handoff("data_engineer", "etl again")),
        ]
    )
    data = ScriptedModel(
        [
            reply("", handoff("ml_engineer", "model")),
            reply("", handoff("ml_engineer", "model again")),
        ]
    )
    result = run_team(
        default_team, "Train a model", model={"ml_engineer": ml, "data_engineer": data}
    )
    ml.assert_complete()
    data.assert_complete()
    assert result.outcome == "loop"
    assert result.note == (
        "ping-pong between data_engineer and ml_engineer: work went back and forth 2 times with nothing new"
    )
    assert result.visited == ["ml_engineer", "data_engineer", "ml_engineer", "data_engineer"]
    assert len(result.handoffs) == 3
    assert_valid_history(history(result))


def test_ping_pong_can_escalate_to_pm(default_team):
    team = team_with(default_team, on_loop="escalate")
    ml = ScriptedModel(
        [reply("", handoff("data_engineer", "etl")), reply("", handoff("data_engineer", "etl"))]
    )
    data = ScriptedModel(
        [reply("", handoff("ml_engineer", "model")), reply("", handoff("ml_engineer", "model"))]
    )
    pm = ScriptedModel([reply("Decision: data work first.")])
    result = run_team(
        team, "Train a model", model={"ml_engineer": ml, "data_engineer": data, "pm": pm}
    )
    assert result.outcome == "done"
    assert result.visited[-1] == "pm"
    assert result.handoffs[-1]["criterion"] == "loop escalation"


def test_handoff_limit_ends_with_outcome_limit(default_team):
    team = team_with(default_team, max_handoffs=1)
    ml = ScriptedModel([reply("", handoff("data_engineer", "etl"))])
    data = ScriptedModel([reply("Partial.", handoff("pm", "scope"))])
    result = run_team(team, "Train a model", model={"ml_engineer": ml, "data_engineer": data})
    assert result.outcome == "limit"
    assert result.note == "handoff limit reached (1 handoffs this turn)"
    assert result.deliverables["data_engineer"] == "Partial."


def test_recursion_limit_is_explicit(default_team):
    team = team_with(default_team, recursion_limit=5, max_tool_rounds=50)
    ml = ScriptedModel([reply("", tool_call("glob", pattern="*"))] * 10)
    result = run_team(team, "Train a model", repo=Path(__file__).parent, model={"ml_engineer": ml})
    assert result.outcome == "limit"
    assert result.note == "recursion limit of 5 steps reached"


def test_empty_replies_are_never_stored(default_team):
    ml = ScriptedModel([reply(""), reply("   "), reply("")])
    result = run_team(default_team, "Train a model", model={"ml_engineer": ml})
    ml.assert_complete()
    assert result.outcome == "error"
    assert result.note == "ml_engineer returned an empty reply 3 times"
    assert [m.type for m in history(result)] == ["human"]


def test_followups_remember_the_active_role(default_team):
    result = run_team(default_team, "Train a churn model", followups=["thanks, and what next?"])
    assert result.turns == ["Train a churn model", "thanks, and what next?"]
    assert result.visited == ["ml_engineer", "ml_engineer"]
    triage = [e for e in result.events if e.kind == "triage"]
    assert "continuing with the active role" in triage[1].text


def test_state_round_trips_through_sqlite_without_unregistered_types(
    default_team, tmp_path, caplog
):
    from langgraph.checkpoint.sqlite import SqliteSaver

    ml = ScriptedModel([reply("Plan.", handoff("pm", "scope", "stakeholders"))])
    pm = ScriptedModel([reply("Agreed.")])
    conn = sqlite3.connect(tmp_path / "c.sqlite", check_same_thread=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        caplog.set_level(logging.WARNING)
        result = run_team(
            default_team,
            "Train a model",
            model={"ml_engineer": ml, "pm": pm},
            checkpointer=SqliteSaver(conn),
        )
        graph = build_graph(default_team, model=pm, checkpointer=SqliteSaver(conn))
        state = graph.get_state({"configurable": {"thread_id": result.thread_id}}).values
    assert not [r for r in caplog.records if "unregistered" in r.getMessage()]
    assert state["handoffs"] == result.handoffs
    assert state["visited"] == ["ml_engineer", "pm"]
    assert state["deliverables"] == {"ml_engineer": "Plan.", "pm": "Agreed."}


def test_result_json_has_trajectory_handoffs_deliverables_outcome(default_team):
    data = json.loads(run_team(default_team, REQUEST).to_json())
    assert {"visited", "handoffs", "deliverables", "outcome", "events", "messages"} <= set(data)
    assert data["handoffs"][0]["source"] == "ml_engineer"


def test_topology_validation_is_reused_for_limits():
    with pytest.raises(ValueError):
        Topology(name="t", limits={"recursion_limit": 2})


def test_empty_handoff_reason_is_refused_and_a_missing_criterion_comes_from_the_card(default_team):
    ml = ScriptedModel([reply("", handoff("pm", "  ")), reply("", handoff("pm", "launch dates"))])
    pm = ScriptedModel([reply("Agreed.")])
    result = run_team(default_team, "Train a model", model={"ml_engineer": ml, "pm": pm})
    answers = [m.content for m in history(result) if isinstance(m, ToolMessage)]
    assert answers == [
        "error: handoff arguments invalid: 'reason' (a non-empty string) is required",
        "Transferred to pm.",
    ]
    assert result.handoffs[0]["reason"] == "launch dates"
    assert (
        result.handoffs[0]["criterion"]
        == default_team.cards["ml_engineer"].handoff_to("pm").condition
    )


def test_streamed_messages_carry_the_handoff_tool_calls(default_team):
    from langchain_core.messages import AIMessageChunk

    graph = build_graph(default_team, model=OfflineModel(cards=default_team.cards))
    stream = graph.stream(
        {"messages": [HumanMessage(REQUEST)]},
        {"recursion_limit": 50},
        stream_mode="messages",
        subgraphs=True,
    )
    chunks = [chunk for _, (chunk, _) in stream if isinstance(chunk, AIMessageChunk)]
    names = [c["name"] for chunk in chunks for c in chunk.tool_call_chunks]
    assert names == ["transfer_to_backend_architect", "transfer_to_pm"]


def test_context_edges_must_be_real_edges(default_team, tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("name: t\ncontext:\n  edges: {'pm->nobody': full}\n")
    with pytest.raises(TeamError) as info:
        Team.load(graph=path)
    assert (
        str(info.value)
        == f"{path}: context.edges: 'pm->nobody' is not a handoff edge of this team (write 'source->target')"
    )
