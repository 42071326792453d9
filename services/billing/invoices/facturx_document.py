"""Factur-X (EN 16931 profile) of a title: the ASAP PDF/A-3 with its CII XML embedded.

For members whose finance software ingests structured invoices. The CII XML is built from the
title's frozen content by the ``factur-x`` library's own generator (``generate_cii_xml``) and
checked against the XSD the library ships (offline). The library's own Schematron check needs
a Saxon server and is not run here; the tests run the EN 16931 CII schematron offline
(saxonche, ``tests/billing/test_invoices_facturx_schematron.py``, see docs/billing.md).

Revenue titles are outside the scope of VAT (a public body's reimbursement of a shared
service): every line and the breakdown use category ``O`` with a French exemption reason. A
title (380) names the comptable's Trésor public account as its payment means (BG-16) and the
title's reference as the remittance information. A reduction or cancellation is a credit note
(381) referring to its original title (BG-3), with positive amounts as EN 16931 wants, neither
executory wording nor payment instruction; a cancellation mandate (expense side) has no
Factur-X.

The library writes its own document information and XMP (in English, Producer "pypdf" in the
XMP while the information keeps "WeasyPrint"): both are rewritten from one
``DocumentMetadata`` so that they agree, as PDF/A requires.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import facturx
import pypdf
from lxml import etree

from services.billing.engine.money import fmt
from services.billing.invoices.pdf import (
    DocumentMetadata,
    document_metadata,
    pdf_date,
    utc_second,
    xmp_date,
)
from services.billing.invoices.settings import IssuerSettings
from services.billing.labels import ACCOUNT_LINE_KINDS
from services.billing.models import Invoice

OUTSIDE_VAT = "Hors champ d'application de la TVA (remboursement d'un service commun, CGCT)"
# one label per kind of accounting line, the same on the notice, the PES and the Factur-X
LINE_KINDS = ACCOUNT_LINE_KINDS
CREDIT_KINDS = {"reduction", "cancellation"}
CREDIT_TERMS = (
    "Aucune somme à payer : le présent avis {verb} le titre {original}. Si ce titre a déjà été "
    "payé, le comptable public rembourse le trop-perçu."
)
CREDIT_VERBS = {"reduction": "réduit", "cancellation": "annule"}
PAYMENT_LABELS = {"30": "Virement au Trésor public", "58": "Virement SEPA au Trésor public"}


@dataclasses.dataclass(frozen=True)
class PaymentAccount:
    """Where the debtor pays: the comptable's account (BG-16, settings ``PAYMENT_*``)."""

    iban: str
    bic: str
    name: str
    means_code: str = "58"

    @classmethod
    def of_title(cls, invoice: Invoice, settings: IssuerSettings) -> PaymentAccount:
        """The account frozen in the title at issue; the settings' for a title issued before
        the account was frozen with it (2026-12-02)."""
        frozen = (invoice.content.get("issuer") or {}).get("payment")
        if frozen:
            return cls(
                iban=frozen["iban"],
                bic=frozen["bic"],
                name=frozen["name"],
                means_code=frozen["means_code"],
            )
        return cls.of(settings)

    @classmethod
    def of(cls, settings: IssuerSettings) -> PaymentAccount:
        return cls(
            iban=settings.payment_iban,
            bic=settings.payment_bic,
            name=settings.payment_account_name,
            means_code=settings.payment_means_code,
        )


class NoFacturX(ValueError):
    """This kind of title has no Factur-X (a cancellation mandate is an expense); why, in
    English and in French."""

    def __init__(self, english: str, french: str) -> None:
        super().__init__(english)
        self.french = french


def party(entity: dict[str, Any]) -> dict[str, Any]:
    address = entity.get("address") or {}
    return {
        "name": entity["name"],
        "legal_identifier": entity["siret"],
        # ISO 6523 ICD 0009 is the SIRET (14 digits); 0002 would be the 9-digit SIREN
        "legal_identifier_schemeid": "0009",
        "addr_l1": address.get("line", ""),
        "postcode": address.get("postal_code", ""),
        "city": address.get("city", ""),
        "country_code": "FR",
    }


def money(amount: str | int) -> str:
    value = Decimal(fmt(amount) if isinstance(amount, int) else amount)
    return f"{abs(value):.2f}"


