"""ML review round 75: serving-without-monitoring findings on the spent fresh62 corpus that the
judges found false (issue 14).

dta-gnn's `models/predict.py` loads the model of a run the user trained and scores the SMILES
they paste (`predict_with_svr`); nothing in the reviewed folder calls it, and its one caller,
`app/ui.py` outside the folder, is a Gradio app launched on 127.0.0.1 without a public link:
offline scoring for one researcher, no service with traffic to monitor. The same app launched
on 0.0.0.0, with `share=True`, from an environment variable, or beside a web route, and a
caller inside the folder, leave the helper reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

PREDICT = """
import joblib


def predict_with_svr(run_dir, smiles):
    model = joblib.load(run_dir / "model_svr.pkl")
    return model.predict(smiles)
"""

UI = """
import gradio as gr


def score(run_dir, text):
    from dta.models.predict import predict_with_svr

    return predict_with_svr(run_dir, text.split())


def launch(host: str = "127.0.0.1", port: int = 7860, share: bool = False):
    demo = gr.Interface(fn=score, inputs=["text", "text"], outputs="text")
    demo.launch(server_name=host, server_port=port, share=share)


if __name__ == "__main__":
    launch()
"""


def _lines(folder: Path, ui: str = UI, **more: str) -> list[int]:
    packages = {f"{name}/__init__.py": "" for name in ("dta", "dta/models", "dta/app")}
    project = {"pyproject.toml": "[project]\nname = 'dta'\n", "dta/app/ui.py": ui}
    write_app(folder, {**packages, **project, "dta/models/predict.py": PREDICT, **more})
    found = review_path(folder / "dta" / "models")
    return [
        f.line for f in found if (f.rule, f.path) == ("serving-without-monitoring", "predict.py")
    ]


PREDICTED = PREDICT.lstrip("\n").splitlines().index("    return model.predict(smiles)") + 1


def test_a_helper_only_a_loopback_gradio_app_calls_is_no_service(tmp_path: Path) -> None:
    assert _lines(tmp_path) == []


def test_the_app_launched_on_every_interface_stays_reported(tmp_path: Path) -> None:
    ui = UI.replace('host: str = "127.0.0.1"', 'host: str = "0.0.0.0"')
    assert _lines(tmp_path, ui) == [PREDICTED]


def test_the_app_run_on_every_interface_by_its_main_guard_stays_reported(tmp_path: Path) -> None:
    ui = UI.replace("    launch()", '    launch(host="0.0.0.0")')
    assert _lines(tmp_path, ui) == [PREDICTED]


def test_a_public_share_link_stays_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, UI.replace("share: bool = False", "share: bool = True")) == [PREDICTED]


def test_a_host_read_from_the_environment_stays_reported(tmp_path: Path) -> None:
    ui = UI.replace('host: str = "127.0.0.1"', 'host: str = os.environ.get("HOST", "127.0.0.1")')
    assert _lines(tmp_path, "import os\n" + ui) == [PREDICTED]


def test_the_helper_behind_a_web_route_stays_reported(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\n\nfrom dta.models.predict import predict_with_svr\n\n"
        "app = FastAPI()\n\n\n@app.post('/predict')\ndef predict(run_dir: str, smiles: str):\n"
        "    return predict_with_svr(run_dir, smiles.split())\n"
    )
    assert _lines(tmp_path, **{"dta/api.py": api}) == [PREDICTED]


def test_a_caller_inside_the_folder_leaves_it_reported(tmp_path: Path) -> None:
    batch = (
        "from dta.models.predict import predict_with_svr\n\n\n"
        "def nightly(run_dir, smiles):\n    return predict_with_svr(run_dir, smiles)\n"
    )
    assert _lines(tmp_path, **{"dta/models/batch.py": batch}) == [PREDICTED]


def test_launch_options_the_review_cannot_read_leave_it_reported(tmp_path: Path) -> None:
    ui = UI.replace("server_name=host, server_port=port, share=share", "**OPTIONS")
    assert _lines(tmp_path, "OPTIONS = {'share': True}\n" + ui) == [PREDICTED]
