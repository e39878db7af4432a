"""The Performance Engineer's rules on small repositories written for each case: every change
that keeps a real finding out has a case that still reports and one that no longer does."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path


def _review(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int, str]]:
    found = audit_path(write_app(tmp_path, files), roles=["performance_engineer"])
    return {(f.path, f.line, f.rule) for f in found if f.rule != "no-benchmarks"}


def test_a_query_per_item_is_n_plus_one_but_a_fixed_count_retry_is_not(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "jobs.py": """
            import asyncio

            MAX_ATTEMPTS = 5


            async def owners(session, jobs):
                for job in jobs:
                    await session.execute(select(User).where(User.id == job.owner_id))


            async def lock_fleets(session, ids):
                for attempt in range(MAX_ATTEMPTS):
                    res = await session.execute(select(Fleet).where(Fleet.id.in_(ids)))
                    if len(res.all()) == len(ids):
                        break
                    await asyncio.sleep(1)
                for _ in range(10):
                    await session.execute(select(Volume).where(Volume.id.in_(ids)))
            """
        },
    )
    assert found == {("jobs.py", 8, "n-plus-one-query")}


def test_a_read_per_item_is_n_plus_one_but_a_write_per_item_is_the_work(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "metrics.py": """
            async def store(session, jobs, table):
                for job in jobs:
                    await session.execute(update(Metrics).where(Metrics.job_id == job.id))
                    await session.execute(delete(Job).where(Job.parent_id == job.id))
                for job in jobs:
                    await session.execute(table.insert().values(job_id=job.id))


            async def totals(session, jobs):
                for job in jobs:
                    await session.execute(select(Metrics).where(Metrics.job_id == job.id))
            """
        },
    )
    assert found == {("metrics.py", 11, "n-plus-one-query")}


def test_a_write_statement_built_before_it_runs_is_the_work_but_a_built_select_is_a_read(
    tmp_path: Path,
) -> None:
    """openstack-placement builds `ins_stmt = _ALLOC_TBL.insert().values(...)` and runs
    `session.execute(ins_stmt)` once per allocation it writes: the write itself. The same
    loop building a SELECT and running it reads a row per allocation."""
    code = """
    def create_allocations(ctx, allocs):
        for alloc in allocs:
            stmt = _ALLOC_TBL.{statement}
            res = ctx.session.execute(stmt)
            alloc.id = res.lastrowid
    """
    insert = code.replace("{statement}", "insert().values(consumer_id=alloc.consumer_id)")
    select = code.replace("{statement}", "select().where(_ALLOC_TBL.c.id == alloc.id)")
    assert _review(tmp_path / "insert", {"allocation.py": insert}) == set()
    assert _review(tmp_path / "select", {"allocation.py": select}) == {
        ("allocation.py", 4, "n-plus-one-query")
    }


def test_sql_text_or_a_member_statement_that_writes_is_the_work_but_one_that_reads_is_a_read(
    tmp_path: Path,
) -> None:
    """tendenci's conversion command runs `cursor.execute(update_sql, ...)` per registration,
    `update_sql` an UPDATE tidied in place; monasca-api runs `conn.execute(self.insert_query,
    ...)` per sub-expression, the attribute bound to `insert(sad).values(...)` in `__init__`:
    writes, the work itself. The twins bind a SELECT instead and read a row per item."""
    text = """
    def convert(cursor, registrations):
        for registration in registrations:
            sql = "{statement} events_registration WHERE id = %s"
            sql = sql.replace("\\n", " ")
            cursor.execute(sql, [registration.pk])
    """
    member = """
    class Repository:
        def __init__(self):
            self.sad_query = {statement}

        def create(self, conn, sub_exprs):
            for sub_expr in sub_exprs:
                query = self.sad_query
                conn.execute(query, b_id=sub_expr.id)
    """
    update = text.replace("{statement}", "UPDATE")
    select = text.replace("{statement}", "SELECT * FROM")
    assert _review(tmp_path / "update", {"convert.py": update}) == set()
    assert _review(tmp_path / "select", {"convert.py": select}) == {
        ("convert.py", 5, "n-plus-one-query")
    }
    insert = member.replace("{statement}", "insert(sad).values(id=bindparam('b_id'))")
    read = member.replace("{statement}", "select([sad.c.id]).where(sad.c.id == bindparam('b_id'))")
    assert _review(tmp_path / "insert", {"repo.py": insert}) == set()
    assert _review(tmp_path / "read", {"repo.py": read}) == {("repo.py", 8, "n-plus-one-query")}


def test_a_query_per_group_of_ids_is_batched_but_a_query_per_id_is_n_plus_one(
    tmp_path: Path,
) -> None:
    """pyramid-oereb groups the legend ids by law status and fetches each status's ids with one
    IN (...): as many queries as statuses (at most three). Fetching each id of the group
    instead is one query per row."""
    code = """
    def legend_entries(session, geometries):
        ids_by_status = {}
        for geometry in geometries:
            ids_by_status.setdefault(geometry.law_status, set()).add(geometry.legend_id)
        out = []
        for status in ids_by_status:
            for legend_id in {inner}:
                out.append(session.query(Legend).filter(Legend.id.in_({ids})).all())
        return out
    """
    batched = code.replace("{inner}", "[status]").replace("{ids}", "list(ids_by_status[status])")
    per_id = code.replace("{inner}", "ids_by_status[status]").replace("{ids}", "[legend_id]")
    assert _review(tmp_path / "batched", {"plr.py": batched}) == set()
    assert _review(tmp_path / "per_id", {"plr.py": per_id}) == {("plr.py", 8, "n-plus-one-query")}


def test_a_lookup_per_key_of_a_configuration_table_is_no_n_plus_one(tmp_path: Path) -> None:
    """aodh sets a project's quotas one resource kind at a time: a quota table holds one row
    per kind the service defines. The same loop over alarms reads a row per alarm, and a loop
    over the users a query returned reads one quota row per user."""
    code = """
    def set_limits(session, project_id, items):
        for item in items:
            row = session.query(models.{model}).filter_by(project_id=project_id, name=item["name"]).first()
            if not row:
                session.add(models.{model}(project_id=project_id, name=item["name"]))
    """
    assert _review(tmp_path / "quota", {"quotas.py": code.replace("{model}", "Quota")}) == set()
    assert _review(tmp_path / "alarm", {"quotas.py": code.replace("{model}", "Alarm")}) == {
        ("quotas.py", 3, "n-plus-one-query")
    }
    per_user = """
    def limits(session):
        users = session.query(models.User).all()
        for user in users:
            session.query(models.Quota).filter_by(user_id=user.id).first()
    """
    assert _review(tmp_path / "per_user", {"limits.py": per_user}) == {
        ("limits.py", 4, "n-plus-one-query")
    }


def test_a_lookup_per_key_of_a_key_value_settings_store_is_no_n_plus_one(tmp_path: Path) -> None:
    """conda-store saves the admin settings form one key at a time into its KeyValueStore
    table: one row per setting the schema defines. The same loop reading an Environment row
    per key reads a row per thing users make."""
    code = """
    def set_values(db, prefix, values):
        for key, value in values.items():
            record = db.query(orm.{model}).filter(orm.{model}.prefix == prefix, orm.{model}.key == key).first()
            if record is None:
                db.add(orm.{model}(prefix=prefix, key=key, value=value))
    """
    store = code.replace("{model}", "KeyValueStore")
    environments = code.replace("{model}", "Environment")
    assert _review(tmp_path / "store", {"api.py": store}) == set()
    assert _review(tmp_path / "environments", {"api.py": environments}) == {
        ("api.py", 3, "n-plus-one-query")
    }


def test_a_search_that_stops_at_the_first_stored_key_is_no_n_plus_one(tmp_path: Path) -> None:
    """bodhi's `Release.from_tags` tries a build's few Koji tags and returns the first
    release stored under one; postorius tries a user's addresses until one is a Django email.
    Collecting a row per tag, returning at the first tag with none (every pass queries while
    all are stored), or searching a query's rows (pulpcore's publications, newest first, a
    history that grows) is a query per item."""
    code = """
    def release_of(session, tags):
        out = []
        for tag in tags:
            release = session.query(Release).filter_by(name=tag).first()
            {exit}
        return out


    def django_email(addresses):
        for addr in addresses:
            try:
                email = EmailAddress.objects.get(email=addr.email)
            except EmailAddress.DoesNotExist:
                continue
            else:
                {stop}
    """

    def review(name: str, exit: str, stop: str) -> set:
        text = code.replace("{exit}", exit).replace("{stop}", stop)
        return _review(tmp_path / name, {"models.py": text})

    first_hit = "if release:\n                return release"
    assert review("first", first_hit, "break") == set()
    assert review("all", "out.append(release)", "print(email)") == {
        ("models.py", 4, "n-plus-one-query"),
        ("models.py", 12, "n-plus-one-query"),
    }
    first_miss = "if not release:\n                return None"
    assert review("miss", first_miss, "break") == {("models.py", 4, "n-plus-one-query")}
    history = """
    def fallback(distribution, path):
        recent = Published.objects.filter(distribution=distribution).order_by("-created")
        for published in recent.iterator():
            found = Artifact.objects.filter(publication=published, path=path).first()
            if found is not None:
                return found
    """
    assert _review(tmp_path / "history", {"publication.py": history}) == {
        ("publication.py", 4, "n-plus-one-query")
    }


def test_a_memo_dict_is_reported_only_when_it_grows_per_value_its_callers_pass(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "memo.py": """
            import asyncio
            import json

            _rates_cache = {}
            _plugin_cache = {}
            _app_cache = {}
            _lock_cache = {}
            _tree_cache = {}
            _apps_cache = {}


            def rate(currency):
                _rates_cache[currency] = fetch_rate(currency)
                return _rates_cache[currency]


            def register(PluginClass):
                _plugin_cache[PluginClass] = PluginClass()


            def create_app(settings, debug):
                key = (settings.hash_key(), debug)
                _app_cache[key] = build(settings)
                return _app_cache[key]


            def project_lock(project_id):
                return _lock_cache.setdefault(project_id, asyncio.Lock())


            def tree(name):
                with open(f"trees/{name}.json") as f:
                    _tree_cache[name] = json.load(f)
                return _tree_cache[name]


            def load_apps(registry):
                for app in registry.apps():
                    _apps_cache[app.name] = app
            """
        },
    )
    assert found == {("memo.py", 4, "unbounded-cache")}


def test_a_memo_keyed_by_a_choice_written_in_the_code_does_not_grow(tmp_path: Path) -> None:
    """pyramid-oereb keeps one processor per `'re_only' if real_estate_only else 'full'`: two
    entries ever; the same memo keyed by the caller's string grows with every value."""
    code = """
    _processor_cache = {}


    def create_processor(real_estate_only=False, region: str = ""):
        cache_key = {key}
        if cache_key not in _processor_cache:
            _processor_cache[cache_key] = build(real_estate_only, region)
        return _processor_cache[cache_key]
    """
    fixed = code.replace("{key}", "'re_only' if real_estate_only else 'full'")
    by_region = code.replace("{key}", "(region, real_estate_only)")
    assert _review(tmp_path / "fixed", {"processor.py": fixed}) == set()
    assert _review(tmp_path / "region", {"processor.py": by_region}) == {
        ("processor.py", 1, "unbounded-cache")
    }


