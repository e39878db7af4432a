"""The repository tools on small trees: exact replies for listing, reading, search and analysis."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from team.tools import TOOL_NAMES, Limits, SandboxError, ToolUsageError, repo_tools, run_tool
from team.tools.ripgrep import find_rg


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def _tools(root: Path, limits: Limits | None = None) -> dict[str, BaseTool]:
    return {tool.name: tool for tool in repo_tools(root, limits=limits)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        {
            ".gitignore": "build/\n*.log\n",
            "README.md": "# demo\nTODO: write docs\n",
            "src/app.py": "import os\n\n\ndef main():\n    return os.getcwd()  # TODO\n",
            "src/pkg/__init__.py": "",
            "src/pkg/core.py": "def core():\n    pass\n",
            "tests/test_core.py": "def test_core():\n    assert True  # todo later\n",
            ".github/workflows/ci.yml": "on: push  # TODO\n",
            "build/gen.py": "# TODO generated\n",
            "debug.log": "TODO in a log\n",
            ".venv/lib/site.py": "# TODO venv\n",
            "node_modules/x/index.js": "// TODO js\n",
            "src/pkg/__pycache__/core.py": "# TODO cache\n",
            ".git/config": "[core] # TODO\n",
        },
    )


def test_tool_names_and_scoping(repo: Path) -> None:
    assert [tool.name for tool in repo_tools(repo)] == list(TOOL_NAMES)
    assert [tool.name for tool in repo_tools(repo, allowed={"grep", "glob"})] == ["glob", "grep"]
    assert repo_tools(repo, allowed=[]) == []
    read = repo_tools(repo, allowed=["read_file"], limits=Limits(max_lines=50))[0]
    assert "Returns at most 50 lines per call" in read.description
    with pytest.raises(ToolUsageError, match="unknown tool 'write_file'; choose from glob, "):
        repo_tools(repo, allowed=["grep", "write_file"])


def test_tool_call_returns_a_tool_message(repo: Path) -> None:
    glob = _tools(repo)["glob"]
    call = {"name": "glob", "args": {"pattern": "*.md"}, "id": "call-1", "type": "tool_call"}
    message = glob.invoke(call)
    assert isinstance(message, ToolMessage)
    assert message.content == "README.md"
    bad = glob.invoke({**call, "args": {"pattern": "../*"}})
    assert bad.content == "error: glob pattern '../*' contains '..'; patterns must stay in the root"


# glob


def test_glob_respects_gitignore_and_skipped_dirs(repo: Path) -> None:
    glob = _tools(repo)["glob"]
    assert glob.invoke({"pattern": "**"}).splitlines() == [
        ".github/workflows/ci.yml",
        ".gitignore",
        "README.md",
        "src/app.py",
        "src/pkg/__init__.py",
        "src/pkg/core.py",
        "tests/test_core.py",
    ]
    assert glob.invoke({"pattern": "*.py"}).splitlines() == [
        "src/app.py",
        "src/pkg/__init__.py",
        "src/pkg/core.py",
        "tests/test_core.py",
    ]
    assert glob.invoke({"pattern": "*.log"}) == (
        "no files match '*.log' (a pattern without '/' matches file names, e.g. '*.py'; "
        "paths look like 'src/**')"
    )
    assert glob.invoke({"pattern": "build/**"}).startswith("no files match")
    assert glob.invoke({"pattern": ".venv/**"}).startswith("no files match")


def test_glob_pattern_shapes(repo: Path) -> None:
    glob = _tools(repo)["glob"]
    assert glob.invoke({"pattern": "src/*.py"}) == "src/app.py"
    assert glob.invoke({"pattern": "src/**/*.py"}).splitlines() == [
        "src/app.py",
        "src/pkg/__init__.py",
        "src/pkg/core.py",
    ]
    assert glob.invoke({"pattern": "pkg/"}) == "src/pkg/__init__.py\nsrc/pkg/core.py"
    assert glob.invoke({"pattern": "src/pkg"}) == "src/pkg/__init__.py\nsrc/pkg/core.py"
    assert glob.invoke({"pattern": "src"}) == (
        "no files match 'src' ('src' is a directory: list it with 'src/')"
    )
    assert glob.invoke({"pattern": "core.py"}) == "src/pkg/core.py"
    assert glob.invoke({"pattern": "./src/*.py"}) == "src/app.py"
    assert glob.invoke({"pattern": "!./src/**"}).splitlines() == [
        ".github/workflows/ci.yml",
        ".gitignore",
        "README.md",
        "tests/test_core.py",
    ]
    assert glob.invoke({"pattern": "!*.py"}).splitlines() == [
        ".github/workflows/ci.yml",
        ".gitignore",
        "README.md",
    ]
    assert glob.invoke({"pattern": "*.{yml,md}"}) == ".github/workflows/ci.yml\nREADME.md"


def test_glob_cap_says_how_many_more(tmp_path: Path) -> None:
    _write(tmp_path, {f"f{i:03d}.txt": "" for i in range(205)})
    listing = _tools(tmp_path)["glob"].invoke({"pattern": "*.txt"}).splitlines()
    assert len(listing) == 201
    assert listing[0] == "f000.txt"
    assert listing[199] == "f199.txt"
    assert listing[200] == "... 5 more files (narrow the pattern)"


# read_file


def test_read_file_numbers_lines(repo: Path) -> None:
    read = _tools(repo)["read_file"]
    assert read.invoke({"path": "src/app.py"}) == (
        "   1 | import os\n"
        "   2 | \n"
        "   3 | \n"
        "   4 | def main():\n"
        "   5 |     return os.getcwd()  # TODO"
    )
    assert read.invoke({"path": "src/app.py", "start_line": 4, "end_line": 4}) == (
        "   4 | def main():"
    )
    assert read.invoke({"path": "./src//app.py", "start_line": "5"}) == (
        "   5 |     return os.getcwd()  # TODO"
    )


def test_read_file_truncates_with_a_note(tmp_path: Path) -> None:
    _write(tmp_path, {"big.txt": "".join(f"line {i}\n" for i in range(1, 1001))})
    read = _tools(tmp_path)["read_file"]
    lines = read.invoke({"path": "big.txt"}).splitlines()
    assert len(lines) == 401
    assert lines[399] == " 400 | line 400"
    assert lines[400] == (
        "[stopped after 400 lines; call read_file('big.txt', start_line=401) to read more]"
    )
    tail = read.invoke({"path": "big.txt", "start_line": 990}).splitlines()
    assert tail[0] == " 990 | line 990"
    assert tail[-1] == "1000 | line 1000"
    assert read.invoke({"path": "big.txt", "start_line": 1001}) == (
        "error: start_line=1001 is past the end of 'big.txt' (1000 lines)"
    )


def test_read_file_caps_bytes_and_long_lines(tmp_path: Path) -> None:
    _write(tmp_path, {"wide.txt": ("y" * 3000 + "\n") * 100})
    read = _tools(tmp_path)["read_file"]
    lines = read.invoke({"path": "wide.txt"}).splitlines()
    assert lines[0] == "   1 | " + "y" * 2000 + " [... line shortened]"
    assert len(lines) == 33
    assert lines[-1] == (
        "[stopped after 32 lines; call read_file('wide.txt', start_line=33) to read more]"
    )
    _write(tmp_path, {"minified.js": "z" * 1_000_000 + "\nend\n"})
    reply = read.invoke({"path": "minified.js"})
    assert reply.splitlines()[1] == "   2 | end"


def test_read_file_refuses_binary_and_handles_odd_text(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "model.pkl": b"\x80\x04\x95\x00\x00junk",
            "empty.txt": "",
            "crlf.txt": b"one\r\ntwo\r\n",
            "latin.txt": b"caf\xe9\n",
            "no_newline.txt": "last",
        },
    )
    read = _tools(tmp_path)["read_file"]
    assert read.invoke({"path": "model.pkl"}) == (
        "error: 'model.pkl' is a binary file (it has NUL bytes); not shown"
    )
    assert read.invoke({"path": "empty.txt"}) == "'empty.txt' is empty"
    assert read.invoke({"path": "crlf.txt"}) == "   1 | one\n   2 | two"
    assert read.invoke({"path": "latin.txt"}) == "   1 | caf\ufffd"
    assert read.invoke({"path": "no_newline.txt"}) == "   1 | last"


# grep


def test_grep_output_shape_and_order(repo: Path) -> None:
    grep = _tools(repo)["grep"]
    assert grep.invoke({"pattern": "TODO"}) == (
        ".github/workflows/ci.yml:1: on: push  # TODO\n"
        "README.md:2: TODO: write docs\n"
        "src/app.py:5:     return os.getcwd()  # TODO"
    )
    assert grep.invoke({"pattern": "todo", "ignore_case": True}).splitlines()[-1] == (
        "tests/test_core.py:2:     assert True  # todo later"
    )
    assert grep.invoke({"pattern": "TODO", "glob": "*.py"}) == (
        "src/app.py:5:     return os.getcwd()  # TODO"
    )
    assert grep.invoke({"pattern": "TODO", "glob": "src/"}) == (
        "src/app.py:5:     return os.getcwd()  # TODO"
    )
    assert grep.invoke({"pattern": "nothing here"}) == "no matches for 'nothing here'"


def test_grep_glob_filter_does_not_reach_ignored_files(repo: Path) -> None:
    grep = _tools(repo)["grep"]
    assert grep.invoke({"pattern": "TODO", "glob": "*.log"}) == (
        "no matches for 'TODO' in files matching '*.log'"
    )
    assert grep.invoke({"pattern": "TODO", "glob": "build/**"}).startswith("no matches")
    assert grep.invoke({"pattern": "TODO", "glob": "./*.log"}).startswith("no matches")
    assert grep.invoke({"pattern": "TODO", "glob": "**/__pycache__/**"}).startswith("no matches")


def test_grep_sorts_line_numbers_numerically(tmp_path: Path) -> None:
    _write(tmp_path, {"b.py": "hit\n" + "x\n" * 8 + "hit\n", "a.py": "x\nhit\n"})
    assert _tools(tmp_path)["grep"].invoke({"pattern": "hit"}) == (
        "a.py:2: hit\nb.py:1: hit\nb.py:10: hit"
    )


def test_grep_cap_counts_the_rest(tmp_path: Path) -> None:
    _write(tmp_path, {f"m{i:02d}.txt": "match\n" * 10 for i in range(30)})
    reply = _tools(tmp_path)["grep"].invoke({"pattern": "match"}).splitlines()
    assert len(reply) == 201
    assert reply[0] == "m00.txt:1: match"
    assert reply[199] == "m19.txt:10: match"
    assert reply[200] == "... 100 more matches (narrow the pattern or add a glob filter)"


def test_grep_keeps_the_first_matches_whatever_order_rg_finds_them(tmp_path: Path) -> None:
    # 4 * cap lines trigger the in-stream compaction many times over.
    _write(tmp_path, {f"d{i % 7}/f{i:03d}.txt": "hit\nmiss\nhit\n" for i in range(120)})
    tools = _tools(tmp_path, Limits(max_matches=5))
    reply = tools["grep"].invoke({"pattern": "hit"}).splitlines()
    assert reply == [
        "d0/f000.txt:1: hit",
        "d0/f000.txt:3: hit",
        "d0/f007.txt:1: hit",
        "d0/f007.txt:3: hit",
        "d0/f014.txt:1: hit",
        "... 235 more matches (narrow the pattern or add a glob filter)",
    ]


def test_grep_shortens_long_lines(tmp_path: Path) -> None:
    _write(tmp_path, {"long.txt": "needle " + "q" * 5000 + "\n"})
    reply = _tools(tmp_path)["grep"].invoke({"pattern": "needle"})
    assert reply.startswith("long.txt:1: needle qqq")
    assert reply.endswith(" [... omitted end of long line]")
    assert len(reply) < 400


# analyze

TRAIN = """\
import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import StandardScaler


