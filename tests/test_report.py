"""HTML reports without a browser: what the pages say, escaping, offline, CLI and serve route."""

from __future__ import annotations

import itertools
import re
import shutil
import uuid

import httpx
from helpers import ROOT
from report_pages import (
    FLAGSHIP,
    FLAGSHIP_PATH,
    WRONG_PATH,
    flagship,
    flagship_page,
    normalized,
    small_suite,
    team,
)
from typer.testing import CliRunner

from team.cli import app
from team.engine import Engine
from team.report import eval_report, run_report
from team.report.evalpage import changes, heat_map
from team.report.findings import findings_of, parse_review_text
from team.report.graph import draw_team, resolve_expected
from team.report.runpage import timeline

runner = CliRunner()


def attribute_values(page: str, selector_class: str, attribute: str) -> list[str]:
    """``attribute`` of every element whose class list starts with ``selector_class``."""
    pattern = rf'<\w+ class="{selector_class}[^"]*"[^>]*?{attribute}="([^"]*)"'
    return re.findall(pattern, page)


# -- the run page ---------------------------------------------------------------------------------


def test_run_page_draws_every_role_and_marks_the_path_in_order():
    page = flagship_page()
    roles = re.findall(
        r'<g class="node (visited|faded)[^"]*" data-role="([^"]+)" data-order="([^"]*)"', page
    )
    assert sorted(r for _, r, _ in roles) == sorted(team().roles)
    visited = sorted(((int(o), r) for kind, r, o in roles if kind == "visited"))
    assert [r for _, r in visited] == FLAGSHIP_PATH
    assert {r for kind, r, _ in roles if kind == "faded"} == set(team().roles) - set(FLAGSHIP_PATH)
    taken = re.findall(
        r'<path class="taken" data-step="(\d+)" data-source="(\w+)" data-target="(\w+)"', page
    )
    assert [(s, t) for _, s, t in sorted(taken, key=lambda x: int(x[0]))] == list(
        itertools.pairwise(FLAGSHIP_PATH)
    )
    assert page.count('<path class="edge"') == team().graph.number_of_edges()
    # each handoff is labelled with the criterion the role cited
    first = flagship().handoffs[0]["criterion"]
    assert first.startswith("a model serving API must be designed")
    assert f"when {first}</title>" in page
    assert "a model serving API must be designed or the…" in page  # the label on the edge


def test_run_page_timeline_has_tool_calls_with_results_and_handoffs_with_reasons():
    page = flagship_page()
    result = flagship()
    calls = [e for e in result.events if e.kind == "tool_call"]
    assert page.count('<details class="tool-call"') == len(calls)
    assert '<span class="tool-name">review</span>' in page
    assert "churn/train.py:24: error leakage-preprocess-before-split" in page  # a tool result
    for record in result.handoffs:
        assert f'<span class="label">criterion</span> {record["criterion"]}' in page
    assert "The request asks &#34;The prediction endpoint needs a proper API contract" in page
    assert page.count('class="segment"') == len(FLAGSHIP_PATH)
    assert "3 model calls" in page


def test_timeline_pairs_each_tool_call_with_its_result():
    turns = timeline(flagship())
    assert len(turns) == 1 and turns[0].entry == "ml_engineer"
    assert turns[0].because.startswith("a machine learning model has to be developed, trained")
    segments = turns[0].segments
    assert [s.role for s in segments] == FLAGSHIP_PATH
    tools = [item for kind, item in segments[0].items if kind == "tool"]
    assert [t.tool for t in tools] == [
        "glob",
        "analyze",
        "review",
        "grep",
        "read_file",
        "read_file",
    ]
    assert all(t.result for t in tools)
    assert tools[2].first_line == "9 finding(s)"
    assert [kind for kind, _ in segments[0].items][-2:] == ["deliverable", "handoff"]
    assert segments[0].calls == 3


def test_findings_link_to_embedded_excerpts_of_the_cited_lines():
    page = flagship_page()
    rows = re.findall(
        r'<tr class="finding row-(\w+)"><td><a href="#([^"]+)"><code>([^<]+)</code>', page
    )
    assert len(rows) == 13  # the ML Engineer's 9, the Backend Architect's 2, the Data Engineer's 2
    assert [severity for severity, _, _ in rows] == ["error"] * 5 + ["warning"] * 8
    for _, anchor, _ in rows:
        assert page.count(f'<figure class="excerpt" id="{anchor}">') == 1
    excerpt = page.split('id="code-churn-train-py-24"', 1)[1].split("</figure>", 1)[0]
    cited = re.findall(
        r'<span class="code-line cited"><span class="ln">(\d+)</span>([^\n]*)', excerpt
    )
    source = (ROOT / "scenarios/fixtures/churn/churn/train.py").read_text().splitlines()
    assert cited == [("24", source[23].replace('"', "&#34;").replace("'", "&#39;"))]
    assert "scaler.fit_transform" in cited[0][1]


