"""Exports of a service year's titles and their accounting lines for the finance side, in
French: CSV (``;``, decimal comma, dates ``25/09/2023``, UTF-8 with BOM, as a French
spreadsheet opens it) and XLSX (French headers, amounts as numbers in euros, dates as dates).
``?part=titles`` gives one row per title or correction; ``?part=lines`` one row per accounting
line with exercice, budget, bordereau, piece (``IdPce``), nature, fonction, chapitre, debtor
SIRET and tiers reference — the columns the financial software imports, the same as the
liquidation export (``liquidations.py``). People read the CSV: it has the French headers of the
XLSX (``HEADERS``: "Année de service"…); ``?header=keys`` gives the stable column keys instead
(``annee_services``…) for a program that reads the columns by name, as the liquidation batch's
CSV, which the financial software imports, always does."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from openpyxl import Workbook

from kit.db import DbSession
from kit.openapi import file_responses
from kit.params import FiscalYearPath as FiscalYear
from kit.spreadsheet import append_row, safe_row
from services.billing.engine.money import fmt
from services.billing.invoices import repository
from services.billing.invoices.deps import InvoiceReader
from services.billing.labels import INVOICE_KINDS, INVOICE_STATUSES, SECTIONS, capitalised
from services.billing.models import Invoice

router = APIRouter(tags=["invoices"])
KIND_LABELS = INVOICE_KINDS
STATUS_LABELS = INVOICE_STATUSES
SECTION_LABELS = {code: capitalised(text) for code, text in SECTIONS.items()}
TITLE_COLUMNS = (
    "identifiant", "reference", "nature_piece", "statut", "exercice", "annee_services", "budget",
    "bordereau", "piece", "section", "membre", "debiteur", "siret_debiteur", "montant",
    "titre_origine", "emis_le", "signataire", "motif_forcage", "motif_sans_prevision",
    "motif_correction",
)  # fmt: skip
# one row per accounting line: what the financial software imports (the liquidation export
# of services/billing/invoices/liquidations.py has the same columns)
LINE_COLUMNS = (
    "identifiant", "exercice", "budget", "bordereau", "type_bordereau", "piece", "reference",
    "nature_piece", "statut", "annee_services", "section", "membre", "debiteur",
    "siret_debiteur", "ref_tiers", "objet", "ligne", "nature", "fonction", "chapitre",
    "montant_ligne", "montant_piece", "lot",
)  # fmt: skip


# the French header of each column in the XLSX
HEADERS = {
    "identifiant": "Identifiant", "reference": "Référence", "nature_piece": "Nature de la pièce",
    "statut": "Statut", "exercice": "Exercice", "annee_services": "Année de service",
    "budget": "Budget", "bordereau": "Bordereau", "type_bordereau": "Type de bordereau",
    "piece": "Pièce", "section": "Section", "membre": "Code de l'adhérent",
    "debiteur": "Débiteur", "siret_debiteur": "SIRET du débiteur",
    "ref_tiers": "Référence tiers Hélios", "objet": "Objet", "ligne": "Ligne",
    "nature": "Nature", "fonction": "Fonction", "chapitre": "Chapitre",
    "montant": "Montant", "montant_ligne": "Montant de la ligne",
    "montant_piece": "Montant de la pièce", "titre_origine": "Titre d'origine",
    "emis_le": "Émis le", "signataire": "Signataire", "motif_forcage": "Motif du forçage",
    "motif_sans_prevision": "Motif d'émission sans prévision notifiée",
    "motif_correction": "Motif de la correction", "lot": "Lot de liquidation",
}  # fmt: skip
EURO_FORMAT = '#,##0.00 "€"'  # as web/views/exports.py: a number, shown in euros
DATE_FORMAT = "DD/MM/YYYY"


def french(cents: int) -> str:
    """``1 234,56`` → ``1234,56``: a French spreadsheet reads the decimal comma."""
    return fmt(cents).replace(".", ",")


def line_rows(invoice: Invoice) -> list[list[Any]]:
    """The accounting lines of a title or correction, with everything the finance side needs
    to import it (amounts with a decimal comma)."""
    debtor = invoice.content.get("debtor") or {}
    bordereau = invoice.bordereau
    out = []
    for n, line in enumerate(invoice.content.get("imputation") or [], start=1):
        out.append([
            invoice.id, invoice.exercice or "", invoice.budget_code or "",
            bordereau.number if bordereau else "", bordereau.type if bordereau else "",
            invoice.number or "", invoice.reference or "",
            KIND_LABELS.get(invoice.kind, invoice.kind),
            STATUS_LABELS.get(invoice.status, invoice.status), invoice.fiscal_year,
            SECTION_LABELS.get(invoice.section, invoice.section), invoice.member_code,
            debtor.get("name", invoice.member_name), debtor.get("siret", ""), invoice.member_code,
            invoice.object, n, line.get("nature", ""), line.get("function", ""),
            line.get("chapter", ""), str(line.get("amount", "")).replace(".", ","),
            french(invoice.total_cents), invoice.liquidation_batch or "",
        ])  # fmt: skip
    return out


def csv_cell(value: Any) -> Any:
    """A date as a French reader writes it (``25/09/2023``), a missing one empty."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def rows(
    session: DbSession, year: int, member: str | None
) -> tuple[list[list[Any]], list[list[Any]]]:
    invoices = list(repository.year_invoices(session, year, member))
    by_id = {i.id: i for i in invoices}
    titles, lines = [], []
    for i in invoices:
        original = by_id.get(i.original_id) if i.original_id else None
        titles.append(_title_row(i, original))
        lines.extend(line_rows(i))
    return titles, lines


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _title_row(i: Invoice, original: Invoice | None) -> list[Any]:
    debtor = i.content.get("debtor") or {}
    return [
        i.id, i.reference or "", KIND_LABELS.get(i.kind, i.kind),
        STATUS_LABELS.get(i.status, i.status), i.exercice or "", i.fiscal_year,
        i.budget_code or "", i.bordereau.number if i.bordereau else "", i.number or "",
        SECTION_LABELS.get(i.section, i.section), i.member_code, i.member_name,
        debtor.get("siret", ""), french(i.total_cents), original.reference if original else "",
        i.issued_on,
        f"{i.signatory_name}, {i.signatory_function}" if i.signatory_name else "",
        i.forced_reason or "", i.forecast_reason or "", i.reason or "",
    ]  # fmt: skip


