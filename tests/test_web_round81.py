"""Web round 79 (issue 13): n-plus-one-query false alarms on spent corpora, removed.
A loop that steps over offsets (`for offset in range(0, len(ids), STEP)`) and hands its query
the slice of keys the pass starts at (`ids[offset:offset + STEP]`, or a name bound to it) reads
the rows in batches of STEP keys, one IN (...) per batch: squad's suite-metadata fix, whose
flagged line was the batched query itself (`batched.py`). A pass that reads the one key it
steps to (`ids[offset]`), and the same query per key of a plain loop, are still reported."""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

import pytest
from helpers import web_findings

from team.audit.batched import batched_calls

# the ids of the runs to check, read in batches of STEP
_DAO = """
    from sqlalchemy import Column, Integer, String
    from sqlalchemy.orm import Session, declarative_base

    Base = declarative_base()
    STEP = 1000


    class Run(Base):
        __tablename__ = "runs"
        id = Column(Integer, primary_key=True)
        outcome = Column(String)


    def failed_runs(db: Session):
        ids = [run_id for (run_id,) in db.query(Run.id).all()]
        failed = []
        for offset in range(0, len(ids), STEP):
            batch = ids[offset : offset + STEP]
            for run in db.query(Run).filter(Run.id.in_(batch)).all():
                if run.outcome == "failed":
                    failed.append(run.id)
        return failed
    """
_API = """
    from fastapi import FastAPI

    from jobs.dao import failed_runs

    app = FastAPI()


    @app.get("/api/runs/failed")
    def failed():
        return failed_runs(None)
    """
_QUERY = ("jobs/dao.py", 19)  # the query of each pass


def _app(dao: str) -> dict[str, str]:
    return {"jobs/__init__.py": "", "jobs/dao.py": dao, "jobs/api.py": _API}


def test_a_query_per_batch_of_keys_is_not_n_plus_one(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _app(_DAO), "n-plus-one-query") == set()


def test_the_slice_handed_on_directly_is_one_query_per_batch(tmp_path: Path) -> None:
    code = _DAO.replace("Run.id.in_(batch)", "Run.id.in_(ids[offset : offset + STEP])")
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == set()


def test_a_query_per_key_the_loop_steps_to_is_reported(tmp_path: Path) -> None:
    code = _DAO.replace("Run.id.in_(batch)", "Run.id == ids[offset]")
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_QUERY}


def test_a_query_per_key_of_a_plain_loop_is_reported(tmp_path: Path) -> None:
    code = _DAO.replace("range(0, len(ids), STEP)", "ids").replace(
        "Run.id.in_(batch)", "Run.id == offset"
    )
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_QUERY}


def test_a_step_of_one_walks_the_keys_one_by_one(tmp_path: Path) -> None:
    code = _DAO.replace("range(0, len(ids), STEP)", "range(0, len(ids), 1)")
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_QUERY}


# a step named by a constant bound to one, in the module or in the function, is a step of one
def test_a_step_the_module_names_one_walks_the_keys_one_by_one(tmp_path: Path) -> None:
    code = _DAO.replace("STEP = 1000", "STEP = 1")
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_QUERY}


def test_a_step_the_function_names_one_walks_the_keys_one_by_one(tmp_path: Path) -> None:
    code = _DAO.replace("        failed = []", "        failed = []\n        STEP = 1")
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {("jobs/dao.py", 20)}


# the review's mends (rev47): a lambda or a comprehension among the arguments of the call that
# takes the batch runs once per key, and is no batch
@pytest.mark.parametrize(
    "per_key",
    [
        "list(map(lambda i: db.query(Run).get(i), batch))",
        "dict(zip(batch, [db.query(Run).get(i) for i in batch])).values()",
    ],
)
def test_a_query_per_key_of_the_batch_is_reported(tmp_path: Path, per_key: str) -> None:
    code = _DAO.replace("db.query(Run).filter(Run.id.in_(batch)).all()", per_key)
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_QUERY}


# the runs grouped by outcome, each group read per key
_GROUPS = (
    _DAO[: _DAO.index("    def failed_runs")]
    + """
    def runs_by_outcome(db: Session):
        by_outcome = {}
        for run_id, outcome in db.query(Run.id, Run.outcome).all():
            by_outcome.setdefault(outcome, []).append(run_id)
        runs = []
        for outcome in by_outcome:
            runs.extend(list(map(lambda i: db.query(Run).get(i), by_outcome[outcome])))
        return runs
    """
)


def test_a_query_per_key_of_a_group_is_not_batched() -> None:
    """The older path (a pass's whole group, `batched.py`) marks the same way: a lambda among
    the arguments of the call that takes the group gets per key. (The rule leaves this loop
    alone for another reason, so the mark is read from `batched_calls` itself.)"""
    tree = ast.parse(dedent(_GROUPS))
    unit = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    loop = unit.body[3]
    marked = {ast.unparse(c) for c in ast.walk(loop) if id(c) in batched_calls(loop, unit)}
    assert "map(lambda i: db.query(Run).get(i), by_outcome[outcome])" in marked
    assert "db.query(Run).get(i)" not in marked


# the review's mends: an annotated constant is read; another function's local of the same name
# is not the module's; an imported step is not known here and stays a batch
@pytest.mark.parametrize("binding", ["STEP: int = 1", "STEP: Final = 1"])
def test_an_annotated_step_of_one_walks_the_keys_one_by_one(tmp_path: Path, binding: str) -> None:
    code = _DAO.replace("STEP = 1000", binding)
    assert len(web_findings(tmp_path, _app(code), "n-plus-one-query")) == 1


def test_another_functions_local_step_is_not_the_modules(tmp_path: Path) -> None:
    other = "\n\n    def rebuild():\n        STEP = 500\n        return STEP\n"
    code = _DAO.replace("STEP = 1000", "STEP = 1") + other
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_QUERY}


def test_an_imported_step_stays_a_batch(tmp_path: Path) -> None:
    other = "\n\n    def rebuild():\n        STEP = 1\n        return STEP\n"
    code = _DAO.replace("STEP = 1000", "from jobs.settings import STEP") + other
    files = {**_app(code), "jobs/settings.py": "STEP = 1000\n"}
    assert web_findings(tmp_path, files, "n-plus-one-query") == set()
