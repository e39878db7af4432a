"""Tests for `team.audit` and `team review --role`: per role, a repository with planted issues
(`tests/fixtures/roles/<case>/planted`, the findings listed in `expected.txt` as `path:line rule`)
and its clean twin (`clean`), on which no role finds anything."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.audit import NOT_READ, ROLES, RULES, audit_path, role_facts
from team.cli import app

HERE = Path(__file__).parent
CASES = HERE / "fixtures" / "roles"
CHURN = HERE.parent / "scenarios" / "fixtures" / "churn"
CASE_ROLE = {
    "devops": "devops_engineer",
    "devops_missing": "devops_engineer",
    "backend": "backend_architect",
    "drf": "backend_architect",
    "perf": "performance_engineer",
    "data": "data_engineer",
    "system": "system_architect",
    "system_convention": "system_architect",
    "pm": "pm",
}


def _expected(case: str) -> set[tuple[str, int, str]]:
    out = set()
    for raw in (CASES / case / "expected.txt").read_text().splitlines():
        where, rule = raw.split()
        path, line = where.rsplit(":", 1)
        out.add((path, int(line), rule))
    return out


_OTHER_PLACES = re.compile(r"The same cause is at \d+ other places?: (.*)\.$")


def _places(found: list) -> set[tuple[str, int, str]]:
    """Every place a finding reports: its own, and the other places of its cause it lists."""
    out = set()
    for f in found:
        out.add((f.path, f.line, f.rule))
        listed = _OTHER_PLACES.search(f.message)
        for where in listed.group(1).split(", ") if listed else []:
            path, line = where.rsplit(":", 1)
            out.add((path, int(line), f.rule))
    return out


@pytest.mark.parametrize("case", sorted(CASE_ROLE))
def test_every_planted_issue_is_found_by_its_role(case: str) -> None:
    role = CASE_ROLE[case]
    found = audit_path(CASES / case / "planted", roles=[role])
    assert _places(found) == _expected(case)
    assert {f.role for f in found} == {role}
    for f in found:
        assert (f.enforces and f.enforces == RULES[f.rule].card_line) or RULES[
            f.rule
        ].card_line in f.enforces


@pytest.mark.parametrize("case", sorted({c for c in CASE_ROLE if (CASES / c / "clean").exists()}))
def test_clean_twins_give_no_finding_to_any_role(case: str) -> None:
    assert audit_path(CASES / case / "clean", roles=ROLES) == []


def test_every_rule_is_planted_somewhere() -> None:
    planted = {rule for case in CASE_ROLE for *_, rule in _expected(case)}
    assert set(RULES) - planted == NOT_READ  # tested where a file cannot be read


def test_cli_role_all_json_carries_role_rule_severity_and_location() -> None:
    result = CliRunner().invoke(app, ["review", str(CHURN), "--role", "all", "--json"])
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert {"role", "rule", "severity", "path", "line", "message", "enforces"} <= set(rows[0])
    by_role = {r["role"] for r in rows}
    assert {
        "ml_engineer",
        "backend_architect",
        "devops_engineer",
        "performance_engineer",
    } <= by_role
    assert {
        "role": "backend_architect",
        "rule": "endpoint-no-auth",
        "path": "serve/app.py",
        "line": 25,
    }.items() <= next(r for r in rows if r["rule"] == "endpoint-no-auth").items()


def test_cli_default_role_is_the_ml_review_unchanged() -> None:
    runner = CliRunner()
    default = runner.invoke(app, ["review", str(CHURN)])
    explicit = runner.invoke(app, ["review", str(CHURN), "--role", "ml_engineer"])
    assert default.output == explicit.output
    assert "[ml_engineer]" not in default.output
    assert default.output.splitlines()[-1].startswith("9 finding(s): accuracy-only")
    assert "endpoint-no-auth" not in default.output


def test_cli_text_names_the_role_and_exits_zero_when_clean() -> None:
    runner = CliRunner()
    planted = runner.invoke(
        app, ["review", str(CASES / "data" / "planted"), "--role", "data_engineer"]
    )
    assert planted.exit_code == 1
    assert (
        "etl/load_orders.py:10: warning select-star: SELECT * in a query" in planted.output
        and planted.output.splitlines()[0].endswith("[data_engineer]")
    )
    clean = runner.invoke(app, ["review", str(CASES / "data" / "clean"), "--role", "all"])
    assert (clean.exit_code, clean.output) == (0, "0 finding(s)\n")


def test_cli_unknown_role_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(app, ["review", str(CHURN), "--role", "tester"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: unknown role 'tester'; choose from all, " + ", ".join(ROLES)
    ]


def test_one_file_reports_only_that_file() -> None:
    found = audit_path(CASES / "devops" / "planted" / "main.tf", roles=ROLES)
    assert {(f.path, f.rule) for f in found} == {
        ("main.tf", "terraform-local-state"),
        ("main.tf", "plaintext-secret"),
    }


def test_unparsable_files_are_info_findings(tmp_path: Path) -> None:
    shutil.copytree(CASES / "devops" / "clean", tmp_path / "repo")
    (tmp_path / "repo" / "k8s" / "broken.yaml").write_text("apiVersion: v1\nkind: [Pod\n")
    (tmp_path / "repo" / "tool.py").write_text("def broken(:\n")
    found = audit_path(tmp_path / "repo", roles=["devops_engineer", "system_architect"])
    assert [(f.path, f.rule, f.severity) for f in found] == [
        ("k8s/broken.yaml", "parse-error", "info"),
        ("tool.py", "parse-error", "info"),
    ]


def test_python_312_type_parameters_are_read_not_reported(tmp_path: Path) -> None:
    (tmp_path / "events.py").write_text(
        "import requests\n\n"
        "type Payload = dict[str, object]\n\n\n"
        "def load[T: Payload](\n    url: str,\n) -> T:\n"
        "    return requests.get(url).json()\n\n\n"
        "class Box[T]:\n    item: T\n"
    )
    found = audit_path(tmp_path, roles=["performance_engineer"])
    assert [(f.path, f.line, f.rule) for f in found if f.rule != "no-benchmarks"] == [
        ("events.py", 9, "http-no-timeout")
    ]


def test_python_314_bare_exception_lists_are_read_not_reported(tmp_path: Path) -> None:
    (tmp_path / "fetch.py").write_text(
        "import requests\n\n\n"
        "def load(url: str) -> dict:\n"
        "    try:\n"
        "        return requests.get(url).json()\n"
        "    except KeyError, ValueError:\n"
        "        return {}\n"
    )
    found = audit_path(tmp_path, roles=["performance_engineer"])
    assert [(f.path, f.line, f.rule) for f in found if f.rule != "no-benchmarks"] == [
        ("fetch.py", 6, "http-no-timeout")
    ]


def test_facts_give_the_inventory_a_deliverable_is_built_from() -> None:
    backend = role_facts(CASES / "backend" / "clean", "backend_architect")
    assert backend[0].startswith(
        "endpoint: GET /v1/orders app.py:29 handler=list_orders auth=verify_token"
    )
    assert "pagination=yes" in backend[0]
    devops = role_facts(CHURN, "devops_engineer")
    assert (
        "entrypoint: serve/app.py:10 fastapi app=app run=uvicorn serve.app:app --host 0.0.0.0 --port 8000"
        in devops
    )
    assert "ci: none" in devops
    data = role_facts(CASES / "data" / "planted", "data_engineer")
    assert "column: data/orders.csv customer_id type=text nulls=1/11 (9.1%) distinct=8" in data


def test_drf_routers_expand_viewsets_into_their_actions() -> None:
    facts = role_facts(CASES / "drf" / "planted", "backend_architect")
    assert (
        "endpoint: POST /api/v1/orders/ shop/views.py:10 handler=OrderViewSet.create auth=none "
        "inputs=- pagination=no errors=-"
    ) in facts
    assert any(
        f.startswith("endpoint: POST /api/v1/orders/{pk}/refund/ shop/views.py:15") for f in facts
    )
    clean = role_facts(CASES / "drf" / "clean", "backend_architect")
    assert any("handler=OrderViewSet.destroy auth=permission_classes" in f for f in clean)
    assert not any(
        "ProductViewSet" in f and "POST" in f for f in facts
    )  # read-only viewset: list, retrieve


def test_drf_default_permission_classes_in_settings_authenticate_every_drf_view(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(CASES / "drf" / "planted", repo)
    settings = repo / "shop" / "settings.py"
    settings.write_text(
        settings.read_text().replace(
            '"DEFAULT_AUTHENTICATION',
            '"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],\n'
            '    "DEFAULT_AUTHENTICATION',
        )
    )
    found = audit_path(repo, roles=["backend_architect"])
    assert [(f.path, f.rule) for f in found] == [("shop/staff.py", "endpoint-no-auth")]  # not DRF


def test_reads_without_auth_are_inventoried_not_reported(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n\n\n"
        '@app.get("/v1/rates")\ndef rates():\n    return {}\n\n\n'
        '@app.get("/v1/admin/users")\ndef users():\n    return {}\n'
    )
    found = audit_path(tmp_path, roles=["backend_architect"])
    assert [(f.rule, f.line) for f in found] == [("endpoint-no-auth", 11)]


def test_swallowed_exception_only_around_data_reads_and_writes() -> None:
    planted = audit_path(CASES / "backend" / "planted", roles=["backend_architect"])
    assert ("jobs.py", 9) in {(f.path, f.line) for f in planted if f.rule == "swallowed-exception"}
    clean = audit_path(CASES / "backend" / "clean", roles=["backend_architect"])
    assert not [f for f in clean if f.rule == "swallowed-exception"]


def _backend_rules(root: Path, files: dict[str, str]) -> list[tuple[str, int]]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return [(f.rule, f.line) for f in audit_path(root, roles=["backend_architect"])]


VERSION_HEADER = (
    "from fastapi import FastAPI, Request\napp = FastAPI()\n\n\n"
    '@app.get("/admin/users")\ndef users(request: Request):\n'
    '    check_client(request.headers.get("{header}"))\n    return []\n'
)


def test_an_api_versioned_by_a_request_header_is_versioned(tmp_path: Path) -> None:
    versioned = VERSION_HEADER.format(header="X-API-Version")
    assert ("api-unversioned", 2) not in _backend_rules(tmp_path / "v", {"app.py": versioned})
    traced = VERSION_HEADER.format(header="X-Request-Id")
    assert ("api-unversioned", 2) in _backend_rules(tmp_path / "id", {"app.py": traced})


def test_a_numbered_path_prefix_is_a_version(tmp_path: Path) -> None:
    app = 'from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get("{path}")\ndef items():\n    return []\n'
    for path in ("/api/2.0/items", "/ajax-api/3.0/items", "/v1/items"):
        root = tmp_path / path.strip("/").replace("/", "_")
        assert ("api-unversioned", 2) not in _backend_rules(root, {"app.py": app.format(path=path)})
    plain = _backend_rules(tmp_path / "plain", {"app.py": app.format(path="/api/items")})
    assert ("api-unversioned", 2) in plain


def test_a_route_registered_elsewhere_with_a_version_the_caller_fills_in_is_versioned(
    tmp_path: Path,
) -> None:
    """CKAN's api blueprint: `add_url_rule('/<int(min=1, max=3):ver>/action/<name>', ...)`."""
    app = 'from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get("/files")\ndef files():\n    return []\n'
    rule = (
        "api.add_url_rule('/<int(min=1, max={0}):{name}>/action/<fn>'.format(3), view_func=f)\n"
        "GITHUB_API = GITHUB_URL + '/api/v3'\n"  # another service's version, not this API's
    )
    for name, reported in (("ver", False), ("api_version", False), ("dataset", True)):
        found = _backend_rules(
            tmp_path / name, {"app.py": app, "api.py": rule.replace("{name}", name)}
        )
        assert (("api-unversioned", 2) in found) is reported, name


