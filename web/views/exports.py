"""CSV and XLSX downloads of a table shown on a page.

CSV is written for French spreadsheets: ``;`` separator, decimal comma, UTF-8 with a BOM.
XLSX cells hold exact decimals (never floats from our side) with a euro number format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from kit.spreadsheet import append_row, safe_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO_FORMAT = '#,##0.00 "€"'


@dataclass(frozen=True)
class Column:
    title: str
    money: bool = False


Cell = str | int | None


def _csv_cell(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.replace(".", ",") if column.money else text


def csv_response(
    filename: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    for row in rows:
        writer.writerow(safe_row(_csv_cell(v, c) for v, c in zip(row, columns, strict=True)))
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def xlsx_response(
    filename: str, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> Response:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([c.title for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(
            sheet,
            [
                Decimal(str(v)) if c.money and v not in (None, "") else v
                for v, c in zip(row, columns, strict=True)
            ],
        )
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.title) + 2)
        if column.money:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = EURO_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
    )