def test_blocking_io_is_not_reported_where_only_profiling_or_debugging_runs(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "app.py": """
            from fastapi import FastAPI

            from settings import PROFILING_ENABLED

            app = FastAPI()


            @app.post("/profile/avatar")
            async def update_profile(data: bytes):
                with open("avatar.png", "wb") as f:
                    f.write(data)


            if PROFILING_ENABLED:

                @app.middleware("http")
                async def profile_request(request, call_next):
                    response = await call_next(request)
                    with open("profiling_results.html", "w") as f:
                        f.write("done")
                    return response


            class DebugToolbar:
                async def __call__(self, scope, receive, send):
                    with open("toolbar.log", "a") as f:
                        f.write("request")
            """
        },
    )
    assert found == {("app.py", 10, "blocking-io-in-async")}


def test_a_memo_that_a_function_rebinds_to_an_empty_dict_is_not_unbounded(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "devices.py": """
            _ctrls_cache = {}
            _modes_cache = {}


            def list_devices():
                global _ctrls_cache
                _ctrls_cache = {}
                return probe_all()


            def list_ctrls(device):
                if device not in _ctrls_cache:
                    _ctrls_cache[device] = probe(device)
                return _ctrls_cache[device]


            def list_modes(device):
                if device not in _modes_cache:
                    _modes_cache[device] = probe_modes(device)
                return _modes_cache[device]
            """
        },
    )
    assert found == {("devices.py", 2, "unbounded-cache")}


def test_blocking_io_while_the_service_comes_up_is_not_on_a_request_path(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "bot.py": """
            from aiohttp import web


            class Connector:
                async def connect(self):
                    with open(self.key_file) as f:
                        self.key = f.read()

                async def handle(self, request):
                    with open(self.log_file) as f:
                        return web.Response(text=f.read())
            """
        },
    )
    assert found == {("bot.py", 10, "blocking-io-in-async")}


def test_a_timeout_inside_the_spread_arguments_and_a_non_blocking_waitpid_are_fine(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "checks.py": """
            import os

            import requests


            def reachable(url):
                params = {"method": "HEAD", "url": url, "timeout": 3.0}
                with requests.request(**params) as response:
                    return response.ok


            def fetch(url):
                params = {"method": "GET", "url": url}
                return requests.request(**params).text


            async def reap(signum, frame):
                pid, code = os.waitpid(-1, os.WNOHANG)
                return pid


            async def wait_for(pid):
                return os.waitpid(pid, 0)
            """
        },
    )
    assert found == {
        ("checks.py", 14, "http-no-timeout"),
        ("checks.py", 23, "blocking-io-in-async"),
    }


def test_blocking_io_in_a_command_line_tools_async_code_stalls_nobody(tmp_path: Path) -> None:
    code = """
    import aiohttp


    async def upload(server, path):
        with open(path, "rb") as f:
            data = f.read()
        async with aiohttp.ClientSession() as session:
            await session.post(server, data=data)
    """
    found = _review(
        tmp_path,
        {"tool/cli/upload.py": code, "tool/scripts/pack.py": code, "tool/api/upload.py": code},
    )
    assert found == {("tool/api/upload.py", 5, "blocking-io-in-async")}


def test_reading_a_placeholder_image_of_the_app_does_not_block_but_reading_data_does(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "app.py": """
            from os.path import join

            from tornado import web

            STATIC = "static"


            class Preview(web.RequestHandler):
                async def get(self):
                    content = open(join(STATIC, "img", "no-preview.svg"), "rb").read()
                    self.write(content)


            class Export(web.RequestHandler):
                async def get(self, name):
                    content = open(join(STATIC, "exports", name), "rb").read()
                    self.write(content)
            """
        },
    )
    assert found == {("app.py", 16, "blocking-io-in-async")}


def test_reading_a_page_template_the_package_ships_does_not_block_but_a_jobs_log_does(
    tmp_path: Path,
) -> None:
    """skypilot's `GET /token` reads `Path(__file__).parent / "html" / "token_page.html"`, a
    few kilobytes of its own installation, like a static file; the same read of a file under
    a job's folder (a log that grows while the job runs) is still reported, and so is a
    template of the package opened to write."""
    code = """
    from pathlib import Path

    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/token")
    async def token(job_dir: str):
        html_dir = {folder} / "html"
        page_path = html_dir / "token_page.html"
        with open(page_path, "{mode}", encoding="utf-8") as f:
            {use}
        return page
    """

    def review(name: str, folder: str, mode: str = "r") -> set:
        use = "page = f.read()" if mode == "r" else "page = f.write('')"
        text = code.replace("{folder}", folder).replace("{mode}", mode).replace("{use}", use)
        return _review(tmp_path / name, {"server.py": text})

    assert review("packaged", "Path(__file__).parent") == set()
    assert review("job", "Path(job_dir)") == {("server.py", 12, "blocking-io-in-async")}
    assert review("written", "Path(__file__).parent", "w") == {
        ("server.py", 12, "blocking-io-in-async")
    }


