"""The concrete artifact each role's deliverable carries, built from the request, the role's
review findings and the facts its review saw (entry points, endpoints, table profiles).

Each builder returns markdown lines, or [] when it has nothing real to build from.
"""

from __future__ import annotations

import re
import shlex

from team.models.technologies import lookup, options_in

__all__ = ["analysis_sections", "artifact", "standard_rules"]

Finding = tuple[str, str, str, str]  # (path:line, severity, rule, enforces)


def _facts(facts: list[str], kind: str) -> list[str]:
    return [f.split(": ", 1)[1] for f in facts if f.startswith(f"{kind}: ")]


def _field(text: str, name: str) -> str:
    match = re.search(rf"\b{name}=(\S+)", text)
    return match[1] if match else ""


def _devops(request: str, facts: list[str], findings: list[Finding]) -> list[str]:
    rules = {rule for _, _, rule, _ in findings}
    asked = re.search(
        r"(?i)docker|container|image|deploy|kubernetes|ci\b|pipeline|release", request
    )
    entries = _facts(facts, "entrypoint")
    if not (asked or rules & {"no-dockerfile", "no-ci"}) or not entries:
        return []
    entry = entries[0]
    command = entry.split("run=", 1)[1] if "run=" in entry else "python -m app"
    requirements = next(
        (d.split()[0] for d in _facts(facts, "dependencies") if d.split()[0].endswith(".txt")),
        "requirements.txt",
    )
    python = (_facts(facts, "python") or ["3.12"])[0]
    health = any(re.search(r"/health|/ready", e) for e in _facts(facts, "endpoint"))
    out = [
        "",
        f"### Proposed Dockerfile (for `{entry.split()[0]}`)",
        "```dockerfile",
        f"# Pin the base by digest after the first build: python:{python}-slim@sha256:<digest>",
        f"FROM python:{python}-slim AS build",
        "WORKDIR /app",
        f"COPY {requirements} .",
        f"RUN pip install --no-cache-dir --prefix=/install -r {requirements}",
        "",
        f"FROM python:{python}-slim",
        "WORKDIR /app",
        "COPY --from=build /install /usr/local",
        "COPY . .",
        "USER 10001",
        "EXPOSE 8000",
        'HEALTHCHECK CMD python -c "import urllib.request; '
        "urllib.request.urlopen('http://127.0.0.1:8000/health')\"",
        f"CMD {shlex.split(command)!r}".replace("'", '"'),
        "```",
    ]
    if not health:
        out.append(
            "- The app has no `/health` route yet: add one before this HEALTHCHECK can pass."
        )
    if "requirements-unpinned" in rules:
        out.append(
            f"- Pin `{requirements}` (pip-compile or `pip freeze`) so this image is reproducible."
        )
    if "ci: none" in facts or re.search(r"(?i)\bci\b|pipeline", request):
        tests = (_facts(facts, "tests") or ["0 file(s)"])[0]
        run_tests = "pytest -q" if not tests.startswith("0 ") else "python -m compileall -q ."
        out += [
            "",
            "### Proposed CI workflow (`.github/workflows/ci.yml`)",
            "```yaml",
            "name: ci",
            "on: [push, pull_request]",
            "jobs:",
            "  test:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            "      - uses: actions/checkout@v4",
            "      - uses: actions/setup-python@v5",
            "        with:",
            f'          python-version: "{python}"',
            "          cache: pip",
            f"      - run: pip install -r {requirements}",
            f"      - run: {run_tests}",
            "      - run: docker build -t app:${{ github.sha }} .",
            "```",
        ]
    if re.search(r"(?i)kubernetes|k8s|manifest|helm|\bpods?\b", request):
        out += _kubernetes(entry, command, health)
    return out


