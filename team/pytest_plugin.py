"""pytest plugin (entry point ``pytest11``): scenario files as test items, and team fixtures.

Choose where scenarios live with the ini option ``team_scenarios`` (paths relative to the ini
file) or ``--team-scenarios PATH``; every ``*.yaml`` scenario there becomes a test item whose
failure prints the trajectory diff. Fixtures: ``team`` (the default team) and ``run_scenario``.
``--record DIR`` writes every scenario's model calls to a cassette folder; ``--replay DIR``
answers them from it, offline, and fails a scenario whose calls were not recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ScenarioFailure", "ScenarioItem"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("teamgraph")
    group.addoption(
        "--team-scenarios",
        action="append",
        default=[],
        metavar="PATH",
        help="Collect teamgraph scenario files (*.yaml) under PATH as tests.",
    )
    group.addoption(
        "--record",
        dest="team_record",
        metavar="DIR",
        help="Write the scenarios' model calls to this teamgraph cassette folder.",
    )
    group.addoption(
        "--replay",
        dest="team_replay",
        metavar="DIR",
        help="Answer the scenarios' model calls from this teamgraph cassette folder.",
    )
    parser.addini(
        "team_scenarios", type="paths", default=[], help="Folders or files of teamgraph scenarios."
    )


def _scenario_roots(config: pytest.Config) -> list[Path]:
    roots = [Path(p).resolve() for p in config.getini("team_scenarios")]
    roots += [Path(p).resolve() for p in config.getoption("team_scenarios") or []]
    return roots


def pytest_configure(config: pytest.Config) -> None:
    config._team_scenario_roots = _scenario_roots(config)  # type: ignore[attr-defined]
    record, replay = config.getoption("team_record"), config.getoption("team_replay")
    cassette = None
    if record is not None or replay is not None:
        from team.errors import TeamError
        from team.models.tape import Cassette

        try:
            cassette = Cassette.open(record=record, replay=replay)
        except TeamError as exc:
            raise pytest.UsageError(f"teamgraph: {exc}") from None
    config._team_cassette = cassette  # type: ignore[attr-defined]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    roots: list[Path] = getattr(parent.config, "_team_scenario_roots", [])
    if file_path.suffix not in (".yaml", ".yml") or not roots:
        return None
    resolved = file_path.resolve()
    for root in roots:
        if resolved == root or (root.is_dir() and resolved.parent == root):
            return ScenarioFile.from_parent(parent, path=file_path)
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    # Scenario folders are collected with the default test paths, and whenever
    # --team-scenarios names them; a run of chosen test files is left alone.
    config = session.config
    explicit = [Path(p).resolve() for p in config.getoption("team_scenarios") or []]
    roots = (
        explicit
        if config.args_source == pytest.Config.ArgsSource.ARGS
        else getattr(config, "_team_scenario_roots", [])
    )
    for root in roots:
        if root.exists() and str(root) not in config.args:
            config.args.append(str(root))


class ScenarioFailure(Exception):
    """A scenario's run broke its expectations."""

    def __init__(self, checks: list[Any], result: Any):
        super().__init__(str(checks[0]))
        self.checks = checks
        self.result = result


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from team.errors import TeamError
        from team.scenarios import check_scenario, load_scenario
        from team.topology import Team

        try:
            scenario = load_scenario(self.path)
            check_scenario(scenario, set(Team.load().cards))
        except TeamError as exc:
            raise self.CollectError(str(exc)) from None
        yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)


class ScenarioItem(pytest.Item):
    """One scenario: run the team, check the ``expect:`` block."""

    def __init__(self, *, scenario: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        from team.evaluate.expect import check_expectations

        result = _run(self.scenario, cassette=self.config._team_cassette)  # type: ignore[attr-defined]
        checks = check_expectations(self.scenario.expect, result) if self.scenario.expect else []
        if checks:
            raise ScenarioFailure(checks, result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from team.errors import TeamError

        if isinstance(excinfo.value, TeamError):  # a replay that does not match, say
            return f"scenario {self.scenario.name} ({self.path}): {excinfo.value}"
        if not isinstance(excinfo.value, ScenarioFailure):
            return str(super().repr_failure(excinfo))
        failure = excinfo.value
        expect = self.scenario.expect
        lines = [
            f"scenario {self.scenario.name} ({self.path}) broke {len(failure.checks)} expectation(s):"
        ]
        lines += [f"  - {check}" for check in failure.checks]
        if expect is not None and expect.path is not None:
            lines.append(f"  expected path ({expect.match}): {' -> '.join(expect.path)}")
        lines.append(f"  actual path:   {' -> '.join(failure.result.visited) or '(nothing)'}")
        for h in failure.result.handoffs:
            lines.append(
                f"    {h['source']} -> {h['target']}: {h['criterion']!r} ({h['reason'][:100]})"
            )
        lines.append(f"  outcome: {failure.result.outcome} {failure.result.note}".rstrip())
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"


def _run(scenario: Any, team: Any = None, *, cassette: Any = None, **overrides: Any) -> Any:
    from team.engine import run_team
    from team.topology import Team

    options = {
        "followups": scenario.followups,
        "repo": scenario.repo_path(),
        "model": scenario.model or "offline",
    }
    options.update(overrides)
    if cassette is None:
        return run_team(team or Team.load(), scenario.request, **options)
    model = overrides.get("model")
    label = model if isinstance(model, str) else "default"
    tape = cassette.tape(scenario.name, model=label)
    result = run_team(team or Team.load(), scenario.request, tape=tape, **options)
    if cassette.mode == "record":
        cassette.save(tape)
    tape.finish()
    return result


@pytest.fixture(name="team")
def team_fixture() -> Any:
    """The default team (packaged cards and ``graphs/default.yaml``)."""
    from team.topology import Team

    return Team.load()


@pytest.fixture
def run_scenario(team: Any, request: pytest.FixtureRequest) -> Any:
    """Run a scenario file: ``run_scenario(path, **run_team_options) -> RunResult``.

    The result has ``checks``: the broken expectations of the file's ``expect:`` block. With
    ``--record``/``--replay`` the run's model calls are recorded or replayed.
    """
    cassette = getattr(request.config, "_team_cassette", None)
    from team.evaluate.expect import check_expectations
    from team.scenarios import load_scenario

    def run(path: str | Path, **overrides: Any) -> Any:
        scenario = load_scenario(path)
        result = _run(scenario, team, cassette=cassette, **overrides)
        object.__setattr__(
            result, "checks", check_expectations(scenario.expect, result) if scenario.expect else []
        )
        return result

    return run