SWALLOW = (
    "class Client:\n"
    "    def {name}(self{params}):\n"
    "        try:\n"
    "            self.db.commit()\n"
    "        except Exception:\n"
    "{comment}"
    "            pass\n"
)


def test_a_swallow_in_a_destructor_a_system_check_or_with_a_reason_is_best_effort(
    tmp_path: Path,
) -> None:
    def swallowed(case: str, name: str, params: str = "", comment: str = "") -> bool:
        code = SWALLOW.format(name=name, params=params, comment=comment)
        return ("swallowed-exception", 5) in _backend_rules(tmp_path / case, {"client.py": code})

    assert not swallowed("del", "__del__")
    assert not swallowed("close", "aclose")
    assert not swallowed("check", "check_templates", ", app_configs, **kwargs")
    assert not swallowed("why", "sync", comment="            # no engine: skip this check\n")
    assert swallowed("sync", "sync")
    assert swallowed("todo", "sync", comment="            # TODO: log this\n")


def test_a_swallowed_failure_to_write_a_message_to_stderr_has_nowhere_to_go(
    tmp_path: Path,
) -> None:
    """skypilot's SIGTERM handler writes one line to fd 2 (the logger is not signal-safe) and
    ignores a failure; the same swallow around a write to a data file still hides lost data."""
    code = (
        "import os\n\n\n"
        "def handler(fd, data):\n"
        "    try:\n"
        "        os.write({target})\n"
        "    except Exception:\n"
        "        pass\n"
    )
    stderr = _backend_rules(tmp_path / "stderr", {"w.py": code.format(target="2, b'ignored'")})
    assert ("swallowed-exception", 7) not in stderr
    data = _backend_rules(tmp_path / "data", {"w.py": code.format(target="fd, data")})
    assert ("swallowed-exception", 7) in data


