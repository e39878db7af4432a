"""Scenario files: a request (and follow-ups) for the team, with what the run should show.

Loaded strictly (unknown keys are errors, with the file and line). ``scenario_json_schema()`` is
published for editors as ``scenarios/scenario.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from team.errors import TeamError
from team.yamlfile import load_model

__all__ = ["CriterionExpectation", "Expect", "Scenario", "load_scenario", "scenario_json_schema"]

_STRICT = ConfigDict(extra="forbid", frozen=True)
MatchMode = Literal["strict", "unordered", "subset", "superset"]


class CriterionExpectation(BaseModel):
    """A handoff that must happen, citing a criterion that contains ``criterion``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    criterion: str = ""


class Expect(BaseModel):
    """What a run of the scenario must show (checked by ``team eval`` and the pytest plugin)."""

    model_config = _STRICT
    first: str | None = Field(default=None, description="The role triage must pick.")
    path: tuple[str, ...] | None = Field(
        default=None, description="The expected sequence of roles."
    )
    match: MatchMode = Field(default="strict", description="How `path` is compared.")
    required: tuple[str, ...] = Field(default=(), description="Roles that must be visited.")
    forbidden: tuple[str, ...] = Field(default=(), description="Roles that must not be visited.")
    before: tuple[tuple[str, str], ...] = Field(
        default=(), description="Pairs [a, b]: a visited before b."
    )
    max_handoffs: int | None = Field(default=None, ge=0)
    outcome: Literal["done", "loop", "limit", "error"] | None = None
    criteria: tuple[CriterionExpectation, ...] = ()
    findings: tuple[str, ...] = Field(default=(), description="Review rule ids that must appear.")


class Scenario(BaseModel):
    """One scenario file."""

    model_config = _STRICT
    name: str
    description: str = ""
    request: str
    followups: tuple[str, ...] = ()
    repo: str | None = Field(
        default=None, description="Repository to inspect, relative to the file."
    )
    model: str | None = None
    expect: Expect | None = None
    path: str | None = Field(default=None, exclude=True)

    @field_validator("request")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    def repo_path(self) -> Path | None:
        """The repository, resolved relative to the scenario file."""
        if self.repo is None:
            return None
        base = Path(self.path).parent if self.path else Path.cwd()
        return (base / self.repo).resolve()


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario YAML file strictly.

    Raises:
        TeamError: Missing file, invalid YAML, an unknown key or a bad value, with file and line;
            a ``repo`` that does not exist.

    Example:
        >>> load_scenario("scenarios/churn_flagship.yaml").repo  # doctest: +SKIP
        'fixtures/churn'
    """
    path = Path(path)
    scenario = load_model(Scenario, path, what="scenario").model_copy(update={"path": str(path)})
    repo = scenario.repo_path()
    if repo is not None and not repo.is_dir():
        raise TeamError(f"repo '{scenario.repo}' does not exist (resolved to {repo})", path=path)
    return scenario


def scenario_json_schema() -> str:
    """The JSON Schema of scenario files, for editors."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["properties"].pop("path", None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "teamgraph scenario"
    return json.dumps(schema, indent=2) + "\n"
