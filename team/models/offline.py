"""The embedded default model: deterministic, offline, and played from the persona cards.

``OfflineModel`` is an ordinary LangChain chat model. It learns which role it plays from the card
embedded in the system prompt and which tools it has from ``bind_tools``, then acts like a careful
model would: it inspects the repository first (the calls its card's Tool Orchestration names),
writes a deliverable that follows the card's Workflow with evidence cited as ``path:line``, and
hands off when an open part of the request matches one of its Handoff Criteria.

Work is tracked through the transcript itself, so the model is stateless: a clause of the request
is *taken* once a role quotes it in its deliverable or a handoff reason. A clause handed to a role
is that role's to keep, so the offline team never ping-pongs.

Same input, same output, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

from team.cards import Card, parse_card
from team.models.chunks import stream_reply
from team.models.roleplay import Turn, message_text
from team.prompts import card_from_prompt
from team.routing import Router, router_for

__all__ = ["OfflineModel"]


class OfflineModel(BaseChatModel):
    """A deterministic chat model that plays each role of a team from its card.

    Args:
        cards: The team's cards by role id (for routing scores across the team).

    Example:
        >>> from team.topology import Team
        >>> model = OfflineModel(cards=Team.load().cards)
        >>> model.invoke("hello").content  # doctest: +ELLIPSIS
        'teamgraph offline model: ...'
    """

    cards: dict[str, Card]
    _router: Router = PrivateAttr()

    def model_post_init(self, context: Any) -> None:
        self._router = router_for(self.cards)

    @property
    def _llm_type(self) -> str:
        return "teamgraph-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "offline", "roles": sorted(self.cards)}

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        """Bind tools the way real chat models do (OpenAI tool schema)."""
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(
            generations=[ChatGeneration(message=self._respond(messages, kwargs.get("tools") or []))]
        )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._respond(messages, kwargs.get("tools") or [])
        yield from stream_reply(
            reply, re.findall(r"[^\n]*\n|[^\n]+$", message_text(reply)), run_manager
        )

    # -- playing a role -------------------------------------------------------------------------

    def _respond(self, messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
        system = next((m for m in messages if m.type == "system"), None)
        card_text = card_from_prompt(message_text(system)) if system is not None else None
        if card_text is None:
            last = message_text(messages[-1]) if messages else ""
            return AIMessage(
                content=f"teamgraph offline model: no persona card in the system prompt; "
                f"received {len(last)} characters."
            )
        card = parse_card(card_text, path="<system prompt>")
        return Turn(card, self._router, messages, tools).reply()
