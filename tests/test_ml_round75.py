"""ML round 75 reverted (issue 14): a predict helper a local Gradio app calls stays reported.

Round 75 dropped serving-without-monitoring findings in a predict helper whose every caller
outside the folder is a Gradio app launched on loopback with no public link (dta-gnn 0.2.1
`models/predict.py`). The review of that round found the skip unsound: dta-gnn's own `cli.py`
passes a `--host` option ("Use 0.0.0.0 for Docker") and `--share` to the UI's `launch`, so the
bind is chosen by whoever runs the command, not by the default the skip read. These are the
reviewer's probes: each left the helper unreported with the skip, and each is a way the same
helper ends up served to others.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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

CLI = """
import typer

app = typer.Typer()


@app.command()
def ui(
    host: str = typer.Option("127.0.0.1", "--host", help="Use 0.0.0.0 for Docker."),
    share: bool = typer.Option(False, "--share", help="Create a public Gradio link."),
):
    from dta.app.ui import launch

    launch(host=host, share=share)
"""

ROUTE = (
    "from fastapi import FastAPI\n\n{imp}\n\napp = FastAPI()\n\n\n@app.post('/predict')\n"
    "def predict(run_dir: str, smiles: str):\n    return {call}(run_dir, smiles.split())\n"
)
MOUNT = (
    "import gradio as gr\nfrom fastapi import FastAPI\n\nfrom dta.app.ui import demo\n\n"
    "app = gr.mount_gradio_app(FastAPI(), demo, path='/')\n"
)
DEMO = "demo = gr.Interface(fn=score, inputs=['text', 'text'], outputs='text')\n\n\ndef launch("


def _lines(folder: Path, ui: str, more: dict[str, str]) -> list[int]:
    packages = {f"{name}/__init__.py": "" for name in ("dta", "dta/models", "dta/app")}
    project = {"pyproject.toml": "[project]\nname = 'dta'\n", "dta/app/ui.py": ui}
    write_app(folder, {**packages, **project, "dta/models/predict.py": PREDICT, **more})
    found = review_path(folder / "dta" / "models")
    return [
        f.line for f in found if (f.rule, f.path) == ("serving-without-monitoring", "predict.py")
    ]


PREDICTED = PREDICT.lstrip("\n").splitlines().index("    return model.predict(smiles)") + 1

CASES = {
    "a CLI passing its --host and --share options to the UI's launch (dta-gnn)": (
        UI,
        {"dta/cli.py": CLI},
    ),
    "the host reassigned in the launching function": (
        UI.replace("    demo = gr.Interface", '    host = "0.0.0.0"\n    demo = gr.Interface'),
        {},
    ),
    "Gradio's default host set by GRADIO_SERVER_NAME": (
        "import os\n"
        + UI.replace("server_name=host, ", "").replace(
            "import gradio as gr\n",
            'import gradio as gr\n\nos.environ["GRADIO_SERVER_NAME"] = "0.0.0.0"\n',
        ),
        {},
    ),
    "share=None, which Gradio reads as automatic": (
        UI.replace("share: bool = False", "share=None"),
        {},
    ),
    "the Gradio app mounted into a FastAPI app in another module": (
        UI.replace("def launch(", DEMO),
        {"dta/server.py": MOUNT},
    ),
    "a web route calling the helper through an alias": (
        UI,
        {
            "dta/api.py": ROUTE.format(
                imp="from dta.models.predict import predict_with_svr as svr", call="svr"
            )
        },
    ),
    "a web route handed the helper as a reference": (
        UI,
        {
            "dta/api.py": "from fastapi import FastAPI\n\n"
            "from dta.models.predict import predict_with_svr\n\napp = FastAPI()\n"
            "app.add_api_route('/predict', predict_with_svr, methods=['POST'])\n"
        },
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_helper_a_gradio_app_calls_stays_reported_when(case: str, tmp_path: Path) -> None:
    ui, more = CASES[case]
    assert _lines(tmp_path, ui, more) == [PREDICTED]
