"""`team review FOLDER` inside a project: a seed set outside the folder by what runs it.

A folder of a checkout (`pkg/training`, a package inside the project `proj` with a
`pyproject.toml`) draws at random in a function that a runner outside the folder calls
(`pkg/run.py`). When that runner seeds before it calls into the folder, the draw is seeded on
every run and is not reported; `--explain` names the seed outside. The twin whose runner does not
seed, or seeds only after the call, is reported as before, and so is a folder whose outside is
run unseeded by a script besides a seeding function. Findings stay inside the folder.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from team.cli import app
from team.review import review_path, review_report
from team.review.outside import enclosing_project
from tests.helpers import write_app

RULE = "unseeded-randomness"

LOOP = """\
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score


    def train(n):
        X = np.random.rand(n, 3)
        y = (X[:, 0] > 0.5).astype(int)
        model = LogisticRegression().fit(X[:80], y[:80])
        return f1_score(y[80:], model.predict(X[80:]))
"""

SEEDED_RUNNER = """\
    import numpy as np

    from pkg.training.loop import train


    def main():
        np.random.seed(0)
        print(train(100))


    if __name__ == "__main__":
        main()
"""


def _project(root: Path, runner: str, *, marker: str = "pyproject.toml", **more: str) -> Path:
    """proj/ with pkg/training/loop.py (the reviewed folder) and pkg/run.py outside it."""
    files = {
        marker: "",
        "pkg/__init__.py": "",
        "pkg/training/__init__.py": "",
        "pkg/training/loop.py": LOOP,
        "pkg/run.py": runner,
        **more,
    }
    write_app(root / "proj", files)
    return root / "proj" / "pkg" / "training"


def _unseeded(folder: Path) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in review_path(folder) if f.rule == RULE]


def test_a_runner_outside_the_folder_that_seeds_first_silences_the_draw(tmp_path: Path) -> None:
    assert _unseeded(_project(tmp_path, SEEDED_RUNNER)) == []


def test_explain_names_the_seed_outside_the_folder(tmp_path: Path) -> None:
    folder = _project(tmp_path, SEEDED_RUNNER)
    result = CliRunner().invoke(app, ["review", str(folder), "--explain"])
    assert result.exit_code == 0, result.output
    assert (
        "loop.py:7: not reported unseeded-randomness: seeded outside the reviewed folder: "
        "pkg/run.py:7 (main()) seeds before it calls this code"
    ) in result.output.splitlines()


def test_the_twin_whose_runner_does_not_seed_is_reported(tmp_path: Path) -> None:
    runner = SEEDED_RUNNER.replace("        np.random.seed(0)\n", "")
    assert _unseeded(_project(tmp_path, runner)) == [("loop.py", 7)]


def test_a_seed_after_the_call_into_the_folder_does_not_count(tmp_path: Path) -> None:
    runner = SEEDED_RUNNER.replace(
        "        np.random.seed(0)\n        print(train(100))\n",
        "        print(train(100))\n        np.random.seed(0)\n",
    )
    assert _unseeded(_project(tmp_path, runner)) == [("loop.py", 7)]


def test_a_script_that_runs_the_folder_unseeded_keeps_the_finding(tmp_path: Path) -> None:
    script = "from pkg.training.loop import train\n\nprint(train(50))\n"
    folder = _project(tmp_path, SEEDED_RUNNER, **{"scripts/quick.py": script})
    assert _unseeded(folder) == [("loop.py", 7)]


def test_a_library_module_outside_that_calls_the_folder_unseeded_is_called_itself(
    tmp_path: Path,
) -> None:
    """CogDL's trainer calls the wrappers without a seed; its own caller seeded first."""
    helper = "from pkg.training.loop import train\n\n\ndef again(n):\n    return train(n)\n"
    folder = _project(tmp_path, SEEDED_RUNNER, **{"pkg/helpers.py": helper})
    assert _unseeded(folder) == []


def test_a_package_chain_without_a_project_file_is_a_project_too(tmp_path: Path) -> None:
    folder = _project(tmp_path, SEEDED_RUNNER, marker="README.md")
    assert enclosing_project(folder) == tmp_path / "proj"
    assert _unseeded(folder) == []


def test_a_folder_in_no_project_is_reviewed_alone(tmp_path: Path) -> None:
    runner = SEEDED_RUNNER.replace("pkg.training.loop", "examples.loop")
    write_app(tmp_path, {"examples/loop.py": LOOP, "run.py": runner})
    assert enclosing_project(tmp_path / "examples") is None
    assert _unseeded(tmp_path / "examples") == [("loop.py", 7)]


def test_the_project_is_searched_a_few_levels_up_only(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    deep = tmp_path / "a" / "b" / "c" / "d" / "e"
    deep.mkdir(parents=True)
    assert enclosing_project(deep) is None
    assert enclosing_project(deep.parent) == tmp_path


def test_findings_stay_inside_the_reviewed_folder(tmp_path: Path) -> None:
    runner = SEEDED_RUNNER + "\nnoise = np.random.rand(3)\n"
    folder = _project(tmp_path, runner)
    report = review_report(folder)
    assert all(not f.path.startswith(("..", "pkg/")) for f in report.findings)
    assert all(n.path == "loop.py" for n in report.notes if "outside" in n.text)
