"""Web review round 40: http-no-timeout stays quiet in a chore script run by hand (fschat's
thirteen-line `dataset_release_scripts/.../approve_all.py`, module-level code with no function of
its own); a service module's call stays reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_CHORE = """
import requests

headers = {"authorization": "Bearer hf_xxx"}
url = "https://huggingface.co/api/datasets/lmsys/chat/user-access-request/pending"
a = requests.get(url, headers=headers)
for user in a.json():
    requests.post(url, headers=headers, json={"user": user})
"""
_SERVICE = """
import requests


def register(url, data):
    return requests.post(url, json=data)
"""


def test_a_chore_script_run_by_hand_has_no_caller_to_hang(tmp_path: Path) -> None:
    """Module-level code with no function: nothing imports and calls it, its operator watches
    it run."""
    assert (
        web_findings(tmp_path / "top", {"chores/approve_all.py": _CHORE}, "http-no-timeout")
        == set()
    )


def test_a_folder_of_release_scripts_is_run_by_hand(tmp_path: Path) -> None:
    files = {"monitor/dataset_release_scripts/approve.py": _SERVICE}
    assert web_findings(tmp_path, files, "http-no-timeout") == set()


def test_a_service_call_or_a_module_level_call_beside_functions_stays_reported(
    tmp_path: Path,
) -> None:
    """A function the service imports, or an import-time call in a module with functions of its
    own (a config fetched when the app starts), can hang the service."""
    assert web_findings(tmp_path / "svc", {"worker.py": _SERVICE}, "http-no-timeout") == {
        ("worker.py", 5)
    }
    startup = {"config.py": _SERVICE + "\nSETTINGS = requests.get('http://cfg/settings')\n"}
    found = web_findings(tmp_path / "startup", startup, "http-no-timeout")
    assert found == {("config.py", 5), ("config.py", 7)}
    scripted = {"manuscripts/fetch.py": _SERVICE}
    assert web_findings(tmp_path / "named", scripted, "http-no-timeout") == {
        ("manuscripts/fetch.py", 5)
    }
