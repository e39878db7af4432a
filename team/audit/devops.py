"""The DevOps Engineer's review: Dockerfiles, compose files, Kubernetes manifests, Terraform,
CI workflows, requirements files, committed `.env` files, and what is missing altogether.

Dockerfiles are parsed with dockerfile-parse (instructions with their lines, continuation lines
joined); Terraform with python-hcl2; YAML with PyYAML, keeping each key's line.
"""

from __future__ import annotations

import io
import re
from typing import Any, cast

from team.audit.core import RoleFinding, finding
from team.audit.repo import SECRET_NAME, Repo, YamlMap
from team.audit.web import web_inventory

__all__ = ["devops_review", "docker_facts"]

_DOCKERFILE = r"(?:^|/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.dockerfile$"
_SERVER = re.compile(
    r"uvicorn|gunicorn|hypercorn|flask|runserver|serve|node |npm start|java -jar|nginx|httpd"
)
_LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
_WORKLOADS = _LONG_RUNNING | {"Job", "CronJob", "Pod"}
_INSTALL = re.compile(
    r"\b(?:pip3? install|python3? -m pip install|npm (?:ci|install)|yarn install|poetry install"
    r"|uv (?:sync|pip install)|pipenv install|bundle install|go mod download|mvn |gradle )"
)
_CI_FILES = (
    r"^\.github/workflows/[^/]+\.ya?ml$",
    r"^\.gitlab-ci\.yml$",
    r"^\.circleci/",
    r"^Jenkinsfile$",
    r"^azure-pipelines\.ya?ml$",
    r"^\.travis\.yml$",
    r"^bitbucket-pipelines\.yml$",
    r"^\.buildkite/",
    r"^\.drone\.yml$",
)


def _image_findings(image: str, path: str, line: int, stages: set[str]) -> list[RoleFinding]:
    image = image.strip().strip("\"'")
    if not image or "$" in image or "{{" in image or image in stages or image == "scratch":
        return []
    if "@sha256:" in image:
        return []
    tag = image.rpartition(":")[2] if ":" in image.rsplit("/", 1)[-1] else ""
    if not tag:
        return [
            finding(
                "image-unpinned",
                path,
                line,
                f"image '{image}' has no tag: it floats to whatever 'latest' is; pin a version "
                "tag and a digest",
                evidence=image,
            )
        ]
    if tag == "latest":
        return [
            finding(
                "image-latest-tag",
                path,
                line,
                f"image '{image}' uses the latest tag; pin a version tag and a digest",
                evidence=image,
            )
        ]
    return []


def _pip_unpinned(command: str) -> list[str]:
    """Packages a `pip install` command names without an exact version."""
    out: list[str] = []
    for segment in re.split(r"&&|;|\|\|", command):
        match = re.search(r"\bpip3?\s+install\b(.*)", segment)
        if not match:
            continue
        words = match[1].split()
        skip_next = False
        for word in words:
            if skip_next:
                skip_next = False
                continue
            if word in (
                "-r",
                "-c",
                "-e",
                "--requirement",
                "--constraint",
                "--editable",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "--target",
                "-t",
            ):
                skip_next = True
                continue
            if word.startswith("-") or word.startswith((".", "/", "$", "git+", "http")):
                continue
            if word.endswith((".whl", ".tar.gz", ".zip")) or "==" in word or "@" in word:
                continue
            out.append(word.strip("\"'"))
    return out


