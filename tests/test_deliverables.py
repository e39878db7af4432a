"""Deliverables of the offline team answer the ask with artifacts built from each role's review."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from team.audit import audit_path
from team.cli import app

ROOT = Path(__file__).parent.parent
CHURN = ROOT / "scenarios" / "fixtures" / "churn"
runner = CliRunner()


def _run(*args: str) -> dict:
    result = runner.invoke(app, ["run", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_flagship_roles_each_report_findings_of_their_own() -> None:
    data = _run(str(ROOT / "scenarios" / "churn_flagship.yaml"))
    deliverables = data["deliverables"]
    own = {
        "ml_engineer": "| `churn/train.py:24` | leakage-preprocess-before-split | error |",
        "backend_architect": "| `serve/app.py:25` | endpoint-no-auth | error |",
        "data_engineer": "| `etl/nightly.py:11` | etl-no-validation | warning |",
    }
    for role, row in own.items():
        assert row in deliverables[role], role
    backend = deliverables["backend_architect"]
    assert (
        "| POST | `/predict` | predict | `serve/app.py:25` | none | customer:Customer | no | - |"
        in backend
    )
    assert "  /v1/predict:" in backend
    # /predict computes an answer and creates nothing: 200, and no idempotency key to ask for
    assert "responses: {'200'" in backend and "Idempotency-Key" not in backend
    data_engineer = deliverables["data_engineer"]
    assert "| `data/customers.csv` | customer_id | unique | 0 duplicates |" in data_engineer
    assert (
        "| `data/customers.csv` | total_charges | null rate | <= 9% (alert above) | 7.5% |"
        in data_engineer
    )
    assert "nothing in the request or repository bears" not in "".join(deliverables.values())
    workflows = {
        r: t.split("### Workflow\n", 1)[1] for r, t in deliverables.items() if "### Workflow\n" in t
    }
    assert set(workflows) == {"ml_engineer", "backend_architect", "data_engineer"}
    for role, text in workflows.items():  # every workflow step shown cites its evidence
        steps = text.split("\n\n", 1)[0].splitlines()
        assert all(re.match(r"\d+\. \*\*[^*]+\*\*: `[\w./ -]+:", s) for s in steps), role
    pm = deliverables["pm"]
    assert "### Prioritization" in pm
    assert (
        "| 5 | Stakeholders must agree on the success criteria and timeline before we relaunch | gates the release | #1, #2, #3, #4 |"
        in pm
    )
    ml = deliverables["ml_engineer"]
    assert "- **Metric:** PR-AUC" in ml and "never the default 0.5" in ml


def test_devops_asked_for_a_dockerfile_proposes_one_from_the_real_entry_point() -> None:
    data = _run(
        "-r", "Write a Dockerfile and a CI pipeline for the churn service", "--repo", str(CHURN)
    )
    devops = data["deliverables"]["devops_engineer"]
    assert "| `serve/app.py:10` | no-dockerfile | warning |" in devops
    assert "### Proposed Dockerfile (for `serve/app.py:10`)" in devops
    assert "RUN pip install --no-cache-dir --prefix=/install -r requirements.txt" in devops
    assert 'CMD ["uvicorn", "serve.app:app", "--host", "0.0.0.0", "--port", "8000"]' in devops
    assert "          cache: pip" in devops
    assert "- not met: Images are pinned by digest" not in devops


def test_pm_stories_and_ranks_the_requirements_the_documents_hold() -> None:
    repo = ROOT / "tests" / "fixtures" / "roles" / "pm" / "planted"
    data = _run("-r", "Prioritize the partner export requirements", "--repo", str(repo))
    pm = data["deliverables"]["pm"]
    assert "- **The export must include refunds and chargebacks**" in pm
    assert (
        "| 1 | The export must include refunds and chargebacks | Must (says 'must'); "
        "documented at `docs/requirements.md:8` | - |"
    ) in pm
    assert "- `docs/requirements.md:10` - Pricing tiers for the export: TBD with finance" in pm
    assert "| `docs/requirements.md:3` | goal-not-measurable | warning |" in pm


def test_a_technology_choice_gets_an_options_table_and_unread_standards_are_not_met() -> None:
    data = _run("-r", "Choose between PostgreSQL and DynamoDB for the order history store")
    (deliverable,) = data["deliverables"].values()
    assert "| criterion | PostgreSQL | DynamoDB |" in deliverable
    assert "- met" not in deliverable  # no repository: nothing was checked, nothing is met
    devops = _run("-r", "Write a Dockerfile for the churn service", "--repo", str(CHURN))
    text = devops["deliverables"]["devops_engineer"]
    assert "- cannot tell: Images are pinned by digest" in text  # there is no Dockerfile to read


def test_an_adr_names_the_options_says_what_each_is_and_what_the_repository_runs(
    tmp_path: Path,
) -> None:
    ask = "Should we keep Postgres or move our event store to Kafka? Write an ADR with the options."
    churn = _run("-r", ask, "--repo", str(CHURN))["deliverables"]["system_architect"]
    assert "| criterion | Postgres | Kafka |" in churn
    assert "The repository today: 7 files, 3 import edges; SQLite (`etl/nightly.py:3`)." in churn
    assert "| team skills | not in this repository: ask who has run it |" in churn
    assert "not a query store: reads need a consumer that builds a view |" in churn
    (tmp_path / "store.py").write_text("import psycopg\n\nconn = psycopg.connect()\n")
    runs_postgres = _run("-r", ask, "--repo", str(tmp_path))["deliverables"]["system_architect"]
    assert (
        "| team skills | runs here today (`store.py:1`) | not in this repository" in runs_postgres
    )
    assert "| migration risk (incremental?) | none: it is what runs today |" in runs_postgres


def test_a_role_cites_its_own_evidence_not_the_ml_pipeline() -> None:
    ask = "Should we keep Postgres or move our event store to Kafka? Write an ADR with the options."
    deliverables = _run("-r", ask, "--repo", str(CHURN))["deliverables"]
    evidence = deliverables["system_architect"].split("### Evidence", 1)[1].split("###", 1)[0]
    assert "`serve/app.py:24` route POST /predict -> predict()" in evidence
    assert "StandardScaler" not in evidence and "model.fit()" not in evidence


def test_pm_ranks_requirements_by_the_priority_their_words_state(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "requirements.md").write_text(
        "# Invoices\n\n## Requirements\n"
        "- Export to PDF would be nice to have\n"
        "- Invoices should show the tax breakdown\n"
        "- Invoices must be kept for ten years for legal reasons\n"
        "- Add a dark theme to the invoice page\n"
    )
    data = _run("-r", "Prioritize the invoice requirements", "--repo", str(tmp_path))
    rows = [r for r in data["deliverables"]["pm"].splitlines() if re.match(r"\| \d+ \|", r)]
    assert [r.split(" | ")[1] for r in rows] == [
        "Invoices must be kept for ten years for legal reasons",
        "Invoices should show the tax breakdown",
        "Add a dark theme to the invoice page",
        "Export to PDF would be nice to have",
    ]
    assert "Could (says 'nice to have')" in rows[3]
    assert "Should (no priority word: its owner decides)" in rows[2]


def test_an_api_design_sketches_the_version_and_the_operations_the_request_asks_for() -> None:
    ask = "Design a v2 of the prediction API with batch scoring, pagination and proper error codes."
    backend = _run("-r", ask, "--repo", str(CHURN))["deliverables"]["backend_architect"]
    assert "  /v2/predict:" in backend and "  /v1/predict:" not in backend
    assert "  /v2/predict/batch:  # asked for: many inputs in one call" in backend
    assert "  /v2/predictions:  # asked for: a paginated list" in backend
    assert "{name: cursor, in: query, schema: {type: string}}" in backend


def test_asked_for_kubernetes_manifests_devops_proposes_ones_its_own_review_passes(
    tmp_path: Path,
) -> None:
    ask = "Set up Kubernetes manifests with probes and resource limits for the scoring service."
    devops = _run("-r", ask, "--repo", str(CHURN))["deliverables"]["devops_engineer"]
    block = devops.split("### Proposed Kubernetes manifests (for `serve/app.py:10`)\n```yaml\n")[1]
    manifest = block.split("```", 1)[0]
    deployment, service = yaml.safe_load_all(manifest)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": 8000}
    assert container["resources"]["limits"] == {"memory": "512Mi"}
    assert service["spec"]["ports"] == [{"port": 80, "targetPort": 8000}]
    assert "- The probes need a `/health` route: the app has none yet." in devops
    repo = tmp_path / "churn"
    shutil.copytree(CHURN, repo)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "k8s.yaml").write_text(manifest)
    rules = {f.rule for f in audit_path(repo, roles=["devops_engineer"])}
    assert rules and not {r for r in rules if r.startswith("k8s-")}


def test_the_ml_metric_advice_sets_the_baseline_from_the_stated_positive_rate() -> None:
    ask = "Which metric should we use for the churn model and what threshold? Churners are 8% of customers."
    ml = _run("-r", ask, "--repo", str(CHURN))["deliverables"]["ml_engineer"]
    assert "- **Metric:** PR-AUC (average precision)" in ml
    assert "scores PR-AUC 0.080 and predicting 'no' for everyone is 92.0% accurate" in ml
    plain = _run("-r", "Which metric should we use for the churn model?", "--repo", str(CHURN))
    assert "- **Baseline:**" not in plain["deliverables"]["ml_engineer"]


def test_a_latency_ask_gets_a_load_test_that_posts_the_endpoints_real_input_model() -> None:
    ask = "Our /predict endpoint gets slow at peak, p95 is 900ms. Find out why and propose a load test."
    perf = _run("-r", ask, "--repo", str(CHURN))["deliverables"]["performance_engineer"]
    locustfile = perf.split("```python\n", 1)[1].split("```", 1)[0]
    tree = ast.parse(locustfile)  # the proposed file is Python that runs
    (post,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and ast.unparse(n.func) == "self.client.post"
    ]
    body = ast.literal_eval(post.keywords[0].value)
    assert set(body) == {
        "plan",
        "monthly_charges",
        "total_charges",
        "tenure_days",
        "support_tickets",
        "last_login_days",
    }
    assert body["tenure_days"] == 1 and body["plan"] == "x"
    assert "- Today: p95 900 ms as reported" in perf
