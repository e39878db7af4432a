"""A benchmarking or load-testing tool among the project's declared dependencies, or a
benchmarks folder its configuration names.

A project that lists pytest-benchmark, pytest-codspeed, asv, pyperf, Locust or molotov among its
dependencies, extras, dependency groups or test requirements has benchmarks, even when the
package under review ships without them: tipg's sdist keeps only `tipg/`
(`[tool.hatch.build.targets.sdist] only-include`) while its pyproject.toml lists pytest-benchmark
for the `tests/benchmarks.py` of its repository. The absence is the packaging, not the project.

The project is the nearest folder, the reviewed one or one of the three above it, that holds a
`pyproject.toml`, `setup.py`, `setup.cfg` or requirements file; only its declaration files are
read, and a tool counts only where a requirement is written (a quoted string or a line that
starts with its name, followed by a version, a marker, an extra or nothing).

A project whose own configuration names a benchmarks folder has one in its repository, though
the sdist leaves it out: fractal-server's pyproject.toml omits `"benchmarks/*"` from coverage
(its repository's `benchmarks/api_bench.py` times the API) and its sdist ships only
`fractal_server/`. A path counts when it is written as a folder (`benchmarks/`, `bench/`,
`load_tests/`, `perf_tests/`) in the project's pyproject.toml, setup.cfg, tox.ini,
MANIFEST.in, `.coveragerc` or pytest.ini; a word in prose (a README's "Benchmarks" badge) does
not.

Code that points the reader to the repository's load tests by their path has them as well:
SkyPilot's API server says where its queue and worker settings were measured ("see
`tests/load_tests` for details", `sky/server/config.py`), a folder its sdist leaves out. Only a
comment counts, and only a path to a load, stress or performance test folder
(`tests/load_tests`, `load_tests/...`), not a word ("load test this later"). A comment that
wishes for the folder or denies it ("TODO: add tests/load_tests", "there is no
tests/load_tests yet") or points to another project's (a URL) cites none.
"""

from __future__ import annotations

import re
import tokenize
from io import StringIO
from pathlib import Path

from team.audit.repo import Repo, is_test

__all__ = ["cites_load_tests", "declares_benchmark_tool", "names_benchmark_folder"]

_TOOL = re.compile(
    r"""(?im)(?:^\s*|["'])(?:pytest[-_.]benchmark|pytest[-_.]codspeed|asv|pyperf|locust|molotov)"""
    r"""\s*(?:[<>=!~;\[,"']|$)"""
)
_DECLARATIONS = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "tox.ini")
# a benchmarks folder as a path: `"benchmarks/*"`, `prune bench/`, `testpaths = load_tests/`
_FOLDER = re.compile(
    r"""(?im)(?:^|["'\s=,\[])(?:\./)?(?:benchmarks?|bench|load[-_]?tests?|perf[-_]?tests?)/"""
)
# a load-test folder written as a path: `tests/load_tests`, `load_tests/test_queue.py`
_LOAD_TEST_PATH = re.compile(
    r"(?i)\btests?/(?:load|stress|perf(?:ormance)?)[-_]?tests?\b"
    r"|\b(?:load|stress|perf(?:ormance)?)[-_]?tests?/\w"
)
# before the path, what makes a comment no pointer to the project's own load tests: a URL
# (another project's), a TODO/FIXME/XXX marker (a wish), a negation ("there is no ... yet")
_NO_CITATION = re.compile(
    r"(?i)://|\b(?:TODO|FIXME|XXX)\b|\b(?:no|not|without|missing|never)\b|n't\b"
)
_CONFIGS = ("pyproject.toml", "setup.cfg", "tox.ini", "MANIFEST.in", ".coveragerc", "pytest.ini")


def _declaration_files(top: Path) -> list[Path]:
    named = [top / name for name in _DECLARATIONS if (top / name).is_file()]
    return [*named, *sorted(top.glob("requirements*.txt")), *sorted(top.glob("requirements/*.txt"))]


def declares_benchmark_tool(root: Path) -> bool:
    """The project around `root` declares a benchmarking or load-testing tool.

    Example:
        >>> from pathlib import Path
        >>> declares_benchmark_tool(Path("scenarios/fixtures/churn"))
        False
    """
    for top in [root, *list(root.resolve().parents)[:3]]:
        files = _declaration_files(top)
        if files:
            return any(_TOOL.search(f.read_text(encoding="utf-8", errors="replace")) for f in files)
    return False


def names_benchmark_folder(root: Path) -> bool:
    """The configuration of the project around `root` names a benchmarks folder by its path.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "pyproject.toml").write_text('[tool.coverage.run]\\nomit = ["tests/*"]')
        >>> names_benchmark_folder(top)
        False
        >>> _ = (top / "pyproject.toml").write_text('omit = ["tests/*", "benchmarks/*"]')
        >>> names_benchmark_folder(top)
        True
    """
    for top in [root, *list(root.resolve().parents)[:3]]:
        if _declaration_files(top):
            return any(
                _FOLDER.search((top / name).read_text(encoding="utf-8", errors="replace"))
                for name in _CONFIGS
                if (top / name).is_file()
            )
    return False


def cites_load_tests(repo: Repo) -> bool:
    """A comment of the reviewed code, outside its tests, names a load-test folder by its path.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "config.py").write_text("# tuned by load; see `tests/load_tests`\\nW = 4\\n")
        >>> cites_load_tests(Repo.scan(top))
        True
        >>> _ = (top / "config.py").write_text("# load tests would help here\\nW = 4\\n")
        >>> cites_load_tests(Repo.scan(top))
        False
    """
    for rel in repo.python:
        text = repo.text(rel)
        if is_test(rel) or not _LOAD_TEST_PATH.search(text):
            continue
        try:
            tokens = list(tokenize.generate_tokens(StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            continue
        if any(t.type == tokenize.COMMENT and _cites(t.string) for t in tokens):
            return True
    return False


def _cites(comment: str) -> bool:
    """`comment` points to a load-test folder by its path, with no URL, TODO marker or
    negation before it (skypilot: "see `tests/load_tests` for details")."""
    path = _LOAD_TEST_PATH.search(comment)
    return path is not None and not _NO_CITATION.search(comment[: path.start()])
