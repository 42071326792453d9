"""Factur-X: the ASAP with an EN 16931 CII XML embedded, valid against the shipped XSD; the
comptable's account as payment means; a reduction as a credit note without executory wording
nor payment instruction. (The EN 16931 schematron: ``test_invoices_facturx_schematron.py``.)"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import facturx
import pytest
from lxml import etree
from pydantic import ValidationError

from services.billing.invoices.content import EXECUTORY
from services.billing.invoices.deps import issuer_settings
from services.billing.invoices.settings import IssuerSettings
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.test_documents_french import pdf_text

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def issued_title(platform: TitlesPlatform, member: str = "ludres") -> dict[str, Any]:
    run_id = platform.ready_to_issue()
    platform.issued(run_id)
    titles = platform.titles(member_code=member, section="operating")
    return titles[0]


def embedded_xml(pdf: bytes) -> etree._Element:
    filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    return etree.fromstring(xml)


def test_a_title_has_a_valid_facturx_with_its_amounts(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    title = issued_title(platform)
    response = platform.billing.get(f"/invoices/{title['id']}/facturx.pdf")
    assert response.status_code == 200
    assert response.headers["x-content-sha256"] == hashlib.sha256(response.content).hexdigest()
    root = embedded_xml(response.content)
    assert facturx.xml_check_xsd(etree.tostring(root), flavor="factur-x", level="en16931")
    doc_id = root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=NS)
    type_code = root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS)
    due = root.findtext(".//ram:DuePayableAmount", namespaces=NS)
    seller_siret = root.findtext(".//ram:SellerTradeParty//ram:ID", namespaces=NS)
    buyer = root.findtext(".//ram:BuyerTradeParty/ram:Name", namespaces=NS)
    assert (doc_id, type_code) == (title["reference"], "380")
    assert due == title["total"]
    assert seller_siret == title["content"]["issuer"]["siret"]
    assert buyer == title["content"]["debtor"]["name"]
    line_amounts = root.findall(
        ".//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount", namespaces=NS
    )
    assert sum(Decimal(a.text) for a in line_amounts) == Decimal(title["total"])
    again = platform.billing.get(f"/invoices/{title['id']}/facturx.pdf")
    assert again.content == response.content  # stored once, the same bytes after


def notes(root: etree._Element) -> list[str]:
    return [n.text or "" for n in root.findall(".//ram:IncludedNote/ram:Content", NS)]


def test_a_reduction_is_a_credit_note_referring_to_its_original(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    title = issued_title(platform)
    created = platform.correct(
        title["id"],
        **{
            "kind": "reduction",
            "amount": "100.00",
            "lines": [{"line_kind": "payroll", "amount": "100.00"}],
            "reason": "Erreur matérielle sur les postes",
        },
    )
    assert created.status_code == 201, created.text
    response = platform.billing.get(f"/invoices/{created.json()['id']}/facturx.pdf")
    root = embedded_xml(response.content)
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    assert root.findtext(".//ram:DuePayableAmount", namespaces=NS) == "100.00"
    preceding = root.findtext(
        ".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS
    )
    assert preceding == title["reference"]
    # nothing to pay: neither the executory wording nor the comptable's account
    assert EXECUTORY not in notes(root)
    assert root.find(".//ram:SpecifiedTradeSettlementPaymentMeans", NS) is None
    terms = root.findtext(".//ram:SpecifiedTradePaymentTerms/ram:Description", namespaces=NS)
    assert terms.startswith(f"Aucune somme à payer : le présent avis réduit le titre {preceding}")


def test_a_cancellation_is_a_credit_note_of_the_whole_balance(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    title = issued_title(platform, member="laxou")
    created = platform.correct(
        title["id"],
        **{"kind": "cancellation", "reason": "Titre émis à tort"},
    )
    assert created.status_code == 201, created.text
    root = embedded_xml(
        platform.billing.get(f"/invoices/{created.json()['id']}/facturx.pdf").content
    )
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    assert root.findtext(".//ram:DuePayableAmount", namespaces=NS) == title["total"]
    assert EXECUTORY not in notes(root)
    terms = root.findtext(".//ram:SpecifiedTradePaymentTerms/ram:Description", namespaces=NS)
    assert terms.startswith(
        f"Aucune somme à payer : le présent avis annule le titre {title['reference']}"
    )


def payment_means(root: etree._Element) -> dict[str, str | None]:
    means = root.find(".//ram:SpecifiedTradeSettlementPaymentMeans", NS)
    assert means is not None, "no payment means (BG-16)"
    return {
        "code": means.findtext("ram:TypeCode", namespaces=NS),
        "label": means.findtext("ram:Information", namespaces=NS),
        "iban": means.findtext("ram:PayeePartyCreditorFinancialAccount/ram:IBANID", namespaces=NS),
        "name": means.findtext(
            "ram:PayeePartyCreditorFinancialAccount/ram:AccountName", namespaces=NS
        ),
        "bic": means.findtext(
            "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", namespaces=NS
        ),
        "reference": root.findtext(".//ram:PaymentReference", namespaces=NS),
    }


def test_a_title_is_paid_to_the_comptables_account_of_the_demo(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    title = issued_title(platform)
    root = embedded_xml(platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content)
    assert payment_means(root) == {
        "code": "58",  # SEPA credit transfer
        "label": "Virement SEPA au Trésor public",
        "iban": "FR7630001000540000000000190",
        "name": "Trésor public — SGC FICTIF",
        "bic": "BDFEFRPPCCT",
        "reference": title["reference"],  # the reference the debtor recalls with the payment
    }
    assert EXECUTORY in notes(root)  # a title is executory
    terms = root.findtext(".//ram:SpecifiedTradePaymentTerms/ram:Description", namespaces=NS)
    assert terms.startswith("Paiement par virement au Trésor public")  # BT-20 (was BR-CO-25)


def test_the_payment_means_come_from_the_issuer_settings(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    settings = IssuerSettings(
        payment_iban="fr76 3000 1006 4000 0000 0005 465",
        payment_bic="bdfefrpp",
        payment_account_name="Trésor public — SGC de Nancy",
        payment_means_code="30",
    )
    platform.billing_app.dependency_overrides[issuer_settings] = lambda: settings
    title = issued_title(platform)
    root = embedded_xml(platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content)
    means = payment_means(root)
    assert (means["code"], means["label"]) == ("30", "Virement au Trésor public")
    assert (means["iban"], means["bic"]) == ("FR7630001006400000000005465", "BDFEFRPP")
    assert means["name"] == "Trésor public — SGC de Nancy"


def test_the_account_is_frozen_at_issue_and_printed_on_the_notice(service_app: Any) -> None:
    """A title issued says where it is paid for good: a later change of the settings (a new
    account of the comptable) changes the titles issued afterwards only."""
    platform = TitlesPlatform(service_app)
    title = issued_title(platform)
    moved = IssuerSettings(payment_iban="FR76 3000 1006 4000 0000 0005 465")
    platform.billing_app.dependency_overrides[issuer_settings] = lambda: moved
    root = embedded_xml(platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content)
    assert payment_means(root)["iban"] == "FR7630001000540000000000190"  # as issued
    notice = pdf_text(platform.billing.get(f"/invoices/{title['id']}/asap.pdf").content)
    flat = " ".join(notice.split())
    assert "IBAN FR76 3000 1000 5400 0000 0000 190" in flat
    assert "BIC BDFEFRPPCCT" in flat


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("payment_iban", "FR76 3000 1000 5400 0000 0000 191"),  # checksum
        ("payment_iban", "FR76 3000 1000 54"),  # too short
        ("payment_bic", "BDFE1RPPCCT"),  # a digit in the country code
        ("payment_means_code", "31"),  # a debit transfer: not how a title is paid
    ],
)
def test_the_issuer_settings_refuse_a_wrong_payment_account(field: str, value: str) -> None:
    """Every debtor pays to this account: the app refuses to start with a wrong one."""
    with pytest.raises(ValidationError) as refused:
        IssuerSettings(**{field: value})
    assert refused.value.errors()[0]["loc"] == (field,)


def test_the_demo_payment_account_is_valid_and_compact() -> None:
    settings = IssuerSettings()
    assert settings.payment_iban == "FR7630001000540000000000190"
    assert settings.payment_bic == "BDFEFRPPCCT"


def test_the_wording_of_an_investment_title_is_french(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    title = platform.titles(member_code="nancy", section="investment")[0]
    pdf = platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content
    _, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=False)
    text = xml.decode()
    assert "section d'investissement" in notes(etree.fromstring(xml))[0]
    assert "de investissement" not in text
    assert "de fonctionnement" not in text  # an investment title says nothing of operating


def test_a_waiting_title_has_no_facturx_yet(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(bp_voted=())
    platform.issued(run_id)
    waiting = platform.titles(status="ready")[0]
    response = platform.billing.get(f"/invoices/{waiting['id']}/facturx.pdf")
    assert response.status_code == 409


def test_the_legal_identifiers_are_sirets_under_scheme_0009(service_app: Any) -> None:
    """ISO 6523: 0009 is the SIRET (14 digits), 0002 the SIREN (9): a SIRET under 0002 is a
    wrong identifier for the buyer's and the seller's legal registration."""
    from lxml import etree

    platform = TitlesPlatform(service_app)
    title = issued_title(platform)
    pdf = platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content
    from facturx import get_xml_from_pdf

    _, xml = get_xml_from_pdf(pdf, check_xsd=False)
    root = etree.fromstring(xml)
    ids = root.xpath("//*[local-name()='SpecifiedLegalOrganization']/*[local-name()='ID']")
    assert len(ids) == 2
    for element in ids:
        assert element.get("schemeID") == "0009"
        assert len(element.text) == 14
