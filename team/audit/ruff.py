"""ruff's security, async and exception rules, run once per review over the Python files.

ruff (a Rust binary shipped in its wheel) checks a repository in milliseconds per file; its
rules that bear on a role are mapped to that role's rule ids here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["RUFF_RULES", "ruff_diagnostics", "ruff_findings"]

#: ruff code -> our rule id.
RUFF_RULES = {
    "S608": "sql-string-built",
    "S110": "swallowed-exception",
    "S112": "swallowed-exception",
    "S113": "http-no-timeout",
    "ASYNC210": "blocking-io-in-async",
    "ASYNC212": "blocking-io-in-async",
    "ASYNC220": "blocking-io-in-async",
    "ASYNC221": "blocking-io-in-async",
    "ASYNC222": "blocking-io-in-async",
    "ASYNC230": "blocking-io-in-async",
    "ASYNC251": "blocking-io-in-async",
}


def _ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        return str(find_ruff_bin())
    except FileNotFoundError:
        return None


def ruff_diagnostics(repo: Repo) -> list[dict[str, object]]:
    """ruff's diagnostics for `RUFF_RULES` as dicts: code, path (relative), line, message.

    Empty when ruff is not installed (the rules it backs then report nothing).
    """
    if "ruff" in repo.memo:
        return cast("list[dict[str, object]]", repo.memo["ruff"])
    binary = _ruff_binary()
    files = repo.python
    out: list[dict[str, object]] = []
    if binary and files:
        select = ",".join(RUFF_RULES)
        raw: list[dict[str, Any]] = []
        for start in range(0, len(files), 2000):  # stay far below the command-line limit
            result = subprocess.run(
                [
                    binary,
                    "check",
                    "--isolated",
                    "--no-cache",
                    "--exit-zero",
                    "--select",
                    select,
                    "--output-format",
                    "json",
                    "--",
                    *files[start : start + 2000],
                ],
                cwd=repo.root,
                capture_output=True,
                text=True,
                check=False,
            )
            try:
                raw += json.loads(result.stdout or "[]")
            except json.JSONDecodeError:
                print(f"ruff failed: {result.stderr.strip()[:200]}", file=sys.stderr)
        known = set(files)
        for item in raw:
            rel = Path(item["filename"]).resolve().relative_to(repo.root.resolve()).as_posix()
            if rel in known and item.get("code") in RUFF_RULES:
                out.append(
                    {
                        "code": item["code"],
                        "path": rel,
                        "line": item["location"]["row"],
                        "message": item["message"],
                    }
                )
    repo.memo["ruff"] = out
    return out


def ruff_findings(
    repo: Repo, advice: dict[str, str], *, skip_tests: bool = False
) -> list[RoleFinding]:
    """Findings of our rules in `advice` (rule id -> what to do) from ruff's diagnostics;
    `skip_tests` leaves out test modules (a test that blocks or waits slows no user)."""

    out = []
    for diag in ruff_diagnostics(repo):
        rule = RUFF_RULES[str(diag["code"])]
        if rule in advice and not (skip_tests and is_test(str(diag["path"]))):
            rel, line = str(diag["path"]), int(str(diag["line"]))
            message = f"{advice[rule]} (ruff {diag['code']}: {diag['message']})"
            out.append(finding(rule, rel, line, message, evidence=repo.line_text(rel, line)))
    return out
