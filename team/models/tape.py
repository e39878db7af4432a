"""Record a run's model calls to a cassette, and replay them strictly, offline.

Every model call of a run goes through a ``TapedModel`` wrapped around the real chat model. Its
``Tape`` keeps, per call, the request's fingerprint (model id, system prompt, messages, tools:
never keys or headers), the response, its usage and latency. A ``Cassette`` is a folder with one
JSON file per scenario; replaying answers each call from the file in order and raises
``ReplayMismatch`` naming the scenario, role, turn and the first part of the request that differs
from the recording. The format is in the README ("Record and replay").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    SystemMessage,
    ToolMessage,
    message_to_dict,
    messages_from_dict,
)
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool

from team.errors import StopRun, TeamError, scrub
from team.models.prices import Budget

__all__ = [
    "FORMAT",
    "Cassette",
    "ReplayMismatch",
    "Tape",
    "TapedModel",
    "fingerprint",
    "first_difference",
    "run_name",
]

FORMAT = "teamgraph-cassette/1"


class ReplayMismatch(StopRun):
    """A replayed run asked for a call the recording does not have."""


def _content(content: Any) -> Any:
    if isinstance(content, str):
        return content
    return [
        {k: v for k, v in block.items() if k != "cache_control"}
        if isinstance(block, dict)
        else block
        for block in content
    ]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(b.get("text", "") for b in content if isinstance(b, dict))


def _message(message: BaseMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.type}
    if message.name:
        data["name"] = message.name
    data["content"] = _content(message.content)
    if isinstance(message, AIMessage) and message.tool_calls:
        data["tool_calls"] = [
            {"id": c["id"], "name": c["name"], "args": c["args"]} for c in message.tool_calls
        ]
    if isinstance(message, ToolMessage):
        data["tool_call_id"] = message.tool_call_id
    return data


def fingerprint(
    model_id: str, messages: Sequence[BaseMessage], tools: Sequence[Any]
) -> dict[str, Any]:
    """A call's request as recorded: model id, system prompt, tools by name, messages.

    Prompt-caching marks and message ids are left out; so are keys and headers, which never
    reach a chat model's messages.

    Example:
        >>> from langchain_core.messages import HumanMessage, SystemMessage
        >>> fingerprint("offline", [SystemMessage("Be brief."), HumanMessage("Hi")], [])
        {'model': 'offline', 'system': 'Be brief.', 'tools': {}, 'messages': [{'role': 'human', 'content': 'Hi'}]}
    """
    system = "\n".join(_text(m.content) for m in messages if isinstance(m, SystemMessage))
    schemas = [convert_to_openai_tool(t)["function"] for t in tools]
    return {
        "model": model_id,
        "system": system,
        "tools": {s["name"]: {k: v for k, v in s.items() if k != "name"} for s in schemas},
        "messages": [_message(m) for m in messages if not isinstance(m, SystemMessage)],
    }


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def first_difference(recorded: Any, now: Any, path: str = "request") -> str | None:
    """Where two requests first differ, as ``part: recorded ..., now ...``; None if equal.

    Example:
        >>> first_difference({"system": "a\\nb"}, {"system": "a\\nc"})
        "request.system line 2: recorded 'b', now 'c'"
    """
    if recorded == now:
        return None
    if isinstance(recorded, dict) and isinstance(now, dict):
        for key in [*recorded, *(k for k in now if k not in recorded)]:
            if key not in now:
                return f"{path}.{key}: recorded {_short(recorded[key])}, now missing"
            if key not in recorded:
                return f"{path}.{key}: not recorded, now {_short(now[key])}"
            found = first_difference(recorded[key], now[key], f"{path}.{key}")
            if found:
                return found
    if isinstance(recorded, list) and isinstance(now, list):
        for index, (old, new) in enumerate(zip(recorded, now, strict=False)):
            found = first_difference(old, new, f"{path}[{index}]")
            if found:
                return found
        return f"{path}: recorded {len(recorded)} item(s), now {len(now)}"
    if isinstance(recorded, str) and isinstance(now, str):
        old_lines, new_lines = recorded.splitlines(), now.splitlines()
        for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
            if old != new:
                at = next(
                    (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None
                )
                at = min(len(old), len(new)) if at is None else at
                start = max(0, at - 30)
                column = f" column {at + 1}" if len(old) > 80 or len(new) > 80 else ""
                return (
                    f"{path} line {number}{column}: recorded {_short(old[start:])}, "
                    f"now {_short(new[start:])}"
                )
        return f"{path}: recorded {len(old_lines)} line(s), now {len(new_lines)}"
    return f"{path}: recorded {_short(recorded)}, now {_short(now)}"


def _usage(message: AIMessage) -> dict[str, int]:
    usage: dict[str, Any] = dict(message.usage_metadata or {})
    details: dict[str, Any] = dict(usage.get("input_token_details") or {})
    return {
        "input_tokens": usage.get("input_tokens", 0) or 0,
        "output_tokens": usage.get("output_tokens", 0) or 0,
        "cache_read": details.get("cache_read", 0) or 0,
        "cache_creation": details.get("cache_creation", 0) or 0,
    }


@dataclass
class Tape:
    """One run's model calls: played from a recording, kept for one, or only measured.

    Args:
        scenario: Names the run in the cassette and in errors.
        model: The cassette's key for the model setting the run was made with.
        trial: Which trial of the scenario this run is.
        recorded: The recorded calls to answer from (replay); None calls the real model.
        budget: A budget every call is checked and counted against.

    Attributes:
        calls: Every call made so far: role, turn, request, response or error, usage, seconds.
    """

    scenario: str = "run"
    model: str = "default"
    trial: int = 0
    recorded: list[dict[str, Any]] | None = None
    budget: Budget | None = None
    source: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def replaying(self) -> bool:
        return self.recorded is not None

    def _where(self, role: str, turn: int) -> str:
        trial = f", trial {self.trial}" if self.trial else ""
        return f"replay of scenario {self.scenario!r}{trial}: role {role}, turn {turn}, call {len(self.calls) + 1}"

    def _play(self, role: str, turn: int, request: dict[str, Any]) -> dict[str, Any]:
        assert self.recorded is not None
        index = len(self.calls)
        if index >= len(self.recorded):
            raise ReplayMismatch(
                f"{self._where(role, turn)}: not recorded (the recording in {self.source} "
                f"has {len(self.recorded)} call(s))"
            )
        call = self.recorded[index]
        difference = first_difference(
            {"role": call.get("role"), "turn": call.get("turn"), **call["request"]},
            {"role": role, "turn": turn, **request},
        )
        if difference:
            raise ReplayMismatch(
                f"{self._where(role, turn)}: the request differs from the recording in "
                f"{self.source} at {difference}"
            )
        return call

    def call(
        self, role: str, turn: int, request: dict[str, Any], ask: Callable[[], AIMessage]
    ) -> AIMessage:
        """Answer one model call: from the recording, or by asking the model and keeping it.

        Raises:
            ReplayMismatch: Replaying, and the call is not the next one recorded.
            BudgetReached: The shared budget is spent.
        """
        model_id = request["model"]
        if self.budget is not None:
            self.budget.check(model_id)
        entry: dict[str, Any] = {
            "role": role,
            "turn": turn,
            "fingerprint": digest(request),
            "request": request,
        }
        if self.recorded is not None:
            played = self._play(role, turn, request)
            entry.update({k: played[k] for k in ("response", "error", "seconds") if k in played})
        else:
            started = time.perf_counter()
            try:
                entry["response"] = message_to_dict(ask())
            except Exception as exc:
                detail = scrub(str(exc)).splitlines()
                entry["error"] = {"type": type(exc).__name__, "message": (detail or [""])[0]}
            entry["seconds"] = round(time.perf_counter() - started, 3)
        message = messages_from_dict([entry["response"]])[0] if "response" in entry else None
        entry["usage"] = _usage(message) if isinstance(message, AIMessage) else {}
        self.calls.append(entry)
        if self.budget is not None:
            self.budget.add(model_id, entry["usage"])
        if message is None:
            error = entry["error"]
            raise type(error["type"], (Exception,), {})(error["message"])
        assert isinstance(message, AIMessage)
        metadata = {**message.response_metadata, "teamgraph_seconds": entry["seconds"]}
        return message.model_copy(update={"response_metadata": metadata})

    def finish(self) -> None:
        """Raise if a replayed run made fewer calls than were recorded.

        Raises:
            ReplayMismatch: Recorded calls were never asked for.
        """
        if self.recorded is not None and len(self.calls) < len(self.recorded):
            left = self.recorded[len(self.calls)]
            trial = f", trial {self.trial}" if self.trial else ""
            raise ReplayMismatch(
                f"replay of scenario {self.scenario!r}{trial}: the run ended after "
                f"{len(self.calls)} call(s) but {len(self.recorded)} were recorded in "
                f"{self.source} (next: role {left.get('role')}, turn {left.get('turn')})"
            )

    def stats(self) -> list[dict[str, Any]]:
        """Per call: model id, role, turn, token usage and seconds (the recorded ones on replay)."""
        return [
            {
                "model": c["request"]["model"],
                "role": c["role"],
                "turn": c["turn"],
                **c["usage"],
                "seconds": c.get("seconds", 0.0),
            }
            for c in self.calls
        ]


class TapedModel(BaseChatModel):
    """A chat model whose every call goes through a ``Tape``; replaying, ``inner`` is not used.

    The role and turn of a call come from the run's metadata (the role nodes set them).
    """

    inner: Any = None
    model_id: str
    kind: str = "teamgraph-taped"
    tape: Any

    @property
    def _llm_type(self) -> str:
        return self.kind

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        """Bind tools as OpenAI schemas; the real model binds them again in its own format."""
        schemas = [convert_to_openai_tool(t) for t in tools]
        return self.bind(tools=schemas, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        *,
        tools: Sequence[Any] = (),
        **kwargs: Any,
    ) -> ChatResult:
        metadata = run_manager.metadata if run_manager else {}
        role, turn = str(metadata.get("role", "")), int(metadata.get("turn", 0) or 0)

        def ask() -> AIMessage:
            model = self.inner.bind_tools(tools, **kwargs) if tools else self.inner
            reply = model.invoke(messages, config={"callbacks": _child(run_manager)}, stop=stop)
            return reply if isinstance(reply, AIMessage) else AIMessage(content=reply.content)

        request = fingerprint(self.model_id, messages, tools)
        message = self.tape.call(role, turn, request, ask)
        return ChatResult(generations=[ChatGeneration(message=message)])


def _child(run_manager: CallbackManagerForLLMRun | None) -> Any:
    """Callbacks for the real model's run, nested under the taped one (traces, token streams)."""
    if run_manager is None:
        return None
    from langchain_core.callbacks import CallbackManager

    return CallbackManager(
        handlers=run_manager.inheritable_handlers,
        inheritable_handlers=run_manager.inheritable_handlers,
        parent_run_id=run_manager.run_id,
        tags=run_manager.inheritable_tags,
        inheritable_tags=run_manager.inheritable_tags,
        metadata=run_manager.inheritable_metadata,
        inheritable_metadata=run_manager.inheritable_metadata,
    )


