"""The real-code measurements rest on hand-written data: pinned manifests and judgements. A typo
there silently drops a judgement from a precision figure, so the files are checked here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "bench" / "real", ROOT / "bench" / "roles_real"]
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _manifest(folder: Path) -> dict[str, list[dict[str, str]]]:
    return yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_every_manifest_entry_is_pinned_by_version_and_sha256(folder: Path) -> None:
    for corpus, entries in _manifest(folder).items():
        assert entries, corpus
        for entry in entries:
            assert set(entry) == {"package", "version", "sha256", "folder"}, (corpus, entry)
            assert SHA256.match(entry["sha256"]), (corpus, entry["package"])
            assert not Path(entry["folder"]).is_absolute() and ".." not in entry["folder"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_every_judgement_names_a_pinned_package_and_says_why(folder: Path) -> None:
    pinned = {f"{e['package']}-{e['version']}" for es in _manifest(folder).values() for e in es}
    seen: dict[tuple[str, str, int, str], bool] = {}
    for path in sorted(folder.glob("judgements*.yaml")):
        for entry, items in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            assert entry in pinned, f"{path.name}: {entry} is in no manifest section"
            for j in items:
                key = (entry, j["path"], int(j["line"]), j["rule"])
                assert isinstance(j["verdict"], bool), (path.name, key)
                assert j["why"].strip(), (path.name, key)
                assert seen.setdefault(key, j["verdict"]) == j["verdict"], (path.name, key)
