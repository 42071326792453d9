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
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import facturx

from services.billing.engine.money import fmt
from services.billing.invoices.settings import IssuerSettings
from services.billing.models import Invoice

OUTSIDE_VAT = "Hors champ d'application de la TVA (remboursement d'un service commun, CGCT)"
LINE_KINDS = {
    "payroll": "Quote-part de masse salariale (postes de travail)",
    "operating": "Coûts de possession — fonctionnement",
    "investment": "Coûts de possession — investissement",
}
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
    def of(cls, settings: IssuerSettings) -> PaymentAccount:
        return cls(
            iban=settings.payment_iban,
            bic=settings.payment_bic,
            name=settings.payment_account_name,
            means_code=settings.payment_means_code,
        )


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


def data_dict(
    invoice: Invoice, original: Invoice | None = None, payment: PaymentAccount | None = None
) -> dict[str, Any]:
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
) -> bytes:
    """The ASAP PDF/A-3 with the CII XML attached as ``factur-x.xml``."""
    pdf: bytes = facturx.generate_from_binary(
        asap_pdf,
        cii_xml(invoice, original, payment),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        check_schematron=False,
    )
    return pdf
