"""Pages the report tests share: the flagship run and a small suite with one failing scenario."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from helpers import ROOT

FLAGSHIP = ROOT / "scenarios" / "churn_flagship.yaml"
FLAGSHIP_PATH = ["ml_engineer", "backend_architect", "data_engineer", "pm"]
WRONG_PATH = ["pm", "system_architect", "devops_engineer", "pm"]


@lru_cache(maxsize=1)
def team() -> Any:
    from team.topology import Team

    return Team.load()


@lru_cache(maxsize=1)
def flagship() -> Any:
    """The flagship scenario's ``RunResult`` (offline, default thread id: reproducible)."""
    from team.engine import run_team
    from team.scenarios import load_scenario

    scenario = load_scenario(FLAGSHIP)
    return run_team(
        team(), scenario.request, followups=scenario.followups, repo=scenario.repo_path()
    )


@lru_cache(maxsize=1)
def flagship_page() -> str:
    from team.report import run_report
    from team.scenarios import load_scenario

    scenario = load_scenario(FLAGSHIP)
    return run_report(flagship(), team(), repo=scenario.repo_path(), title=scenario.name)


def write_wrong_scenario(folder: Path) -> Path:
    """A copy of pm_revenue_report that expects a path the team does not take."""
    text = (ROOT / "scenarios" / "pm_revenue_report.yaml").read_text(encoding="utf-8")
    text = text.replace("name: pm_revenue_report", "name: pm_revenue_wrong").replace(
        "path: [pm, data_engineer, devops_engineer]", f"path: [{', '.join(WRONG_PATH)}]"
    )
    assert "pm_revenue_wrong" in text and "system_architect" in text
    target = folder / "wrong.yaml"
    target.write_text(text, encoding="utf-8")
    return target


@lru_cache(maxsize=1)
def _scenario_folder() -> Any:
    import tempfile

    return tempfile.TemporaryDirectory(prefix="report-suite-")  # removed at exit


@lru_cache(maxsize=1)
def small_suite() -> Any:
    """A suite of two scenarios (one passes, one fails); the failing one's file stays readable
    while the tests run, since the page reads the expected path from it."""
    from team.evaluate.suite import run_suite

    wrong = write_wrong_scenario(Path(_scenario_folder().name))
    return run_suite([ROOT / "scenarios" / "pm_revenue_report.yaml", wrong])


def normalized(page: str) -> str:
    """A run page without what differs between identical runs: the thread id and timings."""
    page = re.sub(r'<span class="secs">[^<]*</span>', '<span class="secs"></span>', page)
    return re.sub(r'<code class="thread-id">[^<]*</code>', '<code class="thread-id"></code>', page)
