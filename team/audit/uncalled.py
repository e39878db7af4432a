"""Code that nothing in the repository runs: a module-level function with no decorator, in a
module other modules import (a library module, not a script or a lone file), whose name no
module mentions besides its own definition. No route registers it (a route is
decorated, or named in a URL table), no caller, import or `__all__` names it; what it does
per item or per await stalls no one (lemur's `database.update_list`, hyperglass's
`util.write_env`, both judged dead code). Dispatch by a name built at run time
(`getattr(module, "handle_" + kind)`) is not followed. A `#` comment names nothing that runs:
pyramid-oereb's `url.url_to_base64`, whose only caller is a line of the JSON renderer
commented out under a TODO to delete it, is dead code (a string or a docstring still counts).

A module-level function whose name other modules use only for their own function of that
name (defined there, or imported from a module other than its own) or in the test suite is
no one's either: tomtoolkit's `soar.make_request` and `blanco.make_request`, copies of
`ocs.make_request` that the facilities inheriting from OCS never call (the calls in `ocs.py`
and the `from ...ocs import make_request` of `lco_redirect.py` are `ocs`'s); one its own
module calls (`gemini.make_request`), another module imports from it or looks up by its name
as a string (`getattr(module, "make_request")`) stays live.

A method only the test suite calls is the suite's helper: quetz's `RQManager.wait()`, declared
async "so as to make redis-queue compatible with the testing framework. It is not to be used
otherwise", awaited in `tests/` and named by no other module; no request waits on it.

A plain class of a module no other module imports, whose name nothing mentions but its own
`class` line, is never made: sovereign's `tracing.Tracer`, defined under `if TRACING is not
None:` and posting spans with `requests.post`, in a module nothing imports (judged dead code).
A class with a base, a metaclass or a decorator (on it or on a method: pyramid's
`@view_config`) may be registered by what it extends, and one the project names elsewhere (a
middleware or backend listed by a dotted string in settings, its documentation) is made by the
framework: neither is counted.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import cast

from team.audit.repo import Repo, is_test

__all__ = ["only_tests_call", "shadowed", "uncalled", "unused_class"]


def uncalled(repo: Repo, rel: str, line: int) -> bool:
    """Whether `line` of `rel` lies in a module-level, undecorated function that no module of
    `repo` names anywhere but in its `def`, in a module another module imports.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "db.py").write_text("def used():\\n    pass\\n\\n\\ndef dead():\\n    pass\\n")
        >>> _ = (root / "app.py").write_text("from db import used\\nused()\\n")
        >>> repo = Repo.scan(root)
        >>> uncalled(repo, "db.py", 2), uncalled(repo, "db.py", 6)
        (False, True)
    """
    fn = _plain_function(repo, rel, line)
    if fn is None or _mentions(repo, fn.name) > 1:
        return False
    return _imported(repo, rel)


# methods a framework calls by their name (a handler's verbs and hooks), whatever else names them
_DISPATCHED = re.compile(
    r"^(?:__\w+__|get|post|put|patch|delete|head|options|open|prepare|dispatch|handle\w*|on_\w+)$"
)


# decorators that change how a method is bound or memoize it, and hand it to no framework
# (papaye's `@classmethod`, beaker's `@cache_region('pypi', ...)`)
_WRAPS_ONLY = re.compile(r"(?i)classmethod|staticmethod|\w*cache\w*|memoi[sz]\w*")


def _name(deco: ast.expr) -> str:
    """The last part of a decorator's name, called or not (`cache_region` of `@b.cache_region()`)."""
    target = deco.func if isinstance(deco, ast.Call) else deco
    return ast.unparse(target).rsplit(".", 1)[-1]


def only_tests_call(repo: Repo, rel: str, line: int) -> bool:
    """Whether `line` of `rel` lies in a method whose name test modules use and no other module
    of `repo` does, as a name or an attribute (`await manager.wait()` in `tests/`), with no
    decorator but ones that bind or memoize it (`@classmethod`, `@cache_region(...)`).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "tests").mkdir()
        >>> _ = (root / "jobs.py").write_text(
        ...     "class Q:\\n    async def wait(self):\\n        pass\\n"
        ...     "\\n    async def run(self):\\n        pass\\n"
        ... )
        >>> _ = (root / "app.py").write_text("async def go(q):\\n    await q.run()\\n")
        >>> _ = (root / "tests" / "test_jobs.py").write_text(
        ...     "async def test(q):\\n    await q.wait()\\n    await q.run()\\n"
        ... )
        >>> repo = Repo.scan(root)
        >>> only_tests_call(repo, "jobs.py", 3), only_tests_call(repo, "jobs.py", 6)
        (True, False)
    """
    tree = repo.tree(rel)
    if tree is None or is_test(rel):
        return False
    method = next(
        (
            fn
            for cls in tree.body
            if isinstance(cls, ast.ClassDef)
            for fn in cls.body
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            and fn.lineno <= line <= (fn.end_lineno or fn.lineno)
        ),
        None,
    )
    if method is None or _DISPATCHED.match(method.name):
        return False
    if any(not _WRAPS_ONLY.fullmatch(_name(deco)) for deco in method.decorator_list):
        return False  # a decorator may hand the method to a framework
    users = {other for other in repo.python if _uses(repo, other, method.name)}
    return bool(users) and all(is_test(other) for other in users)


