"""Web review round 31: fewer false alarms on real apps (an N+1 in a command that prompts its
operator at the keyboard, a memo of what a module loads from the files it ships), each with a
small app that must stay silent and one that must still be reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings


def _per_app(tmp_path: Path, apps: list[dict[str, str]], rule: str) -> list[set[tuple[str, int]]]:
    """The `rule` findings on each app of `apps` (relative path -> source), in order."""
    return [web_findings(tmp_path / str(i), files, rule) for i, files in enumerate(apps)]


_COMMAND = """
from django.core.management.base import BaseCommand
from models import Asset, Transaction


class Command(BaseCommand):
    def handle(self, *args, **options):
        self.reset()
        self.repair()

    def reset(self):
        for asset in Asset.objects.filter(seed__isnull=False):
            print(Transaction.objects.filter(account=asset.account).first())
        {reset}

    def repair(self):
        for asset in Asset.objects.all():
            print(Transaction.objects.filter(account=asset.account).count())
        {repair}
"""


def test_an_n_plus_one_in_a_function_that_prompts_its_operator_is_not_reported(
    tmp_path: Path,
) -> None:
    prompts = [
        ("seed = input('Seed: ')", "pass"),
        ("pass", "answer = input('Delete? [y/N] ')"),
        ("seed = self.input('Seed')", "pass"),
        ("pass", "pass"),
    ]
    apps = [
        {
            "models.py": "from django.db import models\n",
            "management/commands/testnet.py": _COMMAND.format(reset=reset, repair=repair),
        }
        for reset, repair in prompts
    ]
    found = _per_app(tmp_path, apps, "n-plus-one-query")
    command = "management/commands/testnet.py"
    assert found == [
        {(command, 17)},  # the prompting reset() is run by hand; repair() is still reported
        {(command, 12)},
        {(command, 12), (command, 17)},  # a method named input is no prompt
        {(command, 12), (command, 17)},
    ]


_DEFINITIONS = """
import os

_PACKAGEDIR = os.path.dirname(__file__)

cache = {{}}


def get(dbname):
    try:
        return cache[dbname]
    except KeyError:
        dbdef = _loaddef(dbname)
        return cache.setdefault(dbname, dbdef)


def _loaddef(dbname):
    defdir = os.path.join(_PACKAGEDIR, dbname)
    if not os.path.isdir(defdir):
        raise ValueError(defdir + ": database not defined")
    return {{version: _loadversion(defdir, version) for version in os.listdir(defdir)}}


def _loadversion(defdir, version):
    {load}
"""


def test_a_memo_of_what_a_helper_of_its_module_reads_from_files_is_bounded(
    tmp_path: Path,
) -> None:
    loads = [
        "with open(os.path.join(defdir, version)) as f:\n        return f.read()",
        "return _read(os.path.join(defdir, version))\n\n\ndef _read(path):\n"
        "    with open(path) as f:\n        return f.read()",
        "return {'defdir': defdir, 'version': version}",
        "return read_definition(defdir, version)",
    ]
    apps = [{"defs.py": _DEFINITIONS.format(load=load)} for load in loads]
    found = _per_app(tmp_path, apps, "unbounded-cache")
    assert found == [
        set(),  # one entry per definition the package ships
        {("defs.py", 5)},  # read three calls away from the store: not followed
        {("defs.py", 5)},
        {("defs.py", 5)},  # read by a function of another module
    ]


_ROUTER = """
from fastapi import APIRouter
from sqlalchemy import select

from orm import Webhook, get_entry, session

router = APIRouter()


@router.get("{route}", response_model=list[dict])
async def list_webhooks(path: str):
    entry = await get_entry(path)
    async with session() as db:
        result = await db.execute(select(Webhook).where({where}))
        return [row.to_dict() for row in result.scalars().all()]
"""


def test_a_list_at_the_path_of_its_parent_selected_by_the_parents_key_is_bounded(
    tmp_path: Path,
) -> None:
    cases = [
        ("/webhooks/target/{path:path}", "Webhook.node_id == entry.node.id"),
        ("/webhooks/target/{path:path}", "Webhook.url.contains(path)"),
        ("/webhooks/", "Webhook.node_id == entry.node.id"),
        ("/events/target/{path:path}", "Webhook.node_id == entry.node.id"),
    ]
    apps = [{"webhooks.py": _ROUTER.format(route=route, where=where)} for route, where in cases]
    found = _per_app(tmp_path, apps, "list-not-paginated")
    assert found == [
        set(),  # the few webhooks registered on one node
        {("webhooks.py", 10)},  # a search by the path: as long as the table
        {("webhooks.py", 10)},
        {("webhooks.py", 10)},  # events pile up with use, whoever they belong to
    ]
