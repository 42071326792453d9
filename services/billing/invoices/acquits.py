"""Acknowledgements from Hélios (``PES_ACQUIT`` V2): each bordereau it names (``NumBord`` +
``ExerciceBord``, on the budget and collectivity of its ``EnTetePES``) is taken (pris en
charge, ``EtatAck`` 1) or rejected (0) with the DGFiP's errors; each attached document
(``IdUnique``) likewise. The file is checked against the vendored V2 schema
(``pes_v2_schemas/PES_V2/Rev0/PES_V2_Acquit_Autonome_V2.xsd``) and kept with what it did.

What cannot be applied is reported, never ignored: a bordereau Mutualis did not make, one of
another collectivity or budget, a document no bordereau carries, a bordereau already
acknowledged otherwise. The same file uploaded twice changes nothing (its SHA-256 is kept).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy.orm import Session

from kit import audit
from kit.db import utcnow
from kit.errors import ValidationFailed
from kit.identity import Principal
from services.billing.invoices import helios_repository
from services.billing.invoices.settings import IssuerSettings
from services.billing.models import Acknowledgement, AuditEntry, Bordereau

SCHEMAS = Path(__file__).resolve().parent / "pes_v2_schemas"
ACQUIT_SCHEMA = SCHEMAS / "PES_V2" / "Rev0" / "PES_V2_Acquit_Autonome_V2.xsd"
ACQUIT_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

# Mutualis' reading of the DGFiP's codes (the schema gives codes only, no text): shown beside
# the label the acknowledgement carries, which is always kept as it came
EXPLANATIONS = {
    "ERREUR_ENCODING": "Le fichier n'est pas dans l'encodage déclaré.",
    "ERREUR_FLUX_VIDE": "Le flux ne contient aucun bordereau.",
    "ERREUR_SCHEMA_INCOMPLET": "Le fichier n'est pas conforme au schéma PES V2.",
    "ERREUR_CODIFICATION": "Un code du fichier (triplet, nature, fonction…) est refusé.",
    "ERREUR_CODIQUE": "Le code du poste comptable (IdPost) est inconnu ou erroné.",
    "ERREUR_SIRET": "Le SIRET de la collectivité (IdColl) est inconnu ou erroné.",
    "ERREUR_CODE_COLLECTIVITE_BUDGET": "Le code collectivité ou le code budget est erroné.",
    "ERREUR_VERSION_PES": "La version du PES n'est pas acceptée.",
    "ERREUR_SIGNATURE_INVALIDE": "La signature électronique ne se vérifie pas.",
    "ERREUR_SIGNATURE_BORDEREAU_INVALIDE": "La signature du bordereau ne se vérifie pas.",
    "ERREUR_CERTIFICAT": "Le certificat du signataire est refusé (expiré, révoqué, inconnu).",
    "ERREUR_DOUBLON_BORDEREAU": "Ce numéro de bordereau a déjà été pris en charge.",
    "ERREUR_DOUBLON_PIECE": "Ce numéro de pièce a déjà été pris en charge.",
    "ERREUR_DOUBLON_PJ": "Cette pièce jointe a déjà été reçue.",
    "ERREUR_PJ": "Une pièce jointe est illisible ou manquante.",
    "ERREUR_CUMUL_MONTANTS": "Les montants cumulés ne correspondent pas au total du bordereau.",
    "ERREUR_MONTANT_TVA_ZERO_NEGATIF": "Un montant de TVA est nul ou négatif.",
    "ERREUR_AUTRE": "Autre anomalie : voir le libellé de la DGFiP.",
}


@dataclass
class AckElement:
    """One ``ElementACQUIT``: a bordereau (number, exercice) or a document (IdUnique)."""

    domain: str
    accepted: bool
    number: int | None = None
    exercice: int | None = None
    id_unique: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Acquit:
    file_name: str | None
    header: dict[str, str]
    elements: list[AckElement]


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(ACQUIT_SCHEMA)))


def _refused(english: str, french: str, errors: list[str] | None = None) -> ValidationFailed:
    return ValidationFailed(
        f"{english}; nothing was changed.",
        detail_fr=f"{french} ; rien n'a été modifié.",
        slug="acquit-invalid",
        errors=[
            {"field": "body", "message": e, "message_fr": e, "type": "xsd"} for e in errors or []
        ][:50],
    )


def _value(parent: etree._Element, tag: str) -> str | None:
    found = parent.find(tag)
    return None if found is None else found.get("V")


def _errors(parent: etree._Element, piece: str | None, line: str | None) -> list[dict[str, Any]]:
    out = []
    for error in parent.findall("Erreur"):
        code = _value(error, "NumAnoAck") or ""
        out.append(
            {
                "code": code,
                "label": _value(error, "LibelleAnoAck") or "",
                "explanation": EXPLANATIONS.get(code),
                "piece": int(piece) if piece else None,
                "line": int(line) if line else None,
            }
        )
    return out


def read(xml: bytes) -> Acquit:
    """The acknowledgement, checked against the V2 schema (422 ``acquit-invalid`` otherwise)."""
    try:
        root = etree.fromstring(xml, PARSER)
    except etree.XMLSyntaxError as exc:
        raise _refused("The file is not XML", "Le fichier n'est pas du XML", [str(exc)]) from exc
    if root.tag != f"{{{ACQUIT_NS}}}PES_ACQUIT":
        raise _refused(
            f"Expected a PES_ACQUIT V2 ({ACQUIT_NS}), got {etree.QName(root).localname}",
            f"Un accusé de réception PES_ACQUIT V2 est attendu, le fichier est un "
            f"{etree.QName(root).localname}",
        )
    checker = schema()
    if not checker.validate(root):
        lines = [f"ligne {e.line} : {e.message}" for e in checker.error_log]
        raise _refused(
            "The acknowledgement does not follow the PES_ACQUIT V2 schema",
            "L'accusé de réception n'est pas conforme au schéma PES_ACQUIT V2",
            lines,
        )
    header = {
        tag: _value(root.find("EnTetePES"), tag) or "" for tag in ("IdPost", "IdColl", "CodCol",
                                                                    "CodBud")
    }  # fmt: skip
    elements = []
    for item in root.iterfind("ACQUIT/ElementACQUIT"):
        number, exercice = _value(item, "NumBord"), _value(item, "ExerciceBord")
        element = AckElement(
            domain=_value(item, "DomaineAck") or "",
            accepted=_value(item, "EtatAck") in ("1", "true"),
            number=int(number) if number else None,
            exercice=int(exercice) if exercice else None,
            id_unique=_value(item, "IdUnique"),
            errors=_errors(item, None, None),
        )
        for piece in item.findall("DetailPiece"):
            piece_number = _value(piece, "NumPiece") or piece.findtext("NumPiece")
            element.errors += _errors(piece, piece_number, None)
            for line in piece.findall("DetailLigne"):
                line_number = _value(line, "NumLigne") or line.findtext("NumLigne")
                element.errors += _errors(line, piece_number, line_number)
        elements.append(element)
    file_name = _value(root.find("Enveloppe/Parametres"), "NomFic")
    return Acquit(file_name=file_name, header=header, elements=elements)


def _item(kind: str, outcome: str, en: str, fr: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "outcome": outcome, "message": en, "message_fr": fr, **extra}


def _match(
    session: Session, acquit: Acquit, element: AckElement, settings: IssuerSettings
) -> tuple[Bordereau | None, dict[str, Any] | None]:
    """The bordereau an element names, or why none is (a report item)."""
    where = f"bordereau {element.number} de l'exercice {element.exercice}"
    ids = {"number": element.number, "exercice": element.exercice}
    if acquit.header["IdColl"] != settings.siret or (
        acquit.header["CodCol"] and acquit.header["CodCol"] != settings.collectivity_code
    ):
        return None, _item(
            "bordereau", "unknown",
            f"Bordereau {element.number}/{element.exercice} of another collectivity "
            f"(IdColl {acquit.header['IdColl']}, CodCol {acquit.header['CodCol']})",
            f"Le {where} est d'une autre collectivité (SIRET {acquit.header['IdColl']}, code "
            f"collectivité {acquit.header['CodCol']}) : rien n'a été modifié.",
            **ids,
        )  # fmt: skip
    assert element.number is not None
    assert element.exercice is not None
    found = list(
        helios_repository.bordereaux_numbered(
            session,
            exercice=element.exercice,
            budget_code=acquit.header["CodBud"],
            number=element.number,
        )
    )
    if len(found) > 1 and acquit.file_name:  # one per type: the file name says which
        found = [b for b in found if b.file_name[:100] == acquit.file_name] or found
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, _item(
            "bordereau", "unknown",
            f"No bordereau {element.number} of exercice {element.exercice} on budget "
            f"{acquit.header['CodBud']} in Mutualis",
            f"Le {where} (budget {acquit.header['CodBud']}) est inconnu de Mutualis : rien "
            "n'a été modifié.",
            **ids,
        )  # fmt: skip
    return None, _item(
        "bordereau", "ambiguous",
        f"Bordereau {element.number}/{element.exercice} matches several bordereaux",
        f"Le {where} désigne plusieurs bordereaux (ordinaire et de réduction) et le nom de "
        "fichier ne dit pas lequel : rien n'a été modifié.",
        **ids,
    )  # fmt: skip


def _apply_bordereau(
    session: Session,
    bordereau: Bordereau,
    element: AckElement,
    ack: Acknowledgement,
    principal: Principal,
) -> dict[str, Any]:
    status = "accepted" if element.accepted else "rejected"
    said = "pris en charge" if element.accepted else "rejeté"
    ids = {"bordereau_id": bordereau.id, "number": bordereau.number,
           "exercice": bordereau.exercice, "errors": element.errors}  # fmt: skip
    if bordereau.ack_status == status:
        return _item(
            "bordereau",
            "unchanged",
            f"Bordereau {bordereau.number} was already {status}",
            f"Le bordereau {bordereau.number} était déjà {said} : inchangé.",
            **ids,
        )
    if bordereau.ack_status is not None:
        before = "pris en charge" if bordereau.ack_status == "accepted" else "rejeté"
        return _item(
            "bordereau", "conflict",
            f"Bordereau {bordereau.number} was already {bordereau.ack_status}: not changed",
            f"Le bordereau {bordereau.number} a déjà été {before} par un accusé précédent : "
            "non modifié.",
            **ids,
        )  # fmt: skip
    now = utcnow()
    if bordereau.sent_at is None:  # an acknowledgement proves it was sent
        bordereau.sent_at, bordereau.sent_by = now, ack.received_by
    bordereau.ack_status, bordereau.acknowledged_at = status, now
    bordereau.ack_errors = element.errors
    bordereau.acknowledgement_id = ack.id
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="acknowledge",
        resource_type="bordereau",
        resource_id=str(bordereau.id),
        after={"status": status, "errors": element.errors, "acquit": ack.file_name},
    )
    titles = len(helios_repository.bordereau_invoices(session, bordereau.id))
    return _item("bordereau", status,
                 f"Bordereau {bordereau.number}/{bordereau.exercice} {status} ({titles} titles)",
                 f"Bordereau {bordereau.number} de {bordereau.exercice} {said} ({titles} "
                 f"pièce{'s' if titles > 1 else ''}).", **ids)  # fmt: skip


def attachment_owners(session: Session, years: set[int]) -> dict[str, Bordereau]:
    """The documents (``PES_PJ`` ``IdUnique``) the stored PES files carry, of the exercices
    ``years`` (every exercice when empty)."""
    owners: dict[str, Bordereau] = {}
    for bordereau in helios_repository.bordereaux_of_exercices(session, years):
        root = etree.fromstring(bordereau.pes_xml, PARSER)
        for node in root.iterfind(".//PES_PJ//IdUnique"):
            owners[node.get("V") or node.text or ""] = bordereau
    return owners


def _apply_attachment(
    element: AckElement, owner: Bordereau | None, ack: Acknowledgement
) -> dict[str, Any]:
    ident = element.id_unique or ""
    said = "acceptée" if element.accepted else "rejetée"
    if owner is None:
        return _item("attachment", "unknown", f"No bordereau carries the document {ident}",
                     f"La pièce jointe {ident} n'est dans aucun bordereau de Mutualis : "
                     "rien n'a été modifié.", id_unique=ident, errors=element.errors)  # fmt: skip
    known = dict(owner.ack_attachments or {})
    entry = {"accepted": element.accepted, "errors": element.errors, "acknowledgement_id": ack.id}
    if ident in known and known[ident]["accepted"] == element.accepted:
        return _item("attachment", "unchanged", f"Document {ident} unchanged",
                     f"La pièce jointe {ident} était déjà {said} : inchangée.",
                     id_unique=ident, bordereau_id=owner.id)  # fmt: skip
    known[ident] = entry
    owner.ack_attachments = known
    return _item("attachment", "accepted" if element.accepted else "rejected",
                 f"Document {ident} {'accepted' if element.accepted else 'rejected'}",
                 f"Pièce jointe {ident} {said}.", id_unique=ident, bordereau_id=owner.id,
                 errors=element.errors)  # fmt: skip


def receive(
    session: Session, *, xml: bytes, principal: Principal, settings: IssuerSettings
) -> tuple[Acknowledgement, bool]:
    """Apply an acknowledgement; ``(the stored one, True)`` when this file was already
    received (then nothing changes)."""
    sha = hashlib.sha256(xml).hexdigest()
    known = helios_repository.acknowledgement_by_hash(session, sha)
    if known is not None:
        return known, True
    acquit = read(xml)
    ack = Acknowledgement(
        sha256=sha,
        file_name=(acquit.file_name or "")[:120] or None,
        received_at=utcnow(),
        received_by=principal.audit_name[:200],
        xml=xml,
        report={},
    )
    session.add(ack)
    session.flush()
    items = []
    years = {e.exercice for e in acquit.elements if e.exercice}
    owners: dict[str, Bordereau] | None = None
    for element in acquit.elements:
        if element.id_unique is not None:
            if owners is None:
                owners = attachment_owners(session, years)
            items.append(_apply_attachment(element, owners.get(element.id_unique), ack))
            continue
        if element.number is None or element.exercice is None:
            items.append(_item("other", "unknown", f"Element of domain {element.domain} names "
                               "nothing Mutualis knows", f"Un élément du domaine "
                               f"{element.domain} ne désigne ni bordereau ni pièce jointe.",
                               errors=element.errors))  # fmt: skip
            continue
        bordereau, problem = _match(session, acquit, element, settings)
        if problem is not None:
            problem["errors"] = element.errors
            items.append(problem)
            continue
        assert bordereau is not None
        items.append(_apply_bordereau(session, bordereau, element, ack, principal))
    ack.report = summary(acquit, items)
    audit.record(session, AuditEntry, principal=principal, action="receive",
                 resource_type="acknowledgement", resource_id=str(ack.id),
                 after={"file_name": ack.file_name, "sha256": sha})  # fmt: skip
    session.flush()
    return ack, False


def summary(acquit: Acquit, items: list[dict[str, Any]]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item["outcome"]] = counts.get(item["outcome"], 0) + 1
    return {
        "file_name": acquit.file_name,
        "header": acquit.header,
        "items": items,
        "counts": counts,
        "unknown": [i for i in items if i["outcome"] in ("unknown", "ambiguous", "conflict")],
    }