def _uses(repo: Repo, rel: str, name: str) -> bool:
    """Module `rel` reads `name`: a name or an attribute, not a definition of it."""
    if name not in repo.text(rel):
        return False
    tree = repo.tree(rel)
    return tree is not None and any(
        (isinstance(node, ast.Attribute) and node.attr == name)
        or (isinstance(node, ast.Name) and node.id == name)
        for node in ast.walk(tree)
    )


def unused_class(repo: Repo, rel: str, line: int) -> bool:
    """Whether `line` of `rel` lies in a plain class (no base, keyword or decorator), defined
    in the module's body (under `if`/`try` too, not in a function), that no module of `repo`
    names but in its `class` line, in a module no other module imports, named by no other file
    of the enclosing project either.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> root = Path(tempfile.mkdtemp())
        >>> src = "if ON:\\n    class Tracer:\\n        def send(self):\\n            post()\\n"
        >>> _ = (root / "tracing.py").write_text(src)
        >>> _ = (root / "app.py").write_text("def main():\\n    pass\\n")
        >>> unused_class(Repo.scan(root), "tracing.py", 4)
        True
        >>> _ = (root / "app.py").write_text("from tracing import Tracer\\nTracer().send()\\n")
        >>> unused_class(Repo.scan(root), "tracing.py", 4)
        False
    """
    tree = repo.tree(rel)
    if tree is None or is_test(rel):
        return False
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If | ast.Try):
            todo += [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
            todo += [s for h in getattr(node, "handlers", []) for s in h.body]
        elif isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or 0):
            plain = not (node.bases or node.keywords or node.decorator_list) and not any(
                not _WRAPS_ONLY.fullmatch(_name(deco)) and _name(deco) != "property"
                for fn in node.body
                if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                for deco in fn.decorator_list
            )
            return (
                plain
                and _mentions(repo, node.name) == 1
                and not _imported(repo, rel)
                and not _named_in_project(repo.root, node.name)
            )
    return False


_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
_TEXT_FILES = frozenset([".py", ".md", ".rst", ".txt", ".cfg", ".toml", ".ini", ".yaml", ".yml"])


def _named_in_project(root: Path, name: str) -> bool:
    """Whether a file of the enclosing project outside `root` (its settings, docs, an example
    site) names `name`: a class listed by a dotted string in settings (a Django middleware or
    authentication backend) is made by the framework."""
    top = next(
        (
            p
            for p in [root, *list(root.resolve().parents)[:4]]
            if any((p / m).exists() for m in _PROJECT_MARKERS)
        ),
        root,
    )
    word = re.compile(rf"\b{re.escape(name)}\b")
    for path in top.rglob("*"):
        if path.suffix not in _TEXT_FILES or root.resolve() in path.resolve().parents:
            continue
        try:
            if word.search(path.read_text(encoding="utf-8", errors="replace")):
                return True
        except OSError:
            continue
    return False


def shadowed(repo: Repo, rel: str, line: int) -> bool:
    """Whether `line` of `rel` lies in a module-level, undecorated function, named once in its
    own module and by other modules too, each of which binds the name to a function of its own
    (a module-level `def` of that name) or imports it from a module of another name, or is a
    test module (at least one module is not: a function only tests name may be a library's
    API); `rel`'s module is imported elsewhere, or named by a dotted path in a
    string (a class settings list), so it is a library module and not a script.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> root = Path(tempfile.mkdtemp())
        >>> src = "def fetch():\\n    pass\\n"
        >>> for name in ("ocs", "soar"):
        ...     _ = (root / f"{name}.py").write_text(src)
        >>> _ = (root / "main.py").write_text("import ocs\\nimport soar\\n")
        >>> _ = (root / "app.py").write_text("from ocs import fetch\\nfetch()\\n")
        >>> shadowed(Repo.scan(root), "soar.py", 2), shadowed(Repo.scan(root), "ocs.py", 2)
        (True, False)
    """
    fn = None if is_test(rel) else _plain_function(repo, rel, line)
    if fn is None or _FOUND_BY_NAME.match(fn.name) or _mentions(repo, fn.name) == 1:
        return False  # named by no other module: `uncalled`'s case
    word = re.compile(rf"\b{re.escape(fn.name)}\b")
    stem = _stem(rel)
    users = [o for o in repo.python if o != rel and word.search(repo.text(o))]
    if (
        len(word.findall(repo.text(rel))) != 1
        or all(is_test(other) for other in users)  # a library's API its users call, maybe
        or not all(is_test(o) or _binds_own(repo, o, fn.name, stem) for o in users)
    ):
        return False
    loaded = re.compile(rf"""["'][\w.]*\b{re.escape(stem)}\.\w""")  # a dotted path in settings
    return _imported(repo, rel) or any(
        loaded.search(repo.text(other)) for other in repo.python if other != rel
    )


