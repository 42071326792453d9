"""Factur-X (EN 16931 profile) of a title: the ASAP PDF/A-3 with its CII XML embedded.

For members whose finance software ingests structured invoices. The CII XML is built from the
title's frozen content by the ``factur-x`` library's own generator (``generate_cii_xml``) and
checked against the XSD the library ships (offline). Its Schematron check needs a Saxon server
and is not run: the XSD check is the validation we rely on (see docs/billing.md).

Revenue titles are outside the scope of VAT (a public body's reimbursement of a shared
service): every line and the breakdown use category ``O`` with a French exemption reason. A
reduction or cancellation title is a credit note (type 381) whose amounts are positive, as
EN 16931 wants; a cancellation mandate (expense side) has no Factur-X.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import facturx

from services.billing.engine.money import fmt
from services.billing.models import Invoice

OUTSIDE_VAT = "Hors champ d'application de la TVA (remboursement d'un service commun, CGCT)"
LINE_KINDS = {
    "payroll": "Quote-part de masse salariale (postes de travail)",
    "operating": "Coûts de possession — fonctionnement",
    "investment": "Coûts de possession — investissement",
}
CREDIT_KINDS = {"reduction", "cancellation"}


class NoFacturX(ValueError):
    """This kind of title has no Factur-X (a cancellation mandate is an expense)."""


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


def data_dict(invoice: Invoice, original: Invoice | None = None) -> dict[str, Any]:
    if invoice.kind == "mandate":
        raise NoFacturX("A cancellation mandate is an expense: it has no Factur-X.")
    if invoice.issued_on is None:
        raise NoFacturX("A waiting title has no Factur-X yet: it is made at issue.")
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
    data: dict[str, Any] = {
        "BT-1": invoice.reference,
        "BT-2": invoice.issued_on,
        "BT-3": "381" if invoice.kind in CREDIT_KINDS else "380",
        "BT-5": "EUR",
        "BG-1": [{"BT-22": invoice.object}, {"BT-22": content.get("executory_wording", "")}],
        "BG-4": party(content["issuer"]),
        "BG-7": party(debtor),
        "BG-25": lines,
        "BG-23": [{"BT-116": total, "BT-117": "0.00", "BT-118": "O", "BT-120": OUTSIDE_VAT}],
        "BT-106": total,
        "BT-109": total,
        "BT-110": "0.00",
        "BT-112": total,
        "BT-115": total,
        "BT-20": content["issuer"].get("payment_terms", ""),
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
    return data


def cii_xml(invoice: Invoice, original: Invoice | None = None) -> bytes:
    xml: bytes = facturx.generate_cii_xml(
        data_dict(invoice, original), level="en16931", check_xsd=True, check_schematron=False
    )
    return xml


def render_facturx(asap_pdf: bytes, invoice: Invoice, original: Invoice | None = None) -> bytes:
    """The ASAP PDF/A-3 with the CII XML attached as ``factur-x.xml``."""
    pdf: bytes = facturx.generate_from_binary(
        asap_pdf,
        cii_xml(invoice, original),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        check_schematron=False,
    )
    return pdf
