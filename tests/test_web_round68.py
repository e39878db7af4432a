"""Web round 66 (issue 13): fresh50's false alarms on pyspur's API. A list
the handler builds row by row from a few short attributes of each record (a summary: no log,
content or nested payload) of records people make one at a time (datasets, evaluation runs,
output files, knowledge bases) stays small for the life of an instance (`bounded_lists.py`).
The same list carrying each record's log, returning the records whole, or listing records
machines emit (events) is still reported. An upload the handler has already read into memory
(`await file.read()`) and writes whole with one call takes milliseconds (`small_files.py`); a
blocking read, other bytes, a media upload (khoj's and open-webui's audio) or a module that
writes with aiofiles is still reported."""

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


def _every_finding(tmp_path: Path, package: str, code: str) -> list[tuple[str, int]]:
    """(rule, line) of every web finding on a one-module app (the benchmarks it lacks aside)."""
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / package / "api.py").write_text(code)
    found = audit_path(tmp_path, roles=["performance_engineer", "backend_architect"])
    return [(f.rule, f.line) for f in found if f.rule != "no-benchmarks"]


def test_a_list_of_summary_rows_is_bounded(tmp_path: Path) -> None:
    """pyspur's eval runs (a sync handler here): each row is six short attributes of a run a person launched."""
    assert _lists(tmp_path, _SUMMARY) == set()


def test_the_clean_twin_has_no_finding(tmp_path: Path) -> None:
    """The same versioned, authenticated app gives no finding of any web rule."""
    assert _every_finding(tmp_path, "evals", _HEAD + _SUMMARY) == []


def test_a_row_that_carries_a_log_is_reported(tmp_path: Path) -> None:
    assert _lists(tmp_path, _LOGGED) == {("evals/api.py", 12)}


def test_records_returned_whole_are_reported(tmp_path: Path) -> None:
    assert _lists(tmp_path, _WHOLE) == {("evals/api.py", 12)}


def test_summary_rows_of_emitted_records_are_reported(tmp_path: Path) -> None:
    """Events pile up whatever their rows hold."""
    assert _lists(tmp_path, _EVENTS) == {("evals/api.py", 12)}


_UPLOADS = """
from pathlib import Path
from typing import List

from fastapi import APIRouter, Depends, File, UploadFile

from kb.db import require_user

router = APIRouter(prefix="/v1", dependencies=[Depends(require_user)])


@router.post("/collections/{collection_id}/documents/")
async def add_documents(collection_id: str, files: List[UploadFile] = File(...)) -> List[str]:
    folder = Path("data") / collection_id
    saved = []
    for file in files:
        path = folder / (file.filename or "upload")
        content = await file.read()
        with open(path, "wb") as f:
            f.write(content)
        saved.append(str(path))
    return saved
"""


def _writes(tmp_path: Path, code: str) -> set[tuple[str, int]]:
    return web_findings(tmp_path, {"kb/api.py": code}, "blocking-io-in-async")


def _opened(code: str) -> tuple[str, int]:
    """Where the fixture opens the file it writes."""
    lines = code.strip().splitlines()
    return "kb/api.py", 1 + next(i for i, t in enumerate(lines) if "with open(" in t)


def test_an_upload_read_into_memory_written_whole_does_not_block(tmp_path: Path) -> None:
    """pyspur's knowledge-base files: `await file.read()`, then one write of those bytes."""
    assert _writes(tmp_path, _UPLOADS) == set()


def test_an_upload_read_with_a_blocking_read_is_reported(tmp_path: Path) -> None:
    """`file.file.read()` reads the spooled upload on the loop itself."""
    code = _UPLOADS.replace("await file.read()", "file.file.read()")
    assert _opened(code) in _writes(tmp_path, code)


def test_an_upload_written_beside_aiofiles_writes_is_reported(tmp_path: Path) -> None:
    """A module that writes its other files with aiofiles (open-webui's transcriptions)."""
    code = "import aiofiles\n" + _UPLOADS
    assert _opened(code) in _writes(tmp_path, code)


def test_an_audio_upload_written_is_reported(tmp_path: Path) -> None:
    """A voice message's audio, megabytes with every request (khoj's transcription)."""
    code = _UPLOADS.replace('(file.filename or "upload")', 'f"{collection_id}.webm"')
    assert _opened(code) in _writes(tmp_path, code)


def test_a_write_of_downloaded_bytes_is_reported(tmp_path: Path) -> None:
    """Bytes from a blocking download written on the loop are still reported."""
    code = _UPLOADS.replace("content = await file.read()", "content = fetch_bytes(file.filename)")
    assert _opened(code) in _writes(tmp_path, code)


def test_the_upload_twin_has_no_finding(tmp_path: Path) -> None:
    """The versioned, authenticated upload app gives no finding of any web rule."""
    assert _every_finding(tmp_path, "kb", _UPLOADS) == []