# module-level functions a framework or an installer looks up by their name (Flask's CLI finds
# `create_app`, Pyramid's `config.include` runs `includeme`, a console script calls `main`)
_FOUND_BY_NAME = re.compile(r"^(?:create_app|make_app|includeme|main|setup|run|application)$")


def _plain_function(
    repo: Repo, rel: str, line: int
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The undecorated function of `rel`'s module body that `line` lies in, if any."""
    tree = repo.tree(rel)
    fn = next(
        (
            node
            for node in (tree.body if tree is not None else [])
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
        ),
        None,
    )
    return None if fn is None or fn.decorator_list else fn


def _binds_own(repo: Repo, rel: str, name: str, stem: str) -> bool:
    """Module `rel` names `name` only as a function of its own or one it imports from a module
    not named `stem`: no attribute `.name`, no string of the name, no import that reaches
    `stem`'s."""
    tree = repo.tree(rel)
    if tree is None or stem == _stem(rel):
        return False
    if re.search(rf"\b{re.escape(stem)}\b", repo.text(rel)):
        return False  # it names the module itself (an import, a patch target, an attribute)
    defined = any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        for node in tree.body
    )
    imported = any(
        isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names)
        for node in ast.walk(tree)
    )
    # a lookup by the name as a string (`getattr(sys.modules[...], "make_request")`, an
    # `import_string` path ending in `.make_request`) may reach any module's copy; a string
    # naming only the module (tomtoolkit's FACILITIES setting) looks up no function by name
    looked_up = any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.rsplit(".", 1)[-1] == name
        for node in ast.walk(tree)
    )
    attribute = any(
        isinstance(node, ast.Attribute) and node.attr == name for node in ast.walk(tree)
    )
    return (defined or imported) and not attribute and not looked_up


def _imported(repo: Repo, rel: str) -> bool:
    """Another module has an import line naming `rel`'s module (`from lemur import database`,
    `from .util import x`): read as text, since the reviewed folder's own name (`lemur`) is
    the package prefix its imports spell and not a folder of the repository."""
    line = re.compile(rf"(?m)^\s*(?:from|import)\b[^\n#]*\b{re.escape(_stem(rel))}\b")
    return any(line.search(repo.text(other)) for other in repo.python if other != rel)


def _stem(rel: str) -> str:
    """The name imports spell for module `rel` (a package's for its `__init__.py`)."""
    parts = rel.removesuffix(".py").split("/")
    return parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]


def _mentions(repo: Repo, name: str) -> int:
    """How many times `name` occurs as a whole word in the code of the repository's Python
    files: a `#` comment is left out, so a call commented out (`#  x = url_to_base64(...)`)
    runs nothing, while a string or a docstring that names it still counts."""
    memo = cast("dict[str, int]", repo.memo.setdefault("name_mentions", {}))
    if name not in memo:
        word = re.compile(rf"\b{re.escape(name)}\b")
        memo[name] = sum(
            len(word.findall(_code(repo, rel)))
            for rel in repo.python
            if word.search(repo.text(rel))
        )
    return memo[name]


def _code(repo: Repo, rel: str) -> str:
    """The text of module `rel` with its `#` comments blanked (the text as it is when it does
    not tokenize).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "a.py").write_text("x = '# kept'  # dropped\\n# gone\\n")
        >>> _code(Repo.scan(root), "a.py")
        "x = '# kept'\\n\\n"
    """
    memo = cast("dict[str, str]", repo.memo.setdefault("code_texts", {}))
    if rel not in memo:
        text = repo.text(rel)
        lines = io.StringIO(text).readlines()  # the rows tokenize counts, not splitlines()'s
        try:
            for tok in tokenize.generate_tokens(io.StringIO(text).readline):
                if tok.type == tokenize.COMMENT:
                    row, col = tok.start
                    lines[row - 1] = lines[row - 1][:col].rstrip() + "\n"
        except (tokenize.TokenError, SyntaxError, IndexError):
            lines = [text]
        memo[rel] = "".join(lines)
    return memo[rel]