SORTED = (
    "from flask import request\n\n\n"
    "def rows(db):\n"
    "    sort = request.args.get('_sort')\n"
    "{check}"
    "    return db.execute('select * from t order by {{}}'.format(sort))\n"
)


def test_a_value_checked_against_the_known_columns_is_an_identifier_in_sql(
    tmp_path: Path,
) -> None:
    check = "    if sort not in db.columns('t'):\n        raise ValueError(sort)\n"
    checked = _backend_rules(tmp_path / "checked", {"rows.py": SORTED.format(check=check)})
    assert not [rule for rule, _ in checked if rule == "sql-string-built"]
    unchecked = _backend_rules(tmp_path / "open", {"rows.py": SORTED.format(check="")})
    assert ("sql-string-built", 6) in unchecked


CUSTOMER = (
    "from flask import request\n\n\n"
    "def severity(db, alert, window=1800):\n"
    "    sql = 'select severity from alerts where {{customer}} and age < {{window}}'.format(\n"
    "        customer={customer}, window=window)\n"
    "    return db.execute(sql, vars(alert))\n"
)


def test_sql_that_pastes_one_of_two_constants_or_a_number_is_not_built_from_input(
    tmp_path: Path,
) -> None:
    chosen = "'customer=%(customer)s' if alert.customer else 'customer IS NULL'"
    safe = _backend_rules(tmp_path / "safe", {"alerts.py": CUSTOMER.format(customer=chosen)})
    assert not [rule for rule, _ in safe if rule == "sql-string-built"]
    pasted = _backend_rules(
        tmp_path / "open", {"alerts.py": CUSTOMER.format(customer="alert.customer")}
    )
    assert ("sql-string-built", 5) in pasted


