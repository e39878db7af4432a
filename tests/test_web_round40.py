"""Web review round 40: http-no-timeout stays quiet in a chore script run by hand (fschat's
thirteen-line `dataset_release_scripts/.../approve_all.py`, module-level code with no function of
its own); a service module's call stays reported. n-plus-one-query stays quiet on a loop over the
elements of one XML message parsed from a string handed in (django-cas-server's single-logout
request); a downloaded feed or a tree handed in stays reported. A Django REST framework
serializer's method field that queries its row under a list view is an N+1 (doccano's
ExampleSerializer.get_is_confirmed under ExampleList); prefetched or under a detail view it is
not. swallowed-exception reads the `except` line's own comment as the reason it gives (langbot's
`# pragma: no cover - identity resolution is best effort`), a checker's directive alone as none."""

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


_SLO_CLIENT = """
from lxml import etree


class SingleLogoutMixin:
    @classmethod
    def get_saml_slos(cls, logout_request):
        try:
            root = etree.fromstring(logout_request)
            return root.xpath("//samlp:SessionIndex")
        except etree.XMLSyntaxError:
            pass
"""
_SLO_VIEWS = """
from .cas import SingleLogoutMixin
from .models import FederateSLO


class Federate:
    client = SingleLogoutMixin()

    def clean_sessions(self, logout_request):
        try:
            slos = self.client.get_saml_slos(logout_request) or []
        except NameError:
            slos = []
        for slo in slos:
            for federate_slo in FederateSLO.objects.filter(ticket=slo.text):
                print(federate_slo.username)
"""
_FEED = """
import requests
from xml.etree import ElementTree

from .models import Item


def feed_items(url):
    root = ElementTree.fromstring(requests.get(url, timeout=5).content)
    for entry in root.iter("item"):
        yield Item.objects.filter(guid=entry.findtext("guid")).first()


def render_links(doc):
    for link in doc.iter("a"):
        Item.objects.filter(url=link.get("href")).exists()
"""


def test_a_loop_over_the_elements_of_one_parsed_message_is_no_n_plus_one(tmp_path: Path) -> None:
    """django-cas-server: a single-logout request names one ticket; the query per SessionIndex
    element runs once per request, through a helper in another module or directly."""
    files = {"cas/cas.py": _SLO_CLIENT, "cas/federate.py": _SLO_VIEWS}
    assert web_findings(tmp_path, files, "n-plus-one-query") == set()


def test_a_message_parsed_in_the_function_itself_is_one_message(tmp_path: Path) -> None:
    direct = """
    from xml.etree import ElementTree

    from .models import Ticket


    def logout(body):
        for slo in ElementTree.fromstring(body).iter("Ticket"):
            print(Ticket.objects.get(value=slo.text).user)
    """
    assert web_findings(tmp_path, {"cas/logout.py": direct}, "n-plus-one-query") == set()


def test_a_downloaded_feed_or_a_tree_handed_in_stays_an_n_plus_one(tmp_path: Path) -> None:
    """A feed the code fetches, or a rendered article's tree, holds any number of elements."""
    assert web_findings(tmp_path, {"app/feeds.py": _FEED}, "n-plus-one-query") == {
        ("app/feeds.py", 10),
        ("app/feeds.py", 15),
    }


_EXAMPLE_SERIALIZERS = """
from rest_framework import serializers

from .models import Comment, Example


class ExampleSerializer(serializers.ModelSerializer):
    is_confirmed = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()
    approver = serializers.SerializerMethodField()

    def get_is_confirmed(self, instance):
        return instance.states.filter(confirmed_by_id=1).count() > 0

    def get_comments(self, instance):
        return Comment.objects.filter(example=instance).count()

    def get_approver(self, instance):
        return instance.annotations_approved_by_id

    class Meta:
        model = Example
        fields = ["id", "is_confirmed", "comments", "approver"]
"""
_EXAMPLE_VIEWS = """
from rest_framework import generics

from .models import Example
from .serializers import ExampleSerializer


class ExampleList(generics.ListCreateAPIView):
    serializer_class = ExampleSerializer

    def get_queryset(self):
        return Example.objects.filter(project=self.kwargs["project_id"]){prefetch}
"""


def test_a_method_field_that_queries_its_row_under_a_list_view_is_an_n_plus_one(
    tmp_path: Path,
) -> None:
    """doccano's ExampleSerializer.get_is_confirmed reads `instance.states` per example the
    example list returns."""
    files = {
        "examples/serializers.py": _EXAMPLE_SERIALIZERS,
        "examples/views.py": _EXAMPLE_VIEWS.format(prefetch=""),
    }
    assert web_findings(tmp_path, files, "n-plus-one-query") == {("examples/serializers.py", 12)}
    only = _EXAMPLE_SERIALIZERS.replace("instance.states.filter(confirmed_by_id=1).count()", "1")
    files["examples/serializers.py"] = only
    assert web_findings(tmp_path / "objects", files, "n-plus-one-query") == {
        ("examples/serializers.py", 15)
    }


def test_a_prefetched_relation_or_a_detail_view_is_no_n_plus_one(tmp_path: Path) -> None:
    """The view loads the relation with the rows, or serializes one row."""
    prefetched = {
        "examples/serializers.py": _EXAMPLE_SERIALIZERS.replace(
            "Comment.objects.filter(example=instance).count()", "0"
        ),
        "examples/views.py": _EXAMPLE_VIEWS.format(prefetch='.prefetch_related("states")'),
    }
    assert web_findings(tmp_path / "prefetched", prefetched, "n-plus-one-query") == set()
    detail = {
        "examples/serializers.py": _EXAMPLE_SERIALIZERS,
        "examples/views.py": _EXAMPLE_VIEWS.format(prefetch="").replace(
            "ListCreateAPIView", "RetrieveUpdateAPIView"
        ),
    }
    assert web_findings(tmp_path / "detail", detail, "n-plus-one-query") == set()


_AUDIT = """
import logging

from .models import Trace


async def record_operation(service, request, kwargs):
    resource_id = None
    try:
        body = await request.get_json(silent=True)
        identity = service.resolve_resource_identity(kwargs, body)
        if identity:
            resource_id = identity
    except Exception:  {comment}
        pass
    Trace.objects.create(resource=resource_id)
"""


def test_a_swallow_whose_except_line_says_why_is_a_decision(tmp_path: Path) -> None:
    """langbot's audit record: `# pragma: no cover - identity resolution is best effort`."""
    files = {"ops.py": _AUDIT.format(comment="# pragma: no cover - resolution is best effort")}
    assert web_findings(tmp_path, files, "swallowed-exception") == set()


def test_a_checkers_directive_alone_gives_no_reason(tmp_path: Path) -> None:
    for i, comment in enumerate(["# pylint: disable=broad-except", "# pragma: no cover", ""]):
        files = {"ops.py": _AUDIT.format(comment=comment)}
        assert web_findings(tmp_path / str(i), files, "swallowed-exception") == {("ops.py", 13)}


def test_a_name_bound_to_itself_ends_the_search(tmp_path: Path) -> None:
    """`slos = slos or []` names itself: the review ends and the loop stays reported."""
    code = """
    from .models import Ticket


    def clean(slos):
        slos = slos or []
        for slo in slos:
            print(Ticket.objects.get(value=slo.text).user)
    """
    assert web_findings(tmp_path, {"cas/clean.py": code}, "n-plus-one-query") == {
        ("cas/clean.py", 7)
    }