def docker_facts(repo: Repo) -> list[dict[str, Any]]:
    """Each Dockerfile's stages: base image, user, healthcheck, exposed ports, command."""
    if "docker" in repo.memo:
        return cast("list[dict[str, Any]]", repo.memo["docker"])
    from dockerfile_parse import DockerfileParser

    out = []
    for rel in repo.named(_DOCKERFILE):
        parser = DockerfileParser(fileobj=io.BytesIO(repo.text(rel).encode()))
        stages: list[dict[str, Any]] = []
        for ins in parser.structure:
            kind, value, line = ins["instruction"], ins["value"], ins["startline"] + 1
            if kind == "FROM":
                words = [w for w in value.split() if not w.startswith("--")]
                alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else ""
                base = words[0] if words else ""
                parent = next((s for s in stages if s["alias"] == base), None)
                stages.append(
                    {
                        "base": base,
                        "alias": alias,
                        "line": line,
                        "user": parent["user"] if parent else None,
                        "healthcheck": parent["healthcheck"] if parent else False,
                        "expose": [],
                        "cmd": "",
                        "run": [],
                        "env": [],
                    }
                )
            elif not stages:
                continue
            elif kind == "USER":
                stages[-1]["user"] = (value.split() or [""])[0], line
            elif kind == "HEALTHCHECK":
                stages[-1]["healthcheck"] = not value.strip().upper().startswith("NONE")
            elif kind == "EXPOSE":
                stages[-1]["expose"].append(value)
            elif kind in ("CMD", "ENTRYPOINT"):
                stages[-1]["cmd"] += " " + value
            elif kind == "RUN":
                stages[-1]["run"].append((line, value))
            elif kind in ("ENV", "ARG"):
                stages[-1]["env"].append((line, kind, value))
        out.append({"path": rel, "stages": stages})
    repo.memo["docker"] = out
    return out


def _dockerfile_findings(repo: Repo, has_probes: bool) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    for doc in docker_facts(repo):
        rel, stages = doc["path"], doc["stages"]
        aliases = {s["alias"] for s in stages if s["alias"]}
        for stage in stages:
            out += _image_findings(stage["base"], rel, stage["line"], aliases)
            for line, command in stage["run"]:
                loose = _pip_unpinned(command)
                if loose:
                    out.append(
                        finding(
                            "docker-unpinned-install",
                            rel,
                            line,
                            f"pip installs {', '.join(loose[:4])} without a version: the image "
                            "changes between builds; pin with == or install from a lock file",
                            evidence=command,
                        )
                    )
            for line, kind, value in stage["env"]:
                key, _, literal = value.replace("=", " ", 1).partition(" ")
                literal = literal.strip().strip("\"'")
                if SECRET_NAME.search(key) and literal and not literal.startswith("$"):
                    out.append(
                        finding(
                            "plaintext-secret",
                            rel,
                            line,
                            f"{kind} {key} bakes a credential into the image; pass it at run time "
                            "from a secret manager",
                            evidence=f"{kind} {key}=***",
                        )
                    )
        if not stages:
            continue
        final = stages[-1]
        user = final["user"]
        if user is None or user[0].split(":")[0] in ("root", "0"):
            line = final["line"] if user is None else user[1]
            out.append(
                finding(
                    "docker-root-user",
                    rel,
                    line,
                    "the final image runs as root (no USER, or USER root); add a non-root USER",
                    evidence=repo.line_text(rel, line),
                )
            )
        serves = final["expose"] or _SERVER.search(final["cmd"])
        if serves and not final["healthcheck"] and not has_probes:
            out.append(
                finding(
                    "docker-no-healthcheck",
                    rel,
                    final["line"],
                    "the image serves traffic but has no HEALTHCHECK (and no Kubernetes probe "
                    "covers it); add one against the health endpoint",
                    evidence=repo.line_text(rel, final["line"]),
                )
            )
    return out


def _env_items(env: Any) -> list[tuple[str, Any, int]]:
    """(name, value, line) of a compose/k8s/CI environment block (mapping or list)."""
    if isinstance(env, YamlMap):
        return [(str(k), v, env.line_of(k)) for k, v in env.items()]
    if isinstance(env, list):
        items: list[tuple[str, Any, int]] = []
        for item in env:
            if isinstance(item, str) and "=" in item:
                key, _, value = item.partition("=")
                items.append((key, value, 0))
            elif isinstance(item, YamlMap) and "name" in item:
                items.append((str(item["name"]), item.get("value"), item.line_of("name")))
        return items
    return []