def data_dict(
    invoice: Invoice, original: Invoice | None = None, payment: PaymentAccount | None = None
) -> dict[str, Any]:
    if invoice.kind == "mandate":
        raise NoFacturX(
            "A cancellation mandate is an expense: it has no Factur-X.",
            "Une proposition de mandat d'annulation est une dépense : elle n'a pas de Factur-X.",
        )
    if invoice.issued_on is None:
        raise NoFacturX(
            "A waiting title has no Factur-X yet: it is made at issue.",
            "Un titre en attente n'a pas encore de Factur-X : elle est faite à l'émission.",
        )
    content = invoice.content
    debtor = content["debtor"]
    lines = []
    for index, account in enumerate(content.get("imputation", []), start=1):
        amount = money(account["amount"])
        label = LINE_KINDS.get(account.get("line_kind", ""), "Service commun informatique")
        lines.append(
            {
                "BT-126": str(index),
                "BT-129": "1",
                "BT-130": "C62",  # unit (piece)
                "BT-131": amount,
                "BT-146": amount,
                "BT-153": f"{label} — imputation {account.get('nature', '')}",
                "BT-151": "O",
            }
        )
    total = money(invoice.total_cents)
    credit = invoice.kind in CREDIT_KINDS
    notes = [{"BT-22": invoice.object}]
    if not credit and content.get("executory_wording"):
        notes.append({"BT-22": content["executory_wording"]})
    data: dict[str, Any] = {
        "BT-1": invoice.reference,
        "BT-2": invoice.issued_on,
        "BT-3": "381" if credit else "380",
        "BT-5": "EUR",
        "BG-1": notes,
        "BG-4": party(content["issuer"]),
        "BG-7": party(debtor),
        "BG-25": lines,
        "BG-23": [{"BT-116": total, "BT-117": "0.00", "BT-118": "O", "BT-120": OUTSIDE_VAT}],
        "BT-106": total,
        "BT-109": total,
        "BT-110": "0.00",
        "BT-112": total,
        "BT-115": total,
        # an amount due (a credit note's too) comes with payment terms (BR-CO-25 up to the
        # EN 16931 schematron 1.3.15)
        "BT-20": (
            CREDIT_TERMS.format(
                verb=CREDIT_VERBS[invoice.kind],
                original=original.reference if original else "d'origine",
            )
            if credit
            else content["issuer"].get("payment_terms", "")
        ),
        # the service was rendered over the fiscal year (invoicing period), delivered by its end
        "BT-72": min(invoice.issued_on, dt.date(invoice.fiscal_year, 12, 31)),
        "BT-73": dt.date(invoice.fiscal_year, 1, 1),
        "BT-74": dt.date(invoice.fiscal_year, 12, 31),
    }
    if debtor.get("service_code"):
        data["BT-10"] = debtor["service_code"]  # Chorus Pro service code (buyer reference)
    if debtor.get("commitment_number"):
        data["BT-13"] = debtor["commitment_number"]  # legal commitment (purchase order)
    if original is not None and original.reference:
        data["BG-3"] = [{"BT-25": original.reference, "BT-26": original.issued_on}]
    if payment is not None and not credit:
        data.update(
            {
                "BT-81": payment.means_code,
                "BT-82": PAYMENT_LABELS[payment.means_code],
                "BT-83": invoice.reference,  # "référence du titre à rappeler"
                "BT-84": payment.iban,
                "BT-85": payment.name,
                "BT-86": payment.bic,
            }
        )
    return data


def cii_xml(
    invoice: Invoice, original: Invoice | None = None, payment: PaymentAccount | None = None
) -> bytes:
    xml: bytes = facturx.generate_cii_xml(
        data_dict(invoice, original, payment),
        level="en16931",
        check_xsd=True,
        check_schematron=False,
    )
    return xml


def render_facturx(
    asap_pdf: bytes,
    invoice: Invoice,
    original: Invoice | None = None,
    payment: PaymentAccount | None = None,
    made_at: dt.datetime | None = None,
) -> bytes:
    """The ASAP PDF/A-3 with the CII XML attached as ``factur-x.xml``; created when the ASAP
    was, modified ``made_at`` (now by default)."""
    xml = cii_xml(invoice, original, payment)  # first: it refuses what has no Factur-X
    asap = pypdf.PdfReader(io.BytesIO(asap_pdf))
    meta = facturx_metadata(invoice, asap, made_at)
    pdf: bytes = facturx.generate_from_binary(
        asap_pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        check_schematron=False,
        lang="fr-FR",
    )
    return with_metadata(
        pdf, meta, producer=f"{asap_producer(asap)}, factur-x {facturx.__version__}"
    )


