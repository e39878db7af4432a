"""Web round 49 (issue 13): fresh44's no-benchmarks false alarms. A load test shipped as a
stress-test command (argus' `stresstest`), a module whose routes only redirect (Alliance Auth's
Discord module), a sidecar whose routes are probes, triggers and switches (OPAL client)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_INCIDENTS = """
from django.urls import path

from . import views

urlpatterns = [
    path("incidents/", views.incident_list),
    path("incidents/<int:pk>/", views.incident_detail),
]
"""

_INCIDENT_VIEWS = """
from django.http import JsonResponse

from .models import Incident


def incident_list(request):
    return JsonResponse([i.pk for i in Incident.objects.all()], safe=False)


def incident_detail(request, pk):
    return JsonResponse({"pk": Incident.objects.get(pk=pk).pk})
"""

_STRESSTEST = """
from httpx import Client
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Stresstests incident creation API"

    def handle(self, *args, **options):
        with Client() as client:
            client.post(options["url"] + "/api/v2/incidents/", json={})
"""

_PROFILE = """
import cProfile

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    def handle(self, *args, **options):
        cProfile.run("import_components()")
"""


def _no_benchmarks(root: Path) -> bool:
    return any(f.rule == "no-benchmarks" for f in audit_path(root, roles=["performance_engineer"]))


def test_a_stress_test_command_of_the_project_is_a_load_test(tmp_path: Path) -> None:
    """argus: the reviewed folder `src/argus/incident` sits three levels below the project,
    whose `dev/management/commands/stresstest.py` drives the API over httpx. A benchmark
    command that only profiles in-process (weblate's) measures no request."""
    for project, command in (("stress", _STRESSTEST), ("profile", _PROFILE)):
        write_app(
            tmp_path / project,
            {
                "pyproject.toml": "[project]\nname = 'argus'\n",
                "docker-compose.yml": "services: {}\n",  # argus-server's
                "src/argus/incident/__init__.py": "",
                "src/argus/incident/urls.py": _INCIDENTS,
                "src/argus/incident/views.py": _INCIDENT_VIEWS,
                "src/argus/dev/management/commands/stresstest.py"
                if project == "stress"
                else "src/argus/dev/management/commands/benchmark.py": command,
            },
        )
    stress, profile = (
        _no_benchmarks(tmp_path / p / "src" / "argus" / "incident") for p in ("stress", "profile")
    )
    assert (stress, profile) == (False, True)


_DISCORD_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("add_bot/", views.discord_add_bot),
    path("link/", views.link_discord),
    path("unlink/", views.unlink_discord),
]
"""

_DISCORD_VIEWS = """
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .models import DiscordUser


@login_required
def discord_add_bot(request):
    return redirect(DiscordUser.objects.generate_bot_add_url())


@login_required
def link_discord(request):
    DiscordUser.objects.add_user(request.user, request.GET["code"])
    return redirect("services:services")


@login_required
def unlink_discord(request):
    if not DiscordUser.objects.filter(user=request.user).delete():
        return redirect("discord:add_bot")
    return redirect("services:services")
"""

_MEMBERS_VIEW = """

@login_required
def members(request):
    return render(request, "members.html", {"members": DiscordUser.objects.all()})
"""


def test_routes_that_only_redirect_have_no_latency_to_measure(tmp_path: Path) -> None:
    """Alliance Auth's Discord module: add the bot, link and unlink each end in a redirect.
    A route that renders a page of members is something a user waits on."""
    site = {"wsgi.py": "application = None\n"}  # a site that deploys the module
    redirects = {"urls.py": _DISCORD_URLS, "views.py": _DISCORD_VIEWS, **site}
    write_app(tmp_path / "redirects", redirects)
    page_urls = _DISCORD_URLS.replace("]\n", '    path("members/", views.members),\n]\n')
    page_views = "from django.shortcuts import render\n" + _DISCORD_VIEWS + _MEMBERS_VIEW
    write_app(tmp_path / "page", {"urls.py": page_urls, "views.py": page_views, **site})
    assert (_no_benchmarks(tmp_path / "redirects"), _no_benchmarks(tmp_path / "page")) == (
        False,
        True,
    )


_SIDECAR = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/healthcheck")
async def healthy():
    return {"status": "ok"}


@app.get("/ready")
async def ready():
    return {"status": "ok"}


@app.post("/policy-updater/trigger")
async def trigger_policy_update():
    await updater.trigger_update()
    return {"status": "ok"}


@app.post("/data-updater/trigger")
async def trigger_data_update():
    await data_updater.get_base_policy_data()
    return {"status": "ok"}


@app.get("/callbacks")
async def list_callbacks():
    return list(register.all())
"""