def test_a_side_file_of_a_few_bytes_does_not_block_but_the_image_beside_it_does(
    tmp_path: Path,
) -> None:
    """thumbor's file storage keeps an image's security key in `f"{stem}.txt"` beside the
    image: writing the key with one call (to a temporary name moved into place), or reading
    it back whole, costs a few bytes; the
    image itself (the same code on the path with no side suffix), or a side file written in
    a loop, is still reported."""
    code = """
    class FileStorage:
        async def put_key(self, path):
            key_path = f"{splitext(path)[0]}{suffix}"
            temp_path = f"{key_path}.{uuid4().hex}"
            with open(temp_path, "wb") as f:
                {write}
            move(temp_path, key_path)

        async def get_key(self, path):
            with open(f"{splitext(path)[0]}{suffix}", "r", encoding="utf-8") as f:
                return f.read()
    """

    def review(name: str, suffix: str, write: str = "f.write(self.security_key)") -> set:
        text = code.replace("{suffix}", suffix).replace("{write}", write)
        return _review(tmp_path / name, {"storage.py": text})

    assert review("key", ".txt") == set()
    assert review("image", "") == {
        ("storage.py", 5, "blocking-io-in-async"),
        ("storage.py", 10, "blocking-io-in-async"),
    }
    chunks = "for chunk in self.chunks:\n                    f.write(chunk)"
    assert review("chunks", ".txt", chunks) == {("storage.py", 5, "blocking-io-in-async")}


def test_a_list_endpoint_serializing_each_row_with_a_querying_serializer_is_n_plus_one(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "models.py": """
            class Workout(db.Model):
                def serialize(self):
                    prefs = Preference.query.filter_by(sport_id=self.sport_id).first()
                    return {"id": self.id, "unit": prefs.unit}


            class Sport(db.Model):
                def serialize(self):
                    return {"id": self.id, "label": self.label}
            """,
            "views.py": """
            from flask import Flask

            from models import Sport, Workout

            app = Flask(__name__)


            @app.route("/workouts")
            def list_workouts():
                workouts = Workout.query.paginate(page=1, per_page=20).items
                return {"workouts": [workout.serialize() for workout in workouts]}


            @app.route("/sports")
            def list_sports():
                return {"sports": [sport.serialize() for sport in Sport.query.all()]}


            def export(workouts):
                return [workout.serialize() for workout in workouts]
            """,
        },
    )
    assert found == {("views.py", 11, "n-plus-one-query")}
    (serializer,) = [
        f for f in audit_path(tmp_path, roles=["performance_engineer"]) if f.line == 11
    ]
    assert "Workout.serialize() runs a query (Preference...first() at models.py:3)" in (
        serializer.message
    )


def test_a_helper_or_ed_into_a_query_being_built_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "roles.py": """
            from shop.models import Order, Permission


            def get_orders_for(user, perm):
                Permission.objects.get(codename=perm)
                return Order.objects.filter(owner=user)


            def orders_for_any(user, perms):
                qs = Order.objects.none()
                for perm in perms:
                    qs |= get_orders_for(user, perm)
                return qs


            def orders_per_user(users, perm):
                return [get_orders_for(user, perm) for user in users]
            """
        },
    )
    assert found == {("roles.py", 17, "n-plus-one-query")}


def test_a_one_by_one_fallback_in_an_except_block_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "purge.py": """
            from shop.models import Task


            def purge(pks):
                try:
                    Task.objects.filter(pk__in=pks).delete()
                except ProtectedError:
                    for pk in pks:
                        Task.objects.get(pk=pk).delete()


            def report(pks):
                return [Task.objects.get(pk=pk).state for pk in pks]
            """
        },
    )
    assert found == {("purge.py", 13, "n-plus-one-query")}


def test_install_time_or_start_up_code_runs_once_and_its_loops_are_no_n_plus_one(
    tmp_path: Path,
) -> None:
    loop = """
    def {name}(session, fixture):
        for key in fixture:
            session.execute(select(Tag).where(Tag.name == key))
    """
    found = _review(
        tmp_path,
        {
            "app/views.py": loop.format(name="settings_page"),
            "app/utils/populate.py": loop.format(name="settings_page"),
            "app/settings.py": loop.format(name="update_settings_from_fixture"),
            "app/hub.py": loop.format(name="init_role_assignment"),
            "app/server.py": loop.format(name="on_startup"),
            "app/forms.py": loop.format(name="__init__"),
        },
    )
    assert found == {
        ("app/views.py", 3, "n-plus-one-query"),
        ("app/forms.py", 3, "n-plus-one-query"),
    }


def test_starting_a_process_or_handing_over_a_file_does_not_block_the_event_loop(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "app.py": """
            import subprocess

            import aiohttp


            async def start_proxy(cmd):
                return subprocess.Popen(cmd)


            async def run_tool(cmd):
                return subprocess.run(cmd, check=True)


            async def upload(path):
                form = aiohttp.FormData()
                form.add_field("file", open(path, "rb"), filename="a.wav")
                return form


            async def read_all(path):
                return open(path, "rb").read()
            """
        },
    )
    assert found == {("app.py", 11, "blocking-io-in-async"), ("app.py", 21, "blocking-io-in-async")}


def test_a_loop_over_a_collection_written_in_the_code_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "roles.py": """
            KINDS = ("users", "groups")
            PENDING = []
            roles = ["admin"]  # a parameter of the same name below is the caller's list


            def sync_roles(db, roles, now, extra):
                kinds = ["users", "services"]
                for kind in kinds:
                    db.query(Role).filter(Role.kind == kind).all()
                cutoffs = {"day": now, "week": now}
                for period, cutoff in cutoffs.items():
                    db.query(User).filter(User.seen >= cutoff).count()
                for kind in KINDS:
                    db.query(Role).filter(Role.kind == kind).all()
                names = ["admin"]
                names.extend(extra)
                for name in names:
                    db.query(Role).filter(Role.name == name).first()
                for role in roles:
                    db.query(Grant).filter(Grant.role == role).first()


            def queue(name):
                PENDING.append(name)


            def flush(db):
                for name in PENDING:
                    db.query(Role).filter(Role.name == name).first()
            """
        },
    )
    assert found == {
        ("roles.py", 18, "n-plus-one-query"),
        ("roles.py", 20, "n-plus-one-query"),
        ("roles.py", 29, "n-plus-one-query"),
    }


def test_a_command_looping_over_the_names_it_was_given_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "app/management/commands/warm.py": """
            from django.core.management.base import BaseCommand


            class Command(BaseCommand):
                def handle(self, *args, **options):
                    for name in options["lists"]:
                        MailingList.objects.get(name=name)
                    days = options.get("days")
                    for day in days:
                        Exclusion.objects.filter(date=day).count()
                    queues = Queue.objects.filter(slug__in=options["queues"])
                    for queue in queues:
                        Permission.objects.get(codename=queue.slug)
            """
        },
    )
    assert found == {("app/management/commands/warm.py", 13, "n-plus-one-query")}


def test_a_command_line_tools_loop_is_no_n_plus_one_but_a_served_modules_is(
    tmp_path: Path,
) -> None:
    """argilla-server's `database users create` command looks up each workspace named on its
    command line: one operator's run, no request waits on it. The same loop in a module the
    API serves runs a query per item of every call."""
    code = """
    async def create(session, user_create):
        return [
            await session.scalar(select(Workspace).where(Workspace.name == w.name))
            for w in user_create.workspaces
        ]
    """
    found = _review(tmp_path, {"cli/database/users/create.py": code, "api/users.py": code})
    assert found == {("api/users.py", 3, "n-plus-one-query")}


