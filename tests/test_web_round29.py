"""Web review round 29: kinds of false alarm that recurred on real apps, each with a small app
that must be reported and one that must stay silent."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_SWAP = """
from flask import Flask, request

app = Flask(__name__)


@app.post("/swap")
def swap():
    first, second = request.json["events"]
    found = []
    for {target} in {walked}:
        found.append(db.execute("SELECT * FROM event WHERE id = %s", (ev["id"],)).fetchall())
    return {{"events": found}}
"""


def test_a_loop_over_an_enumerated_list_display_is_bounded(tmp_path: Path) -> None:
    found = {
        walked: web_findings(
            tmp_path / str(i),
            {"app.py": _SWAP.format(target=target, walked=walked)},
            "n-plus-one-query",
        )
        for i, (target, walked) in enumerate(
            [
                ("i, ev", "enumerate([first, second])"),
                ("ev", "reversed((first, second))"),
                ("ev", "[first, second]"),
                ("i, ev", "enumerate(request.json['events'])"),
                ("ev", "sorted(request.json['events'])"),
            ]
        )
    }
    assert found == {
        "enumerate([first, second])": set(),
        "reversed((first, second))": set(),
        "[first, second]": set(),
        "enumerate(request.json['events'])": {("app.py", 11)},
        "sorted(request.json['events'])": {("app.py", 11)},
    }
