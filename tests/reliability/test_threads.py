"""The store stays small and manageable: one checkpoint per thread, and ``team threads``."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.errors import TeamError
from team.home import default_store, sqlite_checkpointer
from team.threads import delete_thread, list_threads, parse_duration, prune_threads, show_thread

CHURN = "Train a churn model and expose it behind a REST API"


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("TEAM_HOME", str(tmp_path))
    return tmp_path


def team(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def age(thread_id: str, days: int) -> None:
    """Make a thread look ``days`` old: its latest checkpoint's time moves back."""
    with sqlite_checkpointer() as saver:
        saved = saver.get_tuple({"configurable": {"thread_id": thread_id}})
        checkpoint = dict(saved.checkpoint)
        then = datetime.fromisoformat(checkpoint["ts"]) - timedelta(days=days)
        checkpoint["ts"] = then.isoformat()
        saver.put(saved.parent_config or saved.config, checkpoint, saved.metadata, {})


def test_a_thread_keeps_one_checkpoint_however_long_it_runs(home: Path) -> None:
    assert team("run", "-r", CHURN, "--thread", "t1")[0] == 0
    assert team("run", "-r", "Now add data quality checks to the ETL", "--thread", "t1")[0] == 0
    with sqlite3.connect(default_store()) as conn:
        rows = conn.execute("SELECT thread_id, type FROM checkpoints").fetchall()
    assert rows == [("t1", "msgpack+zlib")]
    assert [t.turns for t in list_threads()] == [[CHURN, "Now add data quality checks to the ETL"]]


def test_list_show_delete_prune_through_the_cli(home: Path) -> None:
    assert team("threads", "list") == (0, "", "")
    assert team("run", "-r", "Plan the launch", "--thread", "old")[0] == 0
    assert team("run", "-r", CHURN, "--thread", "new")[0] == 0
    age("old", days=40)

    code, out, _ = team("threads", "list")
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == ["new", "old"]
    assert "  1 turn  done  ml_engineer -> backend_architect  " in lines[0]
    assert "  1 turn  done  pm  " in lines[1]
    listed = json.loads(team("threads", "list", "--json")[1])
    assert [(t["thread_id"], t["visited"]) for t in listed] == [
        ("new", ["ml_engineer", "backend_architect"]),
        ("old", ["pm"]),
    ]

    shown = json.loads(team("threads", "show", "new", "--json")[1])
    assert sorted(shown["deliverables"]) == ["backend_architect", "ml_engineer"]
    (handoff,) = shown["handoffs"]
    code, out, _ = team("threads", "show", "new")
    assert code == 0
    assert out.splitlines()[1:3] == [
        f"  turn 1: {CHURN}",
        f"  handoff ml_engineer -> backend_architect ({handoff['criterion']}): {handoff['reason']}",
    ]

    assert team("threads", "prune", "--older-than", "30d") == (
        0,
        "deleted 1 thread older than 30d\n  old\n",
        "",
    )
    assert [t.thread_id for t in list_threads()] == ["new"]
    assert team("threads", "delete", "new") == (0, "deleted thread new\n", "")
    assert team("threads", "list") == (0, "", "")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("threads", "show", "nosuch"), "{store}: no thread 'nosuch'"),
        (("threads", "delete", "nosuch"), "{store}: no thread 'nosuch'"),
        (
            ("threads", "prune", "--older-than", "soon"),
            "duration 'soon': give a number and a unit, s m h d or w (e.g. 30d)",
        ),
    ],
)
def test_threads_errors_are_one_line(home: Path, args: tuple[str, ...], error: str) -> None:
    message = error.format(store=default_store())
    assert team(*args) == (2, "", f"error: {message}\n")


def test_the_python_api(tmp_path: Path) -> None:
    from team import Team, run_team

    store = tmp_path / "elsewhere.sqlite"
    with sqlite_checkpointer(store) as saver:
        run_team(Team.load(), "Plan the launch", thread_id="p1", checkpointer=saver)
    shown = show_thread("p1", store=store)
    assert (shown.visited, shown.outcome, shown.turns) == (["pm"], "done", ["Plan the launch"])
    later = datetime.now(UTC) + timedelta(days=2)
    assert prune_threads(timedelta(days=3), store=store, now=later) == []
    assert prune_threads(timedelta(days=1), store=store, now=later) == ["p1"]
    with pytest.raises(TeamError, match="no thread 'p1'"):
        delete_thread("p1", store=store)
    assert parse_duration("2w") == timedelta(weeks=2)


def test_deleting_gives_the_space_back(home: Path) -> None:
    flagship = str(Path(__file__).parents[2] / "scenarios" / "churn_flagship.yaml")
    for number in range(3):
        assert team("run", flagship, "--thread", f"t{number}")[0] == 0
    full = default_store().stat().st_size
    assert team("threads", "prune", "--older-than", "0s")[1].startswith("deleted 3 threads")
    assert default_store().stat().st_size < full / 2
