"""Factur-X: the ASAP with an EN 16931 CII XML embedded, valid against the shipped XSD."""

from __future__ import annotations

import hashlib
from typing import Any

import facturx
from lxml import etree

from tests.billing.invoices_support import TitlesPlatform

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
    assert sum(float(a.text) for a in line_amounts) == float(title["total"])  # noqa: RUF069
    again = platform.billing.get(f"/invoices/{title['id']}/facturx.pdf")
    assert again.content == response.content  # stored once, the same bytes after


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
