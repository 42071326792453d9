"""The avis des sommes à payer (ASAP) of a title, in French, as a PDF/A-3b (weasyprint)."""

from __future__ import annotations

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
    )


def render_asap(invoice: Invoice, original: Invoice | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    pdf: bytes = HTML(string=html(invoice, original)).write_pdf(
        pdf_variant="pdf/a-3b",
        pdf_identifier=invoice.reference.encode() if invoice.reference else None,
    )
    return pdf