def _secret_envs(env: Any, rel: str, fallback: int, where: str) -> list[RoleFinding]:
    out = []
    for key, value, line in _env_items(env):
        if not (SECRET_NAME.search(key) and isinstance(value, str | int) and str(value).strip()):
            continue
        text = str(value)
        if "${" in text or text.startswith("$") or "secrets." in text:
            continue
        out.append(
            finding(
                "plaintext-secret",
                rel,
                line or fallback,
                f"{where} sets {key} to a literal value; reference a secret instead",
                evidence=f"{key}: ***",
            )
        )
    return out


def _pod_spec(doc: YamlMap) -> YamlMap:
    spec = doc.get("spec")
    if doc.get("kind") == "CronJob" and isinstance(spec, YamlMap):
        spec = (spec.get("jobTemplate") or YamlMap()).get("spec")
    if doc.get("kind") != "Pod" and isinstance(spec, YamlMap):
        spec = (spec.get("template") or YamlMap()).get("spec")
    return spec if isinstance(spec, YamlMap) else YamlMap()


def k8s_documents(repo: Repo) -> list[tuple[str, YamlMap]]:
    """(path, document) of every Kubernetes object in the repository's YAML files."""
    if "k8s" in repo.memo:
        return cast("list[tuple[str, YamlMap]]", repo.memo["k8s"])
    out = []
    for rel in repo.yaml_files():
        if "{{" in repo.text(rel) or "apiVersion" not in repo.text(rel):
            continue
        for doc in repo.yaml(rel):
            if isinstance(doc, YamlMap) and "apiVersion" in doc and "kind" in doc:
                out.append((rel, doc))
    repo.memo["k8s"] = out
    return out


def _k8s_findings(repo: Repo) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    for rel, doc in k8s_documents(repo):
        kind = doc.get("kind")
        if kind == "Secret" and (doc.get("data") or doc.get("stringData")):
            key = "stringData" if doc.get("stringData") else "data"
            out.append(
                finding(
                    "plaintext-secret",
                    rel,
                    doc.line_of(key),
                    "a Secret manifest with its values is committed; keep secrets in a secret "
                    "manager (External Secrets, Sealed Secrets, Vault)",
                    evidence=f"kind: Secret {key}: ***",
                )
            )
        if kind not in _WORKLOADS:
            continue
        spec = _pod_spec(doc)
        containers = [c for c in spec.get("containers") or [] if isinstance(c, YamlMap)]
        for c in containers:
            name = str(c.get("name", "?"))
            line = c.line_of("name")
            out += _image_findings(str(c.get("image", "")), rel, c.line_of("image"), set())
            resources = c.get("resources")
            if not (isinstance(resources, YamlMap) and resources.get("limits")):
                out.append(
                    finding(
                        "k8s-no-resource-limits",
                        rel,
                        line,
                        f"container '{name}' has no resource limits; set requests and limits for "
                        "CPU and memory",
                        evidence=f"- name: {name}",
                    )
                )
            if kind in _LONG_RUNNING and not (c.get("readinessProbe") or c.get("livenessProbe")):
                out.append(
                    finding(
                        "k8s-no-probes",
                        rel,
                        line,
                        f"container '{name}' has no readiness or liveness probe; traffic reaches "
                        "it before it is ready and a hung process is never restarted",
                        evidence=f"- name: {name}",
                    )
                )
            security = c.get("securityContext")
            if isinstance(security, YamlMap) and (
                security.get("privileged") is True or security.get("runAsUser") == 0
            ):
                key = "privileged" if security.get("privileged") is True else "runAsUser"
                out.append(
                    finding(
                        "k8s-privileged",
                        rel,
                        security.line_of(key),
                        f"container '{name}' runs privileged or as root; run as a non-root user",
                        evidence=f"{key}: {security.get(key)}",
                    )
                )
            out += _secret_envs(c.get("env"), rel, line, f"container '{name}'")
    return out


def compose_services(repo: Repo) -> list[tuple[str, str, YamlMap, int]]:
    """(path, service name, service, line of its name) of every docker compose file."""
    if "compose" in repo.memo:
        return cast("list[tuple[str, str, YamlMap, int]]", repo.memo["compose"])
    out = []
    for rel in repo.named(r"(?:^|/)(?:docker-)?compose[\w.-]*\.ya?ml$"):
        for doc in repo.yaml(rel):
            services = doc.get("services") if isinstance(doc, YamlMap) else None
            if isinstance(services, YamlMap):
                out += [
                    (rel, n, s, services.line_of(n))
                    for n, s in services.items()
                    if isinstance(s, YamlMap)
                ]
    repo.memo["compose"] = out
    return out


