"""Exports of a fiscal year's titles and their lines, as CSV (``;``, UTF-8 with BOM, for
spreadsheets set to French) and XLSX (amounts as numbers with two decimals)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Response
from openpyxl import Workbook

from kit.db import DbSession
from kit.openapi import file_responses
from kit.params import FiscalYearPath as FiscalYear
from kit.spreadsheet import append_row, safe_row
from services.billing.engine.money import fmt
from services.billing.invoices import repository
from services.billing.invoices.deps import InvoiceReader
from services.billing.models import Invoice

router = APIRouter(tags=["invoices"])
TITLE_COLUMNS = (
    "id", "reference", "kind", "status", "fiscal_year", "section", "member_code", "member_name",
    "total", "original_reference", "issued_on", "signatory", "forced_reason", "reason",
    "bordereau_id",
)  # fmt: skip
LINE_COLUMNS = ("reference", "member_code", "section", "line", "kind", "label", "amount")


def rows(
    session: DbSession, year: int, member: str | None
) -> tuple[list[list[Any]], list[list[Any]]]:
    invoices = list(repository.year_invoices(session, year, member))
    by_id = {i.id: i for i in invoices}
    titles, lines = [], []
    for i in invoices:
        original = by_id.get(i.original_id) if i.original_id else None
        titles.append(_title_row(i, original))
        for line in i.lines:
            lines.append([i.reference or "", i.member_code, i.section, line.get("line"),
                          line["kind"], line.get("label", ""), line["amount"]])  # fmt: skip
    return titles, lines


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _title_row(i: Invoice, original: Invoice | None) -> list[Any]:
    return [
        i.id, i.reference or "", i.kind, i.status, i.fiscal_year, i.section, i.member_code,
        i.member_name, fmt(i.total_cents), original.reference if original else "",
        i.issued_on.isoformat() if i.issued_on else "",
        f"{i.signatory_name}, {i.signatory_function}" if i.signatory_name else "",
        i.forced_reason or "", i.reason or "", i.bordereau_id or "",
    ]  # fmt: skip


@router.get(
    "/invoices/export/{year}.csv",
    response_class=Response,
    responses=file_responses("text/csv", "The titles or their lines, CSV"),
)
def export_csv(
    session: DbSession, principal: InvoiceReader, year: FiscalYear, part: str = "titles"
) -> Response:
    """``?part=titles`` (default) or ``?part=lines``."""
    titles, lines = rows(session, year, principal.member)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    if part == "lines":
        writer.writerow(LINE_COLUMNS)
        writer.writerows(safe_row(line) for line in lines)
    else:
        writer.writerow(TITLE_COLUMNS)
        writer.writerows(safe_row(title) for title in titles)
    name = f"titres-{year}{'-lignes' if part == 'lines' else ''}.csv"
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/invoices/export/{year}.xlsx",
    response_class=Response,
    responses=file_responses(XLSX, "The titles and their lines, XLSX"),
)
def export_xlsx(session: DbSession, principal: InvoiceReader, year: FiscalYear) -> Response:
    """Two sheets: ``Titres`` and ``Lignes``."""
    titles, lines = rows(session, year, principal.member)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Titres"
    _fill(sheet, TITLE_COLUMNS, titles, money=TITLE_COLUMNS.index("total"))
    _fill(book.create_sheet("Lignes"), LINE_COLUMNS, lines, money=LINE_COLUMNS.index("amount"))
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="titres-{year}.xlsx"'},
    )


def _fill(sheet: Any, columns: tuple[str, ...], data: list[list[Any]], *, money: int) -> None:
    sheet.append(list(columns))
    for row in data:
        row = list(row)
        row[money] = Decimal(row[money])
        append_row(sheet, row)
    for cells in sheet.iter_rows(min_row=2, min_col=money + 1, max_col=money + 1):
        for cell in cells:
            cell.number_format = "#,##0.00"
