"""A review of a repository per role: each role's rules, with the card line each one enforces.

`audit_path(root, roles=[...])` walks the repository once and runs the reviews of the roles
asked for; `ml_engineer` is the ML code review (`team.review`). Every finding carries its role,
rule, severity, `path:line`, message and the role card's line it enforces (`RULES`). A cause
that shows in many places (an app's endpoints missing one guard or one convention, a querying
helper called per item in many loops) is one finding at its first place, the others listed in
its message (`core.one_per_cause`).

What each role reads, and with what:

- DevOps Engineer (`devops.py`): Dockerfiles (dockerfile-parse), compose files and Kubernetes
  manifests (PyYAML, with lines), Terraform (python-hcl2), GitHub Actions workflows,
  requirements files, committed `.env` files; a web app with no Dockerfile, a project with no CI.
- Backend Architect (`backend.py`, `web.py`, `web_django.py`, `idempotency.py`): the FastAPI / Flask / Django /
  DRF endpoint inventory (method, path, handler, auth, inputs, pagination, error codes; DRF
  viewsets expanded into their actions) and the rules read from it, GET routes that delete or
  clear stored state (`safe_methods.py`) among them; SQL built from strings and swallowed
  exceptions around data reads and writes through ruff (S608, S110, S112).
- Performance Engineer (`performance.py`, `queries.py`, `loop_bounds.py`, `per_row.py`,
  `caches.py`, `sessions.py`): queries in loops that grow with the rows stored, also through helper
  functions and per-row serializers; blocking calls in async functions and HTTP calls without
  timeout through ruff (ASYNC2xx, S113) and through requests sessions; unbounded caches keyed by
  what callers pass; models and files loaded per request; a service with no benchmark.
- Data Engineer (`data.py`, `parquet.py`): ETL code (appending loads, loads with no checks,
  SELECT *) and data files (CSV/TSV, JSON Lines, Parquet through DuckDB, the `data` extra): null
  keys, duplicate keys, impossible values, type drift, naive timestamps.
- System Architect (`architecture.py`, `layers.py`, `modules.py`): the import graph
  (networkx): cycles, god modules relative to the repository, import-linter contracts (layers,
  forbidden, independence) or conventional layers (models importing views); compose services
  sharing a database, single-replica Deployments, and the services and ports the manifests
  declare.
- PM (`product.py`): documents: open items, requirements without acceptance criteria, goals
  with no number.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from team.audit.core import (
    NOT_READ,
    ROLES,
    RULES,
    RoleFinding,
    enforces,
    finding,
    findings_to_json,
    format_findings,
)
from team.audit.repo import Repo
from team.review.core import Note
from team.review.engine import review_scope

__all__ = [
    "NOT_READ",
    "ROLES",
    "RULES",
    "Audit",
    "RoleFinding",
    "audit_path",
    "audit_report",
    "enforces",
    "findings_to_json",
    "format_findings",
    "parse_roles",
    "role_facts",
]

PathLike = str | os.PathLike[str]


def _reviews() -> dict[str, Callable[[Repo], list[RoleFinding]]]:
    from team.audit.architecture import architecture_review
    from team.audit.backend import backend_review
    from team.audit.data import data_review
    from team.audit.devops import devops_review
    from team.audit.performance import performance_review
    from team.audit.product import product_review

    return {
        "devops_engineer": devops_review,
        "backend_architect": backend_review,
        "performance_engineer": performance_review,
        "data_engineer": data_review,
        "system_architect": architecture_review,
        "pm": product_review,
    }


def parse_roles(text: str) -> list[str]:
    """Role ids from `all` or a comma-separated list; an unknown id raises `ValueError`.

    Example:
        >>> parse_roles("devops_engineer,pm")
        ['devops_engineer', 'pm']
    """
    if text.strip() == "all":
        return list(ROLES)
    roles = [r.strip() for r in text.split(",") if r.strip()]
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValueError(
            f"unknown role {unknown[0] if unknown else text!r}; choose from all, {', '.join(ROLES)}"
        )
    return roles


@dataclass(frozen=True)
class Audit:
    """What `audit_report` found, and the files it did not read because they are written for
    another Python than the one running it (not findings: the code is not at fault)."""

    findings: list[RoleFinding]
    unread: list[Note] = field(default_factory=list)


def _ml(root: Path, paths: Iterable[PathLike] | None) -> Audit:
    from team.review import review_report

    report = review_report(root, paths=paths)
    found = [
        RoleFinding(
            path=f.path,
            line=f.line,
            rule=f.rule,
            severity=f.severity,
            message=f.message,
            role="ml_engineer",
            enforces=f.enforces,
            evidence=f.evidence,
            cell=f.cell,
        )
        for f in report.findings
    ]
    return Audit(found, report.unread)


def audit_path(
    root: PathLike,
    *,
    roles: Iterable[str] = ("ml_engineer",),
    paths: Iterable[PathLike] | None = None,
) -> list[RoleFinding]:
    """Review a repository as the given roles (`audit_report`'s findings).

    Args:
        root: Repository directory (or one file, reviewed within its folder).
        roles: Role ids (see `ROLES`); `ml_engineer` runs the ML code review.
        paths: Optional files or folders (relative to `root` or absolute) to report on; the
            whole repository is still read.

    Returns:
        Findings sorted by path, line and rule; a file that does not parse is an `info`
        `parse-error`, unless it is written for another Python (see `audit_report`).

    Raises:
        ValueError: `root` or one of `paths` does not exist, or an unknown role.

    Example:
        >>> found = audit_path("scenarios/fixtures/churn", roles=["backend_architect"])
        >>> [(f.role, f.rule, f.path, f.line) for f in found]
        [('backend_architect', 'api-unversioned', 'serve/app.py', 10), ('backend_architect', 'endpoint-no-auth', 'serve/app.py', 25)]
    """
    return audit_report(root, roles=roles, paths=paths).findings


def audit_report(
    root: PathLike,
    *,
    roles: Iterable[str] = ("ml_engineer",),
    paths: Iterable[PathLike] | None = None,
) -> Audit:
    """`audit_path`, plus the files not reviewed because they are written for another Python
    (a Python 2 `print 'x'`, a 3.12 f-string), each at the line that does not parse, with why.

    Example:
        >>> report = audit_report("scenarios/fixtures/churn", roles=["backend_architect"])
        >>> len(report.findings), report.unread
        (2, [])
    """
    wanted = list(roles)
    parse_roles(",".join(wanted))
    base, paths, keep = review_scope(root, paths)
    found: list[RoleFinding] = []
    unread: list[Note] = []
    if "ml_engineer" in wanted:
        ml = _ml(base, paths)
        found += ml.findings
        unread += ml.unread
    others = [r for r in wanted if r != "ml_engineer"]
    if others:
        repo = Repo.scan(base)
        reviews = _reviews()
        for role in others:
            found += reviews[role](repo)
        ml_parsed = {(f.path, f.line) for f in found if f.rule == "parse-error"}
        for rel, line, message in dict.fromkeys(repo.errors):
            if (rel, line) not in ml_parsed:
                found.append(finding("parse-error", rel, line, message))
        unread += [Note(rel, line, "parse-error", why) for rel, line, why in repo.unread]
        failed = {(f.path, f.line) for f in found if f.rule == "parse-error"}
        unread = [n for n in unread if (n.path, n.line) not in failed]
    return Audit(
        sorted({f for f in found if keep(f.path)}),
        sorted({n for n in unread if keep(n.path)}),
    )


def role_facts(root: PathLike, role: str) -> list[str]:
    """What a role's review saw besides findings, as lines a model reads: the endpoint inventory
    for API roles, entry points and dependency files for DevOps, data file profiles for data.

    Example:
        >>> role_facts("scenarios/fixtures/churn", "backend_architect")[0]
        'endpoint: POST /predict serve/app.py:25 handler=predict auth=none inputs=customer:Customer pagination=no errors=-'
    """
    from team.audit.facts import facts_for

    return facts_for(Repo.scan(Path(root).resolve()), role)
