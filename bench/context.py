"""Prompt bytes per scenario under each context policy (full, summary, packet).

Every model call's input (system prompt and messages, as JSON) is measured while the offline team
runs each scenario under each policy in this process. Prints bytes per scenario and the ratio of
each policy to ``full``.

    python bench/context.py [scenarios/ ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage, message_to_dict
from pydantic import Field

from team.engine import run_team
from team.evaluate.suite import collect_scenarios
from team.models.offline import OfflineModel
from team.scenarios import load_scenario
from team.topology import ContextSettings, Team

POLICIES = ("full", "summary", "packet")


class MeasuredOffline(OfflineModel):
    """The offline model, counting the bytes of every prompt it is sent."""

    sent: list[int] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.sent.append(len(json.dumps([message_to_dict(m) for m in messages])))
        return super()._generate(messages, *args, **kwargs)


def prompt_bytes(team: Team, path: Path) -> tuple[int, int, list[str]]:
    scenario = load_scenario(path)
    model = MeasuredOffline(cards=team.cards, sent=[])
    result = run_team(
        team, scenario.request, followups=scenario.followups, repo=scenario.repo_path(), model=model
    )
    return sum(model.sent), len(model.sent), result.visited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["scenarios"])
    args = parser.parse_args()
    base = Team.load()
    teams = {
        policy: Team.from_cards(
            list(base.cards.values()),
            base.topology.model_copy(update={"context": ContextSettings(policy=policy)}),
        )
        for policy in POLICIES
    }
    totals = dict.fromkeys(POLICIES, 0)
    print(
        f"{'scenario':<34}{'calls':>6}" + "".join(f"{p:>12}" for p in POLICIES) + "   packet/full"
    )
    for path in collect_scenarios(args.paths):
        row, calls, paths = {}, 0, set()
        for policy, team in teams.items():
            row[policy], calls, visited = prompt_bytes(team, path)
            paths.add(tuple(visited))
            totals[policy] += row[policy]
        same = "" if len(paths) == 1 else "  (paths differ!)"
        cells = "".join(f"{row[p]:>12,}" for p in POLICIES)
        print(f"{path.stem[:33]:<34}{calls:>6}{cells}   {row['packet'] / row['full']:.2f}{same}")
    print(f"{'total':<40}" + "".join(f"{totals[p]:>12,}" for p in POLICIES))
    for policy in ("summary", "packet"):
        print(f"{policy}/full: {totals[policy] / totals['full']:.2f}")
    sys.exit(0)


if __name__ == "__main__":
    main()
