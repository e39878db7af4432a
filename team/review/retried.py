"""A statement retried in an `except` branch is the statement the `try` ran, not a second problem.

auto_ml calibrates its final model with `calibrated_classifier.fit(X_test_processed, y_test)`
inside a `try`, and runs the very same statement again in the `except TypeError` branch after
turning a sparse matrix dense. Any rule that flags the first flags the retry for the same reason;
the user has one thing to fix. So a finding on a retry is folded into the finding of the same
rule on the statement in the `try` body, which names the retry's line.

deep-autoviml builds its Optuna study in both arms of an `if`/`else` on the direction to
optimise (`study = optuna.create_study(..., direction="maximize")`, else `"minimize"`): one
missing sampler seed, reported on both lines, though only one arm runs and one fix covers both.
So a finding on a statement of an `else` arm is folded the same way into the finding of the
same rule on the statement of the `if` arm that assigns the same names from the same call.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from team.review.core import Finding
    from team.review.sources import SourceFile

__all__ = ["fold_retries"]


def fold_retries(findings: list[Finding], sources: list[SourceFile]) -> list[Finding]:
    """`findings` with each finding on a retried statement folded into its `try` body twin.

    A retry counts only when the `try` body holds a statement written the same way and the same
    rule reported that statement; a different statement in the handler keeps its finding. An
    `else` arm's statement folds into the `if` arm's one that assigns the same names from a call
    of the same function, when the same rule reported both.

    Example:
        >>> from team.review.core import Finding
        >>> from team.review.sources import SourceFile
        >>> code = "try:\\n    m.fit(X_test, y)\\nexcept TypeError:\\n    m.fit(X_test, y)\\n"
        >>> src = SourceFile("a.py", code, ast.parse(code))
        >>> found = [Finding("a.py", n, "fit-on-test", "error", "m is fitted on test.", "")
        ...          for n in (2, 4)]
        >>> [(f.line, f.message) for f in fold_retries(found, [src])]
        [(2, 'm is fitted on test. The same statement is retried at line 4 (except branch).')]
    """
    twins = {
        src.rel: {**dict(_arm_twins(src.tree)), **dict(_retried_lines(src.tree))} for src in sources
    }
    reported = {(f.path, f.line, f.rule) for f in findings}
    folded: dict[tuple[str, int, str], list[tuple[int, str]]] = {}
    kept = []
    for f in findings:
        first, where = twins.get(f.path, {}).get(f.line, (0, ""))
        if first and (f.path, first, f.rule) in reported:
            folded.setdefault((f.path, first, f.rule), []).append((f.line, where))
        else:
            kept.append(f)
    return [_naming(f, folded.get((f.path, f.line, f.rule), [])) for f in kept]


def _naming(f: Finding, twins: list[tuple[int, str]]) -> Finding:
    message = f.message
    for where in dict.fromkeys(w for _, w in twins):
        lines = sorted({line for line, w in twins if w == where})
        plural = "s" if len(lines) > 1 else ""
        done = "retried" if where == _EXCEPT else "made"
        message += (
            f" The same statement is {done} at line{plural} {', '.join(map(str, lines))} ({where})."
        )
    return replace(f, message=message) if twins else f


_EXCEPT = "except branch"
_ELSE = "the other arm of the if"


def _retried_lines(tree: ast.AST) -> Iterator[tuple[int, tuple[int, str]]]:
    """(line of a statement in an `except` branch, line of its twin in the `try` body)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        body = {ast.dump(s): s.lineno for s in _simple_statements(node.body)}
        for handler in node.handlers:
            for s in _simple_statements(handler.body):
                first = body.get(ast.dump(s))
                if first is not None:
                    yield s.lineno, (first, _EXCEPT)


def _arm_twins(tree: ast.AST) -> Iterator[tuple[int, tuple[int, str]]]:
    """(line of a statement in an `else` arm, line of the statement in the `if` arm that
    assigns the same names from a call of the same function), its arguments aside."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or not node.orelse:
            continue
        body: dict[str, int] = {}
        for s in _simple_statements(node.body):
            body.setdefault(_call_shape(s), s.lineno)
        for s in _simple_statements(node.orelse):
            first = body.get(_call_shape(s))
            if first is not None and _call_shape(s):
                yield s.lineno, (first, _ELSE)


def _call_shape(stmt: ast.stmt) -> str:
    """`study = optuna.create_study(...)` as its targets and callee; "" for other statements."""
    value = getattr(stmt, "value", None)
    if not isinstance(value, ast.Call):
        return ""
    targets = getattr(stmt, "targets", None) or [getattr(stmt, "target", None)]
    return ast.dump(ast.Tuple([t for t in targets if t], ast.Load())) + ast.dump(value.func)


def _simple_statements(block: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The assignments and expression statements of a block, nested blocks included."""
    for stmt in block:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)):
                yield node
