"""Chat models for the team: the offline default, scripted models for tests, real providers.

``resolve_model`` turns a model spec into a LangChain chat model; the graph never knows which.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from team.errors import TeamError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from team.models.tape import Tape
    from team.topology import Team

__all__ = [
    "DEFAULT_CLAUDE_MODEL",
    "model_id",
    "resolve_model",
    "resolve_team_models",
    "taped_model",
]

DEFAULT_CLAUDE_MODEL = "claude-sonnet-4-6"
"""``--model anthropic`` without a name. Change it here; a test checks the SDK does not list it
as deprecated."""
MAX_RETRIES = 3
TIMEOUT_S = 120.0


def _anthropic(name: str) -> BaseChatModel:
    try:
        from langchain_anthropic import ChatAnthropic
    except ImportError:
        raise TeamError(
            "model 'anthropic' needs the 'langchain-anthropic' package: pip install langchain-anthropic"
        ) from None
    if not (os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")):
        raise TeamError("model 'anthropic' needs ANTHROPIC_API_KEY in the environment")
    options: dict[str, Any] = {
        "model": name or DEFAULT_CLAUDE_MODEL,
        "max_retries": MAX_RETRIES,
        "timeout": float(os.environ.get("TEAM_MODEL_TIMEOUT", TIMEOUT_S)),
        "max_tokens": 4096,
    }
    if os.environ.get("ANTHROPIC_BASE_URL"):
        options["base_url"] = os.environ["ANTHROPIC_BASE_URL"]
    return ChatAnthropic(**options)


_PROVIDERS = {"anthropic-chat": "anthropic", "openai-chat": "openai"}


def model_id(spec: str | Any) -> str:
    """The id of a model spec or object, as recordings and the price table name it.

    Raises:
        TeamError: A spec that names no model.

    Example:
        >>> model_id("anthropic"), model_id(" openai:gpt-4o-mini ")
        ('anthropic:claude-sonnet-4-6', 'openai:gpt-4o-mini')
    """
    if not isinstance(spec, str):
        kind = getattr(spec, "_llm_type", type(spec).__name__)
        name = getattr(spec, "model", None) or getattr(spec, "model_name", None) or ""
        return f"{_PROVIDERS.get(kind, kind)}:{name}" if name else kind
    spec = spec.strip()
    if not spec:
        raise TeamError(f"model spec must be a non-empty string, got {spec!r}")
    if spec == "offline":
        return spec
    if spec.startswith("offline:"):
        raise TeamError(f"model {spec!r}: the offline model takes no name; use 'offline'")
    if spec == "anthropic" or spec.startswith("anthropic:"):
        return f"anthropic:{spec.partition(':')[2].strip() or DEFAULT_CLAUDE_MODEL}"
    if ":" not in spec:
        raise TeamError(
            f"unknown model {spec!r}: use 'offline' or 'provider:model' "
            f"(e.g. anthropic:{DEFAULT_CLAUDE_MODEL})"
        )
    provider, _, name = spec.partition(":")
    if not name:
        raise TeamError(f"model {spec!r} names no model after '{provider}:'")
    return spec


def resolve_model(spec: str | Any, team: Team) -> BaseChatModel:
    """A chat model from a spec: ``offline`` (default), ``provider:model``, or a model object.

    Args:
        spec: ``"offline"``, ``"anthropic:<model>"``, any ``init_chat_model`` spec
            (``"openai:gpt-4o-mini"``), or a ``BaseChatModel`` instance (returned as is).
        team: The team (the offline model plays its cards).

    Raises:
        TeamError: Unknown spec, or the provider's package is not installed.

    Example:
        >>> from team import Team
        >>> resolve_model("offline", Team.load())._llm_type
        'teamgraph-offline'
    """
    from langchain_core.language_models import BaseChatModel

    if isinstance(spec, BaseChatModel):
        return spec
    if not isinstance(spec, str):
        raise TeamError(f"model spec must be a non-empty string, got {spec!r}")
    spec = model_id(spec)
    if spec == "offline":
        from team.models.offline import OfflineModel

        return OfflineModel(cards=team.cards)
    if spec.startswith("anthropic:"):
        return _anthropic(spec.partition(":")[2])
    provider, _, name = spec.partition(":")
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        raise TeamError(
            f"model {spec!r} needs the 'langchain' package: pip install langchain "
            f"langchain-{provider.replace('_', '-')}"
        ) from None
    try:
        model: BaseChatModel = init_chat_model(name, model_provider=provider)
        return model
    except ImportError as exc:
        package = f"langchain-{provider.replace('_', '-')}"
        raise TeamError(
            f"model {spec!r} needs the '{package}' package: pip install {package} ({exc})"
        ) from None
    except ValueError as exc:
        raise TeamError(f"model {spec!r}: {exc}") from None


def taped_model(spec: str | Any, team: Team, tape: Tape) -> BaseChatModel:
    """A model whose calls go through ``tape``; a replaying tape never builds the real model
    (no API key needed)."""
    from team.models.tape import TapedModel

    if tape.replaying and isinstance(spec, str):
        name = model_id(spec)
        kinds = {"anthropic": "anthropic-chat", "offline": "teamgraph-offline"}
        kind = kinds.get(name.partition(":")[0], "teamgraph-taped")
        return TapedModel(model_id=name, kind=kind, tape=tape)
    inner = resolve_model(spec, team)
    return TapedModel(inner=inner, model_id=model_id(spec), kind=inner._llm_type, tape=tape)


def resolve_team_models(spec: Any, team: Team, *, tape: Tape | None = None) -> Any:
    """A model for every role: a spec or model for all, or a mapping ``{role: spec, "default": spec}``.

    Returns a chat model, or a function from role id to chat model. With a ``tape``, every
    call goes through it (recorded, replayed, measured).

    Example:
        >>> from team import Team
        >>> resolve_team_models({"pm": "offline"}, Team.load())("pm")._llm_type
        'teamgraph-offline'
    """
    from collections.abc import Mapping

    def resolve(value: Any) -> BaseChatModel:
        return resolve_model(value, team) if tape is None else taped_model(value, team, tape)

    if not isinstance(spec, Mapping):
        return resolve(spec)
    unknown = sorted(set(spec) - set(team.cards) - {"default"})
    if unknown:
        raise TeamError(f"model for unknown role '{unknown[0]}'")
    default = resolve(spec.get("default", "offline"))
    models = {role: resolve(value) for role, value in spec.items() if role != "default"}
    return lambda role: models.get(role, default)
