"""Cost-line and usage imports from tables (CSV, XLSX): templates that load as they are,
simulations that store nothing, every error of a row, French numbers and dates."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from tests.catalogue.helpers import create_component, create_driver
from tests.conftest import as_admin, asgi_client

HEADER = "reference;composant;exercice;section;nature;montant;mode;inducteur;repartition\n"


async def setup(client: Any) -> None:
    await create_component(client, "exchange")
    await create_component(client, "ciril-finances")
    await create_driver(client, "mail_accounts", "comptes")
    await create_driver(client, "storage_gb", "Go")


async def test_the_cost_line_template_loads_as_is_in_csv_and_xlsx(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await setup(client)
        csv_template = await client.get("/cost-line-imports/template")
        xlsx_template = await client.get("/cost-line-imports/template?format=xlsx")
        simulated = await client.post(
            "/cost-line-imports",
            params={"source": "ciril", "dry_run": "true"},
            content=xlsx_template.content,
        )
        loaded = await client.post(
            "/cost-line-imports", params={"source": "ciril"}, content=csv_template.content
        )
        again = await client.post(
            "/cost-line-imports", params={"source": "ciril"}, content=csv_template.content
        )
        lines = await client.get("/cost-lines", params={"fiscal_year": 2026})
    assert simulated.json()["summary"]["created"] == 2, simulated.text
    assert simulated.json()["dry_run"] is True
    assert loaded.json()["summary"]["created"] == 2, loaded.text
    assert again.json()["summary"]["unchanged"] == 2
    amounts = sorted(line["amount"] for line in lines.json()["items"])
    assert amounts == ["12500.00", "8400.50"]
    direct = next(line for line in lines.json()["items"] if line["mode"] == "direct")
    assert direct["external_id"] == "M-2026-0413"
    assert direct["allocation"] == [
        {"member_code": "ludres", "weight": "1"},
        {"member_code": "nancy", "weight": "3"},
    ]


async def test_every_error_of_a_cost_line_row_is_reported(service_app: Any) -> None:
    content = HEADER + (
        "A1;exchange;2026;fonctionnement;maintenance;1 234,56;indirect;mail_accounts;\n"
        "A2;inconnu;20X6;sectionx;achat;12,345;direct;storage_gb;\n"
    )
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await setup(client)
        answer = await client.post(
            "/cost-line-imports", params={"source": "ciril"}, content=content.encode()
        )
        lines = await client.get("/cost-lines")
    body = answer.json()
    assert body["summary"]["created"] == 1
    rejected = body["items"][1]
    assert rejected["row"] == 3
    fields = {e["field"] for e in rejected["errors"]}
    assert fields == {
        "composant",
        "exercice",
        "section",
        "nature",
        "montant",
        "inducteur",
        "repartition",
    }, rejected
    assert [line["amount"] for line in lines.json()["items"]] == ["1234.56"]


async def test_a_usage_import_reads_decimal_commas_and_french_dates(service_app: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Exercice", "Inducteur", "Adhérent", "Quantité", "Date"])
    sheet.append([2026, "storage_gb", "nancy", "1 250,5", "31/12/2025"])
    sheet.append([2026, "storage_gb", "ludres", 310.25, None])
    sheet.append([2026, "nope", "Bad Code!", "-3", "32/13/2025"])
    out = io.BytesIO()
    book.save(out)
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await setup(client)
        answer = await client.post("/usage-imports", content=out.getvalue())
        usage = await client.get("/usage/2026/storage_gb")
    body = answer.json()
    assert body["summary"]["created"] == 2, body
    assert {e["field"] for e in body["items"][2]["errors"]} == {
        "inducteur",
        "adherent",
        "quantite",
        "date",
    }
    items = {u["member_code"]: u for u in usage.json()["items"]}
    assert items["nancy"]["quantity"] == "1250.5"
    assert items["nancy"]["reference_date"] == "2025-12-31"
    assert items["ludres"]["quantity"] == "310.25"
