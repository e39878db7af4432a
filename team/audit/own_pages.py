"""Data endpoints the app's own templates call: the same-origin AJAX helpers of its pages, whose
only client ships with the server, so the api-unversioned rule (`pages.py`) counts them with
the pages rather than as an API.

Specter's wallet UI answers JSON from 39 of its 124 Flask endpoints (`txlist`, `utxo_list`,
`addresses_list`...), and its Jinja templates name 36 of them with
`url_for('wallets_endpoint_api.txlist', ...)` for the bundled JavaScript to fetch, behind the
same `login_required` as the pages: the signed-in browser is their client. The templates
are read in the reviewed folder and, when it is a package inside another, in that package's
`templates/` folder (Flask's layout: `specter/templates/` beside `specter/server_endpoints/`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from team.audit.repo import Repo, is_test

__all__ = ["named_by_own_templates"]

_TEMPLATE = re.compile(r"\.(?:html?|jinja2?|j2|js)$")
# `url_for('blueprint.handler'` or `url_for("handler"`: Flask's reverse of an endpoint's name
_URL_FOR = re.compile(r"""url_for\(\s*['"](?:[\w.]+\.)?(\w+)['"]""")
_MAX_FILES = 2000


def named_by_own_templates(repo: Repo) -> frozenset[str]:
    """The endpoint names (a handler's, after the blueprint's dot) that the templates and
    scripts shipped with the app pass to `url_for`.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> (top / "templates").mkdir()
        >>> _ = (top / "templates" / "wallet.html").write_text(
        ...     "fetch('{{ url_for(\\"wallets_api.txlist\\", alias=a) }}')")
        >>> sorted(named_by_own_templates(Repo.scan(top)))
        ['txlist']
    """
    if "own_templates" not in repo.memo:
        names: set[str] = set()
        for path in _templates(repo):
            text = path.read_text(encoding="utf-8", errors="replace")
            if "url_for" in text:
                names |= set(_URL_FOR.findall(text))
        repo.memo["own_templates"] = frozenset(names)
    names = repo.memo["own_templates"]
    return names if isinstance(names, frozenset) else frozenset()


def _templates(repo: Repo) -> Iterator[Path]:
    """Template and script files of the reviewed folder (tests aside) and of the enclosing
    package's `templates/` folder."""
    own = [repo.root / rel for rel in repo.files if _TEMPLATE.search(rel) and not is_test(rel)]
    yield from own[:_MAX_FILES]
    outer = repo.root.parent
    if (repo.root / "__init__.py").exists() and (outer / "__init__.py").exists():
        found = (p for p in (outer / "templates").rglob("*") if _TEMPLATE.search(p.name))
        for n, path in enumerate(found):
            if n >= _MAX_FILES:
                break
            if path.is_file():
                yield path