def asap_producer(asap: pypdf.PdfReader) -> str:
    info = asap.metadata
    return str(info.producer) if info is not None and info.producer else "WeasyPrint"


def facturx_metadata(
    invoice: Invoice, asap: pypdf.PdfReader, made_at: dt.datetime | None
) -> DocumentMetadata:
    meta = document_metadata(invoice, made_at)
    created = asap.metadata.creation_date if asap.metadata else None
    return dataclasses.replace(
        meta,
        keywords=(*meta.keywords, "Factur-X", "EN 16931"),
        created=utc_second(created) if created else meta.created,
    )


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMP_NS = {
    "rdf": RDF,
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
# the properties that mirror the document information dictionary (ISO 19005-1, 6.7.3)
MIRRORED = {
    ("dc", "title"), ("dc", "creator"), ("dc", "description"), ("pdf", "Producer"),
    ("pdf", "Keywords"), ("xmp", "CreatorTool"), ("xmp", "CreateDate"), ("xmp", "ModifyDate"),
}  # fmt: skip
MIRRORED_NAMES = {f"{{{XMP_NS[prefix]}}}{name}" for prefix, name in MIRRORED}


def with_metadata(pdf: bytes, meta: DocumentMetadata, producer: str) -> bytes:
    """The PDF with its information dictionary and XMP both saying ``meta``."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # %PDF-1.7, as PDF/A-3 is (pypdf would say 1.3)
    writer.add_metadata(
        {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Subject": meta.subject,
            "/Keywords": ", ".join(meta.keywords),
            "/Creator": meta.creator,
            "/Producer": producer,
            "/CreationDate": pdf_date(meta.created),
            "/ModDate": pdf_date(meta.modified),
        }
    )
    xmp = writer.xmp_metadata
    assert xmp is not None, "the factur-x library writes an XMP packet"
    writer.xmp_metadata = xmp_packet(xmp.stream.get_data(), meta, producer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xmp_packet(packet: bytes, meta: DocumentMetadata, producer: str) -> bytes:
    """The XMP ``packet`` with the mirrored properties replaced by one description of ``meta``
    (the PDF/A identification and the Factur-X extension kept as they are)."""
    root = etree.fromstring(packet)
    rdf = root.find("rdf:RDF", XMP_NS)
    for description in rdf.findall("rdf:Description", XMP_NS):
        for child in list(description):
            if child.tag in MIRRORED_NAMES:
                description.remove(child)
        for attribute in list(description.attrib):
            if attribute in MIRRORED_NAMES:
                del description.attrib[attribute]
        description.set(f"{{{RDF}}}about", "")  # XMP wants it on every description
        if len(description) == 0 and len(description.attrib) == 1:
            rdf.remove(description)  # it held mirrored properties only
    rdf.append(mirrored_description(meta, producer))
    body = etree.tostring(root, encoding="unicode")
    return (
        f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n<?xpacket end="w"?>'
    ).encode()


def mirrored_description(meta: DocumentMetadata, producer: str) -> etree._Element:
    def q(prefix: str, name: str) -> str:
        return f"{{{XMP_NS[prefix]}}}{name}"

    def sub(parent: etree._Element, prefix: str, name: str, text: str | None = None) -> Any:
        element = etree.SubElement(parent, q(prefix, name))
        element.text = text
        return element

    def alt(parent: etree._Element, prefix: str, name: str, text: str) -> None:
        li = sub(sub(sub(parent, prefix, name), "rdf", "Alt"), "rdf", "li", text)
        li.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")

    description = etree.Element(q("rdf", "Description"), {q("rdf", "about"): ""})
    alt(description, "dc", "title", meta.title)
    sub(sub(sub(description, "dc", "creator"), "rdf", "Seq"), "rdf", "li", meta.author)
    alt(description, "dc", "description", meta.subject)
    sub(description, "pdf", "Producer", producer)
    sub(description, "pdf", "Keywords", ", ".join(meta.keywords))
    sub(description, "xmp", "CreatorTool", meta.creator)
    sub(description, "xmp", "CreateDate", xmp_date(meta.created))
    sub(description, "xmp", "ModifyDate", xmp_date(meta.modified))
    return description
