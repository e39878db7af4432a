"""Web review round 38: a write in a loop to the one row a key fixed outside the loop picks is
no N+1 (backend.ai-manager's PUT of a task template updates `where id == template_id` once per
entry of the payload), while a write or read keyed by what the loop walks stays reported; a
cache whose key is checked against a settings mapping before the store holds one entry per
configured key (django-payments' `PROVIDER_CACHE`), so unbounded-cache stays quiet on it; a
dogpile.cache memory region with no expiry memoizing a function of a user is an unbounded cache
(module-build-service's LDAP group membership per uid)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_TEMPLATES = """
import json

import sqlalchemy as sa
from aiohttp import web

from .models import memos, reasons, session_templates, vfolder_permissions


async def put(request):
    template_id = request.match_info["template_id"]
    async with request.app["db"].begin() as conn:
        query = sa.select([session_templates.c.id]).where(session_templates.c.id == template_id)
        if not await conn.scalar(query):
            raise web.HTTPNotFound()
        body = json.loads(await request.text())
        for st in body:
            query = (
                sa.update(session_templates)
                .values({"name": st["name"], "template": st["template"]})
                .where(session_templates.c.id == template_id)
            )
            result = await conn.execute(query)
    return web.json_response({"success": True})


async def share(request):
    params = await request.json()
    vfolder_id = request.match_info["vfolder_id"]
    async with request.app["db"].begin() as conn:
        query = sa.select([vfolder_permissions.c.user]).where(
            vfolder_permissions.c.vfolder == vfolder_id
        )
        users = [row.user for row in await conn.execute(query)]
        for user in users:
            query = (
                sa.update(vfolder_permissions)
                .values(permission=params["permission"])
                .where(vfolder_permissions.c.vfolder == vfolder_id)
                .where(vfolder_permissions.c.user == user)
            )
            await conn.execute(query)
    return web.json_response({"shared": len(users)})


async def decline(request):
    params = await request.json()
    async with request.app["db"].begin() as conn:
        for memo in params["memos"]:
            query = sa.select([reasons.c.text]).where(reasons.c.id == params["reason"])
            reason = await conn.scalar(query)
            await conn.execute(sa.delete(memos).where(memos.c.id == memo["id"]))
    return web.json_response({"reason": reason})
"""

_N1 = "n-plus-one-query"


def test_a_write_per_pass_to_one_fixed_row_is_no_n_plus_one(tmp_path: Path) -> None:
    found = web_findings(tmp_path, {"manager/api/templates.py": _TEMPLATES}, _N1)
    assert ("manager/api/templates.py", 22) not in found


def test_a_write_keyed_by_the_item_of_the_pass_is_still_reported(tmp_path: Path) -> None:
    found = web_findings(tmp_path, {"manager/api/templates.py": _TEMPLATES}, _N1)
    assert ("manager/api/templates.py", 41) in found


def test_a_read_of_one_fixed_row_per_pass_is_still_reported(tmp_path: Path) -> None:
    """Reading the same row on every pass is a lookup to hoist out of the loop."""
    found = web_findings(tmp_path, {"manager/api/templates.py": _TEMPLATES}, _N1)
    assert ("manager/api/templates.py", 50) in found


_PROVIDERS = """
from django.conf import settings
from django.utils.module_loading import import_string

PROVIDER_CACHE = {}
CLIENT_CACHE = {}


def provider_factory(variant):
    variants = getattr(settings, "PAYMENT_VARIANTS", {})
    handler, config = variants.get(variant, (None, None))
    if not handler:
        raise ValueError(f"Payment variant does not exist: {variant}")
    if variant not in PROVIDER_CACHE:
        PROVIDER_CACHE[variant] = import_string(handler)(**config)
    return PROVIDER_CACHE[variant]


def client_for(variant):
    variants = getattr(settings, "PAYMENT_VARIANTS", {})
    handler, config = variants.get(variant, (None, None))
    if variant not in CLIENT_CACHE:
        CLIENT_CACHE[variant] = import_string(handler or "payments.Dummy")(**(config or {}))
    return CLIENT_CACHE[variant]
"""


def test_a_cache_keyed_by_a_variant_the_settings_must_name_is_bounded(tmp_path: Path) -> None:
    found = web_findings(tmp_path, {"payments/core.py": _PROVIDERS}, "unbounded-cache")
    assert ("payments/core.py", 4) not in found


def test_a_key_looked_up_in_the_settings_but_stored_when_missing_still_grows(
    tmp_path: Path,
) -> None:
    """Without the raise, any variant a caller passes gets an entry."""
    found = web_findings(tmp_path, {"payments/core.py": _PROVIDERS}, "unbounded-cache")
    assert ("payments/core.py", 5) in found


_AUTH = """
from dogpile.cache import make_region

region = make_region().configure("dogpile.cache.memory")
timed = make_region().configure("dogpile.cache.memory", expiration_time=300)


@region.cache_on_arguments()
def get_ldap_group_membership(uid):
    return Ldap().get_user_membership(uid)


@region.cache_on_arguments()
def get_module_defaults(stream):
    return load_defaults(stream)


@timed.cache_on_arguments()
def get_user_groups(username):
    return Ldap().get_user_membership(username)


@region.cache_on_arguments(expiration_time=60)
def get_user_roles(user_id):
    return Ldap().get_roles(user_id)
"""


def test_a_per_user_memo_in_a_memory_region_that_never_expires_is_reported(
    tmp_path: Path,
) -> None:
    found = web_findings(tmp_path, {"mbs/web/auth.py": _AUTH}, "unbounded-cache")
    assert ("mbs/web/auth.py", 7) in found


def test_a_memory_region_memo_with_an_expiry_or_not_per_user_is_not(tmp_path: Path) -> None:
    """An expiry on the region or on the decorator, or a key that is no user, is left alone."""
    found = web_findings(tmp_path, {"mbs/web/auth.py": _AUTH}, "unbounded-cache")
    assert found == {("mbs/web/auth.py", 7)}
