"""Documents the service renders: CSV exports and PDFs (weasyprint, no network: the CSS is
embedded, no remote font or image)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from kit.spreadsheet import safe_row

TEMPLATES = Path(__file__).resolve().parent / "templates"
env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return " ; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return str(value)


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with BOM and semicolons: what a French spreadsheet opens without a question."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + out.getvalue()).encode()


def euro(value: Any) -> str:
    """``"1234.5"`` → ``"1 234,50 €"``."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    text = f"{abs(number):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{'-' if number < 0 else ''}{text} €"


def number(value: Any, unit: str = "") -> str:
    """A measured value the French way: ``"1234.5"`` → ``"1 234,5"``; a percentage keeps at
    most one decimal (``"99.46", "%"`` → ``"99,5 %"``); ``"—"`` when missing."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value))
    if unit == "%":
        amount = amount.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    text = format(amount.normalize() if amount == amount.to_integral() else amount, "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    shown = ("-" if amount < 0 else "") + grouped + ("," + fraction if fraction else "")
    return f"{shown}\u00a0{unit}" if unit else shown


def render_html(template: str, **context: Any) -> str:
    return env.get_template(template).render(euro=euro, cell=cell, number=number, **context)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def table_pdf(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    return render_pdf(
        render_html(
            "table.html", title=title, headers=headers, rows=rows, generated_on=dt.date.today()
        )
    )
