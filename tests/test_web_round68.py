"""Web round 66 (issue 13): fresh50's list-not-paginated false alarms on pyspur's API. A list
the handler builds row by row from a few short attributes of each record (a summary: no log,
content or nested payload) of records people make one at a time (datasets, evaluation runs,
output files, knowledge bases) stays small for the life of an instance (`bounded_lists.py`).
The same list carrying each record's log, returning the records whole, or listing records
machines emit (events) is still reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

from team.audit import audit_path

_HEAD = """
from typing import List

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from evals.db import EvalRun, EvalRunResponse, Event, EventResponse, get_db, require_user

router = APIRouter(prefix="/v1", dependencies=[Depends(require_user)])
"""

_SUMMARY = """

@router.get("/evals/runs/", response_model=List[EvalRunResponse])
def list_eval_runs(db: Session = Depends(get_db)) -> List[EvalRunResponse]:
    runs = db.query(EvalRun).order_by(EvalRun.start_time.desc()).all()
    return [
        EvalRunResponse(
            run_id=run.id,
            eval_name=run.eval_name,
            status=Status(run.status.value),
            model=run.config["model"],
            start_time=run.start_time.isoformat(),
        )
        for run in runs
    ]
"""

_LOGGED = _SUMMARY.replace("start_time=run.start_time.isoformat(),", "log=run.log,")

_WHOLE = """

@router.get("/evals/runs/", response_model=List[EvalRunResponse])
def list_eval_runs(db: Session = Depends(get_db)):
    return db.query(EvalRun).all()
"""

_EVENTS = """

@router.get("/events/", response_model=List[EventResponse])
def list_events(db: Session = Depends(get_db)):
    rows = db.query(Event).all()
    listed = [{"id": e.id, "kind": e.kind, "at": e.created_at} for e in rows]
    return listed
"""


def _lists(tmp_path: Path, body: str) -> set[tuple[str, int]]:
    return web_findings(tmp_path, {"evals/api.py": _HEAD + body}, "list-not-paginated")


def test_a_list_of_summary_rows_is_bounded(tmp_path: Path) -> None:
    """pyspur's eval runs (a sync handler here): each row is six short attributes of a run a person launched."""
    assert _lists(tmp_path, _SUMMARY) == set()


def test_the_clean_twin_has_no_finding(tmp_path: Path) -> None:
    """The same versioned, authenticated app gives no finding of any web rule."""
    app = tmp_path / "app"
    (app / "evals").mkdir(parents=True)
    (app / "evals" / "__init__.py").write_text("")
    (app / "evals" / "api.py").write_text(_HEAD + _SUMMARY)
    found = audit_path(app, roles=["performance_engineer", "backend_architect"])
    assert [(f.rule, f.line) for f in found if f.rule != "no-benchmarks"] == []


def test_a_row_that_carries_a_log_is_reported(tmp_path: Path) -> None:
    assert _lists(tmp_path, _LOGGED) == {("evals/api.py", 12)}


def test_records_returned_whole_are_reported(tmp_path: Path) -> None:
    assert _lists(tmp_path, _WHOLE) == {("evals/api.py", 12)}


def test_summary_rows_of_emitted_records_are_reported(tmp_path: Path) -> None:
    """Events pile up whatever their rows hold."""
    assert _lists(tmp_path, _EVENTS) == {("evals/api.py", 12)}
