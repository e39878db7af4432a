from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import SEED
from typer.testing import CliRunner

from team.cards import load_card, parse_card, role_id
from team.cli import app
from team.errors import TeamError
from team.topology import packaged_path

runner = CliRunner()
ROLES = [
    "backend_architect",
    "data_engineer",
    "devops_engineer",
    "ml_engineer",
    "performance_engineer",
    "pm",
    "system_architect",
]
SEED_TARGETS = [
    "data_engineer",
    "backend_architect",
    "devops_engineer",
    "performance_engineer",
    "system_architect",
    "pm",
]


def test_packaged_cards_are_the_seven_roles():
    cards = sorted(p.stem for p in packaged_path("agents").glob("*.md"))
    assert cards == ROLES
    for stem in cards:
        assert load_card(packaged_path("agents") / f"{stem}.md").id == stem


def test_ml_engineer_card_carries_every_fact_of_the_seed():
    card = load_card(packaged_path("agents") / "ml_engineer.md")
    summary = card.summary()
    assert (summary["triggers"], summary["mindset"], summary["capabilities"]) == (6, 5, 8)
    assert (summary["workflow"], summary["quality_standards"], summary["anti_patterns"]) == (
        9,
        8,
        8,
    )
    assert summary["handoffs"] == SEED_TARGETS


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the checkout")
def test_ml_engineer_card_is_reworded_not_pasted():
    seed = load_card(SEED)
    ours = load_card(packaged_path("agents") / "ml_engineer.md")
    for section in ("triggers", "mindset", "quality_standards", "anti_patterns"):
        copied = {i.text for i in getattr(seed, section)} & {i.text for i in getattr(ours, section)}
        assert not copied, (section, copied)
    assert not {h.condition for h in seed.handoffs} & {h.condition for h in ours.handoffs}
    assert [s.text for s in seed.workflow] != [s.text for s in ours.workflow]


