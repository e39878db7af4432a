"""LangGraph Server: ``langgraph dev`` (langgraph-cli[inmem]) serves our ``langgraph.json``, driven
by the official ``langgraph_sdk`` client: turns on one thread, approvals, a message while paused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from langgraph_sdk import get_client
from langgraph_sdk.schema import Command
from services import ROOT, Service, child_env, langgraph_dev
from test_clients import TURNS, assert_answers, gated_topology, speakers


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    work = tmp_path_factory.mktemp("langgraph_dev")
    env = child_env(TEAM_GRAPH=str(gated_topology(work)))
    with langgraph_dev(work, env=env) as service:
        yield service
    assert (work / ".langgraph_api").is_dir()  # written beside the copy, not in the checkout


def new_ai(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The AI messages a run added to the thread's state."""
    seen = {m["id"] for m in before.get("messages", [])}
    return [m for m in after["messages"] if m["type"] == "ai" and m["id"] not in seen]


def turn_text(messages: list[dict[str, Any]]) -> str:
    return "\n\n".join(m["content"] for m in messages if m["content"])


async def conversation(url: str) -> None:
    client = get_client(url=url)
    thread = (await client.threads.create())["thread_id"]
    state: dict[str, Any] = {}
    # Turn 2 and 3 on the thread (turn 1 hands off to a gated role: see the approval test).
    for index in (1, 2):
        after = await client.runs.wait(
            thread, "team", input={"messages": [{"role": "user", "content": TURNS[index][0]}]}
        )
        added = new_ai(state, after)
        assert_answers(turn_text(added), index)
        assert [m["name"] for m in added] == [("data_engineer", "devops_engineer")[index - 1]]
        state = after
    # Streamed the way Agent Chat UI asks: tokens of this turn only, tagged with the role.
    tokens, roles = [], set()
    async for part in client.runs.stream(
        thread,
        "team",
        input={"messages": [{"role": "user", "content": "ok, what would you do next?"}]},
        stream_mode=["messages-tuple", "values"],
    ):
        if part.event == "messages":
            message, metadata = part.data
            tokens.append(message.get("content") or "")
            roles.add(metadata.get("role"))
    text = "".join(tokens)
    assert roles == {"devops_engineer"}
    assert speakers(text) == ["DevOps Engineer"]
    assert "**Request:** ok, what would you do next?" in text
    assert TURNS[2][0] not in text and TURNS[1][0] not in text


def test_turns_on_one_thread_hold_only_their_own_work(server: Service) -> None:
    asyncio.run(conversation(server.url))


async def approvals(url: str) -> None:
    client = get_client(url=url)
    for approve in (True, False):
        thread = (await client.threads.create())["thread_id"]
        paused = await client.runs.wait(
            thread, "team", input={"messages": [{"role": "user", "content": TURNS[0][0]}]}
        )
        interrupt = paused["__interrupt__"][0]["value"]
        assert (interrupt["type"], interrupt["source"], interrupt["target"]) == (
            "approval",
            "ml_engineer",
            "backend_architect",
        )
        assert interrupt["message"].startswith(
            "Waiting for approval: handoff ml_engineer -> backend_architect"
        )
        # While paused the thread's own state shows the conversation so far.
        assert [m["name"] for m in new_ai({}, paused)] == ["ml_engineer"]

        # A message sent to the paused thread is not run and does not drop the pending handoff.
        again = await client.runs.wait(
            thread, "team", input={"messages": [{"role": "user", "content": "What about costs?"}]}
        )
        notice = again["__interrupt__"][0]["value"]
        assert notice["target"] == "backend_architect"
        assert notice["message"].endswith(
            'Your new message was not run: "What about costs?". Send it again after the decision.'
        )
        assert "What about costs?" not in [m["content"] for m in again["messages"]]
        waiting = await client.threads.get_state(thread)
        assert waiting["next"] == ["approval"]

        done = await client.runs.wait(
            thread, "team", command=Command(resume={"approve": approve, "note": "decided"})
        )
        added = new_ai(paused, done)
        assert "__interrupt__" not in done or not done["__interrupt__"]
        if approve:
            assert [m["name"] for m in added] == ["backend_architect"]
            assert speakers(turn_text(added)) == ["Backend Architect"]
            assert done["active"] == "backend_architect"
        else:  # the ML Engineer goes on; the rejected handoff is not asked for again
            assert [m["name"] for m in added] == ["ml_engineer"]
            assert done["active"] == "ml_engineer" and done["outcome"] == "done"
            rejected = [m for m in done["messages"] if m["type"] == "tool"]
            assert "rejected by a human reviewer: decided" in rejected[-1]["content"]
        after = await client.runs.wait(
            thread, "team", input={"messages": [{"role": "user", "content": TURNS[1][0]}]}
        )
        assert_answers(turn_text(new_ai(done, after)), 1)


def test_approve_and_reject_with_command_resume(server: Service) -> None:
    asyncio.run(approvals(server.url))


def test_the_checkout_ignores_the_langgraph_api_folder() -> None:
    assert ".langgraph_api/" in (ROOT / ".gitignore").read_text().splitlines()
