"""GDPR part of the governance demo (fictional, marked as such)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.governance.demo_data import FICTIONAL, MEMBERS, D
from services.governance.gdpr.rules import ART28_TERMS
from services.governance.models import (
    Breach,
    ProcessingRecord,
    ProcessorEntry,
    SubjectRequest,
    SubProcessor,
)


def load_gdpr(session: Session) -> None:
    """The processor register, hosted records, a sub-processor, a breach and requests."""
    terms = dict.fromkeys(ART28_TERMS, True)
    session.add(
        SubProcessor(
            code="hebergeur-demo",
            name="Hébergeur Démo SAS (fictif)",
            service="Hébergement de sauvegardes externalisées",
            country="FR",
            contract_signed_on=D("2023-11-15"),
            contract_ends_on=D("2027-11-14"),
            terms=terms,
        )
    )
    session.add(
        SubProcessor(
            code="messagerie-demo",
            name="Messagerie Démo (fictif)",
            service="Filtrage antispam",
            country="FR",
            contract_signed_on=D("2022-05-01"),
            terms={**terms, "audits": False},
        )
    )
    for member in MEMBERS:
        for category, name in (
            ("messagerie", "Messagerie et agendas"),
            ("finances-rh", "Gestion financière et ressources humaines"),
        ):
            session.add(
                ProcessorEntry(
                    category_code=category,
                    category_name=name,
                    controller_code=member,
                    controller_dpo="DPO mutualisé (fictif)",
                    processing_carried_out=f"{FICTIONAL}Hébergement, sauvegarde, maintenance.",
                    sub_processors=["hebergeur-demo"],
                    security_measures="Chiffrement, "
                    "sauvegardes quotidiennes, habilitations nominatives, journalisation.",
                    starts_on=D("2024-01-01"),
                )
            )
    session.add(
        ProcessingRecord(
            controller_code="ludres",
            name="État civil",
            purposes="Tenue des registres d'état civil",
            legal_basis="legal_obligation",
            data_subjects=["usagers"],
            data_categories=["identité", "filiation"],
            recipients=["officiers d'état civil"],
            retention="75 ans puis archives",
            security_measures="Habilitations, sauvegardes",
        )
    )
    session.add(
        ProcessingRecord(
            controller_code="laxou",
            name="Inscriptions périscolaires",
            purposes="Inscriptions et facturation",
            legal_basis="public_task",
            data_subjects=["familles"],
            data_categories=["identité", "quotient familial"],
        )
    )
    session.add(
        Breach(
            reference="VIO-2025-001",
            controller_code="ludres",
            title="Courriel mal adressé (fictif)",
            facts=f"{FICTIONAL}Envoi d'une liste d'inscrits à un mauvais destinataire.",
            effects="Divulgation limitée à un destinataire identifié.",
            measures="Demande de suppression, rappel des bonnes pratiques.",
            risk="risk",
            people_affected=42,
            aware_at=dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC),
            controller_informed_at=dt.datetime(2025, 3, 4, 11, 0, tzinfo=dt.UTC),
            authority_notified_at=dt.datetime(2025, 3, 6, 16, 0, tzinfo=dt.UTC),
        )
    )
    session.add(
        SubjectRequest(
            reference="DRT-2025-001",
            controller_code="nancy",
            kind="access",
            received_on=D("2025-05-12"),
            answered_on=D("2025-06-02"),
            outcome="granted",
            summary=f"{FICTIONAL}Demande d'accès au dossier.",
        )
    )
