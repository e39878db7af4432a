"""A statement retried in an `except` branch is the statement the `try` ran, not a second problem.

auto_ml calibrates its final model with `calibrated_classifier.fit(X_test_processed, y_test)`
inside a `try`, and runs the very same statement again in the `except TypeError` branch after
turning a sparse matrix dense. Any rule that flags the first flags the retry for the same reason;
the user has one thing to fix. So a finding on a retry is folded into the finding of the same
rule on the statement in the `try` body, which names the retry's line.
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
    rule reported that statement; a different statement in the handler keeps its finding.

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
    retries = {src.rel: dict(_retried_lines(src.tree)) for src in sources}
    reported = {(f.path, f.line, f.rule) for f in findings}
    folded: dict[tuple[str, int, str], list[int]] = {}
    kept = []
    for f in findings:
        first = retries.get(f.path, {}).get(f.line)
        if first is not None and (f.path, first, f.rule) in reported:
            folded.setdefault((f.path, first, f.rule), []).append(f.line)
        else:
            kept.append(f)
    return [_naming(f, folded.get((f.path, f.line, f.rule), [])) for f in kept]


def _naming(f: Finding, lines: list[int]) -> Finding:
    if not lines:
        return f
    where = ", ".join(map(str, sorted(set(lines))))
    plural = "s" if len(set(lines)) > 1 else ""
    return replace(
        f,
        message=f"{f.message} The same statement is retried at line{plural} {where} "
        "(except branch).",
    )


def _retried_lines(tree: ast.AST) -> Iterator[tuple[int, int]]:
    """(line of a statement in an `except` branch, line of its twin in the `try` body)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        body = {ast.dump(s): s.lineno for s in _simple_statements(node.body)}
        for handler in node.handlers:
            for s in _simple_statements(handler.body):
                first = body.get(ast.dump(s))
                if first is not None:
                    yield s.lineno, first


def _simple_statements(block: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The assignments and expression statements of a block, nested blocks included."""
    for stmt in block:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)):
                yield node