_ITEMS = """

@app.get("/items")
async def list_items():
    return await db.fetch_all("SELECT * FROM items")


@app.get("/items/{item_id}")
async def get_item(item_id: int):
    return await db.fetch_one("SELECT * FROM items WHERE id = :id", {"id": item_id})


@app.post("/items")
async def create_item(item: dict):
    return await db.execute("INSERT INTO items VALUES (:name)", item)
"""


def test_a_sidecars_probes_triggers_and_switches_are_a_control_plane(tmp_path: Path) -> None:
    """OPAL client: health and readiness probes and update triggers, plus a callbacks list.
    The same probes and triggers beside an items API (three more routes) are a minority: the
    items are what users wait on."""
    write_app(tmp_path / "sidecar", {"client.py": _SIDECAR})
    write_app(tmp_path / "service", {"client.py": _SIDECAR + _ITEMS})
    assert (_no_benchmarks(tmp_path / "sidecar"), _no_benchmarks(tmp_path / "service")) == (
        False,
        True,
    )


_MODELS = """
from django.contrib.auth.models import User
from django.db import models


class Incident(models.Model):
    description = models.TextField()

    @property
    def acked(self):
        return self.events.filter(type="ACK").exists()

    @property
    def event_count(self):
        return self.events.count()


class Event(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(to=User, on_delete=models.PROTECT)
    type = models.TextField()
"""

_SERIALIZERS = """
from rest_framework import serializers

from .models import Event, Incident


class UsernameSerializer(serializers.ModelSerializer):
    class Meta:
        fields = ["pk", "username"]


class EventSerializer(serializers.ModelSerializer):
    actor = UsernameSerializer(required=False)

    class Meta:
        model = Event
        fields = ["pk", "actor", "type"]


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["pk", "description"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["acked"] = instance.acked
        return data


class IncidentCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["pk"]

    def to_representation(self, instance):
        return {"pk": instance.pk, "events": instance.event_count}
"""

_VIEWS = """
from rest_framework import mixins, viewsets

from .models import Event, Incident
from .serializers import EventSerializer, IncidentCountSerializer, IncidentSerializer


class EventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = EventSerializer

    def get_queryset(self):
        return Event.objects.all(){events}


class BaseIncidentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Incident.objects.all()

    def get_serializer_class(self):
        if self.request.method in {{"PUT", "PATCH"}}:
            return IncidentPureSerializer
        return IncidentSerializer


class IncidentViewSet(BaseIncidentViewSet):
    def get_queryset(self):
        return Incident.objects.prefetch_related("events")


class IncidentCountViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Incident.objects.prefetch_related("events")
    serializer_class = IncidentCountSerializer
"""


def test_a_list_views_serializer_nests_a_relation_or_reads_a_querying_property(
    tmp_path: Path,
) -> None:
    """argus: `EventSerializer` nests `actor` (a ForeignKey) and the events view lists
    `Event.objects.all()`: one user query per event (not with `select_related("actor")`).
    `IncidentSerializer.to_representation` reads `instance.acked`, which filters the row's
    events: a query per incident, which the base view's plain queryset does not prevent and
    the subclass' `prefetch_related("events")` cannot (`.filter()` queries again). A property
    that counts the prefetched events answers from the cache."""
    files = {"models.py": _MODELS, "serializers.py": _SERIALIZERS}
    plain = web_findings(
        tmp_path / "plain", {**files, "views.py": _VIEWS.format(events="")}, "n-plus-one-query"
    )
    joined = _VIEWS.format(events='.select_related("actor")')
    loaded = web_findings(tmp_path / "loaded", {**files, "views.py": joined}, "n-plus-one-query")
    assert plain == {("serializers.py", 12), ("serializers.py", 26)}
    assert loaded == {("serializers.py", 26)}
