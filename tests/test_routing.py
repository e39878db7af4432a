from __future__ import annotations

from pathlib import Path

import pytest

from team.errors import TeamError
from team.evaluate.routing_set import evaluate_routing, read_routing_set
from team.routing import Router, split_clauses, stems

DATA = Path(__file__).parent / "data" / "routing.jsonl"


@pytest.fixture(scope="module")
def router(default_team):
    return Router(default_team.cards)


def test_routing_set_is_large_and_balanced(default_team):
    cases = read_routing_set(DATA, set(default_team.cards))
    assert len(cases) >= 150
    triage = [c for c in cases if c.source is None]
    per_role = {role: sum(1 for c in triage if c.expect == role) for role in default_team.cards}
    assert min(per_role.values()) >= 15, per_role
    handoffs = [c for c in cases if c.source]
    for case in handoffs:
        assert case.expect == case.source or default_team.graph.has_edge(
            case.source, case.expect
        ), case
    covered = {(c.source, c.expect) for c in handoffs if c.expect != c.source}
    assert covered == set(default_team.graph.edges)


def test_offline_routing_reaches_macro_f1_090(router, default_team):
    scores, misses = evaluate_routing(router, read_routing_set(DATA, set(default_team.cards)))
    assert scores.macro_f1 >= 0.90, [(c.text, r.agent) for c, r in misses]
    assert min(r.f1 for r in scores.roles) >= 0.80


def test_held_out_set_written_blind_to_the_router(router, default_team):
    """Written without seeing the router, its vocabulary or the tuned set: generalization."""
    cases = read_routing_set(DATA.with_name("routing_holdout.jsonl"), set(default_team.cards))
    scores, _ = evaluate_routing(router, cases)
    assert len(cases) >= 100
    assert scores.macro_f1 >= 0.80


def test_route_reason_is_the_best_matching_trigger(router):
    route = router.route("Our nightly Airflow DAG keeps failing on the customer table")
    assert route.agent == "data_engineer"
    assert "Airflow" in route.reason and route.criterion is None


def test_handoff_cites_the_criterion_and_keeping_work_cites_a_trigger(router, default_team):
    route = router.handoff(
        "the CRM app needs an endpoint it can call to get a score", "ml_engineer"
    )
    assert route.agent == "backend_architect"
    assert (
        route.criterion
        == default_team.cards["ml_engineer"].handoff_to("backend_architect").condition
    )
    keep = router.handoff(
        "retrain the fraud classifier and check recall per segment", "ml_engineer"
    )
    assert (keep.agent, keep.criterion) == ("ml_engineer", None)


def test_lead_clause_owns_a_multi_part_request(router):
    text = (
        "Train a churn model on last year's data. Then agree the launch timeline with stakeholders."
    )
    assert router.route_request(text).agent == "ml_engineer"
    assert router.route_request("Agree the launch timeline with stakeholders.").agent == "pm"


def test_nothing_matches_falls_back(router):
    route = router.route("hello there")
    assert (route.agent, route.score) == ("pm", 0.0)


def test_stems_and_clauses():
    assert stems("Calibrated calibration of the models") == ["calibr", "calibr", "model"]
    assert split_clauses("Train a model and expose it behind an API; then plan the launch") == [
        "Train a model",
        "expose it behind an API",
        "then plan the launch",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "{p}:1: invalid JSON: Expecting value"),
        ('{"text": "x", "expect": "qa"}', "{p}:1: expect: unknown role 'qa'"),
        ('{"text": "", "expect": "pm"}', "{p}:1: text must be a non-empty string"),
        ('{"txt": "x"}', '{p}:1: expected {"text": ..., "from": role or null, "expect": role}'),
    ],
)
def test_bad_routing_sets(tmp_path, default_team, line, message):
    path = tmp_path / "set.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(TeamError) as info:
        read_routing_set(path, set(default_team.cards))
    assert str(info.value) == message.replace("{p}", str(path))


def test_stemming_is_thread_safe():
    """The snowball stemmer keeps state while it works; a shared one broke concurrent chats."""
    from concurrent.futures import ThreadPoolExecutor

    words = [
        [f"deployments{i}x{j} calibrating{i}y{j} pipelines{j}z{i}" for j in range(150)]
        for i in range(8)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda batch: [stems(w) for w in batch], words))
    assert results == [[stems(w) for w in batch] for batch in words]


def test_team_route_does_not_import_langgraph():
    import subprocess
    import sys

    code = (
        "import sys\nfrom team.cli import main\nsys.argv = ['team', 'route', 'p99 latency doubled', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in ('langgraph', 'langchain_core', 'anthropic')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert '"agent": "performance_engineer"' in out
    assert out.splitlines()[-1] == "HEAVY []"