EVENT_FORMS = (
    "from django.db import connection\n\n\n"
    "def form_ids(request, event):\n"
    "    sql = 'SELECT form_id FROM entries WHERE event_id=%{conversion}' % event.id\n"
    "    cursor = connection.cursor()\n"
    "    cursor.execute(sql)\n"
    "    return cursor.fetchall()\n"
)


def test_sql_that_formats_only_numbers_with_percent_is_not_built_from_input(
    tmp_path: Path,
) -> None:
    """tendenci pastes an Event's primary key with `%d`: a string there raises TypeError, so
    no text reaches the SQL. The same template with `%s` pastes whatever `event.id` holds."""
    number = _backend_rules(tmp_path / "d", {"views.py": EVENT_FORMS.format(conversion="d")})
    assert not [rule for rule, _ in number if rule == "sql-string-built"]
    text = _backend_rules(tmp_path / "s", {"views.py": EVENT_FORMS.format(conversion="s")})
    assert ("sql-string-built", 5) in text


PURGE = (
    "from django.core.management.base import BaseCommand\n\n\n"
    "class Command(BaseCommand):\n"
    "    def purge(self, db, session):\n"
    "        db.query(f\"DELETE FROM acc WHERE time = '{{session.stop_time}}'\")\n"
)


def test_sql_a_management_command_builds_from_its_own_arguments_is_the_operators(
    tmp_path: Path,
) -> None:
    """openwisp-radius's rebuild command deletes points of the sessions it read itself: the
    operator runs it from the shell, no request reaches its parameters. The same method in a
    module the web app serves pastes a caller's value."""
    command = "app/management/commands/rebuild.py"
    run = _backend_rules(tmp_path / "command", {command: PURGE.format()})
    assert not [rule for rule, _ in run if rule == "sql-string-built"]
    served = _backend_rules(tmp_path / "served", {"app/views.py": PURGE.format()})
    assert ("sql-string-built", 6) in served


PROBE = (
    "def extensions(conn):\n"
    "    found = {{}}\n"
    "    for name, sql in {candidates}:\n"
    "        try:\n"
    "            found[name] = conn.execute(sql).fetchone()\n"
    "        except Exception:\n"
    "            pass\n"
    "    return found\n"
)


def test_trying_each_of_a_fixed_list_of_candidates_is_a_probe(tmp_path: Path) -> None:
    fixed = PROBE.format(candidates="(('json1', 'select json(1)'), ('fts5', 'select fts5()'))")
    assert ("swallowed-exception", 6) not in _backend_rules(tmp_path / "fixed", {"x.py": fixed})
    rows = PROBE.format(candidates="conn.execute('select name, sql from jobs')")
    assert ("swallowed-exception", 6) in _backend_rules(tmp_path / "rows", {"x.py": rows})


FALLBACK = (
    "def card(event):\n"
    "    try:\n"
    "        return render(event.get_image())\n"
    "    except Exception:\n"
    "        pass\n"
    "    return render(event.logo)\n"
)


def test_a_read_that_falls_back_to_another_answer_hides_nothing(tmp_path: Path) -> None:
    found = _backend_rules(tmp_path / "read", {"card.py": FALLBACK})
    assert ("swallowed-exception", 4) not in found
    saved = FALLBACK.replace("return render(event.get_image())", "event.save()\n        return 1")
    assert ("swallowed-exception", 5) in _backend_rules(tmp_path / "save", {"card.py": saved})


