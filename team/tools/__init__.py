"""Read-only repository inspection tools for role agents: `glob`, `read_file`, `grep`, `analyze`.

`repo_tools(root)` gives LangChain tools for any LangChain agent; `run_tool(root, name, args)`
runs one from the command line (`team tools ROOT TOOL ARGS...`). Every path and pattern goes
through a `Sandbox`; a refused input or failure comes back to the model as `error: ...`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from team.audit.core import ROLES
from team.tools import analyze as analysis
from team.tools.repo import glob_files, grep, read_file
from team.tools.sandbox import Access, Limits, Sandbox, SandboxError, cap_output

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

__all__ = [
    "TOOL_NAMES",
    "Access",
    "Limits",
    "Sandbox",
    "SandboxError",
    "ToolUsageError",
    "repo_tools",
    "run_tool",
]

TOOL_NAMES = ("glob", "read_file", "grep", "analyze", "review")
"""The tool names, in the order `repo_tools` returns them."""


class ToolUsageError(ValueError):
    """`run_tool` or `repo_tools` was asked for an unknown tool or given bad arguments."""


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GlobArgs(_Args):
    pattern: str = Field(
        description="File-name glob like '*.py' (any depth), or a path glob from the root like "
        "'src/*.py', 'src/**/*.py' or 'tests/'; '!*.md' lists files not matching."
    )


class ReadFileArgs(_Args):
    path: str = Field(description="File path relative to the repository root, e.g. 'src/app.py'.")
    start_line: int = Field(1, description="First line to show (1-based).")
    end_line: int | None = Field(
        None, description="Last line to show (inclusive); default: the end."
    )


class GrepArgs(_Args):
    pattern: str = Field(description="Regular expression (Rust syntax, no backreferences).")
    glob: str | None = Field(
        None, description="Only search files matching this glob, e.g. '*.py' or 'src/**'."
    )
    ignore_case: bool = Field(False, description="Match case-insensitively.")


class AnalyzeArgs(_Args):
    path: str | None = Field(None, description="File or directory to analyze; default: the root.")


ReviewRole = Literal[ROLES]  # type: ignore[valid-type]  # the roles that have a review


class ReviewArgs(_Args):
    path: str | None = Field(
        None,
        description="Only report findings in this file or folder; default: the whole repository.",
    )
    role: ReviewRole = Field(
        "ml_engineer", description="Whose review to run: your own role id (default ml_engineer)."
    )


def review(sandbox: Sandbox, path: str | None = None, role: str = "ml_engineer") -> str:
    """A role's static review as text: one finding a line, with the standard it enforces, then
    the facts the review saw (endpoints, entry points, table profiles) as `kind: ...` lines.

    The ML review keeps to the sandbox's time limit, counted in its own CPU time so that a busy
    machine does not change what it finds (a slower review returns what it found, marked
    partial); every review keeps to its output caps (`max_matches` findings, `max_bytes`).
    """
    from team.audit import audit_path, role_facts
    from team.review import ReviewLimits, review_report

    paths = None if path in (None, "", ".") else [sandbox.relative(sandbox.resolve(path))]
    limits = sandbox.limits
    note = ""
    findings: list[Any]
    if role == "ml_engineer":
        bounded = ReviewLimits(seconds=limits.timeout)
        result = review_report(sandbox.root, paths=paths, limits=bounded)
        findings = list(result.findings)
        note = f"[review {result.partial}; results are partial]" if result.partial else ""
    else:
        findings = list(audit_path(sandbox.root, roles=[role], paths=paths))
    facts = role_facts(sandbox.root, role)
    lines = [
        f"{f.path}:{f.line}: {f.severity} {f.rule}: {f.message}"
        + (f" (cell {f.cell})" if f.cell else "")
        + (f" [enforces: {f.enforces}]" if f.enforces else "")
        for f in findings[: limits.max_matches]
    ]
    if len(findings) > limits.max_matches:
        lines.append(f"... {len(findings) - limits.max_matches} more findings (review a subfolder)")
    head = (
        f"{len(findings)} finding(s)" if findings else f"no findings in {path or 'the repository'}"
    )
    text = "\n".join([head, *lines, *(["facts:", *facts] if facts else [])])
    return cap_output(text, limits) + (f"\n{note}" if note else "")


_TOOLS: dict[str, tuple[type[_Args], Callable[..., str], str]] = {
    "glob": (
        GlobArgs,
        glob_files,
        "List repository files matching a glob, sorted. Respects .gitignore and skips .git, "
        ".venv, node_modules and __pycache__. Shows at most {max_entries} paths.",
    ),
    "read_file": (
        ReadFileArgs,
        read_file,
        "Read a text file with numbered lines ('  12 | text'). Returns at most {max_lines} "
        "lines per call and says how to read on; refuses binary files.",
    ),
    "grep": (
        GrepArgs,
        grep,
        "Search file contents with a regex (ripgrep). Lines come back as 'path:line: text', "
        "sorted by path then line, at most {max_matches}, then a count of the rest.",
    ),
    "analyze": (
        AnalyzeArgs,
        analysis.analyze,
        "Summarise Python code (.py, .ipynb) of a file or directory: modules, top-level "
        "functions and classes, imports, ML libraries, and where data loading, features, "
        "training, evaluation, serving and model persistence live (path:line).",
    ),
    "review": (
        ReviewArgs,
        review,
        "Static review of the repository as one role (role=your role id). ml_engineer: leakage, "
        "evaluation on training data, test-set tuning, accuracy-only metrics, seeds, time splits, "
        "training/serving skew, unmonitored serving; devops_engineer: Dockerfiles, compose, "
        "Kubernetes, Terraform, CI, pins and secrets; backend_architect: endpoint inventory, auth, "
        "pagination, idempotency, versioning, string SQL; performance_engineer: N+1 queries, "
        "blocking I/O in async code, timeouts, caches, benchmarks; data_engineer: ETL loads and "
        "data file quality; system_architect: import cycles, god modules, shared databases; pm: "
        "open questions and unmeasurable goals in docs. Findings as 'path:line: severity rule: "
        "message [enforces: ...]', then 'facts:' lines.",
    ),
}


def describe_validation_error(error: ValidationError) -> str:
    """One line naming the first bad argument and its value.

    Example:
        >>> try:
        ...     ReadFileArgs.model_validate({"path": 5})
        ... except ValidationError as exc:
        ...     print(describe_validation_error(exc))
        invalid argument path=5: Input should be a valid string
    """
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"]) or "arguments"
    if first["type"] == "missing":
        return f"missing argument {name!r}"
    if first["type"] == "extra_forbidden":
        return f"unknown argument {name!r}"
    value = repr(first.get("input"))
    value = value if len(value) <= 60 else f"{value[:57]}..."
    return f"invalid argument {name}={value}: {first['msg']}"


def _call(sandbox: Sandbox, name: str, arguments: dict[str, Any]) -> str:
    """Run one tool; every failure becomes an `error: ...` reply, nothing is raised."""
    try:
        return _TOOLS[name][1](sandbox, **arguments)
    except SandboxError as exc:
        return f"error: {exc}"
    except Exception as exc:  # a bug must not end the agent's run; the model sees it
        return f"error: {name} failed: {type(exc).__name__}: {exc}"


def _check_names(names: Iterable[str]) -> list[str]:
    wanted = list(names)
    unknown = [name for name in wanted if name not in _TOOLS]
    if unknown:
        raise ToolUsageError(f"unknown tool {unknown[0]!r}; choose from {', '.join(TOOL_NAMES)}")
    return [name for name in TOOL_NAMES if name in wanted]


def repo_tools(
    root: str | os.PathLike[str],
    *,
    allowed: Iterable[str] | None = None,
    limits: Limits | None = None,
    access: Access | None = None,
) -> list[BaseTool]:
    """LangChain tools that inspect the repository at `root`, read-only.

    Args:
        root: The repository directory; every path the model gives is resolved inside it.
        allowed: Tool names to include (scoping per role); default all of `TOOL_NAMES`.
        limits: Caps on time and output per call; default `Limits()`.
        access: Which files may be shown; default `Access()` (no secrets, nothing git ignores).

    Returns:
        Tools named `glob`, `read_file`, `grep`, `analyze` (those allowed, in that order).
        They return strings; refused inputs and failures come back as `error: ...`.

    Raises:
        SandboxError: `root` is not an existing directory.
        ToolUsageError: `allowed` names an unknown tool.

    Example:
        >>> tools = repo_tools(".", allowed=["grep", "read_file"])
        >>> [tool.name for tool in tools]
        ['read_file', 'grep']
        >>> tools[0].invoke({"path": "../secret"})
        "error: path '../secret' contains '..'; paths must stay inside the root"
    """
    from langchain_core.tools import StructuredTool

    sandbox = Sandbox(root, limits=limits, access=access)
    names = _check_names(TOOL_NAMES if allowed is None else allowed)

    def build(name: str) -> BaseTool:
        schema, _, description = _TOOLS[name]

        def run(**arguments: Any) -> str:
            return _call(sandbox, name, arguments)

        return StructuredTool.from_function(
            func=run,
            name=name,
            description=description.format_map(asdict(sandbox.limits)),
            args_schema=schema,
            handle_tool_error=True,
            handle_validation_error=lambda exc: f"error: {describe_validation_error(exc)}",
        )

    return [build(name) for name in names]


def run_tool(root: str | os.PathLike[str], tool: str, args: Sequence[str]) -> str:
    """Run one tool from command-line words and return its reply (the text a model would see).

    Words are `key=value` (when `key` is a parameter of the tool) or positional values in the
    tool's parameter order; numbers and booleans are converted. A refused path or pattern is
    not an exception: the reply starts with `error: `.

    Raises:
        SandboxError: `root` is not an existing directory.
        ToolUsageError: Unknown tool, unknown/duplicate/missing argument or a bad value.

    Example:
        >>> print(run_tool(".", "read_file", ["pyproject.toml", "end_line=1"]))
           1 | [build-system]
    """
    sandbox = Sandbox(root)
    if tool not in _TOOLS:
        raise ToolUsageError(f"unknown tool {tool!r}; choose from {', '.join(TOOL_NAMES)}")
    schema = _TOOLS[tool][0]
    params = list(schema.model_fields)
    values: dict[str, str] = {}
    positional = 0
    for word in args:
        key, sep, value = word.partition("=")
        if not (sep and key in params):
            if positional >= len(params):
                usage = " ".join(params)
                raise ToolUsageError(f"{tool} takes {usage}; extra argument {word!r}")
            key, value = params[positional], word
            positional += 1
        if key in values:
            raise ToolUsageError(f"{tool}: argument {key!r} given twice")
        values[key] = value
    try:
        validated = schema.model_validate(values)
    except ValidationError as exc:
        raise ToolUsageError(f"{tool}: {describe_validation_error(exc)}") from None
    return _call(sandbox, tool, {key: getattr(validated, key) for key in values})
