"""Scenario files: a request (and follow-ups) for the team, with what the run should show.

Loaded strictly (unknown keys are errors, with the file and line). ``scenario_json_schema()`` is
published for editors as ``scenarios/scenario.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from team.errors import TeamError
from team.yamlfile import load_model

__all__ = [
    "AskOwner",
    "CriterionExpectation",
    "Expect",
    "Scenario",
    "check_scenario",
    "load_scenario",
    "scenario_json_schema",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)
MatchMode = Literal["strict", "unordered", "subset", "superset"]


class CriterionExpectation(BaseModel):
    """A handoff that must happen, citing a criterion that contains ``criterion``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    criterion: str = ""


class AskOwner(BaseModel):
    """An ask of the request (a verbatim part of it) and the role that must end up with it.

    Labelled ask sets write the ask as ``text``; scenarios as ``ask``.
    """

    model_config = _STRICT
    ask: str = Field(min_length=1, validation_alias=AliasChoices("ask", "text"))
    owner: str


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
    owners: tuple[AskOwner, ...] = Field(
        default=(), description="Asks of the request, each with the role that must own it."
    )


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
        >>> load_scenario("scenarios/churn_flagship.yaml").repo
        'fixtures/churn'
    """
    path = Path(path)
    scenario = load_model(Scenario, path, what="scenario").model_copy(update={"path": str(path)})
    repo = scenario.repo_path()
    if repo is not None and not repo.is_dir():
        raise TeamError(f"repo '{scenario.repo}' does not exist (resolved to {repo})", path=path)
    return scenario


def check_scenario(scenario: Scenario, roles: set[str] | list[str]) -> None:
    """Check that a scenario's expectations name roles of the team and known review rules.

    Raises:
        TeamError: An unknown role or rule id, with the scenario file and the closest match.
    """
    import difflib

    from team.review.core import RULE_ENFORCES

    expect = scenario.expect
    if expect is None:
        return
    named: list[tuple[str, str]] = [("first", expect.first or "")]
    named += [("path", entry) for entry in expect.path or ()]
    named += [("required", r) for r in expect.required] + [
        ("forbidden", r) for r in expect.forbidden
    ]
    named += [("before", r) for pair in expect.before for r in pair]
    named += [
        (f"criteria.{key}", r)
        for c in expect.criteria
        for key, r in (("from", c.source), ("to", c.target))
    ]
    named += [("owners.owner", o.owner) for o in expect.owners]
    said = " ".join((scenario.request, *scenario.followups))
    for owned in expect.owners:
        if owned.ask not in said:
            raise TeamError(
                f"expect.owners: ask {owned.ask!r} is not part of the request", path=scenario.path
            )
    known = sorted(roles)
    for key, value in named:
        for role in value.split("|") if value else ():
            if role != "*" and role not in roles:
                close = difflib.get_close_matches(role, known, n=1)
                hint = f"; closest known role: '{close[0]}'" if close else ""
                raise TeamError(f"expect.{key}: unknown role '{role}'{hint}", path=scenario.path)
    for rule in expect.findings:
        if rule not in RULE_ENFORCES:
            raise TeamError(
                f"expect.findings: unknown review rule '{rule}'; known: {', '.join(sorted(RULE_ENFORCES))}",
                path=scenario.path,
            )


def scenario_json_schema() -> str:
    """The JSON Schema of scenario files, for editors."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["properties"].pop("path", None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "teamgraph scenario"
    return json.dumps(schema, indent=2) + "\n"
