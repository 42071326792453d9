"""Every document of a realistic year reads French, with labels instead of codes.

The set: the titles of both sections of three debtors (one capped, one whose payroll count
differs from the ``workstations`` driver), a reduction, a cancellation and a complementary
title; for each, its notice (PDF text), its Factur-X (the CII XML's text nodes), the PES files
of every bordereau (every value: PES carries its text in ``V`` attributes), and the titles
export as CSV (both parts) and XLSX (every cell). The catalogue uses the demo's kinds of codes.

What counts as English, and why the list is what it is:

- ``ENGLISH`` are words a French document never needs and that the code uses: the section
  codes (operating, investment), line kinds (payroll, cap), natures that are not French
  (hosting, subscription), statuses and kinds (ready, issued, liquidated, cancelled, title,
  mandate, cancellation, complementary), and words of the engine (pool, share, cost, driver,
  workstation(s), accounts, storage, invoice, member, forecast, amount) plus Python/JSON
  leaks (None, null, true, false). Matched as whole words, case-insensitive: PES is upper
  case.
- Left out on purpose, because they are also French and a document rightly uses them:
  nature, section, service, budget, total, direct, indirect, maintenance, licence,
  acquisition, final, balance, code. "nature" as an English *code* is caught by its code
  forms instead (``CODE_FORM``: ``nature_code``, ``line_kind``, ``driver_code``…).
- ``reduction`` is English only with its accents missing: PES strips every accent (Hélios
  wants plain upper case, so "Réduction" is rightly "REDUCTION" there); it is checked in the
  other documents, where French keeps "réduction".
- ``RAW_CODES`` are the demo's codes that must show as their catalogue names: driver codes,
  component codes, the nature codes above. Member codes are not in it: the exports carry the
  member's code on purpose, as an identifier column beside its name.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import facturx
import pytest
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR

ENGLISH = (
    "payroll", "operating", "investment", "hosting", "subscription", "pool", "pools", "share",
    "cost", "costs", "driver", "drivers", "workstation", "workstations", "accounts", "storage",
    "title", "titles", "mandate", "ready", "issued", "liquidated", "cancelled", "cancellation",
    "complementary", "invoice", "invoices", "member", "members", "forecast", "amount", "cap",
    "none", "null", "true", "false",
)  # fmt: skip
ENGLISH_WITH_ACCENTS_KEPT = ("reduction", "reductions")
CODE_FORM = re.compile(r"\b[a-z]+_(code|kind|id|label|name|amount|cents)\b", re.IGNORECASE)
RAW_CODES = (
    "business_app_accounts", "workstations", "fibre-metropole", "ciril-rh", "antivirus-edr",
    "postes-2024", "san-netapp", "finances-rh", "postes-de-travail",
)  # fmt: skip
REASON = "Erreur matérielle sur la clé de répartition"


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def raw_code(code: str, lowered: str) -> bool:
    """``code`` as a whole token (``workstations`` but not ``postes-de-travail-2``)."""
    return re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", lowered) is not None


def offences(text: str, *, accents_kept: bool) -> list[str]:
    found = words(text) & set(ENGLISH)
    if accents_kept:
        found |= words(text) & set(ENGLISH_WITH_ACCENTS_KEPT)
    out = sorted(found)
    out += [m.group(0) for m in CODE_FORM.finditer(text)]
    lowered = text.lower()
    out += [
        code for code in RAW_CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", lowered)
    ]
    return out


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


SIGNATURE_NAMESPACES = ("http://www.w3.org/2000/09/xmldsig#", "http://uri.etsi.org/01903/")


def xml_texts(xml: bytes) -> Iterator[str]:
    """Every text node and every attribute value a person may read (PES writes its text in
    ``V``) — not the signature (digests, certificates) nor the attached files' base64, whose
    random letters make words by chance."""
    for element in etree.fromstring(xml).iter():
        if not isinstance(element.tag, str) or element.tag.startswith(
            tuple("{" + ns for ns in SIGNATURE_NAMESPACES)
        ):
            continue
        values = [element.text or "", *element.attrib.values()]
        yield from (v for v in values if v.strip() and not _binary(v))


def _binary(value: str) -> bool:
    """Base64 of a file: long, only base64's alphabet (lines may be broken)."""
    return len(value) > 200 and re.fullmatch(r"[A-Za-z0-9+/=\s]+", value) is not None