def _compose_findings(repo: Repo) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    for rel, name, service, _ in compose_services(repo):
        if "image" in service:
            out += _image_findings(str(service["image"]), rel, service.line_of("image"), set())
        out += _secret_envs(
            service.get("environment"), rel, service.line_of("environment"), f"service '{name}'"
        )
    return out


def _terraform_findings(repo: Repo) -> list[RoleFinding]:
    files = [f for f in repo.files if f.endswith(".tf")]
    if not files:
        return []
    import hcl2

    out: list[RoleFinding] = []
    backend = False
    first_resource: tuple[str, int] | None = None
    for rel in files:
        text = repo.text(rel)
        try:
            hcl2.loads(text)
        except Exception as exc:  # lark raises several unrelated classes
            repo.errors.append(
                (rel, getattr(exc, "line", 1) or 1, f"skipped: not HCL: {type(exc).__name__}")
            )
            continue
        lines = text.splitlines()
        for number, raw in enumerate(lines, 1):
            stripped = raw.strip()
            if re.match(r'backend\s+"|cloud\s*\{', stripped):
                backend = True
            if first_resource is None and re.match(r'resource\s+"', stripped):
                first_resource = (rel, number)
            match = re.match(r'(\w+)\s*=\s*"([^"]*)"', stripped)
            if match and SECRET_NAME.search(match[1]) and match[2] and "${" not in match[2]:
                out.append(
                    finding(
                        "plaintext-secret",
                        rel,
                        number,
                        f"{match[1]} is a literal in Terraform (and so in its state and in the "
                        "repository); read it from a secret manager or a sensitive variable",
                        evidence=f"{match[1]} = ***",
                    )
                )
    if not backend and first_resource is not None:
        rel, line = first_resource
        out.append(
            finding(
                "terraform-local-state",
                rel,
                line,
                "no backend block: Terraform state stays on one machine, unlocked; configure a "
                "remote backend with locking (S3+DynamoDB, GCS, Terraform Cloud)",
                evidence=repo.line_text(rel, line),
            )
        )
    return out


def _steps(job: YamlMap) -> list[YamlMap]:
    return [s for s in job.get("steps") or [] if isinstance(s, YamlMap)]


def _workflow_findings(repo: Repo) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    for rel in repo.named(r"^\.github/workflows/[^/]+\.ya?ml$"):
        for doc in repo.yaml(rel):
            if not isinstance(doc, YamlMap):
                continue
            out += _secret_envs(doc.get("env"), rel, doc.line_of("env"), "the workflow")
            jobs = doc.get("jobs")
            for job_name, job in jobs.items() if isinstance(jobs, YamlMap) else []:
                if not isinstance(job, YamlMap):
                    continue
                out += _secret_envs(job.get("env"), rel, job.line_of("env"), f"job '{job_name}'")
                steps = _steps(job)
                cached = any(
                    "actions/cache" in str(s.get("uses", ""))
                    or (isinstance(s.get("with"), YamlMap) and "cache" in s["with"])
                    or "astral-sh/setup-uv" in str(s.get("uses", ""))
                    for s in steps
                )
                for step in steps:
                    uses = str(step.get("uses", ""))
                    if uses and not uses.startswith(("./", "docker://")):
                        ref = uses.partition("@")[2]
                        if ref in ("", "main", "master", "latest", "HEAD", "develop", "dev"):
                            out.append(
                                finding(
                                    "ci-unpinned-action",
                                    rel,
                                    step.line_of("uses"),
                                    f"'{uses}' follows a branch: the action can change under "
                                    "you; pin a release tag or a commit SHA",
                                    evidence=f"uses: {uses}",
                                )
                            )
                    out += _secret_envs(step.get("env"), rel, step.line_of("env"), "a step")
                installs = [s for s in steps if _INSTALL.search(str(s.get("run", "")))]
                if installs and not cached:
                    step = installs[0]
                    out.append(
                        finding(
                            "ci-no-cache",
                            rel,
                            step.line_of("run"),
                            f"job '{job_name}' installs dependencies on every run with no cache; "
                            "add actions/cache or the setup action's cache option",
                            evidence=str(step.get("run", "")).splitlines()[0],
                        )
                    )
    return out


