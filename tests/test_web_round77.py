"""Web round 75 (issue 13): n-plus-one-query false alarms on spent corpora, removed.
A SQLAlchemy Query's bulk `.update({...})` per item that sets a value the pass binds (quetz's
`db.query(Job).filter(Job.id == job_id).update({Job.status: status})`, a status chosen per
finished job) runs one UPDATE, loads no row, and gives each row its own value, so no `IN (...)`
folds the passes into one statement (`queries.per_row_updates`). The count per package of the
same Dao, the same update to one fixed value, a bulk delete per row and a read per row are still
reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

# quetz's Dao: the orphan clean-up after a package version is deleted, and the job statuses
_DAO = """
    from sqlalchemy import Column, Integer, String
    from sqlalchemy.orm import Session, declarative_base

    Base = declarative_base()


    class Package(Base):
        __tablename__ = "packages"
        name = Column(String, primary_key=True)
        channel_name = Column(String)


    class PackageMember(Base):
        __tablename__ = "package_members"
        id = Column(Integer, primary_key=True)
        package_name = Column(String)
        channel_name = Column(String)


    class PackageVersion(Base):
        __tablename__ = "package_versions"
        id = Column(Integer, primary_key=True)
        package_name = Column(String)
        channel_name = Column(String)


    class Job(Base):
        __tablename__ = "jobs"
        id = Column(Integer, primary_key=True)
        status = Column(String)


    class Dao:
        def __init__(self, db: Session):
            self.db = db

        def cleanup_channel_db(self, channel_name):
            orphans = []
            all_packages = self.db.query(Package).filter(Package.channel_name == channel_name)
            for package in all_packages:
                versions = (
                    self.db.query(PackageVersion)
                    .filter(PackageVersion.channel_name == channel_name)
                    .filter(PackageVersion.package_name == package.name)
                )
                if versions.count() == 0:
                    orphans.append(package.name)
            self.db.commit()

        def update_running_jobs(self):
            results = self.db.query(Job.id, Job.status).filter(Job.status == "running").all()
            for job_id, failed in results:
                status = "failed" if failed else "success"
                self.db.query(Job).filter(Job.id == job_id).update({Job.status: status})
            self.db.commit()
    """
_API = """
    from fastapi import FastAPI

    from pkgs.dao import Dao

    app = FastAPI()
    dao = Dao(None)


    @app.delete("/api/channels/{channel_name}/versions")
    def delete_versions(channel_name: str):
        dao.cleanup_channel_db(channel_name)
        return {}


    @app.post("/api/jobs/check")
    def check_jobs():
        dao.update_running_jobs()
        return {}
    """
_COUNT = ("pkgs/dao.py", 42)  # the count per package, a read per row (judged true on quetz)
_UPDATE = ("pkgs/dao.py", 54)  # the statement per job


def _app(dao: str) -> dict[str, str]:
    return {"pkgs/__init__.py": "", "pkgs/dao.py": dao, "pkgs/api.py": _API}


def test_an_update_of_each_jobs_own_status_is_not_n_plus_one(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _app(_DAO), "n-plus-one-query") == {_COUNT}


def test_the_same_update_to_one_fixed_value_is_reported(tmp_path: Path) -> None:
    code = _DAO.replace("{Job.status: status}", '{Job.status: "done"}')
    assert web_findings(tmp_path, _app(code), "n-plus-one-query") == {_COUNT, _UPDATE}


def test_a_bulk_delete_and_a_read_per_job_are_reported(tmp_path: Path) -> None:
    for end in (".delete()", ".first()"):
        code = _DAO.replace(".update({Job.status: status})", end)
        assert web_findings(tmp_path / end, _app(code), "n-plus-one-query") == {_COUNT, _UPDATE}


# netbox's core app: the ObjectType of each model, brought up to date after `migrate`
_SIGNALS = """
    from django.db.models.signals import post_migrate
    from django.dispatch import receiver

    from core.models import ObjectType


    @receiver(post_migrate)
    def update_object_types(sender, **kwargs):
        for model in sender.get_models():
            app_label, model_name = model._meta.label_lower.split(".")
            try:
                ot = ObjectType.objects.get(app_label=app_label, model=model_name)
                ot.public = True
                ot.save()
            except ObjectType.DoesNotExist:
                ObjectType.objects.create(app_label=app_label, model=model_name, public=True)


    def sync_object_types(sender, **kwargs):
        for model in sender.get_models():
            ObjectType.objects.get(model=model._meta.model_name).save()
    """
_APPS = """
    from django.apps import AppConfig
    from django.db.models.signals import post_migrate


    class CoreConfig(AppConfig):
        name = "core"

        def ready(self):
            from core import signals

            post_migrate.connect(signals.sync_object_types, sender=self)
    """
_MODELS = """
    from django.db import models


    class ObjectType(models.Model):
        app_label = models.CharField(max_length=100)
        model = models.CharField(max_length=100)
        public = models.BooleanField(default=False)
    """


def _core(signals: str, apps: str = _APPS) -> dict[str, str]:
    files = {"__init__.py": "", "apps.py": apps, "models.py": _MODELS, "signals.py": signals}
    return {f"core/{name}": code for name, code in files.items()}


def test_receivers_of_post_migrate_are_not_n_plus_one(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _core(_SIGNALS), "n-plus-one-query") == set()


def test_the_same_receivers_of_post_save_are_reported(tmp_path: Path) -> None:
    code = _SIGNALS.replace("post_migrate", "post_save")
    apps = _APPS.replace("post_migrate", "post_save")
    assert web_findings(tmp_path, _core(code, apps), "n-plus-one-query") == {
        ("core/signals.py", 12),
        ("core/signals.py", 21),
    }


def test_a_same_named_function_of_another_module_is_reported(tmp_path: Path) -> None:
    # only `core.signals.sync_object_types` is connected; `core.jobs` has its own, run per request
    jobs = _SIGNALS.split("\n\n\n")[0] + "\n\n\n" + _SIGNALS.split("\n\n\n")[-1]
    files = {**_core(_SIGNALS), "core/jobs.py": jobs}
    assert web_findings(tmp_path, files, "n-plus-one-query") == {("core/jobs.py", 9)}


# biweeklybudget's pay-period view: every budget loaded and dropped, then inactive ones backfilled
_PERIOD = """
    from flask import Flask, jsonify
    from sqlalchemy import Boolean, Column, Integer, String
    from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

    app = Flask(__name__)
    Base = declarative_base()
    db_session = scoped_session(sessionmaker())


    class Budget(Base):
        __tablename__ = "budgets"
        id = Column(Integer, primary_key=True)
        name = Column(String)
        is_active = Column(Boolean)
        balance = Column(Integer)


    @app.route("/payperiod/<int:period_id>")
    def payperiod(period_id):
        names = {}
        for b in db_session.query(Budget).all():
            names[b.id] = b.name
        periodic = {b.id: b.balance for b in db_session.query(Budget).filter(Budget.is_active)}
        for budg_id in sums_of(period_id):
            if budg_id not in periodic:
                b = db_session.query(Budget).get(budg_id)
                periodic[b.id] = b.balance
        return jsonify(names=names, periodic=periodic)


    def sums_of(period_id):
        return [row.budget_id for row in db_session.execute("SELECT budget_id FROM sums")]
    """


def test_a_get_after_a_load_whose_rows_are_dropped_is_reported(tmp_path: Path) -> None:
    # the session holds loaded rows only weakly: once the loop's list is gone, a get sends SQL
    found = web_findings(tmp_path, {"budget/views.py": _PERIOD}, "n-plus-one-query")
    assert found == {("budget/views.py", 26)}