def test_a_command_making_as_many_records_as_it_was_told_is_no_n_plus_one(tmp_path: Path) -> None:
    """tendenci's make_event_registrants makes `--limit` fake registrants, a lookup each: the
    operator picked the count. The twin loops to a count read from the database."""
    code = """
    class Command(BaseCommand):
        def handle(self, *args, **options):
            limit = {count}
            for n in range(limit):
                save_registration(payment_method=PaymentMethod.objects.get(pk=3))
    """
    told = code.replace("{count}", 'options["limit"]')
    stored = code.replace("{count}", "Registrant.objects.count()")
    path = "app/management/commands/make.py"
    assert _review(tmp_path / "told", {path: told}) == set()
    assert _review(tmp_path / "stored", {path: stored}) == {(path, 5, "n-plus-one-query")}


def test_a_loop_over_the_sessions_a_dependency_yields_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "hub.py": """
            def rows(dataset_id, records):
                for session in get_sync_db():
                    yield from session.query(Record).filter(Record.dataset_id == dataset_id)
                    for record in records:
                        session.query(Vector).filter(Vector.record_id == record.id).first()
            """
        },
    )
    assert found == {("hub.py", 5, "n-plus-one-query")}


def test_a_file_opened_only_to_hand_to_a_form_does_not_block_but_one_dumped_into_does(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "app.py": """
            import json

            import aiohttp


            async def upload(session, path):
                with open(path, "rb") as f:
                    form = aiohttp.FormData()
                    form.add_field("file", f, filename="a.py")
                    return await session.post("/upload", data=form)


            async def save_body(path, body):
                with open(path, "w") as f:
                    json.dump(body, f)
            """
        },
    )
    assert found == {("app.py", 14, "blocking-io-in-async")}


def test_a_query_on_a_session_each_pass_opens_for_itself_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "grid.py": """
            def stream(run_ids, db):
                for run_id in run_ids:
                    with create_session() as session:
                        yield session.execute(select(TaskInstance).where(TaskInstance.run == run_id))
                for run_id in run_ids:
                    with lock():
                        yield db.execute(select(DagRun).where(DagRun.run_id == run_id))
            """
        },
    )
    assert found == {("grid.py", 7, "n-plus-one-query")}


def test_a_requests_session_call_with_no_timeout_is_reported_unless_its_adapter_sets_one(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "plugins/issuer.py": """
            import requests
            from requests.adapters import HTTPAdapter


            class TimeoutAdapter(HTTPAdapter):
                def send(self, request, **kwargs):
                    kwargs.setdefault("timeout", 10)
                    return super().send(request, **kwargs)


            class Issuer:
                def __init__(self):
                    self.session = requests.Session()
                    self.session.mount("https://", HTTPAdapter(max_retries=3))

                def issue(self, url):
                    return self.session.post(url, json={})

                def status(self, url):
                    return self.session.get(url, timeout=(15, 40))


            class TimedIssuer:
                def __init__(self):
                    self.session = requests.Session()
                    adapter = TimeoutAdapter()
                    self.session.mount("https://", adapter)

                def issue(self, url):
                    return self.session.post(url, json={})
            """,
            "store.py": """
            from sqlalchemy.orm import Session


            def load(engine, model, pk):
                session = Session(engine)
                return session.get(model, pk)
            """,
        },
    )
    assert found == {("plugins/issuer.py", 17, "http-no-timeout")}


def test_a_session_call_spreading_a_dict_built_without_a_timeout_is_reported(
    tmp_path: Path,
) -> None:
    """aodh's webhook notifier builds `kwargs = {"data": ..., "headers": ...}` and posts with
    `session.post(url, **kwargs)`: nothing in it bounds the wait. A dict that gets a timeout,
    or a spread of what the caller passed, may carry one."""
    code = """
    import requests


    def notify(url, body, options):
        kwargs = {"data": body, "headers": {}}
        {extra}
        session = requests.Session()
        return session.post(url, **{spread})
    """

    def reported(name: str, extra: str, spread: str = "kwargs") -> bool:
        text = code.replace("{extra}", extra).replace("{spread}", spread)
        return ("rest.py", 8, "http-no-timeout") in _review(tmp_path / name, {"rest.py": text})

    assert reported("literal", "pass")
    assert not reported("timed", 'kwargs["timeout"] = 10')
    assert not reported("caller", "pass", spread="options")


def test_a_decorator_looping_over_the_names_it_was_given_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "scopes.py": """
            import functools


            def needs_scope(*scopes):
                def scope_decorator(func):
                    @functools.wraps(func)
                    def wrapper(self, *args, **kwargs):
                        for scope in scopes:
                            self.db.query(Grant).filter(Grant.scope == scope).first()
                        return func(self, *args, **kwargs)

                    return wrapper

                return scope_decorator


            def check_scopes(db, *scopes):
                for scope in scopes:
                    db.query(Grant).filter(Grant.scope == scope).first()
            """
        },
    )
    assert found == {("scopes.py", 19, "n-plus-one-query")}


def test_a_command_importing_records_from_an_api_or_a_file_is_no_n_plus_one(tmp_path: Path) -> None:
    sync = """
    import csv

    import requests


    def sync(url):
        result = requests.get(url, timeout=5).json()
        for data in result["results"]:
            muscles = [Muscle.objects.get(pk=i["id"]) for i in data["muscles"]]
            Exercise.objects.get(uuid=data["uuid"])


    def read(path):
        reader = csv.DictReader(open(path))
        for row in reader:
            for language in LANGUAGES_IN_USE:
                Exercise.objects.get(uuid=row[language])


    def clean():
        for base in ExerciseBase.objects.all():
            Exercise.objects.filter(exercise_base=base).first()
    """
    found = _review(
        tmp_path, {"app/management/commands/sync.py": sync, "app/services/sync.py": sync}
    )
    assert found == {
        ("app/management/commands/sync.py", 22, "n-plus-one-query"),
        ("app/services/sync.py", 9, "n-plus-one-query"),
        ("app/services/sync.py", 17, "n-plus-one-query"),
        ("app/services/sync.py", 22, "n-plus-one-query"),
    }


def test_a_loop_over_a_class_constant_written_in_the_code_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "prefs.py": """
            class Preferences:
                defaults = [("session-key", "x"), ("theme", "light")]
                users = load_users()

                def __init__(self, db):
                    for key, value in Preferences.defaults:
                        self.db.execute("SELECT value FROM preferences WHERE key=?", (key,))
                    for user in self.users:
                        self.db.execute("SELECT value FROM preferences WHERE key=?", (user,))
            """
        },
    )
    assert found == {("prefs.py", 9, "n-plus-one-query")}


