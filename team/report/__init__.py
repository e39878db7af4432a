"""HTML reports: a run (the team graph with the path taken, a timeline, findings, deliverables)
and an evaluation (pass/fail, expected vs actual paths, per-role scores, a confusion heat map).

Pages are self-contained (they load nothing) and built from Jinja2 templates shipped with the
package. Jinja2 and markdown-it load only when a page is rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["eval_report", "run_report", "thread_report", "write_eval_report", "write_run_report"]


def run_report(result: Any, team: Any, **options: Any) -> str:
    """A run's page; see ``team.report.runpage.run_report``."""
    from team.report.runpage import run_report as build

    return build(result, team, **options)


def eval_report(suite: Any, team: Any, **options: Any) -> str:
    """An evaluation's page; see ``team.report.evalpage.eval_report``."""
    from team.report.evalpage import eval_report as build

    return build(suite, team, **options)


def thread_report(values: dict[str, Any], team: Any, **options: Any) -> str:
    """A checkpointed thread's page; see ``team.report.thread.thread_report``."""
    from team.report.thread import thread_report as build

    return build(values, team, **options)


def write_run_report(result: Any, team: Any, path: str | Path, **options: Any) -> Path:
    """Write a run's page to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(run_report(result, team, **options), encoding="utf-8")
    return target


def write_eval_report(suite: Any, team: Any, path: str | Path, **options: Any) -> Path:
    """Write an evaluation's page to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(eval_report(suite, team, **options), encoding="utf-8")
    return target