def test_findings_of_a_notebook_cite_its_code_cells():
    found = findings_of(flagship().events, ROOT / "scenarios/fixtures/churn")
    notebook = [
        f for f in found if f.path == "notebooks/explore.ipynb" and f.rule == "eval-on-train"
    ]
    assert notebook[0].cell == 7 and notebook[0].excerpt is not None
    cited = [text for _, text, is_cited in notebook[0].excerpt.lines if is_cited]
    assert len(cited) == 1 and cited[0].strip()


def test_parse_review_text_reads_cells_and_the_card_standard():
    text = (
        "2 finding(s)\n"
        "nb.ipynb:13: error eval-on-train: fitted and scored on train (cell 7) [enforces: Splits avoid leakage]\n"
        "a b/x.py:3: warning accuracy-only: only accuracy\n"
        "not a finding\n"
    )
    first, second = parse_review_text(text)
    assert (first.path, first.line, first.cell, first.enforces) == (
        "nb.ipynb",
        13,
        7,
        "Splits avoid leakage",
    )
    assert first.message == "fitted and scored on train"
    assert (second.where, second.severity, second.enforces) == ("a b/x.py:3", "warning", "")


def test_deliverables_are_rendered_from_markdown():
    page = flagship_page()
    for role in FLAGSHIP_PATH:
        assert f'id="deliverable-{role}"' in page
    assert "<h2>ML Engineer: deliverable</h2>" in page
    assert "<th>where</th>" in page and "<td><code>churn/train.py:24</code></td>" in page


def test_user_text_is_escaped_and_the_page_loads_nothing():
    from team.engine import run_team

    evil = "Plan the launch timeline <script>alert('x')</script> ![t](https://example.com/t.png)"
    result = run_team(team(), evil)
    page = run_report(result, team(), title="<b>title</b>")
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<b>title</b>" not in page and "&lt;b&gt;title&lt;/b&gt;" in page
    for found in (page, flagship_page()):
        assert not re.search(r"\bsrc=|url\(\s*['\"]?(https?:)?//", found)  # links are not fetched
        assert "<img" not in found and "<link" not in found and "@import" not in found
        assert "default-src 'none'" in found


def test_a_new_card_shows_up_in_the_drawing_without_code_changes(tmp_path):
    from team.topology import Team, packaged_path

    agents = tmp_path / "agents"
    shutil.copytree(packaged_path("agents"), agents)
    (agents / "qa_engineer.md").write_text(
        "# Agent: QA Engineer\n\n## Triggers\n- Activated when: test plans and regression suites are needed\n\n"
        "## Handoff Criteria\n- Hand off to **PM** when the release date depends on test results\n",
        encoding="utf-8",
    )
    bigger = Team.load(agents_dir=agents)
    drawing = draw_team(
        bigger,
        path=["qa_engineer", "pm"],
        entries=["qa_engineer"],
        handoffs=[{"source": "qa_engineer", "target": "pm", "criterion": "c"}],
    )
    assert len(drawing.nodes) == 8
    qa = next(n for n in drawing.nodes if n.id == "qa_engineer")
    assert qa.name == "QA Engineer" and qa.order == (1,)
    assert [(e.source, e.target) for e in drawing.of_kind("taken")] == [("qa_engineer", "pm")]
    assert draw_team(bigger, path=["pm"]) == draw_team(bigger, path=["pm"])  # deterministic
    positions = {(n.x, n.y) for n in drawing.nodes}
    assert len(positions) == 8  # no two roles on top of each other


def test_resolve_expected_picks_the_fitting_alternative():
    assert resolve_expected(["a|b", "*", "c"], ["b", "x", "y"]) == ["b", "x", "c"]
    assert resolve_expected(["a|b", "*"], ["z"]) == ["a"]


# -- the evaluation page --------------------------------------------------------------------------


