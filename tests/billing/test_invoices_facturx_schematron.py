"""Factur-X checked against EN 16931 offline: the XML embedded in real generated titles, their
reduction, cancellation and complementary title, run through the Factur-X EN 16931 XSD (shipped
by the ``factur-x`` package) and the ConnectingEurope CII schematron (compiled XSLT, vendored in
``tests/billing/en16931/``, see its README) executed by saxonche."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import facturx
import pytest
from lxml import etree
from saxonche import PySaxonProcessor, PyXsltExecutable

from tests.billing.invoices_support import TitlesPlatform

XSLT = Path(__file__).parent / "en16931" / "EN16931-CII-validation.xslt"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
REASON = "Erreur matérielle sur le nombre de postes de travail"


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str
    location: str
    text: str

    def __str__(self) -> str:
        return f"[{self.flag}] {self.rule} at {self.location}: {self.text}"


@functools.cache
def _processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)  # one per worker process: it starts a Saxon VM


@functools.cache
def _validation() -> PyXsltExecutable:
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(XSLT))


def schematron_findings(xml: bytes) -> list[Finding]:
    """Every failed assert and successful report of the EN 16931 CII schematron (its SVRL)."""
    document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    svrl = _validation().transform_to_string(xdm_node=document)
    root = etree.fromstring(svrl.encode("utf-8"))
    assert root.tag == "{http://purl.oclc.org/dsdl/svrl}schematron-output", svrl[:500]
    assert root.findall("svrl:fired-rule", SVRL), "no rule of the schematron fired"
    return [
        Finding(
            rule=node.get("id", ""),
            flag=node.get("flag", ""),
            location=node.get("location", ""),
            text=" ".join((node.findtext("svrl:text", "", SVRL) or "").split()),
        )
        for node in root.xpath("svrl:failed-assert | svrl:successful-report", namespaces=SVRL)
    ]


def assert_en16931(xml: bytes, what: str) -> list[Finding]:
    """No fatal finding; the warnings are named in the message (and returned)."""
    findings = schematron_findings(xml)
    fatal = [f for f in findings if f.flag == "fatal"]
    warnings = [f for f in findings if f.flag != "fatal"]
    report = "\n".join(str(f) for f in fatal + warnings)
    assert not fatal, f"{what}: {len(fatal)} fatal, {len(warnings)} warnings\n{report}"
    return warnings


def embedded_xml(pdf: bytes) -> bytes:
    filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    return bytes(xml)


def _titles_and_corrections(platform: TitlesPlatform) -> dict[str, dict[str, Any]]:
    """A title of each section, then a reduction, a cancellation and a complementary title."""
    platform.issued(platform.ready_to_issue())
    titles = {(t["member_code"], t["section"]): t for t in platform.titles()}
    documents = {
        "titre (fonctionnement)": titles["ludres", "operating"],
        "titre (investissement)": titles["nancy", "investment"],
    }
    for name, key, kind, amount in (
        ("réduction", ("ludres", "operating"), "reduction", "100.00"),
        ("annulation", ("laxou", "operating"), "cancellation", None),
        ("titre complémentaire", ("nancy", "investment"), "complementary", "10.00"),
    ):
        body: dict[str, Any] = {"kind": kind, "reason": REASON}
        if amount:
            body["amount"] = amount
        if key == ("ludres", "operating"):  # two lines: the one in error is named
            body["lines"] = [{"line_kind": "payroll", "amount": amount}]
        response = platform.correct(titles[key]["id"], **body)
        assert response.status_code == 201, response.text
        documents[name] = response.json()
    return documents


def test_every_kind_of_title_passes_the_en16931_xsd_and_schematron(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    for name, invoice in _titles_and_corrections(platform).items():
        response = platform.billing.get(f"/invoices/{invoice['id']}/facturx.pdf")
        assert response.status_code == 200, response.text
        xml = embedded_xml(response.content)
        assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"), name
        warnings = assert_en16931(xml, name)
        assert warnings == [], "\n".join(map(str, warnings))


def test_the_schematron_fails_an_invoice_that_breaks_a_rule(service_app: Any) -> None:
    """The harness is not vacuous: the same real XML without its seller's name (BT-27,
    mandatory) or with lines that no longer add up to the total is refused, by rule."""
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    title = platform.titles(member_code="ludres", section="operating")[0]
    xml = embedded_xml(platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content)

    root = etree.fromstring(xml)
    name = root.find(".//ram:SellerTradeParty/ram:Name", NS)
    name.getparent().remove(name)
    with pytest.raises(AssertionError, match=r"BR-06"):
        assert_en16931(etree.tostring(root), "sans nom du vendeur")

    root = etree.fromstring(xml)
    line_total = root.find(".//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount", NS)
    line_total.text = "1.00"
    with pytest.raises(AssertionError, match=r"BR-CO-10"):
        assert_en16931(etree.tostring(root), "lignes qui ne font pas le total")