IDEMPOTENT = (
    "from fastapi import FastAPI\napp = FastAPI()\n\n\n"
    '@app.post("/v1/{path}")\n'
    "def {handler}(data: dict):\n"
    "{guard}"
    "    db.add(Equipment(label=data['label']))\n"
    "    db.commit()\n"
)
RETRY_SAFE = {
    "a lookup that refuses a second copy": (
        "orders",
        "create_order",
        "    if Equipment.query.filter_by(label=data['label']).first() is not None:\n"
        "        return {'error': 'exists'}, 400\n",
    ),
    "an upsert": ("orders", "create_order", "    Label.objects.get_or_create(x=1)\n"),
    "an exception named for the duplicate": (
        "orders",
        "create_order",
        "    try:\n        check(data)\n    except UserAlreadySuspended:\n        return {}\n",
    ),
    "a unique key's IntegrityError alone": (
        "orders",
        "create_order",
        "    try:\n        check(data)\n    except IntegrityError:\n        return {}\n",
    ),
    "a sign-up": ("auth/register", "register_user", ""),
    "a comment": ("workouts/{wid}/comments", "post_workout_comment", ""),
    "a note": ("notes", "create_note", ""),
    "a bookmark": ("bookmarks", "create_bookmark", ""),
}


def _not_idempotent(root: Path, path: str, handler: str, guard: str) -> bool:
    code = IDEMPOTENT.format(path=path, handler=handler, guard=guard)
    return ("post-not-idempotent", 6) in _backend_rules(root, {"app.py": code})


ADMIN_CREATE = (
    "from fastapi import APIRouter, Depends\n\n"
    "router = APIRouter(dependencies=[Depends({guard})])\n\n\n"
    '@router.post("/v1/invoices")\n'
    "def create_invoice(data: dict):\n"
    "    invoice = Invoice.create(**data)\n"
    "    {reply}\n"
)


def test_a_module_that_starts_with_a_byte_order_mark_is_reviewed(tmp_path: Path) -> None:
    code = (
        "from flask import request\n\n\ndef rows(db):\n"
        "    return db.execute('select * from t where name = %s' % request.args['name'])\n"
    )
    (tmp_path / "bom").mkdir()
    (tmp_path / "bom" / "rows.py").write_bytes(b"\xef\xbb\xbf" + code.encode())
    found = audit_path(tmp_path / "bom", roles=["backend_architect"])
    assert [(f.path, f.rule) for f in found] == [("rows.py", "sql-string-built")]


def test_an_operators_configuration_create_or_a_form_post_is_retried_by_hand(
    tmp_path: Path,
) -> None:
    def reported(name: str, guard: str, reply: str) -> bool:
        code = ADMIN_CREATE.format(guard=guard, reply=reply)
        return ("post-not-idempotent", 7) in _backend_rules(tmp_path / name, {"app.py": code})

    assert not reported("admin", "is_authenticated_admin_api", "return invoice")
    assert not reported("form", "current_user", 'return RedirectResponse("/invoices", 303)')
    assert reported("api", "current_user", "return invoice")


def test_a_post_whose_duplicate_costs_nothing_is_not_asked_for_a_key(tmp_path: Path) -> None:
    """A second project, dataset or template from a retried click is visible and deleted by
    its owner; a second order, message or workout is charged, sent or counted."""
    for i, (path, handler) in enumerate(
        [("projects", "create_project"), ("templates", "post_template")]
    ):
        assert not _not_idempotent(tmp_path / f"free{i}", path, handler, ""), path
    for i, (path, handler) in enumerate(
        [("orders", "create_order"), ("messages", "post_message"), ("workouts", "post_workout")]
    ):
        assert _not_idempotent(tmp_path / f"counted{i}", path, handler, ""), path


def test_a_post_whose_retry_is_refused_or_harmless_is_not_reported(tmp_path: Path) -> None:
    for i, (case, (path, handler, guard)) in enumerate(RETRY_SAFE.items()):
        assert not _not_idempotent(tmp_path / str(i), path, handler, guard), case


def test_a_post_that_only_checks_its_input_or_catches_errors_broadly_is_reported(
    tmp_path: Path,
) -> None:
    for i, guard in enumerate(
        [
            "    if not Sport.query.filter_by(id=data['sport']).first():\n        return {}, 400\n",
            "    try:\n        check(data)\n    except (IntegrityError, ValueError):\n"
            "        return {}\n",
            '    """Adds a workout; a retry adds a duplicate."""\n',
            "",
        ]
    ):
        assert _not_idempotent(tmp_path / str(i), "workouts", "post_workout", guard), guard
    assert _not_idempotent(tmp_path / "notify", "notifications", "create_notification", "")


