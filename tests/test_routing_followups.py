"""A follow-up that only points back at the answer before it stays with the role that gave it.

"Great, which of these matters most?" after the Performance Engineer's findings asks him to rank
his own findings; read by meaning alone, its nearest labelled ask ("put them in order of what
matters most") is a PM's prioritization, and the turn went Performance Engineer -> PM.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.routing.encoder import encoder
from team.routing.router import points_back

needs_encoder = pytest.mark.skipif(
    encoder() is None, reason="the encoder is not fetched (run `team models fetch`)"
)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("Great, which of these matters most?", True),
        ("ok and those?", True),
        ("Which of them should we fix first?", True),
        # words of its own: read as usual
        ("Deploy these to staging on Kubernetes", False),
        ("Which of these churn features leak the label?", False),
        ("Which matters most?", False),
    ],
)
def test_an_ask_points_back_only_with_a_back_reference_and_few_words_of_its_own(
    text: str, back: bool
) -> None:
    assert points_back(text) is back


@needs_encoder
def test_team_route_explain_leaves_a_pointing_back_follow_up_to_the_words() -> None:
    result = CliRunner().invoke(app, ["route", "Great, which of these matters most?", "--explain"])
    assert result.exit_code == 0, result.output
    meaning = [line for line in result.output.splitlines() if line.strip().startswith("meaning:")]
    assert meaning and "(not taken" in meaning[0], result.output


@needs_encoder
def test_the_follow_up_on_a_role_s_findings_stays_with_that_role() -> None:
    """The three-turn scenario: skew to the ML Engineer, latency to the Performance Engineer,
    and "which of these matters most?" stays with him."""
    scenario = Path(__file__).parent.parent / "scenarios" / "repo_skew_service_followups.yaml"
    result = CliRunner().invoke(app, ["eval", str(scenario)])
    assert result.exit_code == 0, result.output
    assert "1/1 scenarios passed" in result.output, result.output
