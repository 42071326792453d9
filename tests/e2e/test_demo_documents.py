"""Every document of the demo, as `make run` makes it (real processes, the demo's titles of two
years and its corrections, each prepared by finance and validated by the signatory): the notice
names the bordereau the PES file carries, no document has an English word or a raw code, and
every Factur-X passes the EN 16931 schematron with the legal identifiers right (issue 16)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

from tests.billing.test_documents_french import offences, pdf_text, xml_texts
from tests.billing.test_invoices_facturx_schematron import NS, assert_en16931, embedded_xml
from tests.e2e.conftest import Platform

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password


@pytest.fixture(scope="module")
def api(platform: Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.url("gateway"), timeout=120) as client:
        token = client.post(
            "/api/auth/token",
            data={"username": "finance@dsit.example", "password": DEMO_PASSWORD},
        )
        assert token.status_code == 200, token.text
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client


def pieces(api: httpx.Client) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/billing/invoices", params=params).json()
        out += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return [p for p in out if p["status"] in ("issued", "cancelled")]


def test_the_demo_has_titles_of_two_years_and_corrections_all_validated(
    api: httpx.Client,
) -> None:
    found = pieces(api)
    assert {p["fiscal_year"] for p in found if p["kind"] == "title"} >= {2024, 2025}
    assert {p["kind"] for p in found} >= {"title", "reduction", "complementary"}
    assert {p["signatory"]["delegation"] for p in found} == {
        "arrêté n° 2020-118 du 16 juillet 2020 (démo)"
    }


def test_each_notice_names_the_bordereau_its_pes_file_carries(api: httpx.Client) -> None:
    pes_number: dict[int, str] = {}
    for piece in pieces(api):
        bordereau = piece["bordereau"]
        assert bordereau is not None, piece["reference"]
        if bordereau["id"] not in pes_number:
            xml = api.get(f"/api/billing/bordereaux/{bordereau['id']}/pes.xml").content
            (id_bord,) = etree.fromstring(xml).iter("{*}IdBord")
            pes_number[bordereau["id"]] = id_bord.get("V")
        text = pdf_text(api.get(f"/api/billing/invoices/{piece['id']}/asap.pdf").content)
        printed = re.search(r"bordereau n° (\d+)", " ".join(text.split()))
        assert printed is not None, piece["reference"]
        assert printed.group(1) == pes_number[bordereau["id"]], piece["reference"]


def test_no_demo_document_has_an_english_word_or_a_raw_code(api: httpx.Client) -> None:
    found = pieces(api)
    problems: dict[str, list[str]] = {}
    for piece in found:
        name = f"{piece['kind']} {piece['reference']}"
        notice = pdf_text(api.get(f"/api/billing/invoices/{piece['id']}/asap.pdf").content)
        problems[f"notice of {name}"] = offences(notice, accents_kept=True)
        xml = embedded_xml(api.get(f"/api/billing/invoices/{piece['id']}/facturx.pdf").content)
        problems[f"Factur-X of {name}"] = offences("\n".join(xml_texts(xml)), accents_kept=True)
    for bordereau in {p["bordereau"]["id"] for p in found}:
        xml = api.get(f"/api/billing/bordereaux/{bordereau}/pes.xml").content
        problems[f"PES {bordereau}"] = offences("\n".join(xml_texts(xml)), accents_kept=False)
    for year in sorted({p["fiscal_year"] for p in found}):
        for part in ("titles", "lines"):
            csv = api.get(f"/api/billing/invoices/export/{year}.csv", params={"part": part})
            text = csv.content.decode("utf-8-sig").split("\n", 1)[1]  # the keys' header aside
            problems[f"CSV {year} {part}"] = offences(text, accents_kept=True)
    assert {k: v for k, v in problems.items() if v} == {}
    assert len(problems) > 2 * len(found)


def test_every_demo_facturx_passes_en16931_with_the_legal_identifiers(api: httpx.Client) -> None:
    members = {
        m["code"]: m
        for m in api.get("/api/registry/members", params={"limit": "500"}).json()["items"]
    }
    for piece in pieces(api):
        xml = embedded_xml(api.get(f"/api/billing/invoices/{piece['id']}/facturx.pdf").content)
        assert_en16931(xml, piece["reference"])
        root = etree.fromstring(xml)
        for party, siret in (
            ("SellerTradeParty", piece["content"]["issuer"]["siret"]),
            ("BuyerTradeParty", members[piece["member_code"]]["siret"]),
        ):
            (legal,) = root.xpath(
                f"//ram:{party}/ram:SpecifiedLegalOrganization/ram:ID", namespaces=NS
            )
            assert (legal.get("schemeID"), legal.text) == ("0009", siret), piece["reference"]


def test_each_demo_bordereau_is_signed_with_the_helios_policy_and_carries_its_notices(
    api: httpx.Client,
) -> None:
    """The first "done when" of issue 19: a demo bordereau's PES carries a verifying XAdES
    signature with the Hélios policy (the demo's certificate, self-signed), its notices as
    PES_PJ, and still validates against the vendored schemas."""
    from base64 import b64decode

    from cryptography import x509
    from signxml import SignatureConfiguration, XMLVerifier

    from services.billing.invoices import pes
    from services.billing.invoices.signing import DEMO_MARK, POLICY_OID

    ds, xad = "{http://www.w3.org/2000/09/xmldsig#}", "{http://uri.etsi.org/01903/v1.1.1#}"
    bordereaux = api.get("/api/billing/bordereaux", params={"limit": "200"}).json()["items"]
    assert bordereaux
    for bordereau in bordereaux:
        xml = api.get(f"/api/billing/bordereaux/{bordereau['id']}/pes.xml").content
        assert pes.validation_errors(xml) == [], bordereau["file_name"]
        assert bordereau["signed_by"] == "Claire Exemple (démo, fictive)"
        root = etree.fromstring(xml)
        (certificate_text,) = [e.text for e in root.iter(f"{ds}X509Certificate")]
        certificate = x509.load_der_x509_certificate(b64decode(certificate_text or ""))
        assert DEMO_MARK in certificate.subject.rfc4514_string()
        results = XMLVerifier().verify(
            xml, x509_cert=certificate, expect_config=SignatureConfiguration(expect_references=2)
        )
        assert results[0].signed_xml.get("Id") == next(root.iter("Bordereau")).get("Id")
        assert [e.text for e in root.iter(f"{xad}Identifier")] == [POLICY_OID]
        referenced = [e.get("V") for e in root.iterfind(".//PJRef/IdUnique")]
        attached = [e.get("V") for e in root.iterfind("PES_PJ/PJ/IdUnique")]
        assert referenced == attached
        assert len(attached) == len(bordereau["invoice_ids"])
