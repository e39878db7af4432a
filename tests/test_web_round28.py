"""Web review round 28: kinds of false alarm that recurred on real apps, and a kind of failure
the review missed, each with a small app that must be reported and one that must stay silent."""

from __future__ import annotations

import doctest
from pathlib import Path

from helpers import web_findings

from team.audit import deltas, few_passes

_REBUILD = """
def rebuild(db, storage):
    listed = set(storage.list())
    cached = set(db.query(Package).all())
    gone = {walked}
    for pkg in gone:
        db.query(Package).filter(Package.name == pkg.name).delete()
"""

_INVENTORY = """
def _update_inventory(session, provider, to_update):
    for rc_id in to_update:
        session.execute(usage_query(provider, rc_id)).first()


def set_inventory(session, provider, wanted):
    existing = set(session.execute(classes_query(provider)).scalars())
    to_update = {passed}
    _update_inventory(session, provider, to_update)


def update_one(session, provider, rc_id):
    _update_inventory(session, provider, set([rc_id]))
"""

_SCOPES = """
class Backend:
    def get_scopes_by_match(self, {params}):
        scopes = []
        for match in {walked}:
            row = self._fetchone("SELECT scopes FROM perms WHERE match=%s", (match,))
            scopes.extend(row.scopes)
        return scopes
"""


def _n_plus_one(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "n-plus-one-query")


def test_a_loop_over_what_two_sets_differ_by_is_not_an_n_plus_one(tmp_path: Path) -> None:
    found = {
        walked: _n_plus_one(tmp_path / str(i), {"cache.py": _REBUILD.format(walked=walked)})
        for i, walked in enumerate(
            [
                "cached - listed",
                "[p for p in (cached - listed) if p.old]",
                "cached.difference(listed)",
                "cached",
                "[p for p in cached if p.old]",
            ]
        )
    }
    assert found == {
        "cached - listed": set(),
        "[p for p in (cached - listed) if p.old]": set(),
        "cached.difference(listed)": set(),
        "cached": {("cache.py", 6)},
        "[p for p in cached if p.old]": {("cache.py", 6)},
    }


def test_a_helper_every_caller_hands_a_delta_walks_the_changes(tmp_path: Path) -> None:
    changed = _n_plus_one(
        tmp_path / "changed",
        {"inventory.py": _INVENTORY.format(passed="set(wanted) & existing")},
    )
    everything = _n_plus_one(
        tmp_path / "everything", {"inventory.py": _INVENTORY.format(passed="existing")}
    )
    assert (changed, everything) == (set(), {("inventory.py", 3)})


def test_a_loop_over_the_memberships_handed_in_with_one_login_is_not_an_n_plus_one(
    tmp_path: Path,
) -> None:
    cases = {
        "login, matches / [login] + matches": ("login, matches", "[login] + matches"),
        "login, matches / matches": ("login, matches", "matches"),
        "login / self.all_matches()": ("login", "self.all_matches()"),
        "user, matches / matches": ("user, matches", "matches"),
    }
    found = {
        case: _n_plus_one(
            tmp_path / str(i),
            {"backend.py": _SCOPES.format(params=params, walked=walked)},
        )
        for i, (case, (params, walked)) in enumerate(cases.items())
    }
    assert found == {
        "login, matches / [login] + matches": set(),
        "login, matches / matches": set(),
        "login / self.all_matches()": {("backend.py", 5)},
        "user, matches / matches": {("backend.py", 5)},
    }


def test_few_passes_examples_run() -> None:
    assert doctest.testmod(few_passes).failed == 0


def test_deltas_examples_run() -> None:
    assert doctest.testmod(deltas).failed == 0


_STUDENTS = """
class StudentList:
    def post(self, course, data):
        try:
            {call}
        except:
            pass
"""


def test_a_registration_of_a_user_swallowed_is_a_hidden_failure(tmp_path: Path) -> None:
    calls = [
        "self.user_manager.course_register_user(course, data['username'])",
        "self.user_manager.course_unregister_user(course, data['username'])",
        "self.mailing.subscribe_user(data['email'])",
        "atexit.register(course.close)",
        "self.hooks.register_plugin(data['name'])",
    ]
    found = {
        call: web_findings(
            tmp_path / str(i), {"students.py": _STUDENTS.format(call=call)}, "swallowed-exception"
        )
        for i, call in enumerate(calls)
    }
    assert found == {
        calls[0]: {("students.py", 5)},
        calls[1]: {("students.py", 5)},
        calls[2]: {("students.py", 5)},
        calls[3]: set(),
        calls[4]: set(),
    }


_CHANNEL = """
def update_packages(db, channel, repodata):
    for {target} in repodata["{key}"]:
        known = db.query(Package.name).filter(Package.channel_id == channel.id).all()
        insert_new(db, repodata["{key}"][{target}], known)
"""


def test_a_loop_over_the_architectures_of_a_package_index_is_not_an_n_plus_one(
    tmp_path: Path,
) -> None:
    cases = [("architecture", "architectures"), ("subdir", "subdirs"), ("user", "users")]
    found = {
        target: _n_plus_one(tmp_path / target, {"orm.py": _CHANNEL.format(target=target, key=key)})
        for target, key in cases
    }
    assert found == {"architecture": set(), "subdir": set(), "user": {("orm.py", 3)}}


_IMPORT = """
def import_domain_admin(user, account, {row}):
    for name in {walked}:
        domain = Domain.objects.get(name=name.strip())
        account.grant(domain)
"""


def test_a_loop_over_the_cells_of_one_imported_row_is_not_an_n_plus_one(tmp_path: Path) -> None:
    cases = {"row[2:]": "row", "rows[1:]": "rows", "row": "row"}
    found = {
        walked: _n_plus_one(
            tmp_path / str(i), {"handlers.py": _IMPORT.format(row=row, walked=walked)}
        )
        for i, (walked, row) in enumerate(cases.items())
    }
    assert found == {
        "row[2:]": set(),
        "rows[1:]": {("handlers.py", 3)},
        "row": {("handlers.py", 3)},
    }
