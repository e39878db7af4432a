"""Background requests of chat UIs, answered without running the team.

Open WebUI sends its housekeeping to the chat model itself: a title for the chat, tags,
follow-up suggestions, web-search queries, an emoji, autocompletion. Each is one user message
built from a template that starts with ``### Task:`` and ends with the chat history, and each
wants a small JSON answer. Running the team on them would cost a full run of several roles (real
money on a paid model), so they are recognised here and answered from the history at once.
(Open WebUI's admin settings can also send these tasks to another model or turn them off.)
"""

from __future__ import annotations

import json
import re

__all__ = ["ui_task_reply"]

_HISTORY = re.compile(r"<chat_history>(.*?)</chat_history>", re.DOTALL)
_USER_LINE = re.compile(r"^\s*USER:\s*(.+)$", re.MULTILINE)


def _first_user_line(prompt: str) -> str:
    match = _HISTORY.search(prompt)
    history = match.group(1) if match else prompt
    user = _USER_LINE.search(history)
    return (user.group(1) if user else history).strip()


def _title(prompt: str) -> str:
    words = re.findall(r"[\w'+#./-]+", _first_user_line(prompt))
    return " ".join(words[:5]).rstrip(".,") or "Team conversation"


def ui_task_reply(text: str) -> str | None:
    """The answer to a chat UI's background task, or ``None`` when ``text`` is a real request.

    Example:
        >>> prompt = "### Task:\\nGenerate a concise, 3-5 word title.\\n<chat_history>\\nUSER: Train a churn model and ship it\\nASSISTANT: ...\\n</chat_history>"
        >>> ui_task_reply(prompt)
        '{"title": "Train a churn model and"}'
        >>> ui_task_reply("Train a churn model") is None
        True
    """
    head = text.lstrip()
    if not head.startswith("### Task:"):
        return None
    task = head.split("###", 2)[1].lower()
    if "title" in task:
        return json.dumps({"title": _title(text)})
    if "tag" in task:
        return json.dumps({"tags": ["Software Engineering"]})
    if "follow-up" in task or "follow up" in task:
        return json.dumps({"follow_ups": []})
    if "quer" in task:
        return json.dumps({"queries": []})
    if "emoji" in task:
        return "🛠️"
    if "autocomplet" in task or "continu" in task:
        return json.dumps({"text": ""})
    return json.dumps({})
