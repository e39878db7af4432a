"""The Performance Engineer's rules on small repositories written for each case: every change
that keeps a real finding out has a case that still reports and one that no longer does."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from team.audit import audit_path


def _review(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int, str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip())
    found = audit_path(tmp_path, roles=["performance_engineer"])
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