def _kubernetes(entry: str, command: str, health: bool) -> list[str]:
    """A Deployment and a Service for the entry point: probes, requests and limits, a non-root
    read-only container, two replicas; the port read from the run command."""
    port = re.search(r"--port[ =](\d+)", command)
    number = port[1] if port else "8000"
    name = re.sub(r"[^a-z0-9-]", "-", entry.split()[0].rsplit("/", 1)[0].lower()) or "app"
    probe = "/health" if health else "/health  # add this route: the app has none yet"
    return [
        "",
        f"### Proposed Kubernetes manifests (for `{entry.split()[0]}`)",
        "```yaml",
        "apiVersion: apps/v1",
        "kind: Deployment",
        f"metadata: {{name: {name}}}",
        "spec:",
        "  replicas: 2",
        f"  selector: {{matchLabels: {{app: {name}}}}}",
        "  template:",
        f"    metadata: {{labels: {{app: {name}}}}}",
        "    spec:",
        "      securityContext: {runAsNonRoot: true, runAsUser: 10001}",
        "      containers:",
        f"        - name: {name}",
        f"          image: registry.example.com/{name}@sha256:<digest>  # pin by digest",
        f"          ports: [{{containerPort: {number}}}]",
        "          resources:",
        "            requests: {cpu: 250m, memory: 256Mi}  # measure under load, then set",
        "            limits: {memory: 512Mi}",
        f"          readinessProbe: {{httpGet: {{path: {probe.split()[0]}, port: {number}}}, "
        "periodSeconds: 5}",
        f"          livenessProbe: {{httpGet: {{path: {probe.split()[0]}, port: {number}}}, "
        "initialDelaySeconds: 10, periodSeconds: 10}",
        "          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}",
        "---",
        "apiVersion: v1",
        "kind: Service",
        f"metadata: {{name: {name}}}",
        f"spec: {{selector: {{app: {name}}}, ports: [{{port: 80, targetPort: {number}}}]}}",
        "```",
        *([] if health else ["- The probes need a `/health` route: the app has none yet."]),
        "- No CPU limit on purpose: a CPU limit throttles a Python server under bursts; the "
        "request reserves the share it needs.",
    ]


