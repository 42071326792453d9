"""The avis des sommes à payer (ASAP) of a title, in French, as a PDF/A-3b (weasyprint).

Its document information dictionary and its XMP metadata say the same (PDF/A wants them to
agree): one ``DocumentMetadata`` feeds both, here and in the Factur-X made from this PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from stdnum import iban

from services.billing.engine.money import fmt
from services.billing.forecasts.pdf import euro, french_date
from services.billing.invoices.content import SECTION_OF, SECTIONS
from services.billing.labels import ACCOUNT_LINE_KINDS
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
# one label per kind of accounting line, the same on the notice, the PES and the Factur-X
LINE_KINDS = ACCOUNT_LINE_KINDS


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
        iban=iban.format,
    )


PDF_VARIANT = "pdf/a-3b"
CREATOR = "Mutualis"  # the application that made the document: /Creator and xmp:CreatorTool


@dataclass(frozen=True)
class DocumentMetadata:
    """What a title's PDF says of itself, in its information dictionary and its XMP alike."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    created: dt.datetime  # UTC, to the second
    modified: dt.datetime
    creator: str = CREATOR


def utc_second(moment: dt.datetime | None = None) -> dt.datetime:
    return (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)


def xmp_date(moment: dt.datetime) -> str:
    """``2026-12-02T07:11:56Z`` (XMP, W3C); the information dictionary says
    ``D:20261202071156Z`` (``pdf_date``): the same instant, in UTC, to the second."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pdf_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def document_metadata(invoice: Invoice, made_at: dt.datetime | None = None) -> DocumentMetadata:
    content: dict[str, Any] = invoice.content
    moment = utc_second(made_at)
    debtor = content.get("debtor", {}).get("name") or invoice.member_name
    return DocumentMetadata(
        title=f"{KIND_TITLES[invoice.kind]} — n° {invoice.reference}",
        author=content["issuer"]["name"],
        subject=f"{invoice.object} — débiteur : {debtor}",
        keywords=(
            "titre de recettes",
            str(invoice.reference),
            f"exercice {invoice.exercice or invoice.fiscal_year}",
            f"année de service {invoice.fiscal_year}",
            debtor,
        ),
        created=moment,
        modified=moment,
    )


def render_asap(
    invoice: Invoice, original: Invoice | None = None, made_at: dt.datetime | None = None
) -> bytes:
    """The PDF/A-3b; ``made_at`` (now by default) is its creation date."""
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    document = HTML(string=html(invoice, original)).render(pdf_variant=PDF_VARIANT)
    meta = document_metadata(invoice, made_at)
    # weasyprint writes each of these to the information dictionary and to the XMP alike
    document.metadata.title = meta.title
    document.metadata.authors = [meta.author]
    document.metadata.description = meta.subject
    document.metadata.keywords = list(meta.keywords)
    document.metadata.generator = meta.creator
    document.metadata.created = xmp_date(meta.created)  # weasyprint writes it D:…Z in the info
    document.metadata.modified = xmp_date(meta.modified)
    pdf: bytes = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_identifier=invoice.reference.encode() if invoice.reference else None,
    )
    return pdf
