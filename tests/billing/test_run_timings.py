"""A run says in its status how long each phase took (``timings``, seconds), and its members'
explanations are stored compactly (both databases)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.billing.models import RunMember
from tests.billing.upstream import Platform


def test_a_run_reports_the_seconds_of_each_phase(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run = platform.run("final")
    assert run["status"] == "succeeded"
    timings = run["timings"]
    assert list(timings) == ["upstream", "snapshot", "compute", "store"]
    assert all(isinstance(v, float) and 0 <= v < 60 for v in timings.values())
    listed = platform.billing.get("/runs").json()["items"][0]  # the runs list shows them too
    assert listed["timings"] == timings


def test_a_run_stores_each_member_as_one_compact_blob(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run = platform.run("final")
    factory = platform.billing_app.state.test_sessionmaker
    with factory() as session:
        rows = session.scalars(select(RunMember).where(RunMember.run_id == run["id"])).all()
        assert rows
        assert all(r.explained is not None and r.lines_json is None for r in rows)
        lines = {r.member_code: r.lines for r in rows}
    explained = platform.billing.get(f"/runs/{run['id']}/members/ludres/explain").json()
    assert explained["lines"] == lines["ludres"]
    assert [line["kind"] for line in explained["lines"]] == [
        "payroll",
        "direct",
        "direct",
        "indirect",
        "cap",
    ]
