"""The ownership check guards real models: a handoff whose criterion does not fit its ask is
answered with what fits instead, and the model decides."""

from __future__ import annotations

from langchain_core.messages import ToolMessage

from team.engine import Engine
from team.handoffs import decide
from team.routing import ESCALATION
from team.testing import ScriptedModel, handoff, reply

REQUEST = "Fix the Helm chart for the search service; its pods keep restarting"
ASK = 'The request asks "write the OpenAPI contract for the health endpoints"'


def run_devops(team, second: str, receiver_text: str):
    """DevOps hands the OpenAPI contract to the Performance Engineer, then calls ``second``."""
    devops = ScriptedModel(
        [reply("", handoff("performance_engineer", ASK)), reply("", handoff(second, ASK))]
    )
    receiver = ScriptedModel([reply(receiver_text)])
    engine = Engine(team, model={"devops_engineer": devops, second: receiver})
    result = engine.run(REQUEST, thread_id=f"fit-{second}")
    devops.assert_complete()
    receiver.assert_complete()
    return result, devops


def test_a_misfit_handoff_is_answered_with_the_edge_that_fits(default_team):
    result, devops = run_devops(default_team, "backend_architect", "Contract written.")
    assert result.visited == ["devops_engineer", "backend_architect"]
    assert [h["target"] for h in result.handoffs] == ["backend_architect"]
    told = devops.calls[1][-1]
    assert isinstance(told, ToolMessage)
    assert told.content == (
        "error: handoff not made: your criterion for transfer_to_performance_engineer "
        '("a deployed service shows latency, throughput, or memory problems that need profiling '
        'or load testing") does not fit the ask "write the OpenAPI contract for the health '
        'endpoints" (fit 0.60). The legal edge whose criterion fits it best is '
        'transfer_to_backend_architect: "health endpoints, API contracts, or application '
        'database migrations must change inside the service itself" (fit 5.83; shared: api, '
        "contract, health, openapi). Hand off along the edge that fits, answer it yourself, or "
        "call transfer_to_performance_engineer again to hand off anyway."
    )


def test_the_model_decides_calling_the_same_edge_again_hands_off(default_team):
    result, _ = run_devops(default_team, "performance_engineer", "Profiled anyway.")
    assert result.visited == ["devops_engineer", "performance_engineer"]
    assert result.handoffs[0]["reason"] == ASK  # nothing rewritten behind the model's back


def test_an_ask_the_holder_owns_is_answered_with_its_own_card(default_team):
    call = {
        "name": "transfer_to_performance_engineer",
        "args": {"reason": "Add dependency caching to the GitHub Actions workflow"},
    }
    decision = decide(default_team, "devops_engineer", call, handoffs=[], turn=1)
    assert decision.action == "misfit"
    assert "No handoff criterion of yours fits it, and your own card fits it best." in (
        decision.note
    )
    fitting = {
        "name": "transfer_to_performance_engineer",
        "args": {"reason": "p99 latency of the deployed service doubled; it needs profiling"},
    }
    assert decide(default_team, "devops_engineer", fitting, handoffs=[], turn=1).action == (
        "handoff"
    )
    escalated = {"name": "transfer_to_pm", "args": {"reason": "x y z", "criterion": ESCALATION}}
    assert decide(default_team, "devops_engineer", escalated, handoffs=[], turn=1).action == (
        "handoff"
    )
