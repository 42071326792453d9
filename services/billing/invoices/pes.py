"""PES V2 ``PES_Aller`` files (flow ``PES_RecetteAller``) for a bordereau of titles, built with
lxml and checked against the DGFiP schemas vendored in ``pes_v2_schemas/`` (unchanged copy of
``../shared/pes-v2``, see its README).

Triplets (TypBord TypPce NatPce): ordinary title 01 01 01 (operating) / 01 01 02 (investment);
complementary title 01 01 07; reduction or cancellation of a title of the same fiscal year
02 02 06 with ``RattachPiece`` (NatPceOrig 01, ExerRat = Exer, IdPceOrig = original number,
IdLigneOrig). Amounts in PES are always positive; the bordereau type says it reduces.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from services.billing.engine.money import fmt
from services.billing.invoices.exercice import Budget
from services.billing.invoices.settings import IssuerSettings
from services.billing.labels import ACCOUNT_LINE_KINDS
from services.billing.models import Invoice

SCHEMAS = Path(__file__).resolve().parent / "pes_v2_schemas"
ROOT_SCHEMA = SCHEMAS / "PES_V2" / "Rev0" / "PES_Aller.xsd"
NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
NAT_PCE = {"operating": "01", "investment": "02"}


def bordereau_type(kind: str) -> str:
    return "02" if kind in ("reduction", "cancellation") else "01"


def triplet(invoice: Invoice) -> tuple[str, str, str]:
    if invoice.kind in ("reduction", "cancellation"):
        return "02", "02", "06"
    if invoice.kind == "complementary":
        return "01", "01", "07"
    return "01", "01", NAT_PCE[invoice.section]


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(ROOT_SCHEMA)))


def validation_errors(xml: bytes) -> list[str]:
    """Every error of the file against the schemas (empty when valid)."""
    checker = schema()
    if checker.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]


def text(value: str, size: int) -> str:
    """PES text: upper case, no accents, at most ``size`` characters."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(plain.upper().split())[:size] or "-"


def split_words(value: str, *sizes: int) -> list[str]:
    """PES text cut into fields of ``sizes`` characters at word boundaries (a word longer than
    a field is cut); what does not fit in the last field is dropped. Empty fields are left
    out at the end."""
    words = text(value, 10_000).split()
    out: list[str] = []
    for size in sizes:
        field = ""
        while words:
            word = words[0]
            candidate = f"{field} {word}".strip()
            if len(candidate) <= size:
                field = candidate
                words.pop(0)
            elif not field:  # a word longer than the field
                field, words[0] = word[:size], word[size:]
                break
            else:
                break
        out.append(field)
    while out and not out[-1]:
        out.pop()
    return out or ["-"]


def line_label(invoice: Invoice, account: dict[str, Any]) -> str:
    """``ObjLignePce``: the title, what the line is for (in French, from the one table of
    ``services/billing/labels.py``), the service year, the account."""
    what = ACCOUNT_LINE_KINDS.get(str(account.get("line_kind")), "Frais du service commun")
    return f"{invoice.reference} {what} {invoice.fiscal_year} compte {account['nature']}"


def _v(parent: etree._Element, tag: str, value: str | int) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.set("V", str(value))
    return element


def _tiers(parent: etree._Element, debtor: dict[str, Any]) -> None:
    tiers = etree.SubElement(parent, "Tiers")
    info = etree.SubElement(tiers, "InfoTiers")
    _v(info, "IdTiers", debtor["siret"])
    _v(info, "NatIdTiers", "01")  # SIRET
    _v(info, "CatTiers", debtor["category"])
    _v(info, "NatJur", debtor["legal_nature"])
    _v(info, "TypTiers", "01")
    name = split_words(debtor["name"], 38, 38)
    _v(info, "Nom", name[0])
    if len(name) > 1:
        _v(info, "ComplNom", name[1])
    address = etree.SubElement(tiers, "Adresse")
    _v(address, "TypAdr", "1")
    street = split_words(debtor["address"]["line"], 38, 38)
    _v(address, "Adr2", street[0])
    if len(street) > 1:
        _v(address, "Adr3", street[1])
    _v(address, "CP", debtor["address"]["postal_code"])
    _v(address, "Ville", text(debtor["address"]["city"], 38))
    _v(address, "CodRes", "0")


