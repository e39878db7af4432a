"""The report pages in a real browser: Debian's Chromium driven by Playwright (never a browser
download). Screenshots go to ``out/screenshots/`` (or ``TEAM_SCREENSHOTS``).

Without Chromium these tests skip on a workstation and fail in CI (``CI`` set).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from report_pages import FLAGSHIP_PATH, flagship_page, small_suite, team

CHROMIUM = os.environ.get("TEAM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("TEAM_SCREENSHOTS") or ROOT / "out" / "screenshots")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need Chromium in CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Open HTML as a file in a fresh page; every request besides the file itself is blocked
    and recorded, and so are console errors (both must stay empty)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    fetched: list[str] = []
    errors: list[str] = []

    def block(route: Any) -> None:
        fetched.append(route.request.url)
        route.abort()

    def load(html: str, name: str) -> Any:
        target = tmp_path / name
        target.write_text(html, encoding="utf-8")
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(lambda url: url != target.as_uri(), block)
        page.goto(target.as_uri())
        return page

    yield load
    context.close()
    assert fetched == [], f"the page fetched {fetched}"
    assert errors == [], f"console errors: {errors}"


def shoot(page: Any, name: str, *, full: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / name
    page.screenshot(path=str(target), full_page=full)
    assert target.stat().st_size > 10_000
    return target


def test_run_page_draws_the_graph_and_the_path_in_order(open_page: Any) -> None:
    page = open_page(flagship_page(), "run.html")
    shoot(page, "run-top.png")
    nodes = page.locator("#run-graph g.node")
    assert nodes.count() == len(team().roles)
    box = page.locator("#run-graph").bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 300
    order = page.evaluate(
        """() => [...document.querySelectorAll('#run-graph g.node.visited')]
              .map(n => [Number(n.dataset.order.split(' ')[0]), n.dataset.role])
              .sort((a, b) => a[0] - b[0]).map(x => x[1])"""
    )
    assert order == FLAGSHIP_PATH
    faded = page.locator("#run-graph g.node.faded")
    assert faded.count() == len(team().roles) - len(FLAGSHIP_PATH)
    assert float(faded.first.evaluate("n => getComputedStyle(n).opacity")) < 0.5
    taken = page.locator("#run-graph path.taken")
    assert [taken.nth(i).get_attribute("data-step") for i in range(taken.count())] == [
        "1",
        "2",
        "3",
    ]
    for i in range(taken.count()):
        drawn = taken.nth(i).bounding_box()
        assert drawn is not None and drawn["width"] + drawn["height"] > 40
    steps = page.locator("#path-steps li.step-handoff")
    first = steps.nth(0).inner_text()
    assert (
        first.index("ML Engineer") < first.index("Backend Architect") < first.index("when a model")
    )
    assert [steps.nth(i).get_attribute("data-target") for i in range(3)] == FLAGSHIP_PATH[1:]


def test_a_collapsed_tool_call_expands_on_click(open_page: Any) -> None:
    page = open_page(flagship_page(), "run.html")
    review = page.locator('details.tool-call[data-tool="review"]').first
    result = review.locator("pre.tool-result")
    assert review.evaluate("d => d.open") is False
    assert not result.is_visible()
    review.locator("summary").click()
    assert review.evaluate("d => d.open") is True
    assert result.is_visible()
    assert "churn/train.py:24: error leakage-preprocess-before-split" in result.inner_text()
    review.scroll_into_view_if_needed()
    shoot(page, "run-tool-call-open.png")
    page.get_by_role("button", name="Expand all tool calls").click()
    assert page.evaluate(
        "() => [...document.querySelectorAll('details.tool-call')].every(d => d.open)"
    )


def test_a_finding_links_to_its_code(open_page: Any) -> None:
    page = open_page(flagship_page(), "run.html")
    page.locator('a[href="#code-churn-train-py-24"]').click()
    assert page.evaluate("() => document.querySelector(':target').id") == "code-churn-train-py-24"
    cited = page.locator("#code-churn-train-py-24 .code-line.cited")
    assert cited.is_visible() and "scaler.fit_transform" in cited.inner_text()
    shoot(page, "run-finding-code.png")
    page.locator('a[href="#deliverable-pm"]').click()
    assert page.locator("#deliverable-pm").evaluate("d => d.open") is True
    shoot(page, "run-full.png", full=True)


def test_eval_page_heat_map_and_expected_vs_actual(open_page: Any) -> None:
    from team.report import eval_report

    page = open_page(eval_report(small_suite(), team()), "eval.html")
    shoot(page, "eval-top.png")
    labels = len(team().roles)
    assert page.locator("#heat-map tbody tr").count() == labels
    assert page.locator("#heat-map td.cell").count() == labels * labels
    for i in range(labels):
        assert page.locator("#heat-map tbody tr").nth(i).locator("td.cell").count() == labels
    miss = page.locator(
        '#heat-map td.cell[data-expected="system_architect"][data-chosen="data_engineer"]'
    )
    assert miss.inner_text() == "1"
    assert "220, 38, 38" in miss.evaluate("c => getComputedStyle(c).backgroundColor")
    failed = page.locator("details.scenario.failed")
    assert failed.count() == 1 and failed.evaluate("d => d.open") is True
    assert failed.locator("path.expected").count() == 3
    assert failed.locator("g.node.diverged").get_attribute("data-role") == "data_engineer"
    assert "diverged at step 2" in failed.locator(".divergence").first.inner_text()
    passed = page.locator("details.scenario.passed")
    assert passed.locator("svg").is_visible() is False
    passed.locator("summary").click()
    assert passed.locator("svg").is_visible()
    page.locator("#confusion").scroll_into_view_if_needed()
    shoot(page, "eval-heat-map.png")
    failed.scroll_into_view_if_needed()
    shoot(page, "eval-failed-scenario.png")
