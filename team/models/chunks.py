"""Streaming a finished reply the way real chat models do: text pieces, then the tool calls.

LangGraph's ``messages`` stream hears a chunk only through ``run_manager.on_llm_new_token``, so
every chunk, the tool-call one included, goes through it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk

__all__ = ["stream_reply"]


def stream_reply(
    reply: AIMessage, pieces: Iterable[str], run_manager: CallbackManagerForLLMRun | None
) -> Iterator[ChatGenerationChunk]:
    """Yield ``pieces`` of the reply's text, then one chunk carrying its tool calls.

    Example:
        >>> from langchain_core.messages import AIMessage
        >>> [c.message.content for c in stream_reply(AIMessage("ab"), ["a", "b"], None)]
        ['a', 'b']
    """
    for piece in pieces:
        chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
        if run_manager:
            run_manager.on_llm_new_token(piece, chunk=chunk)
        yield chunk
    if reply.tool_calls:
        calls = [
            tool_call_chunk(name=c["name"], args=json.dumps(c["args"]), id=c["id"], index=i)
            for i, c in enumerate(reply.tool_calls)
        ]
        chunk = ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=calls))
        if run_manager:
            run_manager.on_llm_new_token("", chunk=chunk)
        yield chunk
