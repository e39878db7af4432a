"""A run from a scenario file or a request, saved in the conversation store: what ``team run`` does.

``plan_run`` checks everything a user gave before anything runs (scenario, request, repository,
output paths); ``execute`` runs or resumes it on the store and turns an interrupt (Ctrl-C) into
``Interrupted``, which names the saved thread so the run can be continued.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from team.engine import Engine, RunResult, resume_run, validate_inputs
from team.errors import TeamError
from team.events import Event
from team.scenarios import Scenario, check_scenario, load_scenario
from team.topology import Team

__all__ = ["Interrupted", "RunPlan", "execute", "interrupted", "plan_run"]


class Interrupted(TeamError):
    """The run was interrupted; when ``saved``, it can be resumed from thread ``thread_id``."""

    def __init__(self, thread_id: str, *, saved: bool = True):
        super().__init__(
            f"interrupted: the run is saved as thread {thread_id}"
            if saved
            else f"interrupted before thread {thread_id} was saved: nothing to resume"
        )
        self.thread_id = thread_id
        self.saved = saved


@dataclass(frozen=True)
class RunPlan:
    """What to run, checked: a new run (request, follow-ups, repository) or a resume."""

    team: Team
    thread_id: str
    request: str = ""
    followups: tuple[str, ...] = ()
    repo: Path | None = None
    model: str | None = None
    resume: bool = False
    scenario: Scenario | None = field(default=None, repr=False)
    cassette: Any = field(default=None, repr=False)

    @property
    def tape_name(self) -> str:
        """The run's name in a cassette: the scenario's, else a hash of the turns."""
        from team.models.tape import run_name

        return self.scenario.name if self.scenario else run_name([self.request, *self.followups])


def plan_run(
    team: Team,
    *,
    scenario: str | Path | None = None,
    request: str | None = None,
    repo: str | Path | None = None,
    model: str | None = None,
    thread_id: str | None = None,
    resume: str | None = None,
    record: str | Path | None = None,
    replay: str | Path | None = None,
) -> RunPlan:
    """Check a run's inputs and say what will run.

    Give exactly one of ``scenario``, ``request`` or ``resume`` (a saved thread id).
    ``record`` or ``replay`` name a cassette folder the run's model calls are written to or
    answered from (``team.models.tape``).

    Raises:
        TeamError: Missing or conflicting inputs, a malformed scenario, an empty request, a
            repository that does not exist.

    Example:
        >>> plan = plan_run(Team.load(), request="Write user stories for search", thread_id="t1")
        >>> plan.request, plan.thread_id, plan.resume
        ('Write user stories for search', 't1', False)
    """
    from team.models.tape import Cassette

    given = [name for name, value in (("scenario", scenario), ("request", request)) if value]
    cassette = Cassette.open(record=record, replay=replay)
    if resume is not None:
        if cassette is not None:
            raise TeamError("a resumed run is not recorded or replayed; start it again for that")
        if given:
            raise TeamError(f"a resumed run continues a saved thread; give no {given[0]} with it")
        return RunPlan(team=team, thread_id=resume, model=model, resume=True)
    if len(given) != 1:
        raise TeamError(
            "give a scenario file or a request, not both"
            if given
            else "give a scenario file or a request"
        )
    loaded = None
    followups: tuple[str, ...] = ()
    if scenario is not None:
        loaded = load_scenario(scenario)
        check_scenario(loaded, set(team.cards))
        request, followups = loaded.request, tuple(loaded.followups)
        repo = repo or loaded.repo_path()
        model = model or loaded.model
    root = validate_inputs(request or "", repo)
    return RunPlan(
        team=team,
        thread_id=thread_id or f"run-{uuid.uuid4().hex[:12]}",
        request=request or "",
        followups=followups,
        repo=root,
        model=model,
        scenario=loaded,
        cassette=cassette,
    )


def execute(
    plan: RunPlan, *, checkpointer: Any, on_event: Callable[[Event], None] | None = None
) -> RunResult:
    """Run (or resume) a plan on ``checkpointer``.

    Raises:
        Interrupted: Ctrl-C; the run is saved and ``Engine.resume`` continues it exactly.
        TeamError: A resume of a thread that does not exist, waits for an approval or cannot be
            continued by this team; a new run on a thread that holds an interrupted one.
    """
    try:
        if plan.resume:
            return resume_run(
                plan.team, plan.thread_id, checkpointer, model=plan.model, on_event=on_event
            )
        cassette = plan.cassette
        tape = cassette.tape(plan.tape_name, model=plan.model or "default") if cassette else None
        engine = Engine(
            plan.team,
            model=plan.model or "offline",
            repo=plan.repo,
            checkpointer=checkpointer,
            tape=tape,
        )
        if engine.unfinished(plan.thread_id):
            raise TeamError(
                f"thread {plan.thread_id!r} holds an interrupted run: resume it, "
                "or give another thread id"
            )
        result = engine.run(
            plan.request, followups=plan.followups, thread_id=plan.thread_id, on_event=on_event
        )
    except KeyboardInterrupt:
        raise interrupted(plan.thread_id, checkpointer) from None
    if tape is not None and cassette.mode == "record":
        cassette.save(tape)
    elif tape is not None:
        tape.finish()
    return result


def interrupted(thread_id: str, checkpointer: Any) -> Interrupted:
    """What an interrupt left behind: a saved thread to resume, or nothing yet."""
    saved = checkpointer.get_tuple({"configurable": {"thread_id": thread_id}}) is not None
    return Interrupted(thread_id, saved=saved)