SERVICE_REFUSAL = {
    "__init__.py": "",
    "api.py": (
        "from fastapi import FastAPI\n"
        "from shop import services\n"
        "app = FastAPI()\n\n\n"
        '@app.post("/v1/orders")\n'
        "def create_order(data: dict):\n"
        "    services.check_equipment(data)\n"
        "    db.add(Equipment(label=data['label']))\n"
        "    db.commit()\n"
    ),
    "services.py": (
        "from shop.validators import EquipmentValidator\n\n\n"
        "def check_equipment(data):\n"
        "    EquipmentValidator.validate(data)\n"
    ),
    "validators.py": (
        "class EquipmentValidator:\n"
        "    @classmethod\n"
        "    def validate(cls, data):\n"
        "        cls._label_is_new(data['label'])\n\n"
        "    @classmethod\n"
        "    def _label_is_new(cls, label):\n"
        "        if Equipment.get_by(label=label):\n"
        '            raise NotUniqueError(f"equipment {label} already exists")\n'
    ),
}


def test_a_post_whose_service_or_validator_refuses_a_duplicate_is_not_reported(
    tmp_path: Path,
) -> None:
    refused = _backend_rules(tmp_path / "a" / "shop", SERVICE_REFUSAL)
    assert refused == [("endpoint-no-auth", 7)]
    files = dict(SERVICE_REFUSAL)
    files["validators.py"] = files["validators.py"].replace(
        'raise NotUniqueError(f"equipment {label} already exists")',
        'raise ValueError(f"label {label} is too long")',
    )
    reported = _backend_rules(tmp_path / "b" / "shop", files)
    assert reported == [("endpoint-no-auth", 7), ("post-not-idempotent", 7)]


def test_a_helper_that_raises_on_a_record_it_looked_up_refuses_the_retry(tmp_path: Path) -> None:
    """fractal-server's `_check_template_duplication`: the lookup is bound to a name, then
    `if duplicate: raise ...`; a helper that only returns True when it finds a row refuses
    nothing (the handler decides what to do with the answer)."""
    files = dict(SERVICE_REFUSAL)
    files["validators.py"] = files["validators.py"].replace(
        "        if Equipment.get_by(label=label):\n"
        '            raise NotUniqueError(f"equipment {label} already exists")\n',
        "        duplicate = session.execute(select(Equipment)).scalar_one_or_none()\n"
        "        if duplicate:\n"
        "            raise HTTPException(status_code=422, detail='label taken')\n",
    )
    assert "duplicate = " in files["validators.py"]
    assert _backend_rules(tmp_path / "a" / "shop", files) == [("endpoint-no-auth", 7)]
    files["validators.py"] = files["validators.py"].replace(
        "raise HTTPException(status_code=422, detail='label taken')", "return True"
    )
    assert _backend_rules(tmp_path / "b" / "shop", files) == [
        ("endpoint-no-auth", 7),
        ("post-not-idempotent", 7),
    ]


def test_a_post_that_answers_already_in_for_a_second_copy_is_not_reported(
    tmp_path: Path,
) -> None:
    refusal = (
        "    if data['url'] in dataset.urls:\n"
        "        raise HTTPException(422, f\"image {data['url']} already in dataset\")\n"
    )
    assert not _not_idempotent(tmp_path / "a", "readings", "post_new_reading", refusal)
    other = refusal.replace("already in dataset", "outside the dataset folder")
    assert _not_idempotent(tmp_path / "b", "readings", "post_new_reading", other)


LIST_ENDPOINT = (
    "from fastapi import APIRouter, Depends\n\n"
    "router = APIRouter()\n\n\n"
    '@router.get("/v1/resources/")\n'
    "def list_resources(user=Depends({guard})):\n"
    "    return db.query(Resource).all()\n"
)


def test_a_list_only_an_administrator_reads_is_not_asked_for_pages(tmp_path: Path) -> None:
    """A superuser's list of the installation's computing resources is a handful of rows an
    operator made by hand (fractal-server's admin routes); a user's list grows with use."""

    def reported(name: str, guard: str) -> bool:
        code = LIST_ENDPOINT.format(guard=guard)
        return ("list-not-paginated", 7) in _backend_rules(tmp_path / name, {"app.py": code})

    assert not reported("admin", "current_superuser_act")
    assert reported("user", "current_user_act")


PERMISSION_LIST = (
    "from fastapi import APIRouter, Depends\n\n"
    "router = APIRouter()\n\n\n"
    '@router.get("/v1/{path}")\n'
    '@require_permission("{permission}")\n'
    "def {handler}(user=Depends(current_user)):\n"
    "    return db.query(Row).all()\n"
)


def test_a_list_that_needs_an_administrators_permission_is_not_asked_for_pages(
    tmp_path: Path,
) -> None:
    """mcp-contextforge's admin list of SSO providers is the few identity providers an
    operator configured; the performance metrics a user reads grow with every window, and an
    admin's list of log entries grows with use whoever reads it."""

    def reported(path: str, handler: str, permission: str) -> bool:
        code = PERMISSION_LIST.format(path=path, handler=handler, permission=permission)
        found = _backend_rules(tmp_path / handler, {"app.py": code})
        return ("list-not-paginated", 8) in found

    assert not reported("providers", "list_sso_providers", "admin.sso_providers:read")
    assert reported("providers", "list_sso_providers", "providers:read")
    assert reported("logs", "list_logs", "admin.logs:read")


