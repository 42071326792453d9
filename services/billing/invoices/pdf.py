"""The avis des sommes à payer (ASAP) of a title, in French, as a PDF/A-3b (weasyprint)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.billing.engine.money import fmt
from services.billing.forecasts.pdf import euro, french_date
from services.billing.invoices.content import SECTION_OF, SECTIONS
from services.billing.models import Invoice

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
KIND_TITLES = {
    "title": "Avis des sommes à payer",
    "complementary": "Avis des sommes à payer — titre complémentaire",
    "reduction": "Avis de réduction de titre",
    "cancellation": "Avis d'annulation de titre",
    "mandate": "Avis d'annulation (mandat sur exercice antérieur)",
}
LINE_KINDS = {
    "payroll": "Masse salariale (poste de travail)",
    "operating": "Frais de fonctionnement",
    "investment": "Investissement",
}


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")  # fmt: skip


def long_date(value: str | dt.date | None) -> str:
    """``25 septembre 2023`` (``1er`` for the first day of a month)."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def deliberation(reference: str | None, on: str | dt.date | None) -> str:
    """A deliberation as a French reader expects it, whatever the registry holds: "délibération
    n° 5 du 25 septembre 2023" — never "délibération Délibération …" nor an ISO date twice."""
    label = " ".join((reference or "").split())
    if label and not label.lower().startswith("délibération"):
        label = f"délibération {label}"
    when = long_date(on)
    if when and when not in label:
        label = f"{label} du {when}" if label else f"délibération du {when}"
    return label


def html(invoice: Invoice, original: Invoice | None = None) -> str:
    content: dict[str, Any] = invoice.content
    return _env.get_template("asap.html").render(
        i=invoice,
        c=content,
        b=content.get("calculation_basis"),
        heading=KIND_TITLES[invoice.kind],
        total=fmt(invoice.total_cents),
        original=original,
        euro=euro,
        date=french_date,
        section=SECTIONS[invoice.section],
        section_of=SECTION_OF[invoice.section],
        line_kind=lambda k: LINE_KINDS.get(k, k),
        deliberation=deliberation,
    )


def render_asap(invoice: Invoice, original: Invoice | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    pdf: bytes = HTML(string=html(invoice, original)).write_pdf(
        pdf_variant="pdf/a-3b",
        pdf_identifier=invoice.reference.encode() if invoice.reference else None,
    )
    return pdf
