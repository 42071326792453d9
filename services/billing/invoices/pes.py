"""PES V2 ``PES_Aller`` files (flow ``PES_RecetteAller``) for a bordereau of titles, built with
lxml and checked against the DGFiP schemas vendored in ``pes_v2_schemas/`` (unchanged copy of
``../shared/pes-v2``, see its README).

Triplets (TypBord TypPce NatPce): ordinary title 01 01 01 (operating) / 01 01 02 (investment);
complementary title 01 01 07; reduction or cancellation of a title of the same fiscal year
02 02 06 with ``RattachPiece`` (NatPceOrig 01, ExerRat = Exer, IdPceOrig = original number,
IdLigneOrig). Amounts in PES are always positive; the bordereau type says it reduces.

Dematerialised (``InfoDematerialisee`` 1): each bordereau has an ``Id``, its ``MtCumulAnnuel``
and an enveloped XAdES signature (``signing.py``); each piece references (``PJRef``) its notice
(the ASAP PDF/A), carried in the same file as a ``PES_PJ`` (gzip then base64, as Class_PJ.xsd
says); a title of a type 01 bordereau asks the DGFiP's centralised edition of the ASAP
(``Edition`` 01: the DGFiP sends it to the debtor, on Chorus Pro for a public body), a
reduction or cancellation carries its notice without edition. The PES v4.7.1 recette piece
has no field for the Chorus Pro references (``CodeService``/``NumeroEngagement`` came with
v5): a debtor's service code and legal commitment are put in the piece's object (``ObjPce``),
which the ASAP prints, and on the attached notice (docs/billing.md, "Hélios").
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import unicodedata
from base64 import b64encode
from collections.abc import Callable
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
    basis = line_basis(invoice, str(account.get("line_kind")))
    label = f"{invoice.reference} {what} {invoice.fiscal_year} compte {account['nature']}"
    return f"{label} {basis}" if basis and invoice.kind == "title" else label


def line_basis(invoice: Invoice, line_kind: str) -> str:
    """The base de liquidation of an accounting line, in short (the notice attached has it
    in full)."""
    basis = invoice.content.get("calculation_basis") or {}
    if line_kind == "payroll":
        rows = basis.get("payroll") or []
        if rows:
            row = rows[0]
            return f"base {row['workstations']} postes sur {row['total_workstations']}"
        return ""
    direct = len(basis.get("direct") or [])
    drivers = len(basis.get("drivers") or [])
    parts = [f"{direct} couts directs" if direct else ""]
    parts.append(f"{drivers} inducteurs" if drivers else "")
    found = " et ".join(p for p in parts if p)
    capped = " apres ecretement" if basis.get("cap") else ""
    return f"base {found}{capped}" if found else ""


def piece_object(invoice: Invoice) -> str:
    """``ObjPce``: the title's object, then the debtor's Chorus Pro references (service code,
    legal commitment) when it has them — the PES v4.7.1 piece has no field of their own."""
    debtor = invoice.content.get("debtor") or {}
    refs = []
    if debtor.get("service_code"):
        refs.append(f"SERVICE {text(str(debtor['service_code']), 60)}")
    if debtor.get("commitment_number"):
        refs.append(f"EJ {text(str(debtor['commitment_number']), 50)}")
    if not refs:
        return text(invoice.object, 160)
    suffix = " - ".join(refs)[:150]
    return f"{text(invoice.object, 160 - len(suffix) - 3)} - {suffix}"


def notice_id(invoice: Invoice) -> str:
    """``IdUnique`` of a title's notice: unique whatever the exercice, budget or domain."""
    reference = re.sub(r"[^0-9A-Za-z]", "", invoice.reference or str(invoice.id))
    return f"ASAP{reference}"[:50]


def notice_name(invoice: Invoice) -> str:
    return f"avis-sommes-a-payer-{invoice.reference or invoice.id}.pdf"[:100]


def bordereau_xml_id(budget: Budget, bordereau_type: str, number: int) -> str:
    """The bordereau's ``Id`` (unique in the file), which its signature references."""
    code = re.sub(r"[^0-9A-Za-z]", "", budget.code)
    return f"ID{budget.exercice}{code}{bordereau_type}{number:07d}"


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


