"""Web review round 31: fewer false alarms on real apps (an N+1 in a command that prompts its
operator at the keyboard, a memo of what a module loads from the files it ships), each with a
small app that must stay silent and one that must still be reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

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
    found = [
        web_findings(
            tmp_path / str(i),
            {
                "models.py": "from django.db import models\n",
                "management/commands/testnet.py": _COMMAND.format(reset=reset, repair=repair),
            },
            "n-plus-one-query",
        )
        for i, (reset, repair) in enumerate(prompts)
    ]
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
    found = [
        web_findings(
            tmp_path / str(i), {"defs.py": _DEFINITIONS.format(load=load)}, "unbounded-cache"
        )
        for i, load in enumerate(loads)
    ]
    assert found == [
        set(),  # one entry per definition the package ships
        {("defs.py", 5)},  # read three calls away from the store: not followed
        {("defs.py", 5)},
        {("defs.py", 5)},  # read by a function of another module
    ]
