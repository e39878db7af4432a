"""The Backend Architect's review: the endpoint inventory and the rules read from it, SQL built
from strings and swallowed exceptions (ruff S608, S110, S112).
"""

from __future__ import annotations

import re

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo
from team.audit.ruff import ruff_findings
from team.audit.web import Endpoint, web_inventory

__all__ = ["backend_review", "endpoint_table"]

_VERSIONED = re.compile(r"(?i)(?:^|/)v\d+(?:/|$)|v\d|version")


def endpoint_table(endpoints: list[Endpoint]) -> list[str]:
    """The inventory as `endpoint:` lines a role (or a person) can read and parse.

    Example:
        >>> e = Endpoint("POST", "/predict", "predict", "serve/app.py", 25, "fastapi")
        >>> endpoint_table([e])[0]
        'endpoint: POST /predict serve/app.py:25 handler=predict auth=none inputs=- pagination=no errors=-'
    """
    return [
        f"endpoint: {e.method} {e.path} {e.file}:{e.line} handler={e.handler} "
        f"auth={e.auth or ('public' if e.public else 'none')} "
        f"inputs={','.join(i.replace(' ', '') for i in e.inputs) or '-'} "
        f"pagination={'yes' if e.paginated else 'no'} "
        f"errors={','.join(map(str, e.errors)) or '-'}"
        for e in endpoints
    ]


def backend_review(repo: Repo) -> list[RoleFinding]:
    """Every Backend Architect finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in backend_review(Repo.scan(Path("scenarios/fixtures/churn")))]
        ['endpoint-no-auth', 'api-unversioned']
    """
    endpoints, apps = web_inventory(repo)
    out: list[RoleFinding] = []
    for e in endpoints:
        where = f"{e.method} {e.path} ({e.handler})"
        evidence = repo.line_text(e.file, e.line)
        if not e.auth and not e.public:
            mutating = e.method in ("POST", "PUT", "PATCH", "DELETE", "ANY")
            out.append(
                finding(
                    "endpoint-no-auth",
                    e.file,
                    e.line,
                    f"{where} requires no authentication and is not marked public; add an auth "
                    "dependency or decorator",
                    evidence=evidence,
                    severity="error" if mutating and e.method != "ANY" else None,
                )
            )
        if e.method == "POST" and e.writes and not e.idempotency_key:
            out.append(
                finding(
                    "post-not-idempotent",
                    e.file,
                    e.line,
                    f"{where} creates records but takes no idempotency key: a client retry "
                    "creates a duplicate; accept an Idempotency-Key header",
                    evidence=evidence,
                )
            )
        if e.method == "GET" and e.returns_list and not e.paginated:
            out.append(
                finding(
                    "list-not-paginated",
                    e.file,
                    e.line,
                    f"{where} returns a list with no limit/offset/cursor parameter; the response "
                    "grows with the table",
                    evidence=evidence,
                )
            )
    private = [e for e in endpoints if not e.public]
    if private and not any(_VERSIONED.search(e.path) for e in endpoints):
        app = apps[0] if apps else None
        file, line = (app.file, app.line) if app else (private[0].file, private[0].line)
        out.append(
            finding(
                "api-unversioned",
                file,
                line,
                f"none of the {len(endpoints)} endpoint(s) carries a version (e.g. /v1/...); a "
                "breaking change has nowhere to go but in place",
                evidence=repo.line_text(file, line),
            )
        )
    out += ruff_findings(
        repo,
        {
            "sql-string-built": "SQL is built from strings (injection risk); pass values as "
            "bound parameters",
            "swallowed-exception": "a broad except does nothing: the failure disappears and "
            "the caller sees success; log it or let it propagate",
        },
    )
    return out
