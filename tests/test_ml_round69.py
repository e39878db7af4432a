"""ML review round 69: unseeded-randomness findings on a spent corpus that the judges found false
(issue 14).

Part 1: MycoAI 0.0.5 reduces a model's latent space with `TSNE().fit_transform(...)` only to put
the two coordinates in columns of a frame that `px.scatter` draws and `write_html` saves
(`evaluate.py`, whose caller drops what the method returns, and the `mycoai-map` script). The
layout moves from run to run, but no model, metric or selection reads it. A t-SNE whose layout is
scored, or returned to a caller that keeps it, stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

EVALUATE = """
import pandas as pd
import plotly.express as px
from sklearn.manifold import TSNE


class Evaluator:
    def report(self, data, latent):
        self.visualise(data, latent)
        return data

    def visualise(self, data, latent):
        data = pd.merge(self.true, data, how="left", on="level")
        latent = TSNE().fit_transform(latent)
        data["Dim 1"] = latent[:, 0].tolist()
        data["Dim 2"] = latent[:, 1].tolist()
        fig = px.scatter(data, x="Dim 1", y="Dim 2", hover_data=data.columns)
        fig.write_html("temp.html")
{extra}
        return latent
"""


def _tsne_lines(folder: Path, extra: str = "", caller: str = "") -> list[tuple[str, int]]:
    write_app(folder, {"pkg/evaluate.py": EVALUATE.replace("{extra}", extra) + caller})
    return [(f.path, f.line) for f in review_path(folder) if f.rule == "unseeded-randomness"]


def _tsne_line() -> tuple[str, int]:
    lines = EVALUATE.lstrip("\n").splitlines()
    return "pkg/evaluate.py", next(n for n, t in enumerate(lines, 1) if "TSNE()" in t)


def test_a_tsne_layout_only_drawn_and_saved_as_a_figure_changes_no_result(tmp_path: Path) -> None:
    assert _tsne_lines(tmp_path) == []


def test_a_tsne_layout_that_is_scored_stays_reported(tmp_path: Path) -> None:
    scored = "        print(silhouette_score(latent, data['level']))\n"
    assert _tsne_lines(tmp_path, extra=scored) == [_tsne_line()]


def test_a_tsne_layout_returned_to_a_caller_that_keeps_it_stays_reported(tmp_path: Path) -> None:
    caller = "\n\ndef embed(data, latent):\n    return Evaluator().visualise(data, latent)\n"
    assert _tsne_lines(tmp_path, caller=caller) == [_tsne_line()]


def test_a_tsne_layout_stored_into_the_callers_frame_stays_reported(tmp_path: Path) -> None:
    module = EVALUATE.replace(
        '        data = pd.merge(self.true, data, how="left", on="level")\n', ""
    )
    write_app(tmp_path, {"pkg/evaluate.py": module.replace("{extra}", "")})
    found = [(f.path, f.line) for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]
    lines = module.lstrip("\n").splitlines()
    assert found == [("pkg/evaluate.py", next(n for n, t in enumerate(lines, 1) if "TSNE()" in t))]
