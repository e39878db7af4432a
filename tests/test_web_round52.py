"""Web round 52 (issue 13): n-plus-one-query false alarms in a serializer's validation hook.
modoboa's `WritableAccountSerializer.validate` and galaxy-ng's `UserSerializer.
to_internal_value` look up each domain or group a payload names, one by one, to raise an error
naming the one that does not exist: a handful of values one client typed, on a write."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_MODELS = """
from django.db import models


class Domain(models.Model):
    name = models.CharField(max_length=100, unique=True)


class Account(models.Model):
    email = models.CharField(max_length=100)
    domains = models.ManyToManyField(Domain)
"""

_SERIALIZERS = """
from rest_framework import serializers

from .models import Account, Domain


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["email"]

    def {hook}(self, data):
        names = data.get("domains")
        if not names:
            return data
        domains = []
        for name in {source}:
            domain = Domain.objects.filter(name=name).first()
            {check}
            domains.append(domain)
        data["domains"] = domains
        return data
"""

_RAISES = """if domain is None:
                raise serializers.ValidationError({"domains": name})"""


def _found(folder: Path, *, hook: str, source: str = "names", check: str = _RAISES) -> set:
    files = {
        "models.py": _MODELS,
        "serializers.py": _SERIALIZERS.format(hook=hook, source=source, check=check),
    }
    return web_findings(folder, files, "n-plus-one-query")


def test_a_validation_hook_checking_each_named_value_is_no_n_plus_one(tmp_path: Path) -> None:
    assert _found(tmp_path / "validate", hook="validate") == set()
    assert _found(tmp_path / "internal", hook="to_internal_value") == set()
    assert _found(tmp_path / "field", hook="validate_domains") == set()


def test_the_same_loop_elsewhere_or_over_rows_or_raising_nothing_is_reported(
    tmp_path: Path,
) -> None:
    line = {("serializers.py", 17)}
    # create() writes with what it reads: not a check of one payload's names
    assert _found(tmp_path / "create", hook="create") == line
    # a loop over every stored domain grows with the table, whatever the hook
    assert _found(tmp_path / "rows", hook="validate", source="Domain.objects.all()") == line
    # no error per value: nothing says why the lookups are one by one
    assert _found(tmp_path / "silent", hook="validate", check="pass") == line


_RECORDS = """
from django.contrib.auth.models import Group
from django.db import models
from guardian.shortcuts import assign_perm
from rest_framework import serializers


class Record(models.Model):
    name = models.CharField(max_length=100)


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Record
        fields = "__all__"

    def create(self, validated_data):
        groups = validated_data.pop("groups", [])
        record = Record.objects.create(**validated_data)
        found = []
        for group in groups:
            group_instance = Group.objects.get(pk=group["id"])
            {each}
        return record
"""


def test_create_writing_a_permission_per_named_group_is_no_n_plus_one(tmp_path: Path) -> None:
    # tomtoolkit: a permission row written per group the payload names, with the group read
    grants = 'assign_perm("view_record", group_instance, record)'
    files = {"serializers.py": _RECORDS.format(each=grants)}
    assert web_findings(tmp_path / "grants", files, "n-plus-one-query") == set()
    # galaxy-ng's synclist: every named row looked up, no write per pass
    files = {"serializers.py": _RECORDS.format(each="found.append(group_instance)")}
    found = web_findings(tmp_path / "lookups", files, "n-plus-one-query")
    assert found == {("serializers.py", 21)}
