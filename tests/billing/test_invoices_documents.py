"""Documents of titles: PES V2 files valid against the DGFiP schemas, the ASAP as a PDF/A in
French with the calculation basis, each with its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from pathlib import Path
from typing import Any

import xmlschema
from lxml import etree

from services.billing.invoices import pes
from services.billing.invoices.pdf import html
from services.billing.models import Invoice
from tests.billing.invoices_support import SIGNATORY, TitlesPlatform
from tests.billing.upstream import YEAR
from tests.conftest import as_contact

REASON = "Erreur matérielle sur la clé de répartition"
SCHEMAS = pes.SCHEMAS


def _with_corrections(service_app: Any) -> TitlesPlatform:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    titles = {(t["member_code"], t["section"]): t["id"] for t in platform.titles()}
    for key, kind, amount in (
        (("ludres", "operating"), "reduction", "100.00"),
        (("nancy", "investment"), "complementary", "10.00"),
        (("laxou", "operating"), "cancellation", None),
    ):
        body = {"kind": kind, "reason": REASON}
        if amount:
            body["amount"] = amount
        if key == ("ludres", "operating"):  # two lines: the one in error is named
            body["lines"] = [{"line_kind": "payroll", "amount": amount}]
        response = platform.correct(titles[key], **body)
        assert response.status_code == 201, response.text
    return platform


def test_every_pes_file_is_valid_against_the_dgfip_schemas(service_app: Any) -> None:
    platform = _with_corrections(service_app)
    bordereaux = platform.billing.get("/bordereaux").json()["items"]
    assert sorted((b["type"], b["number"]) for b in bordereaux) == [
        ("01", 1), ("01", 2), ("02", 1), ("02", 2),
    ]  # fmt: skip
    schema = xmlschema.XMLSchema(str(SCHEMAS / "PES_V2" / "Rev0" / "PES_Aller.xsd"))
    for bordereau in bordereaux:
        response = platform.billing.get(f"/bordereaux/{bordereau['id']}/pes.xml")
        assert response.status_code == 200
        digest = hashlib.sha256(response.content).hexdigest()
        assert response.headers["X-Content-SHA256"] == digest == bordereau["sha256"]
        schema.validate(response.content.decode())  # raises with the reason when invalid
        assert pes.validation_errors(response.content) == []


def test_a_reduction_is_an_02_02_06_piece_linked_to_its_original(service_app: Any) -> None:
    platform = _with_corrections(service_app)
    original = next(t for t in platform.titles(member_code="ludres", section="operating"))
    reduction_id = original["corrections"][0]["id"]
    response = platform.billing.get(f"/invoices/{reduction_id}/pes.xml")
    root = etree.fromstring(response.content)

    def value(path: str) -> list[str]:
        return [e.get("V") for e in root.iter(path)]

    assert (value("TypBord"), value("TypPce"), value("NatPce")) == (["02"], ["02"], ["06"])
    assert value("IdPceOrig") == [str(original["number"])]
    assert value("ExerRat") == [str(YEAR)]
    assert value("MtBordHt") == ["100.00"]


def test_a_wrong_pes_file_is_reported_invalid(service_app: Any) -> None:
    platform = _with_corrections(service_app)
    first = platform.billing.get("/bordereaux").json()["items"][0]
    xml = platform.billing.get(f"/bordereaux/{first['id']}/pes.xml").content
    broken = xml.replace(b'<TypBord V="01"/>', b'<TypBord V="07"/>')
    assert broken != xml
    assert pes.validation_errors(broken) != []


def test_the_vendored_schemas_are_the_dgfip_files_listed_in_their_readme() -> None:
    readme = (SCHEMAS / "README.md").read_text()
    rows = re.findall(r"\| `([^`]+\.xsd)` \|.*\| (\d+) \| `([0-9a-f]{16})` \|", readme)
    assert len(rows) == 35
    for name, size, digest in rows:
        data = (SCHEMAS / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()[:16]) == (int(size), digest), name
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "pes-v2"
    for name, _size, _digest in rows if shared.is_dir() else ():
        assert (shared / name).read_bytes() == (SCHEMAS / name).read_bytes(), name


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (to read its metadata)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_the_asap_is_a_pdfa_made_once_with_its_digest(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    title = platform.titles(member_code="ludres", section="operating")[0]
    first = platform.billing.get(f"/invoices/{title['id']}/asap.pdf")
    assert first.status_code == 200
    assert first.content.startswith(b"%PDF-")
    assert b'pdfaid:part="3"' in _inflated(first.content)  # PDF/A-3 in the XMP metadata
    assert b"/OutputIntents" in _inflated(first.content)
    assert first.headers["X-Content-SHA256"] == hashlib.sha256(first.content).hexdigest()
    second = platform.billing.get(f"/invoices/{title['id']}/asap.pdf")
    assert second.content == first.content
    etag = first.headers["ETag"]
    cached = platform.billing.get(
        f"/invoices/{title['id']}/asap.pdf", headers={"If-None-Match": etag}
    )
    assert cached.status_code == 304


def test_the_asap_says_everything_a_valid_title_needs(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    data = platform.titles(member_code="ludres", section="operating")[0]
    fields = ("kind", "fiscal_year", "section", "member_code", "reference", "object", "content")
    invoice = Invoice(**{k: data[k] for k in fields})
    invoice.total_cents, invoice.reason = 210000, None
    invoice.issued_on = dt.date.fromisoformat(data["issued_on"])
    invoice.signatory_name = f"{SIGNATORY['first_name']} {SIGNATORY['last_name']}"
    invoice.signatory_function = SIGNATORY["qualite"]
    invoice.signatory_delegation = SIGNATORY["delegation_reference"]
    text = html(invoice)
    for expected in (
        "Avis des sommes à payer", f"{YEAR}-01-000004", "Métropole du Grand Nancy",
        "Ludres", data["content"]["debtor"]["siret"], "70845", "70875",
        "2\u202f000,00 €",  # payroll: 20 workstations × 100.00
        "20", "100,00 €", "écrêtement -250,00 €", "2021, 2022, 2023", "2\u202f100,00 €",
        "L.252 A", "tribunal administratif", "deux mois", "Vice-présidente déléguée",
        "D5211-16",
        "par délégation de l'ordonnateur (arrêté n° 2020-118 du 16 juillet 2020)",
    ):  # fmt: skip
        assert expected in text, expected


def test_member_contacts_get_their_documents_but_no_bordereau(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    own = platform.titles(member_code="ludres")[0]["id"]
    other = platform.titles(member_code="nancy")[0]["id"]
    headers = as_contact("ludres")
    assert platform.billing.get(f"/invoices/{own}/asap.pdf", headers=headers).status_code == 200
    assert platform.billing.get(f"/invoices/{other}/asap.pdf", headers=headers).status_code == 404
    assert platform.billing.get("/bordereaux/1/pes.xml", headers=headers).status_code == 404
    assert platform.billing.get(f"/invoices/{own}/pes.xml", headers=headers).status_code == 404
