"""A rule's bug on one file of a real repository (eeggan's `vae_networks.py`, whose `x =
torch.flatten(x)` sent the sample-shape check round a name made from itself until Python's
recursion limit) ends neither the review nor the command: the file gets a `parse-error` note
that names it and the error, its findings so far are dropped, and the other files are reviewed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.review import review_report

_ENCODE = (
    "import torch\n"
    "\n"
    "\n"
    "def encode(model, x):\n"
    "    x = torch.flatten(x, start_dim=1)\n"
    "    mu = model.mu(x)\n"
    "    return model.sample(mu)\n"
)
_SPLIT = (
    "from sklearn.model_selection import train_test_split\n"
    "from data import X, y\n"
    "X_tr, X_te, y_tr, y_te = train_test_split(X, y)\n"
)


def test_a_name_made_from_itself_is_followed_once(tmp_path: Path) -> None:
    (tmp_path / "vae.py").write_text(_ENCODE)
    review = review_report(tmp_path)
    assert review.skipped == []
    assert [(f.path, f.line, f.rule) for f in review.findings] == [
        ("vae.py", 7, "unseeded-randomness")
    ]


def test_a_sample_shape_read_through_a_name_keeps_its_reading(tmp_path: Path) -> None:
    # a draw conditioned on a sample of a shape is torch's: its seed fixes both
    (tmp_path / "prior.py").write_text(
        "import torch\n"
        "_ = torch.manual_seed(0)\n"
        "theta = prior.sample((2000,))\n"
        "x = simulator.sample(theta)\n"
    )
    assert review_report(tmp_path).findings == []


def test_a_rule_that_fails_on_one_file_leaves_a_note_and_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from team.review import engine

    (tmp_path / "vae.py").write_text(_ENCODE)
    (tmp_path / "train.py").write_text(_SPLIT)
    real = engine.zero_seed_replaced

    def broken(src: object, repo: object) -> object:
        if getattr(src, "rel", "") == "vae.py":
            raise RecursionError("maximum recursion depth exceeded")
        return real(src, repo)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "zero_seed_replaced", broken)
    review = review_report(tmp_path)
    assert review.skipped == ["vae.py"]
    assert {(f.path, f.line, f.rule) for f in review.findings} == {
        ("vae.py", 1, "parse-error"),
        ("train.py", 3, "unseeded-randomness"),
    }
    (note,) = [f for f in review.findings if f.rule == "parse-error"]
    assert "the review failed on this file (RecursionError: maximum recursion" in note.message


def test_the_command_reviews_the_file_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "vae.py").write_text(_ENCODE)
    done = CliRunner().invoke(app, ["review", str(tmp_path)])
    assert done.exit_code == 1  # a warning found, as for any other review
    assert "vae.py:7: warning unseeded-randomness" in done.output