def run_name(turns: Sequence[str]) -> str:
    """The cassette name of a run that has no scenario: its turns' hash.

    Example:
        >>> run_name(["Train a churn model"])
        'request-66f62fb1f863'
    """
    return "request-" + hashlib.sha256(json.dumps(list(turns)).encode()).hexdigest()[:12]


def _file_name(scenario: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", scenario).strip("._") or "run"


class Cassette:
    """A folder of recorded runs: ``<scenario>.json`` per scenario, runs keyed by model setting.

    Args:
        folder: Where the files are.
        mode: ``"record"`` (call the models, write what they said) or ``"replay"``.

    Example:
        >>> import tempfile
        >>> cassette = Cassette(tempfile.mkdtemp(), "record")
        >>> cassette.tape("churn flagship").replaying, cassette.path("churn flagship").name
        (False, 'churn_flagship.json')
    """

    _locks: ClassVar[dict[str, threading.Lock]] = {}

    def __init__(self, folder: str | Path, mode: str) -> None:
        if mode not in ("record", "replay"):
            raise TeamError(f"cassette mode must be 'record' or 'replay', not {mode!r}")
        self.folder, self.mode = Path(folder), mode
        if mode == "replay" and not self.folder.is_dir():
            raise TeamError("no recordings here: the folder does not exist", path=self.folder)
        self._lock = self._locks.setdefault(str(self.folder.resolve()), threading.Lock())

    @classmethod
    def open(cls, *, record: str | Path | None, replay: str | Path | None) -> Cassette | None:
        """The cassette a run records to or replays from, if any.

        Raises:
            TeamError: Both given, or a replay folder that does not exist.
        """
        if record is not None and replay is not None:
            raise TeamError("a run is recorded or replayed, not both")
        if record is None and replay is None:
            return None
        return cls(record, "record") if record is not None else cls(replay or "", "replay")

    def path(self, scenario: str) -> Path:
        """The file holding a scenario's recordings."""
        return self.folder / f"{_file_name(scenario)}.json"

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"format": FORMAT, "scenario": path.stem, "runs": {}}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TeamError(f"not a readable cassette: {exc}", path=path) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise TeamError(f"not a cassette (format is not {FORMAT!r})", path=path)
        if not isinstance(data.get("runs"), dict):
            raise TeamError("cassette has no 'runs' object", path=path)
        return data

    def tape(
        self, scenario: str, *, model: str = "default", trial: int = 0, budget: Budget | None = None
    ) -> Tape:
        """A tape for one run: replaying, the recorded calls of that run.

        Raises:
            ReplayMismatch: Replaying, and the run was never recorded.
        """
        path = self.path(scenario)
        tape = Tape(scenario, model, trial, budget=budget, source=str(path))
        if self.mode == "replay":
            if not path.is_file():
                raise ReplayMismatch(f"no recording of scenario {scenario!r}: {path} is missing")
            runs = self._load(path)["runs"].get(model)
            if not runs:
                known = ", ".join(self._load(path)["runs"]) or "none"
                raise ReplayMismatch(
                    f"no recording of scenario {scenario!r} with model {model!r} in {path} "
                    f"(recorded: {known})"
                )
            if trial >= len(runs) or runs[trial] is None:
                raise ReplayMismatch(
                    f"trial {trial} of scenario {scenario!r} was not recorded in {path} "
                    f"({len(runs)} trial(s) recorded)"
                )
            tape.recorded = list(runs[trial])
        return tape

    def save(self, tape: Tape, *, trials: int = 1) -> Path:
        """Write a recorded run into its scenario's file; other scenarios and models stay.

        A scenario recorded with a different number of trials starts its list afresh.
        """
        if self.mode != "record":
            raise TeamError("only a recording cassette saves runs")
        path = self.path(tape.scenario)
        with self._lock, _file_lock(self.folder):
            data = self._load(path)
            data["scenario"] = tape.scenario
            runs = data["runs"].get(tape.model)
            if not isinstance(runs, list) or len(runs) != trials:
                runs = [None] * trials
            runs[tape.trial] = tape.calls
            data["runs"][tape.model] = runs
            temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
            os.replace(temporary, path)
        return path


@contextlib.contextmanager
def _file_lock(folder: Path) -> Any:
    """One writer at a time across processes (``--workers``); the lock file stays out of the
    folder, which is meant to be committed."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"teamgraph-cassette-{key}.lock", "a") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: threads only
            pass
        yield


def digest(request: dict[str, Any]) -> str:
    """A short hash of a request, to compare recordings at a glance."""
    text = json.dumps(request, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
