"""Web review round 34: an N+1 query one or two calls away, in a model's classmethod reached
through a swappable model read into a local (`Node = self.node_model`), or in a helper that
converts one row to what a response shows; each with a small app that must be reported and ones
that must stay silent."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_MODELS = """
from django.db import models


class AbstractNode(models.Model):
    address = models.CharField(max_length=64)

    class Meta:
        abstract = True

    @classmethod
    def get_from_address(cls, address, topology):
        return cls.objects.filter(topology=topology, address=address).first()

    @classmethod
    def describe(cls):
        return cls.__name__
"""


def _topology(tmp_path: Path, body: str) -> set[tuple[str, int]]:
    """n-plus-one-query findings on a topology model whose method `receive` runs `body`."""
    files = {
        "net/__init__.py": "",
        "net/node.py": _MODELS,
        "net/topology.py": "from django.db import models\n\n\n"
        "class AbstractTopology(models.Model):\n"
        "    class Meta:\n        abstract = True\n\n"
        "    def receive(self, items):\n"
        "        Node = self.node_model\n" + body,
    }
    return web_findings(tmp_path, files, "n-plus-one-query")


def test_a_classmethod_query_per_item_through_a_swappable_model_is_reported(
    tmp_path: Path,
) -> None:
    body = (
        "        for item in items:\n"
        "            node = Node.get_from_address(item['id'], self)\n"
        "            node.label = item['label']\n"
    )
    assert _topology(tmp_path, body) == {("net/topology.py", 11)}


def test_a_classmethod_that_runs_no_query_is_not_reported(tmp_path: Path) -> None:
    body = "        for item in items:\n            item['kind'] = Node.describe()\n"
    assert _topology(tmp_path, body) == set()


def test_a_classmethod_defined_by_two_classes_is_not_guessed(tmp_path: Path) -> None:
    twin = _MODELS.replace("class AbstractNode", "class AbstractLink")
    files = {
        "net/__init__.py": "",
        "net/node.py": _MODELS,
        "net/link.py": twin,
        "net/topology.py": "def receive(items, topology, Node):\n"
        "    for item in items:\n"
        "        Node.get_from_address(item, topology)\n",
    }
    assert web_findings(tmp_path, files, "n-plus-one-query") == set()


_UTILS = """
def content_to_download_info(content, base_path):
    artifact = content.contentartifact_set.exclude(path__endswith=".metadata").first()
    return {"url": f"{base_path}/{artifact.relative_path}", "sha256": content.sha256}


def content_to_name_info(content):
    return {"name": content.name, "version": content.version}


def content_to_releases(contents, base_path):
    releases = {}
    for content in contents:
        releases.setdefault(content.version, []).append(
            content_to_download_info(content, base_path)
        )
    return releases


def content_to_names(contents):
    return [content_to_name_info(content) for content in contents]


def first_artifacts(packages):
    return [p.contentartifact_set.first() for p in packages]
"""


def test_a_converter_that_queries_per_row_is_reported(tmp_path: Path) -> None:
    found = web_findings(tmp_path, {"pypi/utils.py": _UTILS}, "n-plus-one-query")
    assert ("pypi/utils.py", 14) in found


def test_a_converter_that_reads_only_the_row_is_not_reported(tmp_path: Path) -> None:
    found = web_findings(tmp_path, {"pypi/utils.py": _UTILS}, "n-plus-one-query")
    assert not {line for path, line in found if line >= 19}


_REPAIR = """
def repair(groups, pending_ids):
    for name, group in groups:
        pending = set(group)
        for url in urls_of(pending):
            try:
                data = fetch_release(name, url)
            except Exception:
                continue
            for package in data:
                save(package)
                pending.remove(package)
        pending_ids.update(p.pk for p in pending)
"""


def test_a_failed_pass_whose_items_are_recorded_after_the_loop_is_not_swallowed(
    tmp_path: Path,
) -> None:
    found = web_findings(tmp_path, {"tasks/repair.py": _REPAIR}, "swallowed-exception")
    assert found == set()


def test_a_failed_pass_whose_leftovers_nobody_reads_is_swallowed(tmp_path: Path) -> None:
    code = _REPAIR.replace("        pending_ids.update(p.pk for p in pending)\n", "")
    found = web_findings(tmp_path, {"tasks/repair.py": code}, "swallowed-exception")
    assert found == {("tasks/repair.py", 7)}


_PAGES = """
import json


async def remote_page(package, remote):
    downloader = remote.get_downloader(url=f"simple/{package}/")
    d = await downloader.run()
    return parse_page(package, open(d.path, "rb").read())
"""
_SYNC = """
from pypi.utils import remote_page


async def sync_project(pkg, remote):
    return await remote_page(pkg.name, remote)
"""
_VIEW = """
from fastapi import FastAPI
from pypi.utils import remote_page

app = FastAPI()


@app.get("/pages/{package}")
async def page(package: str):
    return await remote_page(package, REMOTE)
"""


def test_a_downloaded_page_read_back_in_a_sync_task_pipeline_does_not_block(
    tmp_path: Path,
) -> None:
    files = {"pypi/utils.py": _PAGES, "pypi/tasks/sync.py": _SYNC}
    assert web_findings(tmp_path, files, "blocking-io-in-async") == set()


def test_a_downloaded_page_read_back_for_a_request_blocks(tmp_path: Path) -> None:
    files = {"pypi/utils.py": _PAGES, "pypi/tasks/sync.py": _SYNC, "pypi/views.py": _VIEW}
    assert web_findings(tmp_path, files, "blocking-io-in-async") == {("pypi/utils.py", 7)}


def test_a_file_of_any_origin_read_in_a_sync_task_pipeline_blocks(tmp_path: Path) -> None:
    code = _PAGES.replace("d.path", "remote.cache_path")
    files = {"pypi/utils.py": code, "pypi/tasks/sync.py": _SYNC}
    assert web_findings(tmp_path, files, "blocking-io-in-async") == {("pypi/utils.py", 7)}


def test_a_classmethod_called_on_a_class_by_its_own_name_is_left_alone(tmp_path: Path) -> None:
    files = {
        "net/__init__.py": "",
        "net/node.py": _MODELS,
        "net/sync.py": "from net.node import AbstractNode\n\n\n"
        "def receive(items, topology):\n"
        "    for item in items:\n"
        "        AbstractNode.get_from_address(item, topology)\n",
    }
    assert web_findings(tmp_path, files, "n-plus-one-query") == set()
