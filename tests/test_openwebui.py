"""Open WebUI (PyPI ``open-webui``, installed by ``.ci/openwebui.sh``) pointed at ``team serve`` as
an OpenAI-compatible connection, used in Debian's Chromium through Playwright: three messages in
one chat, each reply's text asserted on the page, a screenshot saved.

Needs ``TEAM_OPENWEBUI`` (the path ``.ci/openwebui.sh`` prints) and Chromium: skipped without them
on a workstation, failed in CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from services import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    open_webui,
    open_webui_command,
    require,
    team_serve,
    wait_until,
)
from test_clients import TURNS, speakers

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("TEAM_SCREENSHOTS") or ROOT / "out" / "screenshots")


def missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package (pip install -e '.[test]')"
    if not shutil.which(CHROMIUM):
        return f"Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if open_webui_command() is None:
        return 'Open WebUI: export TEAM_OPENWEBUI="$(.ci/openwebui.sh)"'
    return None


def test_three_turns_in_one_open_webui_chat(tmp_path: Path) -> None:
    require(missing())
    from playwright.sync_api import sync_playwright

    command = open_webui_command()
    assert command is not None
    with (
        team_serve() as team,
        open_webui(command, tmp_path, f"{team.url}/v1") as webui,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(webui.url + "/", wait_until="domcontentloaded")
        page.get_by_role("button", name="Okay, Let's Go!").click()  # the release notes
        box = page.locator("#chat-input")
        replies = page.locator("#response-content-container")
        for index, (request, roles) in enumerate(TURNS):
            box.click()
            box.fill(request)
            page.keyboard.press("Enter")
            reply = replies.nth(index)
            # The offline team's reply ends with its checklist; wait until it has all arrived.
            wait_until(
                lambda reply=reply, roles=roles: (
                    speakers_on_page(reply.inner_text()) == roles
                    and "Request:" in reply.inner_text()
                ),
                seconds=120,
                what=f"reply {index + 1} in Open WebUI",
            )
            text = reply.inner_text()
            assert f"Request: {request}" in text
            for earlier, _ in TURNS[:index]:
                assert earlier not in text, f"reply {index + 1} repeats {earlier!r}"
        assert replies.count() == len(TURNS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "openwebui_three_turns.png"), full_page=True)
        browser.close()


def speakers_on_page(text: str) -> list[str]:
    """Rendered markdown loses the ``##``: a heading is a line ``<Role>: deliverable``."""
    return speakers("\n".join(f"## {line}" for line in text.splitlines()))