SCOPED_LIST = (
    "from fastapi import APIRouter, Depends\n\n"
    "router = APIRouter()\n\n\n"
    '@router.get("/v1/{path}")\n'
    "def {handler}(project_id: int, user=Depends(current_user)):\n"
    "    return db.query(Item).filter({where}).all()\n"
)


def test_a_list_of_one_parents_or_the_callers_own_entities_is_not_asked_for_pages(
    tmp_path: Path,
) -> None:
    """The workflows of one project or the projects of the caller are set up by hand, a
    handful to tens; the jobs of a project gain a row at every run, and a list over the whole
    table grows with every user."""

    def reported(path: str, handler: str, where: str = "Item.public") -> bool:
        code = SCOPED_LIST.format(path=path, handler=handler, where=where)
        found = _backend_rules(tmp_path / handler, {"app.py": code})
        return ("list-not-paginated", 7) in found

    assert not reported("project/{project_id}/workflow/", "get_workflow_list")
    assert not reported("project/", "get_projects", "Link.user_id == user.id")
    assert reported("project/{project_id}/job/", "get_job_list")
    assert reported("job/", "get_user_jobs", "Job.user_id == user.id")
    assert reported("project/", "get_all_projects")


def test_endpoints_in_test_code_are_not_inventoried(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "app.py").write_text(
        'from flask import Flask\napp = Flask(__name__)\n\n\n@app.post("/items")\n'
        "def add():\n    return {}\n"
    )
    assert role_facts(tmp_path, "backend_architect") == [
        "checked: sql-string-built,swallowed-exception"
    ]


