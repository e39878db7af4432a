"""Web round 64 (issue 13): fresh49's n-plus-one-query false alarms on waldur-mastermind's
Rancher plugin. `update_nodes`, a Celery task, matches the nodes Rancher lists to stored ones and
then asks Rancher for each node's details; `SyncUser.update_users_roles`, run by a daily sync,
looks up a user's link and deletes the role in Rancher once per change. Each pass of the job makes
a remote HTTP call that costs far more than the indexed query beside it, and no request waits on
the job (`remote_passes.py`). An N+1 in a view, or in a task that calls nothing remote, stays."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_MODELS = """
from django.db import models


class Cluster(models.Model):
    name = models.CharField(max_length=100)


class Node(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    backend_id = models.CharField(max_length=100)
"""

_BACKEND = """
import requests


class RancherBackend:
    def __init__(self, url):
        self.url = url

    def cluster_nodes(self, cluster_id):
        return requests.get(f"{self.url}/clusters/{cluster_id}/nodes", timeout=10).json()

    def update_node_details(self, node):
        return requests.get(f"{self.url}/nodes/{node.backend_id}", timeout=10).json()
"""

# the task's loop: a query per listed node, then (in the loop or after it) a remote call per node
_TASKS = """
from celery import shared_task

from .backend import RancherBackend
from .models import Cluster, Node


@shared_task
def update_nodes(cluster_id):
    cluster = Cluster.objects.get(id=cluster_id)
    backend = RancherBackend("https://rancher.example.com")
    for backend_node in backend.cluster_nodes(cluster_id):
        node = Node.objects.get(cluster=cluster, name=backend_node["name"])
        node.backend_id = backend_node["id"]
        node.save()
        {in_loop}
    {after}
"""

_AFTER_LOOP = """for node in Node.objects.filter(cluster=cluster):
        backend.update_node_details(node)"""

_SYNC = """
from .backend import RancherBackend
from .models import Node


class SyncNodes:
    @staticmethod
    def update_names(changes):
        backend = RancherBackend("https://rancher.example.com")
        for node_id, name in changes:
            node = Node.objects.get(id=node_id)
            node.name = name
            node.save()
            {remote}
"""

_VIEWS = """
from django.http import JsonResponse

from .backend import RancherBackend
from .models import Cluster, Node


def sync_nodes(request, cluster_id):
    backend = RancherBackend("https://rancher.example.com")
    out = []
    for backend_node in backend.cluster_nodes(cluster_id):
        node = Node.objects.get(cluster_id=cluster_id, name=backend_node["name"])
        out.append({"name": node.name, "details": backend.update_node_details(node)})
    return JsonResponse({"nodes": out})
"""

_URLS = """
from django.urls import path

from . import views

urlpatterns = [path("clusters/<int:cluster_id>/nodes/", views.sync_nodes)]
"""


def _found(folder: Path, **modules: str) -> set[tuple[str, int]]:
    files = {"__init__.py": "", "models.py": _MODELS, "backend.py": _BACKEND}
    files |= {f"{name}.py": text for name, text in modules.items()}
    return web_findings(folder, files, "n-plus-one-query")


def test_a_celery_task_calling_the_remote_api_per_item_is_no_n_plus_one(tmp_path: Path) -> None:
    after = _TASKS.format(in_loop="", after=_AFTER_LOOP)
    assert _found(tmp_path / "after", tasks=after) == set()
    inside = _TASKS.format(in_loop="backend.update_node_details(node)", after="")
    assert _found(tmp_path / "inside", tasks=inside) == set()


def test_a_sync_method_calling_the_remote_api_per_change_is_no_n_plus_one(
    tmp_path: Path,
) -> None:
    sync = _SYNC.format(remote="backend.update_node_details(node)")
    assert _found(tmp_path / "sync", utils=sync) == set()


def test_a_task_calling_nothing_remote_per_item_is_reported(tmp_path: Path) -> None:
    quiet = _TASKS.format(in_loop="", after="")
    assert _found(tmp_path / "task", tasks=quiet) == {("tasks.py", 12)}
    local = _SYNC.format(remote="")
    assert _found(tmp_path / "sync", utils=local) == {("utils.py", 10)}


def test_the_same_loop_in_a_view_is_reported(tmp_path: Path) -> None:
    # a view that syncs and calls the remote API per item still makes its caller wait on N+1
    found = _found(tmp_path / "view", views=_VIEWS, urls=_URLS)
    assert found == {("views.py", 11)}