def _backend(request: str, facts: list[str], findings: list[Finding]) -> list[str]:
    endpoints = _facts(facts, "endpoint")
    if not endpoints:
        return []
    out = [
        "",
        "### Endpoint inventory",
        "| method | path | handler | where | auth | inputs | pagination | error codes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in endpoints:
        method, path, where = e.split()[:3]
        out.append(
            f"| {method} | `{path}` | {_field(e, 'handler')} | `{where}` | {_field(e, 'auth')} "
            f"| {_field(e, 'inputs')} | {_field(e, 'pagination')} | {_field(e, 'errors')} |"
        )
    asked = re.search(r"(?i)\bv(\d+)\b", request)
    version = f"/v{asked[1]}" if asked else "/v1"
    out += ["", "### OpenAPI sketch (the contract to agree with consumers)", "```yaml", "paths:"]
    for e in endpoints:
        method, path = e.split()[:2]
        versioned = (
            re.sub(r"^/v\d+", version, path) if re.match(r"/v\d+/", path) else f"{version}{path}"
        )
        inputs = _field(e, "inputs")
        out += [
            f"  {versioned}:",
            f"    {method.lower()}:",
            f"      operationId: {_field(e, 'handler')}",
        ]
        out += ["      security: [{bearerAuth: []}]"]
        params = []
        computes = _COMPUTES.search(_field(e, "handler"))
        if method == "POST" and not computes:  # a retried computation creates nothing twice
            params.append(
                "{name: Idempotency-Key, in: header, required: true, schema: {type: string}}"
            )
        if method == "GET" and "{" not in path:
            params += [
                "{name: limit, in: query, schema: {type: integer, maximum: 100}}",
                "{name: cursor, in: query, schema: {type: string}}",
            ]
        if params:
            out.append("      parameters:")
            out += [f"        - {p}" for p in params]
        if inputs not in ("", "-") and method in ("POST", "PUT", "PATCH"):
            schema = inputs.split(":")[-1]
            out.append(
                f"      requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}}}"
            )
        codes = ["201" if method == "POST" and not computes else "200", "401", "422", "429", "500"]
        codes += ["404"] if "{" in path else []
        codes += ["409"] if method == "POST" and not computes else []
        out.append(
            "      responses: {"
            + ", ".join(
                f"'{c}': {{$ref: '#/components/responses/{'Ok' if c in ('200', '201') else 'Error'}'}}"
                for c in sorted(codes)
            )
            + "}"
        )
    out += _asked_paths(request, version, endpoints)
    out += [
        "components:",
        "  securitySchemes: {bearerAuth: {type: http, scheme: bearer}}",
        "  responses:",
        "    Error: {description: '{code, message} with a stable code; no stack traces'}",
        "```",
    ]
    return out


# A POST whose handler computes an answer (a prediction, a score, a quote) creates nothing: 200.
_COMPUTES = re.compile(
    r"(?i)predict|score|estimate|compute|calculat|classif|recommend|search|quote"
)


_NOUNS = {
    "predict": "predictions",
    "score": "scores",
    "classify": "classifications",
    "recommend": "recommendations",
    "estimate": "estimates",
    "search": "searches",
}


def _asked_paths(request: str, version: str, endpoints: list[str]) -> list[str]:
    """The operations the request asks for that the service does not have yet: a batch form of
    its first POST ("batch scoring") and a paginated list ("pagination", "list")."""
    posts = [e.split()[1] for e in endpoints if e.split()[0] == "POST"]
    resource = (posts[0] if posts else "/items").rstrip("/").rsplit("/", 1)[-1]
    out = []
    if posts and re.search(r"(?i)\bbatch", request):
        out += [
            f"  {version}/{resource}/batch:  # asked for: many inputs in one call",
            "    post:",
            f"      operationId: {resource}_batch",
            "      security: [{bearerAuth: []}]",
            "      requestBody: {required: true, content: {application/json: {schema: "
            "{type: object, properties: {items: {type: array, maxItems: 1000}}}}}}",
            "      responses: {'200': {description: 'one result or one error per item, in "
            "order'}, '413': {$ref: '#/components/responses/Error'}, '422': "
            "{$ref: '#/components/responses/Error'}}",
        ]
    if re.search(r"(?i)paginat|\blist\b|history", request):
        plural = _NOUNS.get(resource, resource if resource.endswith("s") else f"{resource}s")
        out += [
            f"  {version}/{plural}:  # asked for: a paginated list",
            "    get:",
            f"      operationId: list_{plural}",
            "      security: [{bearerAuth: []}]",
            "      parameters:",
            "        - {name: limit, in: query, schema: {type: integer, default: 50, maximum: 100}}",
            "        - {name: cursor, in: query, schema: {type: string}}",
            "      responses: {'200': {description: 'items and next_cursor (null on the last "
            "page)'}, '400': {$ref: '#/components/responses/Error'}}",
        ]
    return out


def _performance(request: str, facts: list[str], findings: list[Finding]) -> list[str]:
    endpoints = _facts(facts, "endpoint")
    if not endpoints:
        return []
    out = [
        "",
        "### Measurement plan (before any change)",
        "| endpoint | what to measure | target to agree | how |",
        "|---|---|---|---|",
    ]
    for e in endpoints:
        method, path = e.split()[:2]
        out.append(
            f"| {method} `{path}` | p50/p95/p99 latency, errors, RPS at saturation | p95 and p99 in ms (not averages) | locust, production-like payloads |"
        )
    out += [
        "",
        "```python",
        "# bench/locustfile.py",
        "from locust import HttpUser, task",
        "",
        "",
        "class Client(HttpUser):",
    ]
    schemas = {line.split()[0]: line.split()[2:] for line in _facts(facts, "schema")}
    for e in endpoints[:5]:
        method, path = e.split()[:2]
        name = _field(e, "handler") or "call"
        body = _example_body(_field(e, "inputs"), schemas)
        call = (
            f'        self.client.{method.lower()}("{path}", json={body})'
            if body
            else f'        self.client.{method.lower()}("{path}")  # add a realistic payload'
        )
        out += ["    @task", f"    def {name}(self):", call]
    out.append("```")
    stated = re.search(r"(?i)\bp(50|90|95|99)\b[^.\d]{0,20}?(\d+(?:\.\d+)?)\s*(ms|s)\b", request)
    if stated:
        out.append(
            f"- Today: p{stated[1]} {stated[2]} {stated[3]} as reported; reproduce it with this "
            "load before changing anything, then profile the handler under that load."
        )
    return out


_EXAMPLES = {"int": "1", "float": "1.0", "str": '"x"', "bool": "True"}


def _example_body(inputs: str, schemas: dict[str, list[str]]) -> str:
    """A JSON body for a load test from the endpoint's input model (`customer:Customer`)."""
    model = inputs.split(":")[-1] if inputs not in ("", "-") else ""
    fields = schemas.get(model)
    if not fields:
        return ""
    pairs = [
        f'"{name}": {_EXAMPLES.get(kind.removeprefix("Optional[").rstrip("]"), "None")}'
        for name, kind in (f.split(":", 1) for f in fields)
    ]
    return "{" + ", ".join(pairs) + "}"


def _data(request: str, facts: list[str], findings: list[Finding]) -> list[str]:
    columns = _facts(facts, "column")
    if not columns:
        return []
    out = [
        "",
        "### Data-quality checks (run on every load; a failure blocks downstream)",
        "| table | column | check | threshold | observed now |",
        "|---|---|---|---|---|",
    ]
    first: dict[str, str] = {}
    for c in columns:
        table, column = c.split()[:2]
        first.setdefault(table, column)
        nulls = re.search(r"nulls=(\d+)/(\d+) \(([\d.]+)%\)", c)
        null_rate = float(nulls[3]) if nulls else 0.0
        key = re.match(r"(?i)^(?:id|.*_id|.*_key)$", column)
        if key:
            out.append(f"| `{table}` | {column} | not null | 0% | {nulls[3] if nulls else '?'}% |")
            if first[table] == column:
                out.append(
                    f"| `{table}` | {column} | unique | 0 duplicates | {_field(c, 'distinct')} distinct of {nulls[2] if nulls else '?'} rows |"
                )
        elif null_rate:
            ceiling = max(1, int(null_rate + 0.999) + 1)
            out.append(
                f"| `{table}` | {column} | null rate | <= {ceiling}% (alert above) | {null_rate}% |"
            )
        if _field(c, "type") == "numeric" and re.search(
            r"(?i)charges|amount|price|tenure|days|tickets|count|qty|quantity", column
        ):
            out.append(f"| `{table}` | {column} | range | >= 0 | numeric |")
    for loc, _, rule, _ in findings:
        if rule.startswith("data-"):
            out.append(f"| `{loc}` | (from review) | {rule} | must pass | failing |")
    return out


def _option_rows(options: list[str], facts: list[str]) -> list[str]:
    """One row per ADR criterion: what is known of each option (`technologies.py`) and whether
    the repository runs it today (its `store:` facts); "to score" where neither says."""
    stores = {
        line.rsplit(" ", 1)[0].split(" (")[0].lower(): line.rsplit(" ", 1)[1]
        for line in _facts(facts, "store")
    }
    rows: dict[str, list[str]] = {
        "fit to the stated need and load": [],
        "operational cost and on-call burden": [],
        "team skills": [],
        "migration risk (incremental?)": [],
        "lock-in / exit cost": [],
    }
    for option in options:
        known = lookup(option)
        where = stores.get(known.name.lower()) if known else None
        rows["fit to the stated need and load"].append(known.fit if known else "to score")
        rows["operational cost and on-call burden"].append(
            known.operations if known else "to score"
        )
        if where:
            rows["team skills"].append(f"runs here today (`{where}`)")
            rows["migration risk (incremental?)"].append("none: it is what runs today")
        elif facts:
            rows["team skills"].append("not in this repository: ask who has run it")
            rows["migration risk (incremental?)"].append(
                "a move: dual-write or backfill, then switch reads, step by step"
            )
        else:
            rows["team skills"].append("to score")
            rows["migration risk (incremental?)"].append("to score")
        rows["lock-in / exit cost"].append(known.lock_in if known else "to score")
    return [f"| {criterion} | " + " | ".join(cells) + " |" for criterion, cells in rows.items()]


def _system(request: str, facts: list[str], findings: list[Finding]) -> list[str]:
    options = options_in(request)
    modules = (_facts(facts, "modules") or [""])[0]
    if not options and not modules:
        return []
    options = options or ["keep the current design", "the change the request asks for"]
    today = [f"{modules}"] if modules else []
    today += [
        f"{line.rsplit(' ', 1)[0]} (`{line.rsplit(' ', 1)[1]}`)" for line in _facts(facts, "store")
    ]
    known = [option for option in options if lookup(option)]
    out = [
        "",
        "### ADR draft",
        f"- **Context:** {request.strip()[:300]}"
        + (f" The repository today: {'; '.join(today)}." if today else ""),
        "- **Options** (what each is known to be good and bad at, and what this repository runs "
        "today; the team that builds and runs it scores the rest):",
        "",
        "| criterion | " + " | ".join(options) + " |",
        "|---|" + "---|" * len(options),
        *_option_rows(options, facts),
    ]
    cycles = [
        loc
        for loc, _, rule, _ in findings
        if rule in ("import-cycle", "god-module", "shared-database", "single-replica")
    ]
    if cycles:
        out.append(
            "| constraint from the review | "
            + " | ".join(", ".join(cycles[:3]) for _ in options)
            + " |"
        )
    decision = (
        "not taken here: it turns on the fit row, that is on the access patterns and load the "
        "request does not state; ask for them, then record the option rejected with its reason."
        if len(known) == len(options)
        else "not taken here: the table needs the scores above; the option rejected is "
        "recorded with its reason."
    )
    out += [
        f"- **Decision:** {decision}",
        "- **Consequences:** to write once decided (migration steps, what gets harder).",
    ]
    return out


def _pm(
    request: str, facts: list[str], findings: list[Finding], clauses: list[str], taken: str
) -> list[str]:
    documented = _facts(facts, "requirement")
    where: dict[str, str] = {}
    if documented:  # the repository's own requirements are the asks to story and rank
        clauses = [r.split(" ", 1)[1] for r in documented]
        where = {r.split(" ", 1)[1]: r.split(" ", 1)[0] for r in documented}
    if not clauses:
        return []
    cited = re.findall(r"`?([\w./-]+\.\w+:\d+)`? \|? ?([a-z]+(?:-[a-z]+)+)", taken)
    late = re.compile(r"(?i)relaunch|launch|release|timeline|agree|sign.?off|go.?live|roll ?out")
    order = sorted(clauses, key=lambda c: (bool(late.search(c)), _moscow(c)[0], clauses.index(c)))
    out = ["", "### User stories with acceptance criteria"]
    for clause in order:
        out += [
            f"- **{clause}**",
            f"  - Given the current system, when this is done, then {_criterion(clause)}",
        ]
    out += [
        "",
        "### Prioritization",
        "| rank | ask | why this rank | depends on |",
        "|---|---|---|---|",
    ]
    early = [c for c in order if not late.search(c)]
    for rank, clause in enumerate(order, 1):
        depends = (
            ", ".join(f"#{order.index(c) + 1}" for c in early)
            if late.search(clause) and early
            else "-"
        )
        _, label, word = _moscow(clause)
        said = (
            f"{label} (says '{word}')" if word else f"{label} (no priority word: its owner decides)"
        )
        why = (
            f"{said}; documented at `{where[clause]}`"
            if clause in where
            else "gates the release"
            if late.search(clause)
            else f"{said}; fixes what the release depends on"
        )
        out.append(f"| {rank} | {clause} | {why} | {depends} |")
    if cited:
        out += [
            "",
            "Findings the plan answers: "
            + ", ".join(f"`{loc}` {rule}" for loc, rule in dict.fromkeys(cited))[:600],
        ]
    questions = [
        f"`{o.split(' ', 1)[0]}` {o.split(' ', 1)[1][:120]}" for o in _facts(facts, "open")
    ]
    if re.search(r"(?i)success|criteria|metric|kpi", request) and not re.search(r"\d", request):
        questions.append(
            "Which metric and target define success, with its baseline, measured how and by whom?"
        )
    if re.search(r"(?i)timeline|date|deadline|before", request):
        questions.append(
            "Who gives the estimates the timeline is built from, and what buffer covers the open findings?"
        )
    if questions:
        out += ["", "### Open questions"] + [f"- {q}" for q in questions]
    return out


_PRIORITIES = (
    (
        "Must",
        r"must|required|requires?|has to|have to|needs? to|mandatory|legal(?:ly)?|compliance|"
        r"regulat\w*|security|blocker|blocking|cannot (?:launch|ship)",
    ),
    ("Should", r"should|expected|important|ought to"),
    ("Could", r"could|nice to have|ideally|optional|stretch|if time allows|later"),
)


def _moscow(clause: str) -> tuple[int, str, str]:
    """(rank, MoSCoW class, the word that set it) for a requirement, from its own words; a
    requirement that states no priority ranks with Should, and says so."""
    for rank, (label, pattern) in enumerate(_PRIORITIES):
        match = re.search(rf"(?i)\b(?:{pattern})\b", clause)
        if match:
            return rank, label, match[0]
    return 1, "Should", ""


def _criterion(clause: str) -> str:
    if re.search(r"(?i)review|leak|metric", clause):
        return "the evaluation runs on a time-based holdout with no leakage finding left and reports precision/recall, not accuracy alone"
    if re.search(r"(?i)api|endpoint|contract", clause):
        return (
            "an OpenAPI contract with auth, versioning and error codes is agreed with the consumer"
        )
    if re.search(r"(?i)etl|data quality|checks", clause):
        return "each nightly load runs its checks and a failing check stops the load and alerts the owner"
    if re.search(r"(?i)success|criteria|timeline|relaunch", clause):
        return (
            "stakeholders sign off measurable success criteria and a dated plan before the relaunch"
        )
    return f"'{clause}' is shown true in a test or a sample delivery, with the measure and its target named"


def _ml(request: str, facts: list[str], findings: list[Finding]) -> list[str]:
    rules = {rule for _, _, rule, _ in findings}
    if not rules:
        return []
    out = ["", "### Recommended evaluation"]
    if "accuracy-only" in rules or re.search(r"(?i)metric|churn|fraud|imbalanc", request):
        out += [
            "- **Metric:** PR-AUC (average precision) as the headline, with recall and precision at the operating point; accuracy hides a minority class.",
            "- **Threshold:** choose it on a validation split for the recall the business needs (start: recall >= 0.70 at precision >= 0.40, to agree with the PM), never the default 0.5.",
        ]
        rate = _positive_rate(request)
        if rate is not None:
            out.append(
                f"- **Baseline:** positives are {rate:.1%} of rows, so a model that ranks at random "
                f"scores PR-AUC {rate:.3f} and predicting 'no' for everyone is {1 - rate:.1%} "
                "accurate; report the model's PR-AUC beside that baseline."
            )
    if rules & {
        "leakage-preprocess-before-split",
        "temporal-random-split",
        "eval-on-train",
        "test-set-tuning",
        "fit-on-test",
    }:
        out.append(
            "- **Split:** time-based holdout (train on earlier rows, test on the latest period), preprocessing fitted inside a Pipeline on the training rows only."
        )
    if "training-serving-skew" in rules:
        out.append(
            "- **Serving:** one shared feature function imported by training and the endpoint; a test asserts both produce the same row."
        )
    if "serving-without-monitoring" in rules:
        out.append(
            "- **Monitoring:** log inputs and scores; alert on score drift and on the realised recall once labels arrive."
        )
    return out


def _positive_rate(request: str) -> float | None:
    """The share of the rare class the request states ("churners are 8% of customers",
    "0.5% of transactions are fraud"), if any."""
    match = re.search(r"(\d+(?:\.\d+)?)\s*%", request)
    if match is None or not re.search(
        r"(?i)churn|fraud|default|positive|minority|rare|of (?:customers|users|rows|transactions)",
        request,
    ):
        return None
    rate = float(match[1]) / 100
    return rate if 0 < rate < 0.5 else None


def artifact(
    role: str,
    request: str,
    facts: list[str],
    findings: list[Finding],
    clauses: list[str],
    taken: str,
) -> list[str]:
    """The artifact lines for `role` (empty when there is nothing real to build it from)."""
    if role == "pm":
        return _pm(request, facts, findings, clauses, taken)
    builders = {
        "devops_engineer": _devops,
        "backend_architect": _backend,
        "performance_engineer": _performance,
        "data_engineer": _data,
        "system_architect": _system,
        "ml_engineer": _ml,
    }
    out = builders[role](request, facts, findings) if role in builders else []
    if role != "system_architect" and options_in(request):
        out += _system(request, [], findings)  # a technology choice gets an ADR, whoever holds it
    return out


# The parts of the code analysis (`analyze`, pointed at the ML pipeline) that bear on each role's
# work; the rest (features, training, evaluation) is the ML Engineer's evidence, not theirs.
_ANALYSIS_SECTIONS = {
    "data_engineer": ("data loading",),
    "backend_architect": ("serving",),
    "devops_engineer": ("serving", "model persistence"),
    "performance_engineer": ("serving", "data loading"),
    "system_architect": ("serving", "data loading", "model persistence"),
    "pm": (),
}


def analysis_sections(role: str) -> tuple[str, ...] | None:
    """The `analyze` sections a role cites as evidence; None for every section (the ML
    Engineer, or a role this project does not know)."""
    return _ANALYSIS_SECTIONS.get(role)


def standard_rules(role: str) -> dict[str, list[str]]:
    """The card line -> the review rules that check it, for one role."""
    if role == "ml_engineer":
        from team.review import RULE_ENFORCES

        pairs = [(text, rule) for rule, text in RULE_ENFORCES.items() if text]
    else:
        from team.audit import RULES, enforces

        pairs = [(enforces(rule), rule) for rule, spec in RULES.items() if spec.role == role]
    out: dict[str, list[str]] = {}
    for text, rule in pairs:
        out.setdefault(text, []).append(rule)
    return out
