"""Printing evaluation results as tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from team.evaluate.metrics import NONE

__all__ = ["ask_measures", "print_comparison", "print_confusion", "print_scores", "print_suite"]


def _shorts(labels: list[str]) -> list[str]:
    """Short, distinct column headings: initials, lengthened until no two labels share one."""
    width = 1
    while True:
        heads = [
            "".join(part[:width] for part in label.split("_")).upper()[: 4 * width]
            for label in labels
        ]
        if len(set(heads)) == len(heads) or width > 8:
            return heads
        width += 1


def print_scores(console: Console, scores: dict[str, Any], *, title: str) -> None:
    """Per-role precision, recall, F1 and support, then macro-F1."""
    table = Table(title=title, title_justify="left")
    for column in ("role", "precision", "recall", "f1", "support"):
        table.add_column(column, justify="left" if column == "role" else "right")
    for role, row in scores["roles"].items():
        table.add_row(
            role,
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            str(row["support"]),
        )
    console.print(table)
    console.print(
        f"macro-F1 {scores['macro_f1']:.3f}  accuracy {scores['accuracy']:.3f}  ({scores['total']} decisions)"
    )


def print_confusion(console: Console, confusion: dict[str, dict[str, int]], *, title: str) -> None:
    """Expected (rows) against chosen (columns)."""
    labels = list(confusion)
    table = Table(title=title, title_justify="left")
    table.add_column("expected \\ got")
    for head in _shorts(labels):
        table.add_column(head, justify="right")
    for expected in labels:
        table.add_row(expected, *(str(confusion[expected][got] or ".") for got in labels))
    console.print(table)


def print_suite(console: Console, suite: Any) -> None:
    """Per-scenario pass/fail with the first divergence, then the aggregate scores."""
    for scenario in suite.scenarios:
        mark = "[green]PASS[/]" if scenario.passed else "[red]FAIL[/]"
        trials = f" {scenario.successes}/{scenario.trials}" if suite.trials > 1 else ""
        console.print(
            f"{mark}{trials} {scenario.name}  [dim]{' -> '.join(scenario.visited)}[/]",
            highlight=False,
        )
        if scenario.checks:
            console.print(f"     {escape(scenario.checks[0])}", highlight=False)
    print_scores(console, suite.routing, title="Routing (triage and first handoff)")
    print_confusion(
        console, suite.first_handoff["confusion"], title="First handoff: expected vs got"
    )
    ks = "  ".join(f"pass^{k} {v:.3f}" for k, v in suite.pass_hat_k.items())
    passed = len(suite.scenarios) - len(suite.failed)
    console.print(
        f"{passed}/{len(suite.scenarios)} scenarios passed  {ks}  loop rate {suite.loop_rate:.3f}  "
        f"mean handoffs {suite.mean_handoffs:.2f}",
        highlight=False,
    )
    if suite.asks:
        console.print(ask_measures(suite.asks), highlight=False)
    usage = suite.usage
    if usage.get("calls"):
        console.print(
            f"{usage['calls']} model calls  tokens {usage['input_tokens']} in "
            f"{usage['output_tokens']} out  cost {_dollars(usage['cost_usd'])}  "
            f"latency p50 {usage['latency_p50']:.2f} s p95 {usage['latency_p95']:.2f} s",
            highlight=False,
        )
    if suite.stopped or suite.not_run:
        console.print(
            f"[yellow]stopped[/] {escape(suite.stopped or 'early')}: "
            f"{len(suite.not_run)} scenario(s) not run: {escape(', '.join(suite.not_run))}",
            highlight=False,
        )


def _dollars(value: float | None) -> str:
    return "n/a (no price)" if value is None else f"${value:.4f}"


def print_comparison(console: Console, suites: list[Any]) -> None:
    """Models side by side: pass rate, macro-F1 and per-role F1, pass^k, loops, usage, cost."""
    table = Table(title="Models side by side", title_justify="left")
    table.add_column("", no_wrap=True)
    for suite in suites:
        table.add_column(suite.model, justify="right", overflow="fold")

    def row(label: str, cell: Any) -> None:
        table.add_row(label, *(cell(suite) for suite in suites))

    row("scenarios passed", lambda s: f"{len(s.scenarios) - len(s.failed)}/{len(s.scenarios)}")
    row("routing macro-F1", lambda s: f"{s.routing['macro_f1']:.3f}")
    row("first-handoff macro-F1", lambda s: f"{s.first_handoff['macro_f1']:.3f}")
    roles = sorted({role for s in suites for role in s.routing["roles"]} - {NONE})
    for role in roles:
        row(
            f"  F1 {role}",
            lambda s, role=role: (
                f"{s.routing['roles'][role]['f1']:.3f}" if role in s.routing["roles"] else "-"
            ),
        )
    for k in suites[0].pass_hat_k:
        row(f"pass^{k}", lambda s, k=k: f"{s.pass_hat_k[k]:.3f}")
    if any(s.asks for s in suites):
        for key, label in (("ask_ownership", "ask ownership"), ("criterion_fit", "criterion fit")):
            row(label, lambda s, key=key: _rate(s.asks.get(key, [0, 0])))
        row("forbidden-role runs", lambda s: str(s.asks.get("forbidden_runs", [0, 0])[0]))
    row("loop rate", lambda s: f"{s.loop_rate:.3f}")
    row("mean handoffs", lambda s: f"{s.mean_handoffs:.2f}")
    row("model calls", lambda s: str(s.usage.get("calls", 0)))
    row("input tokens", lambda s: str(s.usage.get("input_tokens", 0)))
    row("output tokens", lambda s: str(s.usage.get("output_tokens", 0)))
    row("cost", lambda s: _dollars(s.usage.get("cost_usd", 0.0)))
    row("latency p50 (s)", lambda s: f"{s.usage.get('latency_p50', 0.0):.2f}")
    row("latency p95 (s)", lambda s: f"{s.usage.get('latency_p95', 0.0):.2f}")
    if any(s.not_run for s in suites):
        row("not run", lambda s: str(len(s.not_run)))
    console.print(table)
    for suite in suites:
        for scenario in suite.failed:
            why = scenario.checks[0] if scenario.checks else "failed"
            console.print(f"FAIL {escape(suite.model)} {scenario.name}: {escape(why)}")


def _rate(pair: list[int]) -> str:
    hit, total = pair
    return f"{hit / total:.3f}" if total else "-"


def ask_measures(asks: dict[str, list[int]]) -> str:
    """Ask ownership, criterion fit, forbidden roles and single-role purity on one line.

    Example:
        >>> ask_measures({"ask_ownership": [9, 10], "criterion_fit": [4, 4],
        ...               "forbidden_runs": [0, 37], "single_role": [3, 3]})
        'ask ownership 0.900 (9/10)  criterion fit 1.000 (4/4)  forbidden roles 0 of 37 runs  single-role purity 1.000 (3/3)'
    """

    def rate(key: str) -> str:
        hit, total = asks.get(key, [0, 0])
        return f"{hit / total:.3f} ({hit}/{total})" if total else "n/a (0/0)"

    bad, runs = asks.get("forbidden_runs", [0, 0])
    return (
        f"ask ownership {rate('ask_ownership')}  criterion fit {rate('criterion_fit')}  "
        f"forbidden roles {bad} of {runs} runs  single-role purity {rate('single_role')}"
    )