def _requirements_findings(repo: Repo) -> list[RoleFinding]:
    out = []
    for rel in repo.named(r"(?:^|/)requirements[\w.-]*\.(?:txt|in)$"):
        if rel.endswith(".in"):
            continue  # pip-tools input: loose by design, the compiled .txt pins
        loose: list[tuple[int, str]] = []
        for number, raw in enumerate(repo.lines(rel), 1):
            line = raw.split("#", 1)[0].strip()
            if not line or line.startswith(("-", "git+", "http", ".", "/")) or "@" in line:
                continue
            if "==" not in line and "===" not in line:
                loose.append((number, re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0]))
        if loose:
            names = ", ".join(name for _, name in loose[:5])
            more = f" and {len(loose) - 5} more" if len(loose) > 5 else ""
            out.append(
                finding(
                    "requirements-unpinned",
                    rel,
                    loose[0][0],
                    f"{len(loose)} requirement(s) without an exact version ({names}{more}): "
                    "builds are not reproducible; pin with == or a lock file",
                    evidence=repo.line_text(rel, loose[0][0]),
                )
            )
    return out


def _dotenv_findings(repo: Repo) -> list[RoleFinding]:
    out = []
    for rel in repo.named(r"(?:^|/)\.env(?:\.[\w-]+)?$"):
        if re.search(r"example|sample|template|dist|defaults?$", rel):
            continue
        for number, raw in enumerate(repo.lines(rel), 1):
            key, sep, value = raw.strip().removeprefix("export ").partition("=")
            value = value.strip().strip("\"'")
            if sep and SECRET_NAME.search(key) and value and not value.startswith("$"):
                out.append(
                    finding(
                        "plaintext-secret",
                        rel,
                        number,
                        f"{key} is committed in an env file; keep it in a secret manager and "
                        "commit only an example file",
                        evidence=f"{key}=***",
                    )
                )
    return out


def _missing(repo: Repo) -> list[RoleFinding]:
    out = []
    _, apps = web_inventory(repo)
    if apps and not repo.named(_DOCKERFILE):
        app = apps[0]
        out.append(
            finding(
                "no-dockerfile",
                app.file,
                app.line,
                f"the {app.framework} app '{app.name}' has no Dockerfile anywhere in the "
                "repository; nothing says how it is built or run in production",
                evidence=repo.line_text(app.file, app.line),
            )
        )
    project = next(
        (
            f
            for f in ("pyproject.toml", "setup.py", "setup.cfg", "package.json", "requirements.txt")
            if f in repo.files
        ),
        None,
    )
    if project and not repo.named(*_CI_FILES):
        out.append(
            finding(
                "no-ci",
                project,
                1,
                "no CI configuration (GitHub Actions, GitLab CI, ...): nothing runs the tests or "
                "builds an artifact on each change",
                evidence=repo.line_text(project, 1),
            )
        )
    return out


def devops_review(repo: Repo) -> list[RoleFinding]:
    """Every DevOps finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in devops_review(Repo.scan(Path("scenarios/fixtures/churn")))]
        ['no-dockerfile', 'no-ci', 'requirements-unpinned']
    """
    has_probes = any(
        c.get("readinessProbe") or c.get("livenessProbe")
        for _, doc in k8s_documents(repo)
        for c in _pod_spec(doc).get("containers") or []
        if isinstance(c, YamlMap)
    )
    return [
        *_missing(repo),
        *_dockerfile_findings(repo, has_probes),
        *_requirements_findings(repo),
        *_compose_findings(repo),
        *_k8s_findings(repo),
        *_terraform_findings(repo),
        *_workflow_findings(repo),
        *_dotenv_findings(repo),
    ]
