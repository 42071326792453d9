"""PDF/A metadata: the document information dictionary and the XMP of the generated ASAP and
Factur-X agree (ISO 19005: Title, Author, Subject, Keywords, Creator, Producer, dates), once
each, in French, and say what the title is."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
from lxml import etree

from tests.billing.invoices_support import TitlesPlatform

XMP_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
}
MIRRORED = (
    "dc:title", "dc:creator", "dc:description", "pdf:Producer", "pdf:Keywords",
    "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate",
)  # fmt: skip


def utc(moment: dt.datetime | None) -> dt.datetime:
    assert moment is not None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def metadata(pdf: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the information dictionary says, what the XMP says), field by field."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    info, xmp = reader.metadata, reader.xmp_metadata
    assert info is not None
    assert xmp is not None
    packet = etree.fromstring(xmp.stream.get_data())
    for name in MIRRORED:  # once: a second copy would let two values disagree unseen
        assert packet.xpath(f"count(//{name} | //@{name})", namespaces=XMP_NS) == 1, name
    assert all(
        d.get(f"{{{XMP_NS['rdf']}}}about") == ""
        for d in packet.iterfind(".//rdf:Description", XMP_NS)
    )
    return (
        {
            "Producer": info.producer,
            "Creator": info.creator,
            "Title": info.title,
            "Author": info.author,
            "Subject": info.subject,
            "Keywords": info.get("/Keywords"),
            "CreationDate": utc(info.creation_date),
            "ModDate": utc(info.modification_date),
        },
        {
            "Producer": xmp.pdf_producer,
            "Creator": xmp.xmp_creator_tool,
            "Title": (xmp.dc_title or {}).get("x-default"),
            "Author": ", ".join(xmp.dc_creator or []),
            "Subject": (xmp.dc_description or {}).get("x-default"),
            "Keywords": xmp.pdf_keywords,
            "CreationDate": utc(xmp.xmp_create_date),
            "ModDate": utc(xmp.xmp_modify_date),
        },
    )


def _title_and_reduction(platform: TitlesPlatform) -> tuple[dict[str, Any], dict[str, Any]]:
    platform.issued(platform.ready_to_issue())
    title = platform.titles(member_code="ludres", section="operating")[0]
    reduction = platform.correct(
        title["id"],
        **{
            "kind": "reduction",
            "amount": "100.00",
            "lines": [{"line_kind": "payroll", "amount": "100.00"}],
            "reason": "Erreur matérielle sur les postes",
        },
    )
    assert reduction.status_code == 201, reduction.text
    return title, reduction.json()


def test_the_information_dictionary_and_the_xmp_agree(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)  # the notice is made at validation
    title, reduction = _title_and_reduction(platform)
    for invoice in (title, reduction):
        for document in ("asap.pdf", "facturx.pdf"):
            pdf = platform.billing.get(f"/invoices/{invoice['id']}/{document}").content
            info, xmp = metadata(pdf)
            assert info == xmp, f"{invoice['reference']} {document}"
            assert info["Creator"] == "Mutualis"
            assert info["Producer"].startswith("WeasyPrint ")
            assert info["Author"] == "Métropole du Grand Nancy"
            assert invoice["reference"] in info["Title"]
            assert info["Subject"].startswith(invoice["object"])
            assert info["Subject"].endswith("débiteur : Ludres")
            assert before <= info["CreationDate"] <= info["ModDate"]
    assert info["Title"] == f"Avis de réduction de titre — n° {reduction['reference']}"


def test_the_facturx_says_what_it_adds_and_keeps_its_asaps_creation_date(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    title, _ = _title_and_reduction(platform)
    asap_info, _ = metadata(platform.billing.get(f"/invoices/{title['id']}/asap.pdf").content)
    pdf = platform.billing.get(f"/invoices/{title['id']}/facturx.pdf").content
    info, _ = metadata(pdf)
    assert (
        info["Title"] == asap_info["Title"] == f"Avis des sommes à payer — n° {title['reference']}"
    )
    assert info["CreationDate"] == asap_info["CreationDate"]  # made from that very ASAP
    assert info["Producer"] == f"{asap_info['Producer']}, factur-x 7.8"
    assert info["Keywords"] == f"{asap_info['Keywords']}, Factur-X, EN 16931"
    assert asap_info["Keywords"] == (
        f"titre de recettes, {title['reference']}, exercice 2024, année de service 2024, Ludres"
    )
    # the Factur-X extension schema stays declared, with its values
    packet = etree.fromstring(pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data())
    assert packet.xpath("string(//fx:ConformanceLevel)", namespaces=XMP_NS) == "EN 16931"
    assert packet.xpath("string(//fx:DocumentFileName)", namespaces=XMP_NS) == "factur-x.xml"
    assert packet.xpath("count(//rdf:li[pdfaSchema:prefix='fx'])", namespaces={
        **XMP_NS, "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#"}) == 1  # fmt: skip