def test_pm_todo_outside_requirements_is_not_an_open_question(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Tool\n\n## Todo\n\n- move the parser out\n")
    (tmp_path / "requirements_spec.md").write_text("# Spec\n\n- Pricing: TODO with finance\n")
    found = audit_path(tmp_path, roles=["pm"])
    assert [(f.path, f.rule) for f in found] == [("requirements_spec.md", "doc-open-question")]


@pytest.mark.parametrize(
    "module",
    [
        "team.audit",
        "team.audit.core",
        "team.audit.web",
        "team.audit.endpoints",
        "team.audit.handlers",
        "team.audit.route_owners",
        "team.audit.web_django",
        "team.audit.devops",
        "team.audit.backend",
        "team.audit.idempotency",
        "team.audit.performance",
        "team.audit.data",
        "team.audit.architecture",
        "team.audit.layers",
        "team.audit.product",
        "team.review.newer_syntax",
        "team.audit.bounded_lists",
        "team.audit.small_files",
        "team.audit.queries",
        "team.audit.subqueries",
        "team.audit.pages",
        "team.audit.uncalled",
        "team.audit.value_instances",
        "team.audit.session_makers",
        "team.audit.action_routes",
        "team.audit.version_prefixes",
        "team.audit.validated_values",
        "team.audit.library_apps",
        "team.audit.deployed",
        "team.audit.mapped_views",
        "team.audit.route_strings",
        "team.audit.allow_any",
        "team.audit.falcon_resources",
        "team.pyimports",
    ],
)
def test_docstring_examples_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest
    import importlib

    monkeypatch.chdir(HERE.parent)
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert failures == 0 and tried > 0


RPC_URLS = (
    "from django.urls import path\n"
    "from modernrpc.views import RPCEntryPoint\n"
    "from shop import views\n\n"
    "urlpatterns = [\n"
    '    path("{rpc}", RPCEntryPoint.as_view()),\n'
    '    path("orders/", views.orders),\n'
    "]\n"
    'ROOT_URLCONF = "shop.urls"\n'
)


def test_an_api_that_is_a_json_rpc_entry_point_next_to_pages_needs_no_url_version(
    tmp_path: Path,
) -> None:
    """Kiwi TCMS: /json-rpc/ and /xml-rpc/ whose contract is the method names."""
    rpc = _backend_rules(tmp_path / "rpc", {"shop/urls.py": RPC_URLS.format(rpc="json-rpc/")})
    assert [rule for rule, _ in rpc if rule == "api-unversioned"] == []
    rest = _backend_rules(tmp_path / "rest", {"shop/urls.py": RPC_URLS.format(rpc="api/orders/")})
    assert [rule for rule, _ in rest if rule == "api-unversioned"] == ["api-unversioned"]


ENRICHED = (
    "def error_body(detail):\n"
    '    content = {{"detail": detail}}\n'
    "    try:\n"
    "        {body}\n"
    "    except Exception:\n"
    "        pass\n"
    "    return content\n"
)


def test_a_swallow_around_an_optional_field_of_a_body_being_built_is_best_effort(
    tmp_path: Path,
) -> None:
    """zenml's error body adds the request id when the logging context has one."""
    extra = 'content["request_id"] = get_logging_context()["request_id"]'
    assert ("swallowed-exception", 5) not in _backend_rules(
        tmp_path / "extra", {"errors.py": ENRICHED.format(body=extra)}
    )
    saved = "get_store().save(content)"
    assert ("swallowed-exception", 5) in _backend_rules(
        tmp_path / "saved", {"errors.py": ENRICHED.format(body=saved)}
    )


def test_creates_without_idempotency_keys_are_one_finding_per_app(tmp_path: Path) -> None:
    """No endpoint of an app takes an idempotency key: one convention is missing, so the app's
    creates are one finding listing the others; another app's creates are a finding of theirs."""
    code = (
        "from fastapi import FastAPI, Depends\napp = FastAPI()\n\n\n"
        '@app.post("/v1/orders")\ndef create_order(o: dict, user=Depends(current_user)):\n'
        "    db.add(Order(**o))\n\n\n"
        '@app.post("/v1/refunds")\ndef create_refund(r: dict, user=Depends(current_user)):\n'
        "    db.add(Refund(**r))\n"
    )
    files = {"shop/app.py": code, "billing/app.py": code}
    assert _backend_rules(tmp_path, files) == [
        ("post-not-idempotent", 6),
        ("post-not-idempotent", 6),
    ]
    shop = [f for f in audit_path(tmp_path, roles=["backend_architect"]) if f.path == "shop/app.py"]
    assert shop[0].message.endswith("The same cause is at 1 other place: shop/app.py:11.")


def test_a_swallowed_read_into_a_default_set_before_it_is_the_answer_for_none(
    tmp_path: Path,
) -> None:
    """letta's optional trace: `trace = None`, then the read in a try whose failure leaves
    None, the endpoint's answer for "no trace". A read whose failure leaves a name unset, or
    a swallowed write, still hides an error."""
    code = (
        "async def trace(db, step_id):\n"
        "    found = None\n"
        "    try:\n"
        "        found = await db.get_trace(step_id)\n"
        "    except Exception:\n"
        "        pass\n"
        "    return found\n\n\n"
        "async def forget(db, step_id):\n"
        "    try:\n"
        "        await db.delete_trace(step_id)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    found = _backend_rules(tmp_path, {"steps.py": code})
    assert [line for rule, line in found if rule == "swallowed-exception"] == [13]


def test_one_finding_per_cause_keeps_the_gravest_severity_of_its_places() -> None:
    from team.audit.core import finding, one_per_cause

    read = finding("endpoint-no-auth", "app.py", 3, "GET /admin/users reads a private path.")
    write = finding("endpoint-no-auth", "app.py", 9, "POST /users changes state.", severity="error")
    (only,) = one_per_cause([("app", write), ("app", read)])
    assert (only.line, only.severity) == (3, "error")
    assert only.message.endswith("The same cause is at 1 other place: app.py:9.")


FORUM = (
    "from flask import Flask, jsonify, render_template\n"
    "app = Flask(__name__)\n\n\n"
    '@app.get("/topics/<int:pk>")\n'
    "def topic(pk):\n"
    "    topic = load_topic(pk)\n"
    "    return {answer}\n\n\n"
    '@app.post("/topics/<int:pk>/like")\n'
    "def like(pk):\n"
    "    return redirect(like_topic(pk))\n"
)


def test_an_app_whose_routes_render_pages_has_no_api_to_version(tmp_path: Path) -> None:
    """Spirit's forum renders its pages from templates, and a few same-origin helpers answer
    its own JavaScript: no outside client needs a /v1/. The twin answers the topic as JSON."""
    page = FORUM.format(answer='render_template("topic.html", topic=topic)')
    data = FORUM.format(answer="jsonify(topic)")
    assert [r for r, _ in _backend_rules(tmp_path / "page", {"app.py": page})].count(
        "api-unversioned"
    ) == 0
    assert ("api-unversioned", 2) in _backend_rules(tmp_path / "data", {"app.py": data})


WEBHOOKS = (
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n\n\n"
    '@app.post("{path}")\n'
    "def receive():\n"
    "    return handle(request.get_json())\n"
)


def test_an_app_that_only_receives_webhooks_has_no_api_to_version(tmp_path: Path) -> None:
    """Rasa's channels: every route is a webhook URL whose shape the calling platform sets
    (Slack, Twilio, Telegram) and that is configured once there. The twin serves a route of
    its own, which clients call."""
    hook = _backend_rules(tmp_path / "hook", {"app.py": WEBHOOKS.format(path="/slack/webhook")})
    assert [r for r, _ in hook].count("api-unversioned") == 0
    own = _backend_rules(tmp_path / "own", {"app.py": WEBHOOKS.format(path="/slack/messages")})
    assert ("api-unversioned", 2) in own
