"""Web review round 36: a query one call below the function a loop calls is no N+1 when the
function holding it caches its rows across calls (django-cache-memoize's `cache_memoize`, as
openwisp-monitoring's metric lookup); the same loop through an uncached lookup stays reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_MODELS = """
from django.db import models
from cache_memoize import cache_memoize


class AbstractMetric(models.Model):
    name = models.CharField(max_length=64)

    class Meta:
        abstract = True

    @classmethod
    def get_or_create_metric(cls, **kwargs):
        try:
            return cls._get_metric(**kwargs), False
        except cls.DoesNotExist:
            return cls.objects.create(**kwargs), True

    @classmethod
    @cache_memoize(86400)
    def _get_metric(cls, **kwargs):
        return cls.objects.get(**kwargs)
"""

_WRITER = """
def write_device_metrics(device, interfaces):
    Metric = load_model("monitoring", "Metric")
    for interface in interfaces:
        metric, _ = Metric.get_or_create_metric(name=interface["name"], object_id=device.pk)
        metric.write(interface["rx_bytes"])
"""


def _findings(tmp_path: Path, models: str) -> set[tuple[str, int]]:
    files = {
        "monitoring/__init__.py": "",
        "monitoring/models.py": models,
        "monitoring/writer.py": _WRITER,
    }
    return web_findings(tmp_path, files, "n-plus-one-query")


def test_a_lookup_per_item_through_an_uncached_helper_is_reported(tmp_path: Path) -> None:
    uncached = _MODELS.replace("    @cache_memoize(86400)\n", "")
    assert _findings(tmp_path, uncached) == {("monitoring/writer.py", 4)}


def test_a_lookup_per_item_that_a_memoized_helper_serves_is_not_reported(tmp_path: Path) -> None:
    assert _findings(tmp_path, _MODELS) == set()


def test_a_decorator_that_only_ends_in_memo_words_of_another_kind_keeps_the_finding(
    tmp_path: Path,
) -> None:
    logged = _MODELS.replace("@cache_memoize(86400)", "@log_calls").replace(
        "from cache_memoize import cache_memoize", "from audit import log_calls"
    )
    assert _findings(tmp_path, logged) == {("monitoring/writer.py", 4)}
