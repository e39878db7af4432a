"""When a retried POST does no harm, so it needs no idempotency key: the handler refuses a
second copy (an upsert, a lookup that answers an error, an exception named for a duplicate), or
what it creates is unique by nature (an account) or harmless twice (a comment its author deletes).
"""

from __future__ import annotations

import ast
import re

from team.audit.web import Endpoint, _call_name, _exits

__all__ = ["retry_safe"]

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
_DUPLICATE_TEXT = re.compile(r"(?i)\balready (?:exists?|registered|taken|in use)\b|\bduplicate\b")
_LOOKUPS = frozenset(["exists", "first", "one_or_none", "scalar_one_or_none", "scalar", "count"])
# what a retried POST creates when it is a sign-up (accounts are keyed by a unique name or
# e-mail), or user-written content the author sees and deletes (nothing is counted or charged)
_SIGN_UP = re.compile(r"(?i)sign_?up|register")
_AUTHORED = re.compile(r"(?i)comment|repl(?:y|ies)|reaction")


def _refuses_duplicate(node: ast.AST) -> bool:
    """The handler stops a second copy: an upsert (`get_or_create`, ON CONFLICT), a lookup
    that answers an error when the record exists (`if X.query.filter_by(...).first() is not
    None: return ...`), an error message or an exception named for a duplicate (`already
    exists`, `UserAlreadySuspended`, `except IntegrityError` on its own). A docstring that
    mentions a duplicate stops nothing."""
    docstrings = {
        id(s.value)
        for n in ast.walk(node)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for s in n.body[:1]
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
    }
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
            and any(
                isinstance(n, ast.Call) and _call_name(n) in _LOOKUPS for n in ast.walk(sub.test)
            )
            and _exits(sub.body)
        ):
            return True
    return False


def retry_safe(e: Endpoint) -> bool:
    """A retried POST does no harm: the handler refuses a duplicate, the POST signs a user up
    (a unique account), or it adds a comment, reply or reaction.

    Example:
        >>> code = "def add_tag(name):\\n    Tag.objects.get_or_create(name=name)"
        >>> fn = ast.parse(code).body[0]
        >>> retry_safe(Endpoint("POST", "/v1/tags", "add_tag", "app.py", 1, "flask", node=fn))
        True
        >>> retry_safe(Endpoint("POST", "/v1/orders", "add_order", "app.py", 1, "flask"))
        False
    """
    literal = [p for p in e.path.split("/") if p and not p.startswith(("{", "<", "("))]
    named = f"{e.handler} {literal[-1] if literal else ''}"
    if _SIGN_UP.search(named) or _AUTHORED.search(named):
        return True
    return e.node is not None and _refuses_duplicate(e.node)
