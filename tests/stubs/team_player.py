"""A responder for `AnthropicStub` that plays the team by request, whatever order calls arrive in.

Each request names its role in the system prompt ("You are the <Name> of a software team") and
its scenario by the request text found in its user messages (a role after a handoff sees
it inside the handoff packet). The role answers with a deliverable and, unless it is the
last role of that scenario's path, a handoff to the next role. Concurrent runs of many scenarios
get the same answers as one run at a time.

Example:
    >>> player = TeamPlayer({"Plan a launch": ["ml_engineer", "pm"]})
    >>> body = {
    ...     "system": [{"type": "text", "text": "You are the ML Engineer of a software team."}],
    ...     "messages": [{"role": "user", "content": "Plan a launch"}],
    ... }
    >>> player(body).tool_uses[0][0]
    'transfer_to_pm'
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from stubs.anthropic_stub import Fault, Reply

__all__ = ["TeamPlayer"]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(b.get("text", "") for b in content if isinstance(b, dict))


class TeamPlayer:
    """Answers Messages API bodies from each scenario's path of roles.

    Args:
        paths: The path of role ids for each scenario's request text.
        rate_limited: Answer the first sight of every distinct request with a 429, so each call
            is retried once by the client.

    Attributes:
        faults: How many 429s were sent.
    """

    def __init__(self, paths: Mapping[str, Sequence[str]], *, rate_limited: bool = False):
        self.paths = {request: list(path) for request, path in paths.items()}
        self.rate_limited = rate_limited
        self.faults = 0
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Reply | Fault:
        if self.rate_limited:
            key = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
            with self._lock:
                first = key not in self._seen
                self._seen.add(key)
                self.faults += first
            if first:
                return Fault(status=429)
        found = re.search(r"You are the (.+?) of a software team", _text(body.get("system", "")))
        role = re.sub(r"\W+", "_", found.group(1).lower()).strip("_") if found else "?"
        said = "\n".join(_text(m["content"]) for m in body["messages"] if m["role"] == "user")
        request = next((r for r in sorted(self.paths, key=len, reverse=True) if r in said), "")
        path = self.paths.get(request, [])
        if role not in path:
            return Reply(text=f"{role}: nothing to add.")
        text = f"{role} did its part of: {request}"
        index = path.index(role)
        if index + 1 == len(path):
            return Reply(text=text)
        target = path[index + 1]
        handoff = {"reason": f"{target} owns the next step", "criterion": "the next step"}
        return Reply(text=text, tool_uses=[(f"transfer_to_{target}", handoff)])
