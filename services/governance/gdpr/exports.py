"""The GDPR registers as the DPO hands them over (CSV for a spreadsheet, PDF for the CNIL or a
member): French headers, codes by their labels, dates ``25/09/2023`` and times in Paris time.

The labels of the codes are the registers' own (``LABELS``); the web pages keep their display
tables (``web/views/governance_gdpr.py``), and a test checks both say the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
# each register's columns: (key of the read model, French header)
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "processing": [
        ("id", "N°"),
        ("category_code", "Code de la catégorie"),
        ("category_name", "Catégorie de traitements"),
        ("controller_code", "Responsable de traitement (adhérent)"),
        ("controller_dpo", "DPO du responsable"),
        ("processing_carried_out", "Traitements effectués"),
        ("sub_processors", "Sous-traitants ultérieurs"),
        ("transfers", "Transferts hors UE"),
        ("transfer_safeguards", "Garanties des transferts"),
        ("security_measures", "Mesures de sécurité"),
        ("starts_on", "Début"),
        ("ends_on", "Fin"),
    ],
    "records": [
        ("id", "N°"),
        ("controller_code", "Responsable de traitement (adhérent)"),
        ("name", "Traitement"),
        ("purposes", "Finalités"),
        ("legal_basis", "Base légale"),
        ("data_subjects", "Personnes concernées"),
        ("data_categories", "Catégories de données"),
        ("sensitive_data", "Données sensibles"),
        ("recipients", "Destinataires"),
        ("transfers", "Transferts hors UE"),
        ("transfer_safeguards", "Garanties des transferts"),
        ("retention", "Durée de conservation"),
        ("security_measures", "Mesures de sécurité"),
        ("completeness", "Complétude (art. 30)"),
    ],
    "sub-processors": [
        ("id", "N°"),
        ("code", "Code"),
        ("name", "Sous-traitant"),
        ("service", "Prestation"),
        ("country", "Pays"),
        ("contract_signed_on", "Contrat signé le"),
        ("contract_ends_on", "Fin du contrat"),
        ("art28_terms", "Clauses de l'article 28"),
        ("transfer_safeguards", "Garanties des transferts"),
    ],
    "breaches": [
        ("id", "N°"),
        ("reference", "Référence"),
        ("controller_code", "Responsable de traitement (adhérent)"),
        ("title", "Violation"),
        ("facts", "Faits"),
        ("effects", "Conséquences"),
        ("measures", "Mesures prises"),
        ("risk", "Risque"),
        ("people_affected", "Personnes concernées"),
        ("aware_at", "Connue de la DSIT le"),
        ("controller_informed_at", "Responsable informé le"),
        ("authority_notified_at", "CNIL notifiée le"),
        ("people_informed_at", "Personnes informées le"),
        ("deadline_at", "Échéance de notification (72 h)"),
        ("flags", "Alertes"),
        ("late_reason", "Motif du retard"),
        ("closed_at", "Close le"),
    ],
    "requests": [
        ("id", "N°"),
        ("reference", "Référence"),
        ("controller_code", "Responsable de traitement (adhérent)"),
        ("kind", "Droit exercé"),
        ("received_on", "Reçue le"),
        ("extended", "Délai prolongé"),
        ("extension_reason", "Motif de la prolongation"),
        ("due_on", "Échéance"),
        ("answered_on", "Répondue le"),
        ("outcome", "Réponse"),
        ("alert", "Alerte"),
    ],
}
# the registers' codes by column
LABELS: dict[str, dict[str, str]] = {
    "risk": {"none": "Aucun risque", "risk": "Risque", "high_risk": "Risque élevé"},
    "flags": {
        "controller-not-informed": "Responsable de traitement non informé",
        "authority-notification-due": "Notification CNIL à faire",
        "authority-notification-overdue": "Notification CNIL en retard (72 h dépassées)",
        "authority-notified-late": "CNIL notifiée après 72 h",
        "people-to-inform": "Personnes concernées à informer",
    },
    "kind": {
        "access": "Accès",
        "rectification": "Rectification",
        "erasure": "Effacement",
        "restriction": "Limitation",
        "portability": "Portabilité",
        "objection": "Opposition",
    },
    "alert": {
        "due-soon": "Échéance proche",
        "overdue": "En retard",
        "answered-late": "Répondue en retard",
    },
    "outcome": {"granted": "Accordée", "partial": "Partielle", "refused": "Refusée"},
    "legal_basis": {
        "consent": "Consentement",
        "contract": "Contrat",
        "legal_obligation": "Obligation légale",
        "vital_interests": "Intérêts vitaux",
        "public_task": "Mission d'intérêt public",
        "legitimate_interests": "Intérêts légitimes",
    },
}
# what a record or a sub-processing contract may lack, by its French name
MISSING = {
    "purposes": "finalités",
    "legal_basis": "base légale",
    "data_subjects": "personnes concernées",
    "data_categories": "catégories de données",
    "recipients": "destinataires",
    "retention": "durée de conservation",
    "security_measures": "mesures de sécurité",
    "transfer_safeguards": "garanties des transferts",
    "documented_instructions": "instructions documentées",
    "confidentiality": "confidentialité",
    "security": "sécurité",
    "sub_processing_conditions": "conditions de sous-traitance ultérieure",
    "data_subject_assistance": "aide aux droits des personnes",
    "compliance_assistance": "aide à la conformité",
    "deletion_or_return": "suppression ou restitution des données",
    "audits": "audits",
}


def cell(key: str, value: Any) -> str:
    """One value as a French reader reads it."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, dict) and "complete" in value:
        missing = [MISSING.get(m, m) for m in value.get("missing") or []]
        return "complet" if value["complete"] else "incomplet : " + ", ".join(missing)
    if isinstance(value, list):
        return " ; ".join(cell(key, v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
        return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return LABELS.get(key, {}).get(text, text)


def table(kind: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The register's French headers and its rows of French cells."""
    columns = COLUMNS[kind]
    return [header for _, header in columns], [
        [cell(key, row.get(key)) for key, _ in columns] for row in rows
    ]