def test_a_file_handed_to_an_awaited_coroutine_is_read_there_not_where_it_is_opened(
    tmp_path: Path,
) -> None:
    """gns3's project import: `with open(zip_path, "rb") as f:` then only
    `await import_project(controller, project_id, f)`, a coroutine function that reads the file
    itself. Handing it to a sync call wrapped for a thread is not taken as such."""
    found = _review(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/imports.py": """
            async def import_project(controller, project_id, stream):
                return await controller.load(project_id, stream)
            """,
            "app/handlers.py": """
            from app.imports import import_project


            async def import_upload(controller, project_id, path):
                with open(path, "rb") as f:
                    return await import_project(controller, project_id, f)


            async def save_upload(storage, path):
                with open(path, "rb") as f:
                    await sync_to_async(storage.save)(path, f)


            async def import_inline(controller, project_id, path):
                with open(path, "rb") as f:
                    data = f.read()
                    return await import_project(controller, project_id, data)
            """,
        },
    )
    assert found == {
        ("app/handlers.py", 10, "blocking-io-in-async"),
        ("app/handlers.py", 15, "blocking-io-in-async"),
    }


def test_a_lookup_per_query_string_value_is_not_n_plus_one_but_per_body_id_is(
    tmp_path: Path,
) -> None:
    found = _review(
        tmp_path,
        {
            "validators.py": """
            def validate_groups(request, **kwargs):
                groups = request.validated.get("groups") or []
                for name in groups:
                    request.db.query(Group).filter(Group.name == name).first()
                for tag in request.GET.getlist("tag"):
                    Tag.objects.filter(name=tag).first()
                update = request.validated["update"]
                for build in update.builds:
                    request.db.query(Build).filter(Build.package == build.package).all()


            def add_permissions(request):
                item = schema.load(request.json)
                for pk in item["permission_ids"]:
                    session.query(Permission).filter_by(id=pk).one_or_none()
            """
        },
    )
    assert found == {
        ("validators.py", 9, "n-plus-one-query"),
        ("validators.py", 15, "n-plus-one-query"),
    }


def test_a_query_for_the_one_key_a_loop_picks_is_not_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "releases.py": """
            def edit_release(db, release, data):
                for key, value in data.items():
                    if key == "state" and value == "archived":
                        db.query(Update).filter(Update.release_id == release.id).all()
                    setattr(release, key, value)
                for key, value in data.items():
                    if value:
                        db.query(Field).filter(Field.name == key).first()
            """
        },
    )
    assert found == {("releases.py", 8, "n-plus-one-query")}


def test_a_helper_handed_a_select_per_item_is_n_plus_one(tmp_path: Path) -> None:
    """sickchill's calendar runs `main_db_con.select("SELECT ... WHERE showid = ?", ...)` once
    per show; a log line that starts with the word select is no query."""
    found = _review(
        tmp_path,
        {
            "calendar.py": """
            def calendar(main_db_con, shows, log):
                for show in shows:
                    main_db_con.select("SELECT name FROM episodes WHERE showid = ?", [show])
                for show in shows:
                    log.info("select from the list: %s", show)
            """
        },
    )
    assert found == {("calendar.py", 3, "n-plus-one-query")}


def test_a_worker_pool_started_per_request_is_a_resource_per_request(tmp_path: Path) -> None:
    """pantalaimon decrypts each media download in a ProcessPoolExecutor made for it."""
    found = _review(
        tmp_path,
        {
            "app.py": """
            import concurrent.futures
            from fastapi import FastAPI

            app = FastAPI()
            POOL = concurrent.futures.ProcessPoolExecutor()


            @app.get("/v1/media/{media_id}")
            async def download(media_id: str, user=Depends(current_user)):
                with concurrent.futures.ProcessPoolExecutor() as pool:
                    return await run(pool, media_id)


            @app.get("/v1/thumbs/{media_id}")
            async def thumb(media_id: str, user=Depends(current_user)):
                return await run(POOL, media_id)
            """
        },
    )
    assert found == {("app.py", 10, "resource-loaded-per-request")}


def test_a_sleep_in_a_shutdown_hook_stalls_no_request(tmp_path: Path) -> None:
    """fractal-server's cleanup_after_shutdown waits for submitted jobs after the server
    stopped taking requests; the same sleep in a handler stalls every request."""
    body = """
    import time


    async def {name}(jobs):
        while jobs:
            time.sleep(1)
    """
    found = _review(
        tmp_path,
        {
            "app/shutdown.py": body.format(name="cleanup_after_shutdown"),
            "app/views.py": body.format(name="wait_for_jobs"),
        },
    )
    assert found == {("app/views.py", 6, "blocking-io-in-async")}


def test_a_synchronous_sdk_client_called_from_async_code_blocks_the_loop(tmp_path: Path) -> None:
    """chainlit's DynamoDB layer calls boto3 from its async methods; its S3 layer hands the
    same calls to a thread, and an async redis client is awaited."""
    found = _review(
        tmp_path,
        {
            "dynamo.py": """
            import boto3


            class Store:
                def __init__(self):
                    self.client = boto3.client("dynamodb")

                async def get_user(self, key):
                    return self.client.get_item(TableName="users", Key=key)

                async def put_user(self, item):
                    self.client.put_item(TableName="users", Item=item)
            """,
            "s3.py": """
            import asyncio
            import boto3


            class Files:
                def __init__(self):
                    self.client = boto3.client("s3")

                async def delete(self, key):
                    await asyncio.to_thread(self.client.delete_object, Bucket="b", Key=key)
                    await loop.run_in_executor(None, lambda: self.client.head_object(Key=key))
            """,
            "cache.py": """
            import redis

            cache = redis.Redis()


            async def hit(key):
                return await cache.get(key)
            """,
        },
    )
    assert found == {("dynamo.py", 9, "blocking-io-in-async")}


def test_a_synchronous_sqlalchemy_session_queried_in_async_code_blocks_the_loop(
    tmp_path: Path,
) -> None:
    """mcp-contextforge's async FastAPI handlers query the sync `Session` of `Depends(get_db)`
    and evidently's async storage opens `Session(engine)` and hands it to a query helper; the
    same functions as plain `def` run in FastAPI's threadpool or their caller's thread, and an
    AsyncSession is awaited. One finding per folder, at the first direct query."""
    code = """
    import asyncio

    from fastapi import APIRouter, Depends
    from sqlalchemy.orm import Session

    router = APIRouter()


    @router.get("/api/logs")
    {handler} list_logs(db: {session} = Depends(get_db)):
        return {wait}db.execute(select(Log).limit(50)).all()


    def links_of(session, snapshot_id):
        return session.scalars(select(Link).where(Link.snapshot_id == snapshot_id)).all()


    class Links:
        {storage} get_links(self, snapshot_id):
            with Session(self.engine) as session:
                return {helper}
    """

    def review(name: str, handler: str, storage: str, *, awaited: bool = False) -> set:
        fills = {
            "{handler}": handler,
            "{storage}": storage,
            "{session}": "AsyncSession" if awaited else "Session",
            "{wait}": "await " if awaited else "",
            "{helper}": "await asyncio.to_thread(links_of, session, snapshot_id)"
            if awaited
            else "links_of(session, snapshot_id)",
        }
        text = code
        for hole, value in fills.items():
            text = text.replace(hole, value)
        return _review(tmp_path / name, {"app/logs.py": text})

    assert review("both", "async def", "async def") == {("app/logs.py", 11, "blocking-io-in-async")}
    assert review("helper", "def", "async def") == {("app/logs.py", 21, "blocking-io-in-async")}
    assert review("threadpool", "def", "def") == set()
    assert review("awaited", "async def", "async def", awaited=True) == set()


MEMO = """
_cache = {}


def cache(func):
    def wrapper(*args):
        key = (func.__name__,) + args
        if key not in _cache:
            _cache[key] = func(*args)
        return _cache[key]

    return wrapper
"""


def test_a_memo_decorator_the_package_only_offers_is_not_its_unbounded_cache(
    tmp_path: Path,
) -> None:
    """chainlit's `cl.cache` is offered to app authors and never applied by the server; once
    the package decorates its own per-user function with it, the memo grows per user."""
    offered = _review(tmp_path / "offered", {"memo.py": MEMO, "__init__.py": ""})
    assert offered == set()
    used = _review(
        tmp_path / "used",
        {
            "memo.py": MEMO,
            "users.py": "from memo import cache\n\n\n@cache\ndef load(uid):\n    ...",
        },
    )
    assert used == {("memo.py", 1, "unbounded-cache")}


def test_a_query_per_token_a_pattern_finds_in_one_field_is_a_handful_not_n_plus_one(
    tmp_path: Path,
) -> None:
    """hyperkitty's tag view checks each tag `re.findall` finds in the one field the user
    typed; the twin walks the tags of every thread stored."""
    code = """
    def tags(request, thread):
        tagname = request.POST.get("tag")
        tagnames = [t.strip() for t in {source}]
        for tagname in tagnames:
            if not Tagging.objects.filter(tag__name=tagname).exists():
                Tag.objects.filter(name=tagname).delete()
    """
    typed = code.replace("{source}", 're.findall(r"[\\w -]+", tagname)')
    stored = code.replace("{source}", "Tag.objects.values_list('name', flat=True)")
    assert _review(tmp_path / "typed", {"thread.py": typed}) == set()
    assert _review(tmp_path / "stored", {"thread.py": stored}) == {
        ("thread.py", 5, "n-plus-one-query")
    }


def test_a_query_per_piece_of_one_split_string_is_a_handful_not_n_plus_one(
    tmp_path: Path,
) -> None:
    """calibre-web: one lookup per author typed into one book's `A & B` field, and per
    component of one folder path; a loop over a file's lines or over stored rows still counts."""
    found = _review(
        tmp_path,
        {
            "books.py": """
            def prepare_authors(field):
                names = field.split("&")
                names = list(map(lambda n: n.strip(), names))
                names = uniq(names)
                if names == [""]:
                    names = ["Unknown"]
                for name in names:
                    session.query(Author).filter(Author.name == name).first()
                return names


            def handle_authors(book, field):
                names = prepare_authors(field)
                for name in names:
                    session.query(Author).filter(Author.name == name).first()


            def folder_ids(path):
                for i, part in enumerate(path.split("/")):
                    session.query(Folder).filter(Folder.path == part).first()


            def import_lines(text):
                for line in text.split("\\n"):
                    session.query(Book).filter(Book.isbn == line).first()


            def stored(shelf):
                for entry in shelf.entries:
                    session.query(Book).filter(Book.id == entry.book_id).first()
            """
        },
    )
    assert found == {
        ("books.py", 25, "n-plus-one-query"),
        ("books.py", 30, "n-plus-one-query"),
    }


def test_a_thread_pool_that_fans_out_one_requests_calls_is_no_resource_per_request(
    tmp_path: Path,
) -> None:
    """calibre-web's metadata search asks five sites at once in a with-block thread pool."""
    found = _review(
        tmp_path,
        {
            "app.py": """
            import concurrent.futures
            from fastapi import FastAPI

            app = FastAPI()


            @app.get("/v1/search")
            def search(q: str, user=Depends(current_user)):
                with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
                    return list(pool.map(lambda site: site.search(q), SITES))


            @app.get("/v1/convert")
            def convert(q: str, user=Depends(current_user)):
                with concurrent.futures.ProcessPoolExecutor() as pool:
                    return pool.submit(render, q).result()
            """
        },
    )
    assert found == {("app.py", 15, "resource-loaded-per-request")}


def test_blocking_io_in_a_background_task_module_stalls_no_request_but_a_handler_there_does(
    tmp_path: Path,
) -> None:
    """pulp-container's sync stages read whole a small file the downloader just wrote, on the
    task's own loop in a worker: no request waits. An aiohttp handler kept in a tasks/ folder
    still serves, and an artifact streamed to storage (pulpcore's repair) may be large."""
    read = """
    async def read_manifest(result):
        with open(result.path) as f:
            return f.read()
    """
    handler = """
    from aiohttp import web


    async def status(request):
        with open(request.app["status_file"]) as f:
            return web.Response(text=f.read())


    app = web.Application()
    app.router.add_get("/status", status)
    """
    found = _review(
        tmp_path,
        {
            "app/tasks/sync_stages.py": read,
            "app/workers.py": read,
            "app/api/manifests.py": read,
            "app/tasks/status.py": handler,
            "app/tasks/repair.py": """
            from asgiref.sync import sync_to_async


            async def repair(artifact, result):
                with open(result.path, "rb") as src:
                    await sync_to_async(artifact.file.save)(artifact.name, src)
            """,
        },
    )
    assert found == {
        ("app/api/manifests.py", 2, "blocking-io-in-async"),
        ("app/tasks/status.py", 5, "blocking-io-in-async"),
        ("app/tasks/repair.py", 5, "blocking-io-in-async"),
    }


def test_a_loop_that_sleeps_each_pass_polls_and_is_no_n_plus_one(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        {
            "app/utils.py": """
            import time

            from app.models import Task, User


            def wait_for(task_id, seconds):
                for _ in range(seconds):
                    time.sleep(1)
                    task = Task.objects.get(pk=task_id)
                    if task.state == "completed":
                        return True
                return False


            def owners(ids):
                return [User.objects.get(pk=i) for i in ids]
            """
        },
    )
    assert found == {("app/utils.py", 16, "n-plus-one-query")}


_SERVICE = """
from flask import Flask

app = Flask(__name__)


@app.get("/v3/users")
def list_users():
    return []
"""


def _benchmark_rules(root: Path) -> list[str]:
    return [f.rule for f in audit_path(root, roles=["performance_engineer"])]


def test_a_load_testing_tools_config_counts_as_a_load_test(tmp_path: Path) -> None:
    (tmp_path / "bare").mkdir()
    (tmp_path / "bare" / "app.py").write_text(_SERVICE)
    rally = tmp_path / "rally" / "rally-jobs"
    rally.mkdir(parents=True)
    (rally / "keystone.yaml").write_text("KeystoneBasic.create_user: []\n")
    (tmp_path / "rally" / "app.py").write_text(_SERVICE)
    (tmp_path / "jmeter").mkdir()
    (tmp_path / "jmeter" / "app.py").write_text(_SERVICE)
    (tmp_path / "jmeter" / "plan.jmx").write_text("<jmeterTestPlan/>\n")
    assert "no-benchmarks" in _benchmark_rules(tmp_path / "bare")
    assert "no-benchmarks" not in _benchmark_rules(tmp_path / "rally")
    assert "no-benchmarks" not in _benchmark_rules(tmp_path / "jmeter")


def test_load_tests_beside_a_reviewed_package_of_the_project_count(tmp_path: Path) -> None:
    """Reviewing `keystone/api` of a project that ships `rally-jobs/` at its top."""
    for project, extra in (("with", "rally-jobs/keystone.yaml"), ("without", "docs/index.rst")):
        top = tmp_path / project
        (top / "keystone" / "api").mkdir(parents=True)
        (top / "keystone" / "api" / "users.py").write_text(_SERVICE)
        (top / "setup.cfg").write_text("[metadata]\nname = keystone\n")
        (top / extra).parent.mkdir(parents=True, exist_ok=True)
        (top / extra).write_text("x: 1\n")
    assert "no-benchmarks" not in _benchmark_rules(tmp_path / "with" / "keystone" / "api")
    assert "no-benchmarks" in _benchmark_rules(tmp_path / "without" / "keystone" / "api")


def test_a_lookup_that_fills_a_missing_value_kept_with_the_item_is_no_n_plus_one(
    tmp_path: Path,
) -> None:
    """galaxy's custom builds: the line count is looked up only for a build that lacks it and
    is stored back with the build, so each build is queried once ever."""
    found = _review(
        tmp_path,
        {
            "app/builds.py": """
            from app.models import Dataset


            def counts(session, builds):
                for build in builds.values():
                    if "count" not in build and "linecount" in build:
                        dataset = session.get(Dataset, build["linecount"])
                        build["count"] = dataset.lines
                return builds


            def sizes(session, builds):
                for build in builds.values():
                    if "count" not in build:
                        dataset = session.get(Dataset, build["linecount"])
                        build["size"] = dataset.size
                return builds
            """
        },
    )
    assert found == {("app/builds.py", 15, "n-plus-one-query")}


def test_a_loop_copying_a_file_per_item_is_file_work_not_n_plus_one(tmp_path: Path) -> None:
    """pulp-container's build context: one artifact fetched and copied out of storage per
    entry; the copy dominates. The same lookup with only a read beside it is still N+1."""
    found = _review(
        tmp_path,
        {
            "app/build.py": """
            import os
            import shutil

            from app.models import Artifact


            def stage(artifacts, context_path):
                for key, name in artifacts.items():
                    artifact = Artifact.objects.get(pk=key)
                    with open(os.path.join(context_path, name), "wb") as dest:
                        shutil.copyfileobj(artifact.file, dest)


            def sizes(artifacts):
                for key in artifacts:
                    artifact = Artifact.objects.get(pk=key)
                    print(artifact.size)
            """
        },
    )
    assert found == {("app/build.py", 16, "n-plus-one-query")}


def test_a_timeout_from_the_settings_or_in_a_tool_run_by_hand_is_no_finding(
    tmp_path: Path,
) -> None:
    """c2cgeoportal: the proxy spreads the operator's `http_options` (timeout: 300 in its
    config); a scaffold, an upgrade script and a `__main__` tool wait on no request."""
    call = "    return requests.get(url)\n"
    found = _review(
        tmp_path,
        {
            "views/proxy.py": """
            import requests


            def proxy(request, url):
                return requests.get(url, **request.registry.settings.get("http_options", {}))


            def fetch(url):
                return requests.get(url)
            """,
            "scaffolds/__init__.py": "import requests\n"
            "from pyramid.scaffolds.template import Template\n\n\n"
            "def bbox(url):\n" + call,
            "scripts/upgrade.py": "import requests\n\n\ndef check(url):\n" + call,
            "tools/dump.py": "import argparse\nimport requests\n\n\n"
            "def main():\n"
            "    parser = argparse.ArgumentParser()\n"
            "    requests.get(parser.parse_args().url)\n",
        },
    )
    assert found == {("views/proxy.py", 9, "http-no-timeout")}


def test_a_download_in_a_demo_folder_waits_on_no_request(tmp_path: Path) -> None:
    """evidently's demo project downloads its sample data once, when an operator creates the
    demo; the same download in the service's own projects module is on a request path."""
    code = "import requests\n\n\ndef create_data(url):\n    return requests.get(url).content\n"
    found = _review(
        tmp_path, {"service/demo_projects/bikes.py": code, "service/projects/bikes.py": code}
    )
    assert found == {("service/projects/bikes.py", 5, "http-no-timeout")}


def test_a_read_per_item_on_an_in_process_sqlite_file_is_no_n_plus_one_but_a_commit_is(
    tmp_path: Path,
) -> None:
    files = {
        "db.py": """
        from sqlalchemy import create_engine

        engine = create_engine("sqlite:///{0}".format("app.db"))
        """,
        "views.py": """
        def downloads(session, entries):
            return [session.query(Book).filter(Book.id == e.book_id).first() for e in entries]


        def archive(session, synced):
            for b in synced:
                session.query(Synced).filter(Synced.book_id == b.book_id).delete()
                session.commit()


        def reading_states(session, books):
            for book in books:
                state = get_or_create_state(session, book.id)


        def get_or_create_state(session, book_id):
            state = session.query(State).filter(State.book_id == book_id).first()
            session.commit()
            return state
        """,
    }
    assert _review(tmp_path, files) == {
        ("views.py", 7, "n-plus-one-query"),
        ("views.py", 13, "n-plus-one-query"),
    }


def test_a_read_per_item_on_a_server_database_is_n_plus_one(tmp_path: Path) -> None:
    files = {
        "db.py": """
        from sqlalchemy import create_engine

        engine = create_engine("postgresql://db/app")
        local = create_engine("sqlite:///cache.db")
        """,
        "views.py": """
        def downloads(session, entries):
            return [session.query(Book).filter(Book.id == e.book_id).first() for e in entries]
        """,
    }
    assert _review(tmp_path, files) == {("views.py", 2, "n-plus-one-query")}


def test_one_querying_helper_called_per_item_in_many_loops_is_one_finding(tmp_path: Path) -> None:
    """fractal-server checks task-group access with one helper per task in several routes: one
    fix (a batched helper) covers every loop, so one finding lists the others; a query written
    in a loop of its own stays a finding of its own."""
    files = {
        "routes/access.py": """
        def get_group(session, group_id):
            return session.execute(select(Group).where(Group.id == group_id))
        """,
        "routes/tasks.py": """
        from routes.access import get_group


        def read_tasks(session, tasks):
            for task in tasks:
                get_group(session, task.group_id)


        def import_tasks(session, tasks):
            for task in tasks:
                get_group(session, task.group_id)


        def owners(session, jobs):
            for job in jobs:
                session.execute(select(User).where(User.id == job.owner_id))
        """,
    }
    _review(tmp_path, files)
    found = audit_path(tmp_path, roles=["performance_engineer"])
    n_plus_one = [f for f in found if f.rule == "n-plus-one-query"]
    assert [(f.path, f.line) for f in n_plus_one] == [
        ("routes/tasks.py", 6),
        ("routes/tasks.py", 16),
    ]
    assert n_plus_one[0].message.endswith("The same cause is at 1 other place: routes/tasks.py:11.")
    assert "other place" not in n_plus_one[1].message


def test_a_loop_over_what_one_login_carries_is_no_n_plus_one(tmp_path: Path) -> None:
    """bodhi's create_or_update_user and an OIDC backend's update_user(claims) look up each
    group the identity carries, a handful once per login; a batch import of users is not one
    login, and its lookup per row stays a finding."""
    files = {
        "auth.py": """
        def create_or_update_user(db, username, groups):
            for name in groups:
                db.query(Group).filter_by(name=name).first()


        class Backend:
            def update_groups(self, user, claims):
                for name in claims["groups"]:
                    Group.objects.get(name__iexact=name)


        def create_users(db, rows):
            for row in rows:
                db.query(User).filter_by(email=row["email"]).first()
        """
    }
    assert _review(tmp_path, files) == {("auth.py", 14, "n-plus-one-query")}


def test_a_pass_querying_a_table_it_looks_up_is_no_n_plus_one(tmp_path: Path) -> None:
    """nominatim runs one query per category of a search on that category's own table, in the
    loop or in the helper the loop calls: no IN over one table can merge them. A helper that
    queries one table per item stays a finding."""
    files = {
        "search.py": """
        async def lookup_category(conn, category):
            table = await conn.get_class_table(*category)
            return await conn.execute(select(table.c.place_id))


        async def get_place(conn, place_id):
            return await conn.execute(select(Place).where(Place.id == place_id))


        async def near(conn, categories, ids):
            for category in categories:
                await lookup_category(conn, category)
            for category in categories:
                table = await conn.get_class_table(*category)
                await conn.execute(select(table.c.place_id))
            for place_id in ids:
                await get_place(conn, place_id)
        """
    }
    assert _review(tmp_path, files) == {("search.py", 17, "n-plus-one-query")}


def test_a_commit_per_item_in_a_background_task_on_a_sqlite_file_is_no_n_plus_one(
    tmp_path: Path,
) -> None:
    """calibre-web's metadata backup task commits per book on its SQLite file: no request waits
    on the task; the same loop in a view stays a finding."""
    loop = """
    def backup(session, books):
        for book in books:
            session.query(Book).filter(Book.id == book.id).first()
            session.commit()
    """
    files = {
        "db.py": 'from sqlalchemy import create_engine\n\nengine = create_engine("sqlite:///a.db")\n',
        "tasks/backup.py": loop,
        "views.py": loop,
    }
    assert _review(tmp_path, files) == {("views.py", 3, "n-plus-one-query")}


def test_a_cleanup_of_rows_an_outer_join_finds_orphaned_is_no_n_plus_one(tmp_path: Path) -> None:
    """calibre-web deletes shelf entries whose book is gone (an outer join on the book, filtered
    on its id being None): almost always none; the same delete per entry of a shelf stays, and
    so does one per row an outer join leaves with an unset column (its Kobo sync flag)."""
    files = {
        "shelf.py": """
        def clean(session):
            wrong = (
                session.query(Entry).join(Book, Entry.book_id == Book.id, isouter=True)
                .filter(Book.id == None).all()
            )
            for entry in wrong:
                session.query(Entry).filter(Entry.book_id == entry.book_id).delete()


        def empty(session, shelf_id):
            entries = session.query(Entry).filter(Entry.shelf_id == shelf_id).all()
            for entry in entries:
                session.query(Entry).filter(Entry.book_id == entry.book_id).delete()


        def unsynced(session):
            books = (
                session.query(Synced).join(Shelf, Synced.shelf_id == Shelf.id, isouter=True)
                .filter(Shelf.kobo_sync == None).all()
            )
            for book in books:
                session.query(Synced).filter(Synced.book_id == book.book_id).delete()
        """
    }
    assert _review(tmp_path, files) == {
        ("shelf.py", 13, "n-plus-one-query"),
        ("shelf.py", 22, "n-plus-one-query"),
    }


def test_a_loop_over_one_objects_eagerly_loaded_children_is_no_n_plus_one(
    tmp_path: Path,
) -> None:
    """bodhi's update builds and fractal's workflow tasks: children the model loads with their
    parent every time (lazy="joined"/"selectin") are few by design. A lazy collection (a
    release's builds), or the eager children of each of many parents, still count."""
    found = _review(
        tmp_path,
        {
            "app/models.py": """
            from sqlalchemy.orm import relationship


            class Update:
                builds = relationship("Build", back_populates="update", lazy="joined")

                def obsolete(self, db):
                    for build in self.builds:
                        db.query(Build).filter_by(package=build.package).all()


            class Release:
                builds = relationship("Build", back_populates="release")
            """,
            "app/views.py": """
            from app.models import Build


            def release_page(db, release):
                for build in release.builds:
                    db.query(Build).filter_by(nvr=build.nvr).first()


            def updates_page(db, updates):
                for update in updates:
                    for build in update.builds:
                        db.query(Build).filter_by(nvr=build.nvr).first()
            """,
        },
    )
    assert found == {
        ("app/views.py", 6, "n-plus-one-query"),
        ("app/views.py", 12, "n-plus-one-query"),
    }


def test_a_filtersets_loop_over_one_filters_values_is_no_n_plus_one(tmp_path: Path) -> None:
    """nautobot's ?prefix= filter: a FilterSet method resolves each value the client typed; the
    same loop in any other class walks whatever it is handed and still counts."""
    found = _review(
        tmp_path,
        {
            "ipam/filters.py": """
            import django_filters

            from ipam.models import Prefix


            class PrefixFilterSet(django_filters.FilterSet):
                def _strip_values(self, values):
                    return [Prefix.objects.get(pk=value).prefix for value in values]

                def filter_prefix(self, queryset, name, value):
                    out = []
                    for pk in value:
                        out.append(Prefix.objects.get(pk=pk))
                    return queryset.filter(prefix__in=out)


            class PrefixReport:
                def rows(self, values):
                    for pk in values:
                        Prefix.objects.get(pk=pk)
            """
        },
    )
    assert found == {("ipam/filters.py", 20, "n-plus-one-query")}


def test_merging_records_and_factory_boy_factories_are_no_n_plus_one(tmp_path: Path) -> None:
    """nautobot's merge of duplicate IPs walks the few records a user picked; its factories
    seed test databases. An emergency page's loop, or a module that only mentions factories,
    still counts."""
    found = _review(
        tmp_path,
        {
            "ipam/views.py": """
            from ipam.models import IPAddress, Service


            class IPAddressMergeView:
                def post(self, request):
                    for pk in request.POST.getlist("services"):
                        Service.objects.get(pk=pk).ip_addresses.add(self.merged)


            def merge_duplicates(picked):
                for pk in picked:
                    IPAddress.objects.get(pk=pk).delete()


            class EmergencyView:
                def post(self, request):
                    for pk in request.POST.getlist("services"):
                        Service.objects.get(pk=pk)
            """,
            "ipam/factory.py": """
            import factory

            from ipam.models import VLAN


            class VLANFactory(factory.django.DjangoModelFactory):
                @factory.post_generation
                def locations(self, create, extracted, **kwargs):
                    for location in extracted:
                        VLAN.objects.filter(location=location).exists()
            """,
            "ipam/factories_report.py": """
            from ipam.models import VLAN
            from ipam.vlan_factory import make


            def report(locations):
                for location in locations:
                    VLAN.objects.filter(location=location).exists()
            """,
        },
    )
    assert found == {
        ("ipam/views.py", 18, "n-plus-one-query"),
        ("ipam/factories_report.py", 7, "n-plus-one-query"),
    }


def test_a_performance_test_file_deep_in_the_project_counts(tmp_path: Path) -> None:
    """Reviewing `nautobot/ipam` of a project whose `core/management/commands` ships
    `generate_performance_test_endpoints.py`; a plain command there is no load test."""
    commands = "nautobot/core/management/commands"
    for project, name in (("with", "generate_performance_test_endpoints.py"), ("without", "x.py")):
        top = tmp_path / project
        (top / "nautobot" / "ipam").mkdir(parents=True)
        (top / "nautobot" / "ipam" / "views.py").write_text(_SERVICE)
        (top / "pyproject.toml").write_text("[project]\nname = 'nautobot'\n")
        (top / commands).mkdir(parents=True)
        (top / commands / name).write_text("ENDPOINTS = []\n")
    assert "no-benchmarks" not in _benchmark_rules(tmp_path / "with" / "nautobot" / "ipam")
    assert "no-benchmarks" in _benchmark_rules(tmp_path / "without" / "nautobot" / "ipam")


def test_a_subquery_built_per_filter_clause_runs_nothing_but_a_query_run_per_clause_does(
    tmp_path: Path,
) -> None:
    """faraday's agent list builds, per filter clause of the request, a correlated scalar
    subquery (`.as_scalar()`) or an IN subquery (`ids = session.query(...)` handed to `in_`):
    both become part of the one query run after the loop. The twins run each per pass."""
    scalar = """
    def filters(session, clauses):
        conditions = []
        for clause in clauses:
            last = session.query(func.max(Run.at)).filter(Run.agent_id == Agent.id).{end}
            conditions.append(last > clause.value)
        return session.query(Agent).filter(*conditions).all()
    """
    embedded = """
    def filters(session, clauses):
        conditions = []
        for clause in clauses:
            ids = session.query(Workspace.id).filter(Workspace.name.in_(clause.names))
            conditions.append(Execution.workspace_id.{use})
        return session.query(Execution).filter(*conditions).all()
    """
    built = scalar.replace("{end}", "as_scalar()")
    run = scalar.replace("{end}", "scalar()")
    assert _review(tmp_path / "scalar", {"agents.py": built}) == set()
    assert _review(tmp_path / "run", {"agents.py": run}) == {("agents.py", 4, "n-plus-one-query")}
    built = embedded.replace("{use}", "in_(ids)")
    run = embedded.replace("{use}", "in_(ids.all())")
    assert _review(tmp_path / "in", {"runs.py": built}) == set()
    assert _review(tmp_path / "all", {"runs.py": run}) == {("runs.py", 4, "n-plus-one-query")}


def test_a_function_nothing_in_the_repository_runs_is_not_reported_but_a_called_one_is(
    tmp_path: Path,
) -> None:
    """lemur's `database.update_list` (a query per id) and hyperglass's `util.write_env` (a
    blocking write in an async function) are dead code: no route, caller or import names
    them. The twins name each in one line of a route module."""
    helpers = """
    def update_list(session, ids):
        for id_ in ids:
            session.execute(select(Cert).where(Cert.id == id_))


    async def write_env(path, text):
        with open(path, "w") as f:
            f.write(text)
    """
    routes = """
    from helpers import {names}
    """
    dead = {"helpers.py": helpers, "routes.py": routes.format(names="other")}
    assert _review(tmp_path / "dead", dead) == set()
    both = "update_list, write_env"
    called = {"helpers.py": helpers, "routes.py": routes.format(names=both)}
    assert _review(tmp_path / "called", called) == {
        ("helpers.py", 3, "n-plus-one-query"),
        ("helpers.py", 7, "blocking-io-in-async"),
    }
