"""French labels of the catalogue's codes, for every page a person reads.

The API keeps its own table of the labels it accepts in import files
(``services/catalogue/labels.py``): the web does not import service code.
``tests/web/test_catalogue_pages.py`` checks both cover every code of the API's enumerations.
"""

from __future__ import annotations

SECTIONS = {"operating": "Fonctionnement", "investment": "Investissement"}
MODES = {"direct": "Direct (clé de répartition)", "indirect": "Indirect (inducteur)"}
NATURES = {
    "acquisition": "Acquisition",
    "maintenance": "Maintenance",
    "licence": "Licences",
    "subscription": "Abonnement",
    "hosting": "Hébergement",
    "service": "Prestation de service",
}
COMPONENT_KINDS = {
    "application": "Application",
    "server": "Serveur",
    "virtual_machine": "Machine virtuelle",
    "workstation": "Poste de travail",
    "licence": "Licence",
    "network": "Réseau",
    "printer": "Imprimante",
    "storage": "Stockage",
    "telephony": "Téléphonie",
    "other": "Autre",
}
# where a component comes from (its source code); other codes are an import's own source
SOURCES = {
    "manual": "Saisie manuelle",
    "glpi-agent": "GLPI (agent)",
    "glpi-computer": "GLPI",
    "glpi-network-equipment": "GLPI",
    "glpi-printer": "GLPI",
    "glpi-phone": "GLPI",
    "glpi-licence": "GLPI",
    "glpi-software": "GLPI",
}


def source_label(code: str | None) -> str:
    """``glpi-agent`` → ``GLPI (agent)``; an import's source code → ``Import « tableur »``."""
    if not code:
        return ""
    return SOURCES.get(code) or f"Import « {code} »"


OFFERING_STATUSES = {"draft": "Brouillon", "active": "Actif", "retired": "Retiré"}
# a component's lifecycle, as the component page computes it from its dates
LIFECYCLE = {
    "planned": "Prévu (pas encore en service)",
    "in_service": "En service",
    "support_ending": "En service, fin de support dans l'année",
    "unsupported": "En service, hors support",
    "retired": "Retiré",
}
DOMAINS = {
    "infrastructure": "Infrastructure",
    "applications-metier": "Applications métier",
    "collaboration": "Travail collaboratif",
    "telephonie": "Téléphonie",
    "securite": "Sécurité",
    "support": "Assistance",
    "conseil": "Conseil",
    "projets": "Projets",
}
ITEM_STATUSES = {
    "created": "créé",
    "updated": "modifié",
    "unchanged": "inchangé",
    "rejected": "rejeté",
    "retired": "retiré",
    "deleted": "supprimé",
}
# the import's and the API's field names, as the report and the forms name them
FIELD_LABELS = {
    "reference": "Référence",
    "composant": "Composant",
    "exercice": "Exercice",
    "date": "Date",
    "section": "Section",
    "nature": "Nature",
    "montant": "Montant",
    "mode": "Mode",
    "inducteur": "Inducteur",
    "repartition": "Clé de répartition",
    "amortissement": "Amortissement (années)",
    "libelle": "Libellé",
    "adherent": "Adhérent",
    "quantite": "Quantité",
    "ligne": "Ligne",
    "file": "Fichier",
    "header": "En-tête",
    # inventory columns (components)
    "external_id": "Identifiant externe",
    "code": "Code",
    "name": "Nom",
    "kind": "Nature",
    "service_code": "Service",
    "member_codes": "Adhérents",
    "in_service_on": "Mise en service",
    "end_of_support_on": "Fin de support",
    "retired_on": "Retrait",
    "serial": "Numéro de série",
    "manufacturer": "Fabricant",
    "model": "Modèle",
    "location": "Lieu",
    "__extra__": "Ligne",
    # API fields of cost lines and usage
    "component_code": "Composant",
    "fiscal_year": "Exercice",
    "amount": "Montant",
    "driver_code": "Inducteur",
    "allocation": "Clé de répartition",
    "depreciation_years": "Amortissement (années)",
    "label": "Libellé",
    "member_code": "Adhérent",
    "quantity": "Quantité",
    "reference_date": "Date de relevé",
}


def label(table: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return table.get(code, code)
