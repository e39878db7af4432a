"""http-no-timeout through a service's API client whose library waits for ever by default.

ruff's S113 sees `requests.get(url)`; it does not see the wrappers that call requests for you.
python-scrapyd-api's `ScrapydAPI(target, timeout=None)` hands its timeout to every request it
makes, and with none given each one waits as long as the Scrapyd host does (gerapy builds one
per request in `get_scrapyd()`, so a host that accepts and stalls holds a worker for ever).
python-gitlab's `Gitlab(timeout=None)`, jira's `JIRA(timeout=None)` and python-jenkins'
`Jenkins(timeout=socket._GLOBAL_DEFAULT_TIMEOUT)` do the same. A client built with `timeout=`,
or with keyword arguments spread from elsewhere (`**options`, which may hold one), is left
alone. One finding per construction, outside the tests.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["client_timeouts"]

# (module, class) -> the distribution, for the message
_NO_TIMEOUT = {
    ("scrapyd_api", "ScrapydAPI"): "python-scrapyd-api",
    ("gitlab", "Gitlab"): "python-gitlab",
    ("jira", "JIRA"): "jira",
    ("jira.client", "JIRA"): "jira",
    ("jenkins", "Jenkins"): "python-jenkins",
}
# the timeout's place among the positional parameters, where a caller may pass it so
_TIMEOUT_POSITION = {"ScrapydAPI": 4, "Jenkins": 3}


def _bound_names(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """The names a module binds to those classes (`ScrapydAPI`, `gitlab.Gitlab`)."""
    names: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if (node.module, alias.name) in _NO_TIMEOUT:
                    names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                for module, cls in _NO_TIMEOUT:
                    if alias.name == module:
                        names[f"{alias.asname or alias.name}.{cls}"] = (module, cls)
    return names


def client_timeouts(repo: Repo) -> list[RoleFinding]:
    """An http-no-timeout finding per API client built with no timeout whose library sets none.

    Example:
        >>> from pathlib import Path
        >>> client_timeouts(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        names = _bound_names(tree)
        if not names:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            key = names.get(ast.unparse(node.func))
            if key is None or any(kw.arg in (None, "timeout") for kw in node.keywords):
                continue
            if len(node.args) > _TIMEOUT_POSITION.get(key[1], len(node.args)):
                continue  # passed in its place (`Jenkins(url, user, password, 10)`)
            out.append(
                finding(
                    "http-no-timeout",
                    rel,
                    node.lineno,
                    f"{key[1]}(...) is built with no timeout, and {_NO_TIMEOUT[key]} then "
                    "waits on every request as long as the server does; pass timeout=",
                    evidence=repo.line_text(rel, node.lineno),
                )
            )
    return out