def original_line_number(original: Invoice, account: dict[str, Any], index: int) -> int:
    """The line of the original piece a correction line is attached to (``IdLigneOrig``)."""
    if "original_line" in account:
        return int(account["original_line"])
    kinds = [line["line_kind"] for line in original.content["imputation"]]
    kind = account.get("original_line_kind")
    return kinds.index(kind) + 1 if kind in kinds else index


def _piece(parent: etree._Element, invoice: Invoice, original: Invoice | None) -> None:
    _, typ_pce, nat_pce = triplet(invoice)
    piece = etree.SubElement(parent, "Piece")
    bloc = etree.SubElement(piece, "BlocPiece")
    _v(bloc, "IdPce", str(invoice.number))
    _v(bloc, "TypPce", typ_pce)
    _v(bloc, "NatPce", nat_pce)
    _v(bloc, "ObjPce", text(invoice.object, 160))
    content = invoice.content
    for index, account in enumerate(content["imputation"], start=1):
        ligne = etree.SubElement(piece, "LigneDePiece")
        bloc_ligne = etree.SubElement(ligne, "BlocLignePiece")
        info = etree.SubElement(bloc_ligne, "InfoLignePiece")
        _v(info, "IdLigne", index)
        _v(info, "ObjLignePce", text(line_label(invoice, account), 160))
        _v(info, "CodProdLoc", account["nature"][:4])
        _v(info, "Nature", account["nature"])
        _v(info, "Fonction", account["function"])
        _v(info, "Majo", "0")
        _v(info, "TvaIntraCom", "0")
        _v(info, "MtHT", account["amount"].lstrip("-"))
        if original is not None and invoice.kind in ("reduction", "cancellation"):
            rattach = etree.SubElement(bloc_ligne, "RattachPiece")
            _v(rattach, "NatPceOrig", "01")
            _v(rattach, "ExerRat", original.exercice or original.fiscal_year)
            _v(rattach, "IdPceOrig", str(original.number))
            _v(rattach, "IdLigneOrig", original_line_number(original, account, index))
        _tiers(ligne, content["debtor"])


def build(
    *,
    settings: IssuerSettings,
    budget: Budget,
    number: int,
    bordereau_type: str,
    issued_on: dt.date,
    invoices: list[Invoice],
    originals: dict[int, Invoice],
) -> tuple[str, bytes]:
    """The file name and bytes of the PES_Aller of one bordereau, on ``budget``'s exercice
    (``Exer``) and budget (``CodBud``)."""
    name = f"PESALR1_{text(budget.name, 40).replace(' ', '_')}_{budget.exercice}_{budget.code}_{bordereau_type}_{number:06d}.xml"  # noqa: E501
    root = etree.Element(f"{{{NS}}}PES_Aller", nsmap={"n": NS})
    params = etree.SubElement(etree.SubElement(root, "Enveloppe"), "Parametres")
    _v(params, "Version", "1")
    _v(params, "TypFic", "PESALR1")
    _v(params, "NomFic", name[:100])
    header = etree.SubElement(root, "EnTetePES")
    _v(header, "DteStr", issued_on.isoformat())
    _v(header, "IdPost", settings.accountant_id)
    _v(header, "LibellePoste", text(settings.accountant_name, 38))
    _v(header, "IdColl", settings.siret)
    _v(header, "CodCol", settings.collectivity_code)
    _v(header, "CodBud", budget.code)
    _v(header, "LibelleColBud", text(budget.name, 38))
    flow = etree.SubElement(root, "PES_RecetteAller")
    entete = etree.SubElement(flow, "EnTeteRecette")
    _v(entete, "IdVer", "2")
    _v(entete, "InfoDematerialisee", "0")
    bord = etree.SubElement(flow, "Bordereau")
    bloc = etree.SubElement(bord, "BlocBordereau")
    _v(bloc, "Exer", budget.exercice)
    _v(bloc, "IdBord", number)
    _v(bloc, "DteBordEm", issued_on.isoformat())
    _v(bloc, "TypBord", bordereau_type)
    _v(bloc, "NbrPce", len(invoices))
    _v(bloc, "MtBordHt", fmt(sum(abs(i.total_cents) for i in invoices)))
    for invoice in invoices:
        original = originals.get(invoice.original_id) if invoice.original_id else None
        _piece(bord, invoice, original)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return name, xml
