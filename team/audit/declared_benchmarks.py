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
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["declares_benchmark_tool", "names_benchmark_folder"]

_TOOL = re.compile(
    r"""(?im)(?:^\s*|["'])(?:pytest[-_.]benchmark|pytest[-_.]codspeed|asv|pyperf|locust|molotov)"""
    r"""\s*(?:[<>=!~;\[,"']|$)"""
)
_DECLARATIONS = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "tox.ini")
# a benchmarks folder as a path: `"benchmarks/*"`, `prune bench/`, `testpaths = load_tests/`
_FOLDER = re.compile(
    r"""(?im)(?:^|["'\s=,\[])(?:\./)?(?:benchmarks?|bench|load[-_]?tests?|perf[-_]?tests?)/"""
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
