"""Bulk imports of the registry: templates, simulation, per-row report with every error."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from tests.conftest import as_admin, asgi_client
from tests.registry.factories import create_member


async def post(
    client: httpx.AsyncClient, kind: str, content: bytes, *, dry_run: bool = False
) -> httpx.Response:
    params = {"dry_run": "true"} if dry_run else {}
    return await client.post(f"/imports/{kind}", content=content, params=params)


def rows(report: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["row"]: r for r in report["items"]}


WORKSTATIONS = (
    "\ufeffCode adhérent;Exercice;Postes de travail;Date du décompte;Source;Commentaire\r\n"
    "ludres;2026;84;25/09/2025;déclaré;\r\n"
    "inconnu;20x6;-3;31/02/2025;au pif;\r\n"
    "ludres;2026;85;2025-10-01;inventaire;re-compté\r\n"
).encode()


async def test_a_simulation_reports_every_error_of_a_row_and_stores_nothing(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        simulated = await post(client, "workstations", WORKSTATIONS, dry_run=True)
        after = await client.get("/members/ludres/workstations/2026")
    assert simulated.status_code == 200, simulated.text
    report = simulated.json()
    assert report["dry_run"] is True
    assert report["summary"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    bad = rows(report)[3]
    assert bad["status"] == "rejected"
    assert {e["field"] for e in bad["errors"]} == {
        "member_code",
        "fiscal_year",
        "count",
        "reference_date",
        "source",
    }
    assert {e["type"] for e in bad["errors"]} >= {"unknown_member", "int", "date", "choice"}
    assert rows(report)[4]["errors"][0]["type"] == "duplicate"
    assert after.status_code == 404  # a simulation stores nothing


async def test_an_import_stores_the_good_rows_and_a_second_run_is_unchanged(
    service_app: Any,
) -> None:
    content = WORKSTATIONS.replace(b"ludres;2026;85", b"ludres;2027;85")
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        first = (await post(client, "workstations", content)).json()
        second = (await post(client, "workstations", content)).json()
        stored = await client.get("/members/ludres/workstations/2026")
    assert first["summary"]["created"] == 2
    assert second["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 1}
    assert stored.json()["count"] == 84


async def test_budget_calendars_import_with_commas_and_the_bp_rule(service_app: Any) -> None:
    content = (
        b"member_code,fiscal_year,bp_voted_on,bs_voted_on,dm_dates\n"
        b"ludres,2026,15/03/2026,30/06/2026,15/10/2026|10/12/2026\n"
        b"ludres,2027,01/01/2020,bad,\n"
    )
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        report = (await post(client, "budget-calendars", content)).json()
        stored = await client.get("/members/ludres/budget-calendar/2026")
    assert rows(report)[2]["status"] == "created"
    bad = rows(report)[3]
    assert {e["field"] for e in bad["errors"]} == {"bp_voted_on", "bs_voted_on"}
    assert stored.json()["dm_dates"] == ["2026-10-15", "2026-12-10"]


async def test_contacts_import_from_xlsx_creates_then_updates(service_app: Any) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["Code adhérent", "Prénom", "Nom", "Courriel", "Rôles", "Accès aux tableaux de bord"]
    )
    sheet.append(
        ["ludres", "Léa", "Martin", "lea@ludres.example", "Référent informatique|dpo", "oui"]
    )
    sheet.append(["ludres", "", "Durand", "pas-un-courriel", "chef", "peut-être"])
    out = io.BytesIO()
    book.save(out)
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        report = (await post(client, "contacts", out.getvalue())).json()
        again = (await post(client, "contacts", out.getvalue())).json()
        listed = await client.get("/members/ludres/contacts")
    assert rows(report)[2]["status"] == "created"
    assert {e["field"] for e in rows(report)[3]["errors"]} == {
        "first_name",
        "email",
        "roles",
        "dashboard_access",
    }
    assert rows(again)[2]["status"] == "unchanged"
    (contact,) = listed.json()["items"]
    assert contact["roles"] == ["dpo", "it_referent"]
    assert contact["dashboard_access"] is True


async def test_templates_in_csv_and_xlsx_and_a_bad_header_is_refused(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        csv_template = await client.get("/imports/contacts/template")
        xlsx_template = await client.get("/imports/workstations/template?format=xlsx")
        refused = await post(client, "contacts", b"nom;truc\nx;y\n")
    assert csv_template.content.decode("utf-8-sig").startswith("Code adhérent;Prénom;Nom")
    sheet = load_workbook(io.BytesIO(xlsx_template.content)).active
    assert sheet is not None
    assert sheet["A1"].value == "Code adhérent"
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "header"
