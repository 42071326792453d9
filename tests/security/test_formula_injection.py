"""Attack 7 of the hardening review: a text typed by someone became a live formula in an
export (a correction reason ``=HYPERLINK(...)`` in the member's CSV, a formula in the XLSX, the
same in the GDPR requests export). Every CSV/XLSX writer goes through ``kit.spreadsheet``."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from kit.spreadsheet import append_row, safe_cell
from tests.billing.invoices_support import TitlesPlatform
from tests.conftest import as_admin, as_contact, asgi_client

EVIL = '=HYPERLINK("http://evil.example/","Voir")'


@pytest.mark.parametrize("text", [EVIL, "+HYPERLINK(1)", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-250,00", "1 234,56", "Réduction", "", 12, None])
def test_amounts_and_plain_text_are_left_alone(value: Any) -> None:
    assert safe_cell(value) == value


def test_an_xlsx_cell_keeps_formula_like_text_as_a_string() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_row(sheet, ["ok", EVIL])
    out = io.BytesIO()
    book.save(out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active["B1"]  # type: ignore[index]
    assert (cell.value, cell.data_type) == (EVIL, "s")


def test_a_correction_reason_is_not_a_formula_in_the_members_exports(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    title = next(t for t in platform.titles(member_code="ludres") if t["section"] == "operating")
    corrected = platform.correct(
        title["id"],
        **{
            "kind": "reduction",
            "amount": "10.00",
            "reason": EVIL,
            "lines": [{"line_kind": "payroll", "amount": "10.00"}],
        },  # fmt: skip
    )
    assert corrected.status_code == 201, corrected.text
    year = title["fiscal_year"]
    member = {**as_contact("ludres")}
    csv = platform.billing.get(f"/invoices/export/{year}.csv", headers=member)
    xlsx = platform.billing.get(f"/invoices/export/{year}.xlsx", headers=member)
    assert csv.status_code == 200, csv.text
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert ";=HYPERLINK(" not in text
    assert '";=' not in text
    sheet = load_workbook(io.BytesIO(xlsx.content))["Titres"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == EVIL]
    assert cells
    assert all(c.data_type == "s" for c in cells)


async def test_a_gdpr_request_export_holds_no_formula(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        created = await client.post(
            "/gdpr/requests",
            json={
                "reference": "DRT-7",
                "controller_code": "ludres",
                "kind": "access",
                "received_on": "2026-11-02",
                "extended": True,
                "extension_reason": EVIL,
            },
        )
        export = await client.get("/gdpr/requests/export.csv")
    assert created.status_code == 201, created.text
    text = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert ";=HYPERLINK(" not in text
    assert '";=' not in text