@pytest.mark.parametrize("role", ROLES)
def test_every_card_is_as_deep_as_the_seed(role):
    card = load_card(packaged_path("agents") / f"{role}.md")
    assert len(card.triggers) >= 5
    assert len(card.capabilities) >= 6
    assert len(card.workflow) >= 6
    assert len(card.quality_standards) >= 5
    assert len(card.anti_patterns) >= 5
    assert len(card.tool_orchestration) >= 4
    assert len(card.handoffs) >= 3
    assert [s.number for s in card.workflow] == list(range(1, len(card.workflow) + 1))


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the checkout")
def test_team_card_on_the_seed_file():
    result = runner.invoke(app, ["card", str(SEED)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"ML Engineer (ml_engineer)  {SEED}",
        "  triggers            6",
        "  mindset             5",
        "  capabilities        8",
        "  tool orchestration  5",
        "  workflow            9",
        "  quality standards   8",
        "  anti patterns       8",
        "  handoffs            6: " + ", ".join(SEED_TARGETS),
    ]


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the checkout")
def test_team_card_json_on_the_seed_file():
    result = runner.invoke(app, ["card", str(SEED), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["id"] == "ml_engineer"
    assert [h["target_id"] for h in data["handoffs"]] == SEED_TARGETS
    assert data["handoffs"][0]["condition"].startswith("data pipeline infrastructure")
    assert data["triggers"][0]["line"] == 4


def test_role_ids():
    assert [role_id(n) for n in ("ML Engineer", "DevOps Engineer", "PM", "Security  Engineer")] == [
        "ml_engineer",
        "devops_engineer",
        "pm",
        "security_engineer",
    ]


def test_extra_sections_are_kept_and_wrapped_lines_joined():
    card = parse_card(
        "# Agent: Security Engineer\n\n## Triggers\n- Activated when: a threat model\n  is needed\n\n"
        "## Escalation\nPage the CISO.\nTwice.\n\n## Handoff Criteria\n- Hand off to **PM** when risk needs sign-off\n"
    )
    assert card.triggers[0].text == "a threat model is needed"
    assert card.extra_sections == {"Escalation": "Page the CISO.\nTwice."}
    assert card.handoffs[0].target_id == "pm"
    assert card.handoffs[0].condition == "risk needs sign-off"
    assert card.handoffs[0].line == 12


GOOD = "# Agent: X Role\n\n## Triggers\n- Activated when: x\n\n## Handoff Criteria\n- Hand off to **PM** when y\n"

MALFORMED = [
    ("", "bad.md:1: empty card: expected '# Agent: <Name>' and its sections"),
    ("\n\n  \n", "bad.md:1: empty card: expected '# Agent: <Name>' and its sections"),
    ("# Agent X\n", "bad.md:1: expected '# Agent: <Name>' as the first line, got '# Agent X'"),
    (
        "# Agent: X\n\n## Handoff Criteria\n- Hand off to **PM** when y\n",
        "bad.md:1: card has no '## Triggers' section",
    ),
    (
        "# Agent: X\n\n## Triggers\n- Activated when: x\n",
        "bad.md:1: card has no '## Handoff Criteria' section",
    ),
    (
        GOOD.replace("- Hand off to **PM** when y", "- Hand off to PM when y"),
        "bad.md:7: handoff line names no role: expected 'Hand off to **<Role>** when ...', got 'Hand off to PM when y'",
    ),
    (
        GOOD.replace("- Activated when: x", "- When x happens"),
        "bad.md:4: trigger must read '- Activated when: ...', got 'When x happens'",
    ),
    (GOOD + "\n## Triggers\n- Activated when: z\n", "bad.md:9: duplicate section '## Triggers'"),
    (GOOD.replace("**PM**", "**X Role**"), "bad.md:7: X Role hands off to itself"),
    (
        GOOD + "\n## Workflow\n1. Just do it\n",
        "bad.md:10: expected '1. **Title** -- text' in '## Workflow', got '1. Just do it'",
    ),
    ("# Agent: X\nloose text\n", "bad.md:2: text before the first '## ' section: 'loose text'"),
    (GOOD.replace("- Activated when: x\n", ""), "bad.md:3: section '## Triggers' is empty"),
    (GOOD + "# Agent: Y\n", "bad.md:8: a card has one '# Agent:' heading, got '# Agent: Y'"),
    (
        GOOD.replace("- Hand off to **PM** when y", "- Hand off to **  ** when y"),
        "bad.md:7: handoff line names an empty role: 'Hand off to ** ** when y'",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_cards_give_one_line_with_path_and_line(tmp_path, text, message):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TeamError) as info:
        load_card(path)
    assert str(info.value) == message.replace("bad.md", str(path))


def test_non_utf8_card(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes(GOOD.encode() + "- caf\xe9\n".encode("latin-1"))
    with pytest.raises(TeamError, match=r"latin.md:8: card is not valid UTF-8 \(byte 0xe9\)"):
        load_card(path)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p, "{p}: card file not found"),
        (lambda p: p.mkdir() or p, "{p}: card path is a directory, expected a file"),
        (
            lambda p: p.write_bytes(b"") or p,
            "{p}:1: empty card: expected '# Agent: <Name>' and its sections",
        ),
    ],
)
def test_team_card_cli_errors_exit_2_with_one_line(tmp_path, setup, message):
    path = setup(tmp_path / "card.md")
    result = runner.invoke(app, ["card", str(path)])
    assert result.exit_code == 2
    assert result.output == "error: " + message.format(p=path) + "\n"


def test_card_loader_never_writes(tmp_path):
    path = tmp_path / "c.md"
    path.write_text(GOOD, encoding="utf-8")
    before = path.stat().st_mtime_ns, sorted(Path(tmp_path).iterdir())
    load_card(path)
    assert (path.stat().st_mtime_ns, sorted(Path(tmp_path).iterdir())) == before