@router.get(
    "/invoices/export/{year}.csv",
    response_class=Response,
    responses=file_responses("text/csv", "The titles or their lines, CSV"),
)
def export_csv(
    session: DbSession,
    principal: InvoiceReader,
    year: FiscalYear,
    part: Literal["titles", "lines"] = "titles",
    header: Annotated[
        Literal["labels", "keys"],
        Query(description="'labels': French headers (default); 'keys': stable column keys"),
    ] = "labels",
) -> Response:
    """``?part=titles`` (default) or ``?part=lines``."""
    titles, lines = rows(session, year, principal.member)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    columns = LINE_COLUMNS if part == "lines" else TITLE_COLUMNS
    writer.writerow(columns if header == "keys" else [HEADERS[c] for c in columns])
    if part == "lines":
        writer.writerows(safe_row(line) for line in lines)
    else:
        writer.writerows(safe_row(map(csv_cell, title)) for title in titles)
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
    _fill(sheet, TITLE_COLUMNS, titles, money=(TITLE_COLUMNS.index("montant"),))
    money = (LINE_COLUMNS.index("montant_ligne"), LINE_COLUMNS.index("montant_piece"))
    _fill(book.create_sheet("Lignes"), LINE_COLUMNS, lines, money=money)
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="titres-{year}.xlsx"'},
    )


def _fill(
    sheet: Any, columns: tuple[str, ...], data: list[list[Any]], *, money: tuple[int, ...]
) -> None:
    """French headers; amounts as numbers shown in euros with two decimals (a spreadsheet
    sums them), dates as dates; codes (nature, SIRET, budget) stay text, leading zeros kept."""
    sheet.append([HEADERS[c] for c in columns])
    dates = [i for i, c in enumerate(columns) if c == "emis_le"]
    for row in data:
        row = list(row)
        for index in money:
            row[index] = Decimal(str(row[index]).replace(",", "."))
        for index in dates:
            row[index] = row[index] or None
        append_row(sheet, row)
        cells = sheet[sheet.max_row]
        for index in money:
            cells[index].number_format = EURO_FORMAT
        for index in dates:
            cells[index].number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