@pytest.fixture
def year_of_titles(service_app: Any) -> TitlesPlatform:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue(example=platform.named_example))
    titles = {(t["member_code"], t["section"]): t["id"] for t in platform.titles()}
    for key, kind, amount in (
        (("ludres", "operating"), "reduction", "100.00"),
        (("nancy", "investment"), "complementary", "10.00"),
        (("laxou", "operating"), "cancellation", None),
    ):
        body: dict[str, Any] = {"kind": kind, "reason": REASON}
        if amount:
            body["amount"] = amount
        if key == ("ludres", "operating"):  # two accounting lines: the one in error is named
            body["lines"] = [{"line_kind": "payroll", "amount": amount}]
        response = platform.correct(titles[key], **body)
        assert response.status_code == 201, response.text
    return platform


def documents(platform: TitlesPlatform) -> Iterator[tuple[str, str, bool]]:
    """(name, text, accents kept) of every document a person reads."""
    billing = platform.billing
    pieces = platform.titles(limit=100)
    pieces += [
        c for t in pieces for c in billing.get(f"/invoices/{t['id']}/corrections").json()["items"]
    ]
    assert {p["kind"] for p in pieces} >= {"title", "reduction", "cancellation", "complementary"}
    assert {p["section"] for p in pieces} == {"operating", "investment"}
    for piece in {p["id"]: p for p in pieces}.values():
        name = f"{piece['kind']} {piece['reference']}"
        asap = billing.get(f"/invoices/{piece['id']}/asap.pdf")
        assert asap.status_code == 200, asap.text
        yield f"notice of {name}", pdf_text(asap.content), True
        made = billing.get(f"/invoices/{piece['id']}/facturx.pdf")
        assert made.status_code == 200, made.text
        _, xml = facturx.get_facturx_xml_from_pdf(made.content, check_xsd=False)
        yield f"Factur-X of {name}", "\n".join(xml_texts(xml)), True
    for bordereau in billing.get("/bordereaux").json()["items"]:
        xml = billing.get(f"/bordereaux/{bordereau['id']}/pes.xml").content
        yield f"PES of bordereau {bordereau['id']}", "\n".join(xml_texts(xml)), False
    for part in ("titles", "lines"):
        csv = billing.get(f"/invoices/export/{YEAR}.csv", params={"part": part})
        yield f"CSV export ({part})", csv.content.decode("utf-8-sig"), True
    book = load_workbook(io.BytesIO(billing.get(f"/invoices/export/{YEAR}.xlsx").content))
    for sheet in book.worksheets:
        cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        yield f"XLSX sheet {sheet.title}", "\n".join(cells), True


def test_no_document_of_the_year_has_an_english_word_or_a_raw_code(
    year_of_titles: TitlesPlatform,
) -> None:
    found = {
        name: bad
        for name, text, accents in documents(year_of_titles)
        if (bad := offences(text, accents_kept=accents))
    }
    assert found == {}


def test_the_notice_names_components_drivers_and_natures(year_of_titles: TitlesPlatform) -> None:
    ludres = next(
        t for t in year_of_titles.titles(member_code="ludres") if t["section"] == "operating"
    )
    text = " ".join(
        pdf_text(year_of_titles.billing.get(f"/invoices/{ludres['id']}/asap.pdf").content).split()
    )
    assert "Boucle fibre métropolitaine — hébergement" in text
    assert "Comptes actifs des logiciels finances et RH" in text
    assert "Postes de travail gérés" in text


def test_the_checker_catches_what_the_documents_used_to_say() -> None:
    """The list is not empty talk: the texts found before this work are refused."""
    assert offences("fibre-metropole — hosting", accents_kept=True) == [
        "hosting", "fibre-metropole",
    ]  # fmt: skip
    assert offences("business_app_accounts — coût réparti", accents_kept=True)
    assert offences("2024-F-000001 PAYROLL NATURE 70845", accents_kept=False) == ["payroll"]
    assert offences("REDUCTION DU TITRE", accents_kept=False) == []
    assert offences("Reduction du titre", accents_kept=True) == ["reduction"]
    assert offences("Réduction du titre, nature 70845", accents_kept=True) == []
    assert offences("line_kind: operating", accents_kept=True) == ["operating", "line_kind"]