def test_eval_page_shows_pass_fail_divergence_and_expected_vs_actual():
    page = eval_report(small_suite(), team())
    assert re.findall(r'<details class="scenario (passed|failed)" id="scenario-(\w+)"', page) == [
        ("failed", "pm_revenue_wrong"),  # failures first
        ("passed", "pm_revenue_report"),
    ]
    failed = page.split('id="scenario-pm_revenue_wrong"', 1)[1].split("</details>", 1)[0]
    assert (
        "First divergence: path (strict): diverged at step 2: expected system_architect, got data_engineer"
        in failed
    )
    assert "(diverged at step 2)" in failed
    expected = re.findall(
        r'<path class="expected" data-step="(\d+)" data-source="(\w+)" data-target="(\w+)"', failed
    )
    assert [(s, t) for _, s, t in expected] == list(itertools.pairwise(WRONG_PATH))
    assert re.search(r'<g class="node visited[^"]* diverged" data-role="data_engineer"', failed)
    assert "1/2 scenarios passed" in page and "pass^1 <b>0.500</b>" in page


def test_eval_page_heat_map_has_a_cell_per_role_pair():
    suite = small_suite()
    page = eval_report(suite, team())
    labels = list(team().roles)
    cells = re.findall(
        r'<td class="cell (hit|miss)" data-expected="([^"]+)" data-chosen="([^"]+)" data-count="(\d+)"',
        page,
    )
    assert len(cells) == len(labels) ** 2
    assert {(e, c) for _, e, c, _ in cells} == {(e, c) for e in labels for c in labels}
    counts = {(e, c): int(n) for _, e, c, n in cells if int(n)}
    assert counts == {
        ("data_engineer", "data_engineer"): 1,
        ("system_architect", "data_engineer"): 1,
    }
    roles = re.findall(r'<tr data-role="(\w+)"><td>', page)
    assert set(roles) == set(suite.routing["roles"])


def test_heat_map_adds_none_and_unknown_labels():
    grid = heat_map({"pm": {"(none)": 1}}, ["pm"])
    assert grid["labels"] == ["pm", "(none)"]
    assert [[c["count"] for c in row["cells"]] for row in grid["rows"]] == [[0, 1], [0, 0]]


def test_changes_against_a_baseline_list_regressions_and_improvements():
    now = small_suite().to_dict()
    before = {
        **now,
        "scenarios": [
            {**now["scenarios"][0], "passed": False},
            {**now["scenarios"][1], "passed": True},
        ],
        "routing": {**now["routing"], "macro_f1": 0.1},
    }
    found = changes(now, before)
    assert found["improved"][0] == "pm_revenue_report: failed in the baseline, now passes"
    assert found["improved"][1].startswith("routing macro-F1 rose from 0.1000 to ")
    assert found["regressed"][0].startswith(
        "pm_revenue_wrong: passed in the baseline, now fails: path (strict)"
    )
    page = eval_report(small_suite(), team(), baseline=before)
    assert '<li class="regressed">pm_revenue_wrong: passed in the baseline' in page
    assert '<li class="improved">pm_revenue_report: failed in the baseline, now passes</li>' in page


# -- the command line -----------------------------------------------------------------------------