def _piece(
    parent: etree._Element, invoice: Invoice, original: Invoice | None, *, attached: bool
) -> None:
    typ_bord, typ_pce, nat_pce = triplet(invoice)
    piece = etree.SubElement(parent, "Piece")
    bloc = etree.SubElement(piece, "BlocPiece")
    _v(bloc, "IdPce", str(invoice.number))
    _v(bloc, "TypPce", typ_pce)
    _v(bloc, "NatPce", nat_pce)
    if attached and typ_bord == "01":
        _v(bloc, "Edition", "01")  # the DGFiP edits and sends the ASAP, the notice attached
    _v(bloc, "ObjPce", piece_object(invoice))
    if attached:
        ref = etree.SubElement(bloc, "PJRef")
        _v(ref, "Support", "01")  # electronic, in this file's PES_PJ
        _v(ref, "IdUnique", notice_id(invoice))
        _v(ref, "NomPJ", notice_name(invoice))
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


def _attachments(
    root: etree._Element, invoices: list[Invoice], notices: dict[int, bytes], typ_bord: str
) -> None:
    """``PES_PJ``: each title's notice, gzip then base64 (Class_PJ.xsd), referenced back to
    its piece (``RefCompta``: domain 02 recette, exercice, bordereau type, title number)."""
    pes_pj = etree.SubElement(root, "PES_PJ")
    _v(etree.SubElement(pes_pj, "EnTetePES_PJ"), "IdVer", "1")
    for invoice in invoices:
        pj = etree.SubElement(pes_pj, "PJ")
        content = etree.SubElement(etree.SubElement(pj, "Contenu"), "Fichier")
        content.set("MIMEType", "application/pdf")
        packed = gzip.compress(notices[invoice.id], mtime=0)
        content.text = b64encode(packed).decode()
        _v(pj, "IdUnique", notice_id(invoice))
        _v(pj, "NomPJ", notice_name(invoice))
        _v(pj, "TypePJ", "002")  # recette
        _v(pj, "Description", text(f"Avis des sommes a payer du titre {invoice.reference}", 250))
        ref = etree.SubElement(pj, "RefCompta")
        _v(ref, "Domaine", "02")
        _v(ref, "Exercice", invoice.exercice or invoice.fiscal_year)
        _v(ref, "TypeObjet", typ_bord)
        _v(ref, "Identifiant", str(invoice.number))


Seal = Callable[[etree._Element], etree._Element]


def build(
    *,
    settings: IssuerSettings,
    budget: Budget,
    number: int,
    bordereau_type: str,
    issued_on: dt.date,
    invoices: list[Invoice],
    originals: dict[int, Invoice],
    cumulative_cents: int | None = None,
    notices: dict[int, bytes] | None = None,
    seal: Seal | None = None,
) -> tuple[str, bytes]:
    """The file name and bytes of the PES_Aller of one bordereau, on ``budget``'s exercice
    (``Exer``) and budget (``CodBud``). With ``seal`` (which signs the tree's bordereaux) the
    flow is dematerialised: ``InfoDematerialisee`` 1, the bordereau's ``Id`` and
    ``MtCumulAnnuel`` (``cumulative_cents``: this series' bordereaux of the exercice so far,
    this one included); ``notices`` (title id → PDF) are attached as ``PES_PJ``."""
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
    _v(entete, "InfoDematerialisee", "1" if seal else "0")
    bord = etree.SubElement(flow, "Bordereau")
    total = sum(abs(i.total_cents) for i in invoices)
    if seal:
        bord.set("Id", bordereau_xml_id(budget, bordereau_type, number))
    bloc = etree.SubElement(bord, "BlocBordereau")
    _v(bloc, "Exer", budget.exercice)
    _v(bloc, "IdBord", number)
    _v(bloc, "DteBordEm", issued_on.isoformat())
    _v(bloc, "TypBord", bordereau_type)
    _v(bloc, "NbrPce", len(invoices))
    if seal or cumulative_cents:
        _v(bloc, "MtCumulAnnuel", fmt(cumulative_cents or total))
    _v(bloc, "MtBordHt", fmt(total))
    attached = notices is not None
    for invoice in invoices:
        original = originals.get(invoice.original_id) if invoice.original_id else None
        _piece(bord, invoice, original, attached=attached)
    if notices is not None:
        _attachments(root, invoices, notices, bordereau_type)
    if seal is None:
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return name, xml
    # indented before signing: what is signed is the text as sent, never re-indented after
    indented = etree.fromstring(etree.tostring(root, pretty_print=True))
    signed: bytes = etree.tostring(seal(indented), xml_declaration=True, encoding="UTF-8")
    return name, signed
