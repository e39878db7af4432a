"""Does serving code record its predictions? Logging, metrics, stores, hooks and decorators."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import RepoIndex, SourceFile

if TYPE_CHECKING:
    from team.review.funcs import Func
    from team.review.interfaces import CallGraph

__all__ = ["decorated_for_monitoring", "logger_names", "monitoring_findings", "monitors"]

_LOG_ROOTS = words(
    "logging structlog loguru prometheus_client statsd datadog opentelemetry mlflow wandb "
    "evidently whylogs sentry_sdk"
)
_LOGGERS = re.compile(
    r"^_?(log|logger|logging|audit_log|metrics|statsd|monitor|telemetry|"
    r"tracer|prediction_log|pred_log)$",
    re.I,
)
_LOG_FUNCS = re.compile(r"(^|_)(log|record|track|monitor|emit|audit|observe|publish)(_|$)")
_METRIC_METHODS = words("inc dec observe labels incr increment timing gauge histogram")
_STORE_METHODS = words(
    "insert insert_one insert_many to_sql put_item send produce xadd lpush rpush writerow "
    "writerows to_csv to_parquet write add_task"
)
_HOOKS = words("middleware after_request before_request teardown_request")
_MATH_ROOTS = words("numpy math torch tensorflow pandas scipy jax")


def monitors(src: SourceFile, repo: RepoIndex, call: ast.Call, loggers: set[str]) -> bool:
    """A logging, metrics, prediction-store or tracking call."""
    func = call.func
    qual = repo.qualify(src, func) or ""
    root, last = qual.split(".")[0], qual.rsplit(".", 1)[-1]
    if root in _LOG_ROOTS or last == "print":
        return True
    if isinstance(func, ast.Attribute):
        base = func.value
        while isinstance(base, ast.Attribute):
            if _LOGGERS.match(base.attr) or base.attr in loggers:
                return True
            base = base.value
        if isinstance(base, ast.Name) and (_LOGGERS.match(base.id) or base.id in loggers):
            return True
        if func.attr in _METRIC_METHODS or func.attr in _STORE_METHODS:
            return True
        if (
            func.attr == "execute"
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and (str(call.args[0].value).lstrip().lower().startswith("insert"))
        ):
            return True
    if root in _MATH_ROOTS:
        return False
    return bool(_LOG_FUNCS.search(last))


def logger_names(src: SourceFile, repo: RepoIndex) -> set[str]:
    """Names (or attributes) bound to `logging.getLogger(...)`-style loggers in a module."""
    names = set()
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            qual = repo.qualify(src, node.value.func) or ""
            if qual.rsplit(".", 1)[-1] in ("getLogger", "get_logger", "Logger", "getChild"):
                names |= {
                    t.id if isinstance(t, ast.Name) else t.attr
                    for t in node.targets
                    if isinstance(t, ast.Name | ast.Attribute)
                }
    return names


def decorated_for_monitoring(node: ast.AST) -> bool:
    """`@track_predictions`, `@log_calls`, `@instrument(...)`, `@trace` on a function."""
    for dec in getattr(node, "decorator_list", []):
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = leaf_name(target)
        if _LOG_FUNCS.search(name) or "instrument" in name or "trace" in name:
            return True
    return False


def _app_monitored(graph: CallGraph, src: SourceFile) -> bool:
    """Monitoring wired into the whole app: middleware, instrumentation, request hooks."""
    for node in src.tree.body:
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                break
            name = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            if name in ("add_middleware", "instrument"):
                return True
        for dec in getattr(node, "decorator_list", []):
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Attribute) and target.attr in _HOOKS:
                key = (src.rel, node.name)  # type: ignore[attr-defined]
                if any(graph.funcs[k].monitors for k in graph.reach([key])):
                    return True
    return False


def monitoring_findings(graph: CallGraph, handlers: list[Func]) -> list[Finding]:
    """Handlers that reach a prediction but record nothing about it."""
    out = []
    for h in handlers:
        reached = graph.reach([h.key])
        if not any(graph.funcs[k].predicts for k in reached):
            continue
        if any(graph.funcs[k].monitors for k in reached) or _app_monitored(graph, h.src):
            continue
        if h.predicts:
            line = min(c.lineno for c in h.predicts)
        else:
            line = min(
                call.lineno
                for key, call in h.calls
                if any(graph.funcs[k].predicts for k in graph.reach([key]))
            )
        name = h.key[1].split(".")[-1]
        where = f"the {h.route} handler `{name}`" if h.route else f"`{name}`"
        out.append(
            make_finding(
                h.src,
                "serving-without-monitoring",
                line,
                f"{where} returns model predictions without logging or recording them (no logger, "
                "metrics client or prediction store here or in the functions it calls), so drift and "
                "degradation go unnoticed. Log inputs and predictions and export prediction metrics.",
            )
        )
    return out