def test_team_run_html_and_out_write_the_report(tmp_path):
    html, out = tmp_path / "run.html", tmp_path / "out"
    result = runner.invoke(app, ["run", str(FLAGSHIP), "--html", str(html), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert normalized(html.read_text(encoding="utf-8")) == normalized(flagship_page())
    assert (out / "report.html").read_text(encoding="utf-8") == html.read_text(encoding="utf-8")
    again = runner.invoke(app, ["run", "-r", "Plan the launch", "--html", str(html)])
    assert (again.exit_code, again.output) == (
        2,
        f"error: {html}: file exists; refusing to overwrite it (use --force)\n",
    )


def test_team_eval_html(tmp_path):
    html = tmp_path / "eval.html"
    result = runner.invoke(
        app, ["eval", str(ROOT / "scenarios/pm_revenue_report.yaml"), "--html", str(html)]
    )
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "1/1 scenarios passed" in page and 'id="scenario-pm_revenue_report"' in page
    routing = runner.invoke(
        app, ["eval", "--routing", "x.jsonl", "--html", str(tmp_path / "r.html")]
    )
    assert (routing.exit_code, routing.output) == (
        2,
        "error: --html reports scenario runs; it does not apply to --routing\n",
    )


def test_committed_flagship_report_is_current():
    committed = (ROOT / "docs" / "flagship-report.html").read_text(encoding="utf-8")
    assert normalized(committed) == normalized(flagship_page()), (
        "docs/flagship-report.html is stale: regenerate it with "
        "team run scenarios/churn_flagship.yaml --html docs/flagship-report.html --force"
    )
    assert (ROOT / "docs" / "flagship-report.png").stat().st_size > 10_000
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/flagship-report.html)" in readme and "(docs/flagship-report.png)" in readme


# -- a served thread ------------------------------------------------------------------------------


def test_thread_page_is_served_from_the_checkpoint_behind_the_token():
    from test_serve import running

    from team.serve import create_app

    token = "tok-" + uuid.uuid4().hex
    thread = "report-" + uuid.uuid4().hex[:8]
    with running(create_app(team(), checkpoint="memory", token=token)) as url:
        auth = {"Authorization": f"Bearer {token}"}
        reply = httpx.post(
            f"{url}/v1/chat/completions",
            json={
                "model": "teamgraph",
                "messages": [
                    {
                        "role": "user",
                        "content": "Train a churn model and expose it behind a REST API",
                    }
                ],
            },
            headers={**auth, "X-Thread-Id": thread},
            timeout=60,
        )
        assert reply.status_code == 200
        assert httpx.get(f"{url}/threads/{thread}").status_code == 401
        page = httpx.get(f"{url}/threads/{thread}", headers=auth)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        missing = httpx.get(f"{url}/threads/nope", headers=auth)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "thread_not_found"
    html = page.text
    assert f"<h1>Thread {thread}</h1>" in html
    visited = sorted(
        re.findall(r'<g class="node visited[^"]*" data-role="(\w+)" data-order="(\d+)"', html),
        key=lambda x: int(x[1]),
    )
    assert [r for r, _ in visited][:2] == ["ml_engineer", "backend_architect"]
    assert (
        '<path class="taken" data-step="1" data-source="ml_engineer" data-target="backend_architect"'
        in html
    )
    assert "Handoff to" in html and '<span class="label">criterion</span>' in html


def test_thread_state_rebuilds_the_run(tmp_path):
    from langgraph.checkpoint.memory import InMemorySaver

    from team.engine import run_team
    from team.report.thread import result_from_state

    saver = InMemorySaver()
    result = run_team(
        team(),
        "Train a churn model and expose it behind a REST API",
        thread_id="t",
        checkpointer=saver,
    )
    values = (
        Engine(team(), checkpointer=saver)
        .graph.get_state({"configurable": {"thread_id": "t"}})
        .values
    )
    rebuilt = result_from_state(values, thread_id="t")
    assert rebuilt.visited == result.visited and rebuilt.handoffs == result.handoffs
    kinds = [e.kind for e in result.events if e.kind not in ("token",)]
    assert [e.kind for e in rebuilt.events] == kinds
    assert [(e.kind, e.role, e.text) for e in rebuilt.events if e.kind != "triage"] == [
        (e.kind, e.role, e.text) for e in result.events if e.kind != "triage"
    ]


# -- approvals, follow-up turns, docstring examples -----------------------------------------------


def test_approvals_show_as_waiting_then_approved():
    from langgraph.checkpoint.memory import InMemorySaver

    from team.engine import run_team
    from team.report.thread import result_from_state
    from team.topology import Team

    base = team()
    topology = base.topology.model_copy(update={"approval": ("backend_architect",)})
    gated = Team.from_cards(list(base.cards.values()), topology)
    saver = InMemorySaver()
    request = "Train a churn model and expose it behind a REST API"
    paused = run_team(gated, request, checkpointer=saver, thread_id="gate")
    page = run_report(paused, gated)
    assert (
        "Waiting for a human: the handoff ML Engineer → Backend Architect needs approval." in page
    )
    assert "outcome: pending" in page
    engine = Engine(gated, checkpointer=saver)
    engine.approve("gate")
    values = engine.graph.get_state(engine.config("gate"))
    after = run_report(result_from_state(values.values, thread_id="gate"), gated)
    assert "Waiting for a human" not in after
    handoff = after.split('<div class="handoff-card">', 1)[1].split("</div>\n      </div>", 1)[0]
    assert "Backend Architect" in handoff and "approved by a human" in handoff


def test_follow_up_turns_each_get_their_own_part_of_the_timeline():
    from team.engine import run_team

    result = run_team(
        team(),
        "Train a churn model on last year's customers",
        followups=["Now expose it behind a REST API for the CRM"],
    )
    turns = timeline(result)
    assert [t.number for t in turns] == [1, 2]
    assert turns[1].text == "Now expose it behind a REST API for the CRM"
    assert all(t.segments for t in turns)
    page = run_report(result, team())
    assert '<div class="turn" id="turn-2">' in page and "User · turn 2" in page
    assert len(re.findall(r'<path class="triage" data-turn="(\d)"', page)) == 2
