"""A simulation's comparison exported: XLSX (openpyxl, French headers, amounts as numbers in
euros) and PDF (weasyprint, French), with the same members and lines the reader may see."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from sqlalchemy.orm import Session

from kit.identity import Principal
from kit.spreadsheet import append_row
from services.billing.labels import RUN_LINE_KINDS, SECTIONS, capitalised
from services.billing.models import Simulation
from services.billing.simulations import comparison, service
from services.billing.simulations.changes import describe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO_FORMAT = '#,##0.00 "€"'
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
KINDS = {"forecast": "prévisionnel", "final": "définitif"}
MEMBER_HEADERS = (
    "Code de l'adhérent", "Adhérent", "Postes (référence)", "Postes (simulation)",
    "Facture de référence", "Facture simulée", "Écart",
    "Fonctionnement facturé (référence)", "Fonctionnement facturé (simulation)",
    "Investissement (référence)", "Investissement (simulation)",
    "Quote-part de masse salariale (référence)", "Quote-part de masse salariale (simulation)",
)  # fmt: skip
LINE_HEADERS = (
    "Code de l'adhérent", "Adhérent", "Ligne", "Nature de la ligne", "Section",
    "Montant de référence", "Montant simulé", "Écart",
)  # fmt: skip


def document(session: Session, simulation: Simulation, principal: Principal) -> dict[str, Any]:
    """What both exports show: the simulation, its base run, its changes, the members."""
    run, base, simulated = service.results(session, simulation)
    only = service.member_filter(principal, None)
    return {
        "simulation": simulation,
        "run": run,
        "run_kind": KINDS.get(run.kind, run.kind),
        "changes": [describe(c) for c in simulation.changes],
        "members": comparison.compare(base, simulated, only=only, lines=True),
        "totals": comparison.compare_totals(base, simulated) if only is None else None,
        "made_on": dt.date.today().strftime("%d/%m/%Y"),
    }


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def workbook(doc: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Adhérents"
    sheet.append(list(MEMBER_HEADERS))
    for m in doc["members"]:
        b, s, d = m["base"], m["simulated"], m["difference"]
        append_row(
            sheet,
            [
                m["member_code"], m["name"], m["workstations"]["base"],
                m["workstations"]["simulated"], _money(b["total"]), _money(s["total"]),
                _money(d["total"]), _money(b["operating_invoiced"]),
                _money(s["operating_invoiced"]), _money(b["investment"]),
                _money(s["investment"]), _money(b["payroll"]), _money(s["payroll"]),
            ],
        )  # fmt: skip
    _euros(sheet, range(5, 14))
    lines = book.create_sheet("Lignes")
    lines.append(list(LINE_HEADERS))
    for m in doc["members"]:
        for ln in m["lines"]:
            append_row(
                lines,
                [
                    m["member_code"], m["name"], ln["label"],
                    capitalised(RUN_LINE_KINDS.get(ln["kind"], ln["kind"])),
                    capitalised(SECTIONS.get(ln["section"], ln["section"])),
                    _money(ln["base"]), _money(ln["simulated"]), _money(ln["difference"]),
                ],
            )  # fmt: skip
    _euros(lines, range(6, 9))
    changes = book.create_sheet("Modifications")
    changes.append(["Simulation", doc["simulation"].name])
    changes.append(["Calcul de référence", f"n° {doc['run'].id} ({doc['run_kind']})"])
    changes.append(["Exercice", doc["simulation"].fiscal_year])
    for n, text in enumerate(doc["changes"], start=1):
        append_row(changes, [f"Modification {n}", text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _euros(sheet: Any, columns: range) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in columns and cell.value is not None:
                cell.number_format = EURO_FORMAT


def euro(value: str | None) -> str:
    if value is None:
        return "—"
    number = Decimal(value)
    text = f"{abs(number):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{'-' if number < 0 else ''}{text} €"


def pdf(doc: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    html = _env.get_template("simulation.html").render(
        d=doc,
        euro=euro,
        kind=lambda k: capitalised(RUN_LINE_KINDS.get(str(k), str(k))),
        section=lambda s: SECTIONS.get(s, s),
    )
    content: bytes = HTML(string=html).write_pdf()
    return content
