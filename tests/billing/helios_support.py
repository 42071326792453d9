"""Helpers of the Hélios return tests (no test here): the s2low samples as they are, an
acknowledgement built in the shape of the sample for the demo's own bordereaux, two
bordereaux of titles issued from the worked example, payments CSV."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from lxml import etree

from services.billing.invoices.settings import IssuerSettings
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import check

SAMPLES = Path(__file__).resolve().parent / "pes_samples"
ACQUIT_SAMPLE = SAMPLES / "pes_acquit.xml"
XML = {"Content-Type": "application/xml"}
CSV = {"Content-Type": "text/csv"}
FRENCH = {"Accept-Language": "fr"}


def acquit(
    verdicts: list[tuple[dict[str, Any], bool, list[tuple[str, str]]]],
    *,
    id_coll: str | None = None,
    attachments: list[tuple[str, bool]] = (),  # type: ignore[assignment]
    details: dict[int, list[tuple[int, str, str]]] | None = None,
) -> bytes:
    """A PES_ACQUIT V2 in the shape of s2low's sample for ``verdicts`` — (bordereau as the API
    reads it, accepted, [(NumAnoAck, LibelleAnoAck)]) — on this collectivity's header, with
    ``details[bordereau number]`` = [(piece, code, label)] as ``DetailPiece``."""
    settings = IssuerSettings()
    root = etree.parse(str(ACQUIT_SAMPLE)).getroot()
    header = root.find("EnTetePES")
    first = verdicts[0][0] if verdicts else {"budget_code": settings.budget_code}
    values = {"IdPost": settings.accountant_id, "IdColl": id_coll or settings.siret,
              "CodCol": settings.collectivity_code, "CodBud": first["budget_code"],
              "LibelleColBud": "METROPOLE DU GRAND NANCY"}  # fmt: skip
    for tag, value in values.items():
        header.find(tag).set("V", value)
    body = root.find("ACQUIT")
    elements = body.findall("ElementACQUIT")
    bordereau_shape, attachment_shape = elements[0], elements[1]
    for element in elements:
        body.remove(element)
    for bordereau, accepted, errors in verdicts:
        element = copy.deepcopy(bordereau_shape)
        element.find("EtatAck").set("V", "1" if accepted else "0")
        element.find("NumBord").set("V", str(bordereau["number"]))
        element.find("ExerciceBord").set("V", str(bordereau["exercice"]))
        for code, label in errors:
            _error(element, code, label)
        for piece, code, label in (details or {}).get(bordereau["number"], []):
            detail = etree.SubElement(element, "DetailPiece")
            etree.SubElement(detail, "NumPiece").set("V", str(piece))
            _error(detail, code, label)
        body.append(element)
    for ident, accepted in attachments:
        element = copy.deepcopy(attachment_shape)
        element.find("EtatAck").set("V", "1" if accepted else "0")
        element.find("IdUnique").set("V", ident)
        body.append(element)
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")


def _error(parent: Any, code: str, label: str) -> None:
    error = etree.SubElement(parent, "Erreur")
    etree.SubElement(error, "NumAnoAck").set("V", code)
    etree.SubElement(error, "LibelleAnoAck").set("V", label)


def two_bordereaux(service_app: Any) -> tuple[TitlesPlatform, list[dict[str, Any]]]:
    """The worked example's six titles validated in two goes: two bordereaux (1 and 2)."""
    platform = TitlesPlatform(service_app)
    prepared = check(platform.prepare(platform.ready_to_issue()))
    ids = sorted(t["id"] for t in prepared["prepared"])
    made = []
    for part in (ids[:3], ids[3:]):
        made += check(platform.validate(part))["bordereaux"]
    assert [b["number"] for b in made] == [1, 2]
    return platform, made


def post_acquit(platform: TitlesPlatform, xml: bytes, **headers: str) -> Any:
    return platform.billing.post("/acquits", content=xml, headers={**XML, **headers})


def states_of(platform: TitlesPlatform, ids: list[int]) -> set[str]:
    return {check(platform.billing.get(f"/invoices/{i}"))["state"] for i in ids}


def retour(pieces: list[tuple[int, int, int, list[tuple[str, str, int]]]]) -> bytes:
    """A PES_Retour with its recette part, in the shape of its schema (no public sample of
    one exists): ``pieces`` = [(exercice, bordereau, piece, [(DteReco, MtReco, IdEnc.)])]."""
    settings = IssuerSettings()
    ns = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour"
    root = etree.Element(f"{{{ns}}}PES_Retour", nsmap={"n": ns})

    def v(parent: Any, tag: str, value: object) -> Any:
        element = etree.SubElement(parent, tag)
        element.set("V", str(value))
        return element

    params = etree.SubElement(etree.SubElement(root, "Enveloppe"), "Parametres")
    v(params, "Version", "2")
    v(params, "TypFic", "PESRETOUR_REC")
    v(params, "NomFic", "HELIOS_RETOUR_REC_TEST.xml")
    header = etree.SubElement(root, "EnTetePES")
    v(header, "DteStr", "2024-09-30")
    v(header, "IdPost", settings.accountant_id)
    v(header, "IdColl", settings.siret)
    v(header, "CodColl", settings.collectivity_code)
    v(header, "CodBud", settings.budget_code)
    flow = etree.SubElement(root, "PES_RecetteRetour")
    entete = etree.SubElement(flow, "EnTeteRecette")
    v(entete, "IdVer", "2")
    v(entete, "NatInf", "2")
    for exercice, bordereau_number, piece_number, recoveries in pieces:
        bordereau = etree.SubElement(flow, "Bordereau")
        bloc = etree.SubElement(bordereau, "BlocBordereau")
        v(bloc, "Exer", exercice)
        v(bloc, "IdBord", bordereau_number)
        v(bloc, "TypBord", "01")
        v(bloc, "NbrPce", 1)
        v(bloc, "MtBordHt", "100.00")
        piece = etree.SubElement(bordereau, "Piece")
        bloc_piece = etree.SubElement(piece, "BlocPiece")
        v(bloc_piece, "IdPce", piece_number)
        v(bloc_piece, "TypPce", "01")
        v(bloc_piece, "NatPce", "01")
        v(bloc_piece, "EtatPce", "01")
        line = etree.SubElement(piece, "LigneDePiece")
        info = etree.SubElement(etree.SubElement(line, "BlocLignePiece"), "InfoLignePiece")
        v(info, "IdLigne", 1)
        v(info, "MtHT", "100.00")
        for day, amount, ident in recoveries:
            reco = etree.SubElement(line, "Recouvrement")
            v(reco, "TypFlux", "01")
            v(reco, "ModRegl", "01")
            v(reco, "DteReco", day)
            v(reco, "IdEncaissement", ident)
            v(reco, "MtReco", amount)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
