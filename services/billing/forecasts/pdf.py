"""The forecast notification as a PDF in French (weasyprint)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
SECTIONS = {"operating": "fonctionnement", "investment": "investissement"}


def euro(value: str | None) -> str:
    """``"1234.5"`` → ``"1 234,50 €"`` (French grouping; more decimals kept for unit prices)."""
    if value is None:
        return "—"
    number = Decimal(value)
    places = max(2, -int(number.as_tuple().exponent))
    text = f"{abs(number):,.{places}f}".replace(",", "\u202f").replace(".", ",")
    return f"{'-' if number < 0 else ''}{text} €"


def french_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "non encore mise à disposition"
    return value.strftime("%d/%m/%Y")


def render_pdf(notification: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    html = _env.get_template("forecast.html").render(
        n=notification,
        f=notification["forecast"],
        euro=euro,
        section=lambda s: SECTIONS.get(s, s),
        available=french_date(notification["made_available_at"]),
        deadline=french_date(notification["budget_deadline"]),
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
