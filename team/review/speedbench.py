"""A speed benchmark: a module whose random data feed only timings, so no seed is missing.

Random inputs there only make something to time; the module scores nothing and shows nothing but
timings, status text and sizes (`speed_benchmark`). `SCORING` names the calls that score a result,
which the training rules (`trainloops.py`) read too.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from team.review.calltools import leaf_name
from team.review.catalog import CV_FUNCTIONS, PRINTS, RICH_METRIC_NAMES, words
from team.review.hypersearch import runs_hyperparameter_search
from team.review.outputs import shows_only_sizes
from team.review.sources import RepoIndex, SourceFile

__all__ = ["SCORING", "speed_benchmark"]

SCORING = RICH_METRIC_NAMES | CV_FUNCTIONS | words("score evaluate classification_report")


_TIMING_MAGICS = frozenset({"timeit"})
# A library's timing helper (skl2onnx.tutorial.measure_time) times as `timeit` does.
_TIMERS = frozenset({"measure_time", "timeit"})


def speed_benchmark(src: SourceFile, repo: RepoIndex, calls: list[ast.Call]) -> bool:
    """The module only times code: it uses `%timeit`, the `timeit` module or a timing helper, or
    reads a clock and names no result in what it shows; it shows nothing but timings, status
    text and sizes, and scores nothing (no metric, `.score`, `evaluate`, cross-validation or
    training loop). Random data there only make something to time (the hummingbird notebooks that
    `%%timeit` a converted forest on `np.random.rand` data, DiCE's benchmark that prints the
    elapsed time of each method, skl2onnx's tutorial that prints the train and test shapes and
    times predictions with `measure_time`), so no seed is missing. A module that shows anything
    else may show predictions that change per run, and is still read. A module that runs a
    hyperparameter search is no benchmark: the search's picks are fitted and scored, whatever it
    also times."""
    if runs_hyperparameter_search([repo.qualify(src, call.func) or "" for call in calls]):
        return False
    if _training_speed_benchmark(src, repo, calls):
        return True
    timed = bool(src.magics & _TIMING_MAGICS)
    clocked = result_shown = False  # reads a clock (time.time); shows a result word
    for call in calls:
        qual = repo.qualify(src, call.func) or ""
        last = qual.rsplit(".", 1)[-1]
        if last in SCORING or last == "backward" or last.endswith(("_score", "_error", "_loss")):
            return False
        if last in PRINTS and not (_shows_timings(call) or shows_only_sizes(call)):
            return False
        # "Score ... (took 2.1 seconds)": a clock times a run whose result is shown
        result_shown = result_shown or (last in PRINTS and _mentions_result(call))
        timed = timed or qual.startswith("timeit.") or last in _TIMERS
        clocked = clocked or qual in _CLOCKS
    return timed or (clocked and not result_shown)


_CLOCKS = frozenset({"time.time", "time.perf_counter", "time.monotonic", "time.process_time"})
_RESULT_WORDS = re.compile(r"(?i)loss|acc|score|metric|auc|f1|error|precision|recall|perplexity")


# Counters of the peak memory a run used: a script that reads one measures its cost.
_MEMORY_COUNTERS = words(
    "max_memory_allocated max_memory_reserved get_traced_memory max_rss_bytes peak_memory"
)


def _training_speed_benchmark(src: SourceFile, repo: RepoIndex, calls: list[ast.Call]) -> bool:
    """A module named a benchmark, or one that reads the peak memory used, that reads a clock
    around its work, scores nothing and shows no loss or metric (Opacus' `vision_benchmark.py`
    trains on `torch.randn` images and prints only the time taken and images per second;
    ALIGNN's `scaling_test_cu.py` times one forward and backward pass of a fresh model and
    records the peak GPU memory): the seed changes no number it reports."""
    named = "bench" in PurePosixPath(src.rel).stem.lower()
    if not named and not any(leaf_name(call.func) in _MEMORY_COUNTERS for call in calls):
        return False
    clocked = False
    for call in calls:
        qual = repo.qualify(src, call.func) or ""
        last = qual.rsplit(".", 1)[-1]
        if last in SCORING or last.endswith(("_score", "_error")):
            return False
        if last in PRINTS and _mentions_result(call) and not _text_only(call):
            return False
        clocked = clocked or qual in _CLOCKS
    return clocked


def _text_only(call: ast.Call) -> bool:
    """The call shows fixed text and no value ("all precisions OOM - stopping"): whatever words
    it uses, no number it could report leaves it."""
    values = [*call.args, *(k.value for k in call.keywords)]
    return all(isinstance(v, ast.Constant) for v in values)


def _mentions_result(call: ast.Call) -> bool:
    """A shown value or its text names a result: a loss, an accuracy, a score."""
    return any(
        _RESULT_WORDS.search(n.id if isinstance(n, ast.Name) else str(n.value))
        for arg in [*call.args, *(k.value for k in call.keywords)]
        for n in ast.walk(arg)
        if isinstance(n, ast.Name) or (isinstance(n, ast.Constant) and isinstance(n.value, str))
    )


_TIMING_WORDS = re.compile(
    r"(?i)\b(?:time|timing|elapsed|took|seconds?|secs?|ms|latency|duration)\b"
)
_TIMING_NAME = re.compile(r"(?i)elapsed|time|duration|took|seconds|secs|latency|speed|^_?t\d?$")
_FORMATTING = frozenset({"round", "len", "str", "int", "float", "format", "sum", "min", "max"})


def _shows_timings(call: ast.Call) -> bool:
    """The call prints a timing: its text says so ("Total time taken ..."), or every value it
    prints is named for one (`elapsed_random`)."""
    values = [*call.args, *(k.value for k in call.keywords)]
    texts = [
        n.value
        for arg in values
        for n in ast.walk(arg)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    if any(_TIMING_WORDS.search(text) for text in texts):
        return True
    names = {n.id for arg in values for n in ast.walk(arg) if isinstance(n, ast.Name)}
    return bool(names) and all(_TIMING_NAME.search(n) or n in _FORMATTING for n in names)
