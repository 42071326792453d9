"""The titles export as a French spreadsheet: XLSX with French headers, amounts as numbers
shown in euros, dates as dates, codes kept as text; the CSV with dates written the French way."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR

LINE_HEADERS = (
    "Exercice", "Année de service", "Budget", "Bordereau", "Pièce", "Nature", "Fonction",
    "Chapitre", "SIRET du débiteur", "Référence tiers Hélios", "Montant de la ligne",
)  # fmt: skip


def test_the_xlsx_export_is_a_french_spreadsheet_with_the_import_columns(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    response = platform.billing.get(f"/invoices/export/{YEAR}.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["content-disposition"] == f'attachment; filename="titres-{YEAR}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    lines = book["Lignes"]
    header = [c.value for c in lines[1]]
    assert set(LINE_HEADERS) <= set(header), header
    rows = [dict(zip(header, row, strict=True)) for row in lines.iter_rows(min_row=2)]
    ludres = [r for r in rows if r["Code de l'adhérent"].value == "ludres"]
    payroll = next(r for r in ludres if r["Nature"].value == "70845")
    assert payroll["Exercice"].value == YEAR
    assert payroll["Année de service"].value == YEAR
    assert payroll["Budget"].value == "01"  # a code: text, its leading zero kept
    assert payroll["Bordereau"].value == 1
    assert isinstance(payroll["Pièce"].value, int)
    assert (payroll["Fonction"].value, payroll["Chapitre"].value) == ("020", "70")
    assert payroll["SIRET du débiteur"].data_type == "s"
    assert len(payroll["SIRET du débiteur"].value) == 14
    assert payroll["Référence tiers Hélios"].value == "ludres"
    amount = payroll["Montant de la ligne"]
    assert amount.data_type == "n"  # a number the spreadsheet sums, not text
    assert amount.number_format == '#,##0.00 "€"'
    assert sum(Decimal(str(r["Montant de la ligne"].value)) for r in rows) == Decimal("6550")
    titles = book["Titres"]
    title_header = [c.value for c in titles[1]]
    first = dict(zip(title_header, next(titles.iter_rows(min_row=2)), strict=True))
    assert isinstance(first["Émis le"].value, dt.datetime)  # a date cell (openpyxl reads it so)
    assert first["Émis le"].value.date() == dt.date(YEAR, 6, 1)
    assert first["Émis le"].number_format == "DD/MM/YYYY"
    assert first["Montant"].number_format == '#,##0.00 "€"'
    assert first["Nature de la pièce"].value == "Titre"
    assert first["Statut"].value == "Émis"


def test_the_csv_export_writes_dates_the_french_way(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    text = platform.billing.get(f"/invoices/export/{YEAR}.csv").text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {r["Émis le"] for r in rows} == {f"01/06/{YEAR}"}
