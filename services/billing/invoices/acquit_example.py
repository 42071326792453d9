"""An acknowledgement (``PES_ACQUIT`` V2) in the shape of s2low's sample, for bordereaux of this
collectivity: what the demo applies to its oldest bordereaux, and what ``mutualis
acquit-example`` writes for a person to try the upload (one accepted, one rejected…)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from services.billing.invoices.acquits import ACQUIT_NS
from services.billing.invoices.pes import text
from services.billing.invoices.settings import IssuerSettings


@dataclass(frozen=True)
class Verdict:
    """What the acknowledgement says of one bordereau: accepted, or rejected with errors
    (``(NumAnoAck, LibelleAnoAck)``)."""

    exercice: int
    number: int
    accepted: bool = True
    errors: list[tuple[str, str]] = field(default_factory=list)


def _v(parent: etree._Element, tag: str, value: object) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.set("V", str(value))
    return element


def build(
    verdicts: list[Verdict],
    *,
    settings: IssuerSettings,
    budget_code: str | None = None,
    day: dt.date | None = None,
    file_name: str = "PES_ACQUIT_EXEMPLE",
) -> bytes:
    root = etree.Element(f"{{{ACQUIT_NS}}}PES_ACQUIT", nsmap={"n": ACQUIT_NS})
    envelope = etree.SubElement(root, "Enveloppe")
    params = etree.SubElement(envelope, "Parametres")
    _v(params, "Version", 2)
    _v(params, "TypFic", "PESALR2")
    _v(params, "NomFic", file_name[:100])
    _v(etree.SubElement(envelope, "Emetteur"), "Sigle", "HELIOS")
    _v(etree.SubElement(envelope, "Recepteur"), "Sigle", "MUTUALIS")
    header = etree.SubElement(root, "EnTetePES")
    _v(header, "DteStr", (day or dt.date.today()).isoformat())
    _v(header, "IdPost", settings.accountant_id)
    _v(header, "IdColl", settings.siret)
    _v(header, "CodCol", settings.collectivity_code)
    _v(header, "CodBud", budget_code or settings.budget_code)
    _v(header, "LibelleColBud", text(settings.budget_name, 38))
    body = etree.SubElement(root, "ACQUIT")
    _v(etree.SubElement(body, "EnTeteAcquit"), "IdVer", 2)
    for verdict in verdicts:
        element = etree.SubElement(body, "ElementACQUIT")
        _v(element, "DomaineAck", 5)
        _v(element, "EtatAck", 1 if verdict.accepted else 0)
        _v(element, "NumBord", verdict.number)
        _v(element, "ExerciceBord", verdict.exercice)
        for code, label in verdict.errors:
            error = etree.SubElement(element, "Erreur")
            _v(error, "NumAnoAck", code)
            _v(error, "LibelleAnoAck", label)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1"))
