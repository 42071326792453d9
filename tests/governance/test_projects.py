"""Project portfolio and workload plan through the API."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client, assert_refused
from tests.governance.helpers import ok


async def project(client: Any, code: str, **extra: Any) -> Any:
    data = {"code": code, "name": f"Projet {code}", **extra}
    return await ok(await client.post("/projects", json=data))


async def test_project_keeps_budget_as_money_and_milestones(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        created = await project(
            client,
            "ged",
            budget="125000.5",
            status="active",
            priority="high",
            phase="build",
            milestones=[{"name": "Recette", "due_on": "2025-06-30"}],
        )
    assert created["budget"] == "125000.50"
    assert created["milestones"] == [{"name": "Recette", "due_on": "2025-06-30", "done_on": None}]


async def test_project_end_before_start_is_refused(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        response = await client.post(
            "/projects",
            json={"code": "x", "name": "X", "starts_on": "2025-06-01", "ends_on": "2025-01-01"},
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ends_on"


async def test_workload_flags_a_team_planned_above_capacity(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await project(client, "ged")
        await project(client, "sig", member_code="laxou")
        await ok(
            await client.put(
                "/projects/workload/capacity/infra/2025-Q1", json={"person_days": "100"}
            )
        )
        await ok(
            await client.put(
                "/projects/workload/capacity/infra/2025-Q2", json={"person_days": "100"}
            )
        )
        for code, days in (("ged", "70"), ("sig", "45")):
            response = await client.put(
                f"/projects/{code}/workload",
                json={
                    "lines": [
                        {"team": "infra", "quarter": "2025-Q1", "person_days": days},
                        {"team": "infra", "quarter": "2025-Q2", "person_days": "10"},
                    ]
                },
            )
            assert response.status_code == 204
        plan = await ok(await client.get("/projects/workload/2025"))
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        seen = await ok(await client.get("/projects/workload/2025"))
    q1, q2 = plan["cells"]
    assert (q1["planned"], q1["load"], q1["overloaded"]) == ("115.00", 115, True)
    assert (q2["planned"], q2["overloaded"]) == ("20.00", False)
    assert plan["overloads"] == [{"team": "infra", "quarter": "2025-Q1", "excess": "15.00"}]
    # the contact gets the same totals but only shared and own projects itemised
    assert seen["cells"][0]["planned"] == "115.00"
    assert seen["cells"][0]["projects"] == {"ged": "70.00"}


async def test_contact_sees_its_and_shared_projects_only(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await project(client, "commun")
        await project(client, "ludres-ecole", member_code="ludres")
        await project(client, "laxou-sig", member_code="laxou")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await ok(await client.get("/projects"))
        hidden = await client.get("/projects/laxou-sig")
        probing = await client.get("/projects?member=laxou")
    assert [p["code"] for p in listed["items"]] == ["commun", "ludres-ecole"]
    assert hidden.status_code == 404
    assert probing.status_code == 404


async def test_bad_quarter_is_refused(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        response = await client.put(
            "/projects/workload/capacity/infra/2025-Q5", json={"person_days": "10"}
        )
    assert_refused(response, "path.quarter")


async def test_a_project_workload_reads_back_what_was_put(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await ok(await client.post("/projects", json={"code": "sso", "name": "SSO"}))
        lines = [
            {"team": "support", "quarter": "2026-Q2", "person_days": "4"},
            {"team": "infra", "quarter": "2026-Q1", "person_days": "12.5"},
        ]
        put = await client.put("/projects/sso/workload", json={"lines": lines})
        read = await ok(await client.get("/projects/sso/workload"))
    assert put.status_code == 204
    assert read["lines"] == [
        {"team": "infra", "quarter": "2026-Q1", "person_days": "12.50"},
        {"team": "support", "quarter": "2026-Q2", "person_days": "4.00"},
    ]
