"""Download the pinned sdists of bench/real/manifest.yaml and unpack their reviewed folders.

    python bench/real/fetch.py [--cache DIR]

Downloads each pinned archive from PyPI's JSON simple index by its sha256 (pip download as a
fallback), checks it against the manifest and unpacks the whole sdist into DIR/<package>-<version>/,
so that the reviewed folder sits in its project as in a checkout (`fetch(entry, cache)` unpacks only
the folder). Already unpacked corpora are kept. DIR defaults to ~/.cache/teamgraph/real, outside the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
INDEX = "https://pypi.org/simple"
DEFAULT_CACHE = Path.home() / ".cache" / "teamgraph" / "real"


def load_manifest(path: Path = HERE / "manifest.yaml") -> dict[str, list[dict[str, str]]]:
    """Corpus name (tuning, fresh) -> its pinned entries."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def corpus_dir(cache: Path, entry: dict[str, str]) -> Path:
    """Where an entry's reviewed folder is unpacked."""
    return cache / f"{entry['package']}-{entry['version']}" / entry["folder"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _from_index(name: str, sha256: str, sdists: Path) -> None:
    """Download the file with this sha256 straight from PyPI's JSON simple index (PEP 691).

    pip download builds an sdist's metadata before it saves it, which takes minutes for
    packages such as scikit-learn; the index lists every file with its hash, so the pinned one
    can be fetched as it is. Does nothing when the index cannot be read (pip is the fallback).
    """
    request = urllib.request.Request(
        f"{INDEX}/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            files = json.load(answer)["files"]
        url = next(f["url"] for f in files if f["hashes"].get("sha256") == sha256)
        with urllib.request.urlopen(url, timeout=300) as answer:
            (sdists / url.rsplit("/", 1)[-1]).write_bytes(answer.read())
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        print(f"{name}: the index did not serve it ({exc}); trying pip", file=sys.stderr)


def _pinned(sdists: Path, entry: dict[str, str]) -> Path | None:
    """The downloaded sdist with the entry's sha256. Files named for the entry's version are
    hashed first: hashing every archive for each of two hundred entries takes minutes."""
    named = f"-{entry['version']}.tar.gz"
    archives = sorted(sdists.glob("*.tar.gz"), key=lambda p: not p.name.endswith(named))
    return next((p for p in archives if _sha256(p) == entry["sha256"]), None)


def fetch(entry: dict[str, str], cache: Path, *, whole: bool = False) -> Path:
    """Download (once), verify and unpack one entry; return the unpacked folder.

    `whole` unpacks the whole sdist around the folder, as a checkout has it: a review of the
    folder then sees the project it sits in (its load tests beside the package, say), as a
    reviewer of that folder in the repository would. `.whole` marks a folder unpacked so.
    """
    target = corpus_dir(cache, entry)
    marker = cache / f"{entry['package']}-{entry['version']}" / ".whole"
    if target.is_dir() and (marker.exists() or not whole):
        return target
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    name, version = entry["package"], entry["version"]
    archive = _pinned(sdists, entry)
    if archive is None:
        _from_index(name, entry["sha256"], sdists)
        archive = _pinned(sdists, entry)
    if archive is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", name,
             "-d", str(sdists), f"{name}=={version}"],
            check=True,
        )  # fmt: skip
        archive = _pinned(sdists, entry)
        if archive is None:
            sys.exit(f"error: {name}=={version}: no downloaded sdist has sha256 {entry['sha256']}")
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0] + "/"
        prefix = top if whole else top + entry["folder"] + "/"
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and m.isfile()]
        for m in members:
            m.name = m.name[len(prefix) :]
        tar.extractall(marker.parent if whole else target, members=members, filter="data")
    if whole:
        marker.touch()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    for corpus, entries in load_manifest().items():
        for entry in entries:
            print(f"{corpus}: {fetch(entry, args.cache, whole=True)}")


if __name__ == "__main__":
    main()
