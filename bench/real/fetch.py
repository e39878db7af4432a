"""Download the pinned sdists of bench/real/manifest.yaml and unpack their reviewed folders.

    python bench/real/fetch.py [--cache DIR]

Uses pip (`pip download --no-deps --no-binary PKG`), checks each archive's sha256 against the
manifest and unpacks only the reviewed folder into DIR/<package>-<version>/. Already unpacked
corpora are kept. DIR defaults to ~/.cache/teamgraph/real, outside the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = Path.home() / ".cache" / "teamgraph" / "real"


def load_manifest(path: Path = HERE / "manifest.yaml") -> dict[str, list[dict[str, str]]]:
    """Corpus name (tuning, fresh) -> its pinned entries."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def corpus_dir(cache: Path, entry: dict[str, str]) -> Path:
    """Where an entry's reviewed folder is unpacked."""
    return cache / f"{entry['package']}-{entry['version']}" / entry["folder"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(entry: dict[str, str], cache: Path) -> Path:
    """Download (once), verify and unpack one entry; return the unpacked folder."""
    target = corpus_dir(cache, entry)
    if target.is_dir():
        return target
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    name, version = entry["package"], entry["version"]
    archive = next(
        (p for p in sdists.glob("*.tar.gz") if _sha256(p) == entry["sha256"]),
        None,
    )
    if archive is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", name,
             "-d", str(sdists), f"{name}=={version}"],
            check=True,
        )  # fmt: skip
        archive = next((p for p in sdists.glob("*.tar.gz") if _sha256(p) == entry["sha256"]), None)
        if archive is None:
            sys.exit(f"error: {name}=={version}: no downloaded sdist has sha256 {entry['sha256']}")
    with tarfile.open(archive) as tar:
        prefix = tar.getnames()[0].split("/")[0] + "/" + entry["folder"] + "/"
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and m.isfile()]
        for m in members:
            m.name = m.name[len(prefix) :]
        tar.extractall(target, members=members, filter="data")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    for corpus, entries in load_manifest().items():
        for entry in entries:
            print(f"{corpus}: {fetch(entry, args.cache)}")


if __name__ == "__main__":
    main()
