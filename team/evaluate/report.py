"""Printing evaluation results as tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

__all__ = ["print_confusion", "print_scores", "print_suite"]


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