def load_data(path):
    return pd.read_csv(path)


def build_features(frame):
    scaler = StandardScaler()
    return scaler.fit_transform(frame)


class Trainer:
    def run(self, X, y):
        model = RandomForestClassifier()
        model.fit(X, y)
        print(accuracy_score(y, model.predict(X)))
        joblib.dump(model, "model.joblib")
        with open("report.txt", "w") as out:
            out.write("done")
"""

APP = """\
from fastapi import FastAPI
import joblib

app = FastAPI()
model = joblib.load("model.joblib")


@app.post("/predict")
def predict(item: dict):
    return {"y": model.predict([item["x"]]).tolist()}
"""


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
                for kind, source in cells
            ],
        }
    )


def test_analyze_summarises_an_ml_project(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "train.py": TRAIN,
            "serve/app.py": APP,
            "explore.ipynb": _notebook(
                ("markdown", "# Explore"),
                ("code", "%matplotlib inline\nimport numpy as np\nimport pandas as pd"),
                ("code", "df = pd.read_parquet('d.parquet')\n!ls\nX = np.log(df)"),
            ),
            "broken.py": "def oops(:\n",
            "notes.txt": "not python",
        },
    )
    reply = _tools(tmp_path)["analyze"].invoke({})
    assert reply == (
        "analyzed 2 Python files and 1 notebook in '.'\n"
        "ML libraries: joblib (2 files), numpy (1 file), pandas (2 files), sklearn (1 file)\n"
        "serving libraries: fastapi (1 file)\n"
        "\n"
        "data loading:\n"
        "  explore.ipynb:cell 3:1 pd.read_parquet()\n"
        "  train.py:9 pd.read_csv() in load_data()\n"
        "\n"
        "features:\n"
        "  train.py:12 def build_features()\n"
        "  train.py:13 StandardScaler() in build_features()\n"
        "  train.py:14 scaler.fit_transform() in build_features()\n"
        "\n"
        "training:\n"
        "  train.py:20 model.fit() in Trainer.run()\n"
        "\n"
        "evaluation:\n"
        "  train.py:21 accuracy_score() in Trainer.run()\n"
        "  train.py:21 model.predict() in Trainer.run()\n"
        "\n"
        "serving:\n"
        "  serve/app.py:4 FastAPI()\n"
        "  serve/app.py:8 route POST /predict -> predict()\n"
        "  serve/app.py:10 model.predict() in predict()\n"
        "\n"
        "model persistence:\n"
        "  serve/app.py:5 joblib.load()\n"
        "  train.py:22 joblib.dump() in Trainer.run()\n"
        "\n"
        "not analyzed:\n"
        "  broken.py:1: invalid syntax\n"
        "\n"
        "modules:\n"
        "  explore.ipynb (2 code cells)\n"
        "    imports: numpy, pandas\n"
        "  serve/app.py (10 lines)\n"
        "    imports: fastapi, joblib\n"
        "    serve/app.py:9 def predict\n"
        "  train.py (24 lines)\n"
        "    imports: joblib, pandas, sklearn.ensemble, sklearn.metrics, sklearn.preprocessing\n"
        "    train.py:8 def load_data\n"
        "    train.py:12 def build_features\n"
        "    train.py:17 class Trainer"
    )


def test_analyze_one_file_a_directory_and_is_deterministic(tmp_path: Path) -> None:
    _write(tmp_path, {"train.py": TRAIN, "serve/app.py": APP, "serve/util.py": "def f(): pass\n"})
    analyze = _tools(tmp_path)["analyze"]
    single = analyze.invoke({"path": "serve/app.py"})
    assert single.startswith("analyzed 1 Python file and 0 notebooks in 'serve/app.py'\n")
    assert "train.py" not in single
    folder = analyze.invoke({"path": "serve"})
    assert folder.startswith("analyzed 2 Python files and 0 notebooks in 'serve'\n")
    assert "    serve/util.py:1 def f" in folder
    assert analyze.invoke({}) == analyze.invoke({"path": "."})


def test_analyze_notebook_locations_and_bad_notebooks(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nb.ipynb": _notebook(
                ("code", "%%bash\necho hi"),
                ("markdown", "text"),
                ("code", "from sklearn.svm import SVC\nm = SVC()\nm.fit(X, y)"),
                ("code", "def broken(:"),
            ),
            "junk.ipynb": "{not json",
            "old.ipynb": json.dumps({"worksheets": []}),
        },
    )
    reply = _tools(tmp_path)["analyze"].invoke({})
    assert "  junk.ipynb: Expecting property name enclosed in double quotes" in reply
    assert "  nb.ipynb:cell 4:1: invalid syntax" in reply
    assert "  old.ipynb: not an nbformat 4 notebook (no 'cells' list)" in reply
    (tmp_path / "nb.ipynb").write_text(
        _notebook(("code", "%%bash\necho hi"), ("code", "import sklearn\nm.fit(X, y)"))
    )
    assert "  nb.ipynb:cell 2:2 m.fit()\n" in _tools(tmp_path)["analyze"].invoke({})


def test_analyze_empty_tree(tmp_path: Path) -> None:
    reply = _tools(tmp_path)["analyze"].invoke({})
    assert reply.startswith("analyzed 0 Python files and 0 notebooks in '.'\nML libraries: none")
    assert reply.endswith("modules:\n  (no .py or .ipynb files)")


# run_tool (the `team tools ROOT TOOL ARGS...` command)


def test_run_tool_parses_positional_and_keyword_args(repo: Path) -> None:
    assert run_tool(repo, "read_file", ["src/app.py", "4", "4"]) == "   4 | def main():"
    assert run_tool(str(repo), "read_file", ["path=src/app.py", "start_line=5"]) == (
        "   5 |     return os.getcwd()  # TODO"
    )
    assert run_tool(repo, "grep", ["todo", "glob=*.py", "ignore_case=true"]).splitlines() == [
        "src/app.py:5:     return os.getcwd()  # TODO",
        "tests/test_core.py:2:     assert True  # todo later",
    ]
    assert run_tool(repo, "grep", ["a=b"]) == "no matches for 'a=b'"
    assert run_tool(repo, "glob", ["src/*.py"]) == "src/app.py"
    assert run_tool(repo, "analyze", ["src/pkg"]).startswith("analyzed 2 Python files")
    assert run_tool(repo, "read_file", ["../x"]) == (
        "error: path '../x' contains '..'; paths must stay inside the root"
    )


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("cat", [], "unknown tool 'cat'; choose from glob, read_file, grep, analyze"),
        ("glob", [], "glob: missing argument 'pattern'"),
        ("glob", ["*.py", "*.md"], "glob takes pattern; extra argument '*.md'"),
        ("read_file", ["a.py", "path=b.py"], "read_file: argument 'path' given twice"),
        ("read_file", ["a.py", "x"], "read_file: invalid argument start_line='x': Input should"),
        ("grep", ["x", "ignore_case=perhaps"], "grep: invalid argument ignore_case='perhaps'"),
    ],
)
def test_run_tool_usage_errors(repo: Path, tool: str, args: list[str], message: str) -> None:
    with pytest.raises(ToolUsageError) as raised:
        run_tool(repo, tool, args)
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)


def test_run_tool_bad_root(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match=r"^root '.*missing' does not exist$"):
        run_tool(tmp_path / "missing", "glob", ["*"])


# path globs: exact .gitignore semantics without re-including ignored files

PATH_GLOBS = [
    "src/*.py",
    "src/**",
    "src/**/*.py",
    "**/tests/**",
    "*/tests/*.py",
    "src/",
    "pkg/",
    "src/pkg",
    "src/{a,b}.py",
    "src/[ab].py",
    "src/[!a].py",
    "src/?.py",
    "**/*.md",
    "docs/**/index.*",
    "a/**/b/*.txt",
    "./src/pkg/*",
]


GLOB_TREE = (
    "src/a.py",
    "src/b.py",
    "src/c.txt",
    "src/pkg/d.py",
    "src/pkg/tests/test_x.py",
    "tests/test_y.py",
    "lib/tests/t.py",
    "docs/x/index.md",
    "docs/index.rst",
    "a/b/f.txt",
    "a/x/y/b/g.txt",
    "pkg/z.py",
    "README.md",
)


@pytest.mark.parametrize("pattern", PATH_GLOBS)
def test_path_globs_select_what_ripgrep_globs_select(tmp_path: Path, pattern: str) -> None:
    _write(tmp_path, dict.fromkeys(GLOB_TREE, "x\n"))
    body = pattern.removeprefix("./")
    directory = body.rstrip("/")
    whole_dir = f"{'' if '/' in directory else '**/'}{directory}/**"
    command = [find_rg(), "--files", "--no-config", "--glob", body, "--glob", whole_dir]
    rg = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    expected = sorted(rg.stdout.split())
    assert expected, pattern
    assert _tools(tmp_path)["glob"].invoke({"pattern": pattern}).splitlines() == expected


def test_path_globs_do_not_reach_ignored_or_reincluded_files(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            ".gitignore": "*.log\n!keep.log\nsrc/gen/\n",
            "keep.log": "needle\n",
            "src/run.log": "needle\n",
            "src/keep.log": "needle\n",
            "src/gen/out.py": "needle\n",
            "src/main.py": "needle\n",
        },
    )
    tools = _tools(tmp_path)
    assert tools["glob"].invoke({"pattern": "src/**"}) == "src/keep.log\nsrc/main.py"
    assert tools["glob"].invoke({"pattern": "src/**/*.py"}) == "src/main.py"
    assert tools["grep"].invoke({"pattern": "needle", "glob": "src/**/*.py"}) == (
        "src/main.py:1: needle"
    )
    assert tools["grep"].invoke({"pattern": "needle", "glob": "*.log"}) == (
        "keep.log:1: needle\nsrc/keep.log:1: needle"
    )


def test_path_glob_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    repo = _write(tmp_path / "repo", {"src/a.py": "x\n"})
    tools = _tools(repo)
    assert tools["glob"].invoke({"pattern": "src/*.py"}) == "src/a.py"
    assert tools["grep"].invoke({"pattern": "x", "glob": "src/"}) == "src/a.py:1: x"
    assert list(scratch.iterdir()) == []
