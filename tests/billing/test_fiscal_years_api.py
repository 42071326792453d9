"""Fiscal-year parameters and imported history through the billing API (both databases)."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client, identity_headers

CSV = """fiscal_year,member_code,operating_total
2021,ludres,1000.50
2022,ludres,1100.00
2023,nancy,abc
2030,nancy,10.00
2022,ludres,1.00
"""


async def test_fiscal_year_parameters_are_stored_with_the_default_cap(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        created = await client.put("/fiscal-years/2025", json={"payroll_envelope": "1200000.5"})
        read = await client.get("/fiscal-years/2025")
        again = await client.get(
            "/fiscal-years/2025", headers={"If-None-Match": read.headers["etag"]}
        )
    assert created.status_code == 201
    assert read.json() == {
        "fiscal_year": 2025,
        "payroll_envelope": "1200000.50",
        "cap": {"enabled": True, "window": 3, "years": [2022, 2023, 2024]},
    }
    assert again.status_code == 304


async def test_updating_a_fiscal_year_changes_its_cap(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        await client.put("/fiscal-years/2025", json={"payroll_envelope": "10.00"})
        updated = await client.put(
            "/fiscal-years/2025",
            json={"payroll_envelope": "20.00", "cap": {"enabled": False, "window": 2}},
        )
        listed = await client.get("/fiscal-years")
    assert updated.status_code == 200
    assert updated.json()["cap"] == {"enabled": False, "window": 2, "years": [2023, 2024]}
    assert [f["fiscal_year"] for f in listed.json()["items"]] == [2025]


async def test_bad_parameters_are_422_per_field(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        response = await client.put(
            "/fiscal-years/2025", json={"payroll_envelope": "1.234", "cap": {"window": 0}}
        )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"payroll_envelope", "cap.window"}


async def test_a_missing_fiscal_year_is_a_404_that_says_what_to_do(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        response = await client.get("/fiscal-years/2031")
    assert response.status_code == 404
    assert "PUT /fiscal-years/2031" in response.json()["detail"]


async def test_only_billing_writers_set_parameters(service_app: Any) -> None:
    project = identity_headers(roles=("project",))
    async with asgi_client(service_app("billing"), headers=project) as client:
        response = await client.put("/fiscal-years/2025", json={"payroll_envelope": "1.00"})
    assert response.status_code == 403


async def test_history_is_imported_by_api_for_years_before_mutualis(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        created = await client.put("/history/2023/ludres", json={"operating_total": "2200"})
        refused = await client.put("/history/2024/ludres", json={"operating_total": "1.00"})
        read = await client.get("/history/2023/ludres")
    assert created.status_code == 201
    assert read.json() == {
        "fiscal_year": 2023,
        "member_code": "ludres",
        "operating_total": "2200.00",
        "source": "api",
    }
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "fiscal_year"


async def test_csv_import_upserts_valid_rows_and_says_why_others_are_rejected(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        await client.put("/history/2022/ludres", json={"operating_total": "1100.00"})
        report = await client.post(
            "/history/import", content=CSV, headers={"Content-Type": "text/csv"}
        )
        listed = await client.get("/history", params={"member_code": "ludres"})
    body = report.json()
    assert report.status_code == 200
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 0, 1)
    assert [r["line"] for r in body["rejected"]] == [4, 5, 6]
    assert body["rejected"][0]["errors"][0]["field"] == "operating_total"
    assert [h["operating_total"] for h in listed.json()["items"]] == ["1000.50", "1100.00"]


async def test_csv_with_semicolons_and_decimal_commas_is_read(service_app: Any) -> None:
    text = "fiscal_year;member_code;operating_total\n2021;laxou;1 234,56\n"
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        report = await client.post("/history/import", content=text.encode())
        read = await client.get("/history/2021/laxou")
    assert report.json()["created"] == 1
    assert read.json()["operating_total"] == "1234.56"


async def test_a_csv_without_the_header_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        report = await client.post("/history/import", content=b"2021,ludres,1.00\n")
    assert report.status_code == 422
    assert "fiscal_year" in report.json()["detail"]


async def test_a_contact_sees_only_its_own_history(service_app: Any) -> None:
    app = service_app("billing")
    async with asgi_client(app, headers=as_admin()) as client:
        await client.put("/history/2023/ludres", json={"operating_total": "1.00"})
        await client.put("/history/2023/nancy", json={"operating_total": "2.00"})
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await client.get("/history")
        other = await client.get("/history/2023/nancy")
    assert [h["member_code"] for h in listed.json()["items"]] == ["ludres"]
    assert other.status_code == 404


async def test_a_file_that_is_not_csv_is_refused_whole(service_app: Any) -> None:
    """Found by fuzzing: the csv module's own errors were 500s."""
    body = "fiscal_year,member_code,operating_total\n2022,ludres,1.00\n2023," + "x" * 200_000
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        refused = await client.post(
            "/history/import", content=body, headers={"Content-Type": "text/csv"}
        )
        stored = await client.get("/history", params={"member_code": "ludres"})
    assert refused.status_code == 422
    assert "not readable as CSV" in refused.json()["detail"]
    assert stored.json()["items"] == []  # nothing of the file was kept
