"""The French labels of billing's codes, one table per kind of code, for everything a person
reads (notice, PES line labels, exports, explanations).

Names that people give (components, services, drivers) are not here: they come from the
catalogue and are copied into the run's snapshot and lines when the run computes, so the
documents of an issued title never change afterwards. These tables are for the codes billing
itself defines (tests/billing/test_documents_french.py fails on a code that reaches a
document).
"""

from __future__ import annotations

SECTIONS = {"operating": "fonctionnement", "investment": "investissement"}
SECTIONS_OF = {"operating": "de fonctionnement", "investment": "d'investissement"}
# the catalogue's cost-line natures (services/catalogue/common.py ``Nature``)
NATURES = {
    "acquisition": "acquisition",
    "maintenance": "maintenance",
    "licence": "licences",
    "subscription": "abonnement",
    "hosting": "hébergement",
    "service": "prestation de service",
}
# the kinds of a run's lines (services/billing/engine/compute.py)
RUN_LINE_KINDS = {
    "payroll": "quote-part de masse salariale",
    "direct": "coût direct",
    "indirect": "coût indirect",
    "cap": "écrêtement (plafonnement)",
}
# the kinds of a title's accounting lines (services/billing/invoices/imputations.py)
ACCOUNT_LINE_KINDS = {
    "payroll": "Quote-part de masse salariale",
    "operating": "Coûts de possession — fonctionnement",
    "investment": "Coûts de possession — investissement",
}
INVOICE_KINDS = {
    "title": "Titre",
    "reduction": "Réduction",
    "cancellation": "Annulation",
    "complementary": "Titre complémentaire",
    "mandate": "Proposition de mandat",
}
INVOICE_STATUSES = {
    "ready": "En attente",
    "prepared": "À valider par le signataire",
    "rejected": "Refusé par le signataire",
    "liquidated": "Remis au logiciel financier",
    "issued": "Émis",
    "cancelled": "Annulé",
}
# the statuses of a run, as the refusals of the API say them (``un calcul … en échec``)
RUN_STATUSES = {
    "queued": "en attente",
    "running": "en cours",
    "succeeded": "terminé",
    "failed": "en échec",
}
PAYROLL_LINE = "Quote-part de masse salariale"
CAP_LINE = "Écrêtement (plafonnement)"


def label(table: dict[str, str], code: str | None) -> str:
    """The label of ``code`` in ``table`` (the code itself if a table lacks it: a run must
    not fail on a new catalogue value, and the documents test catches the gap)."""
    if code is None:
        return ""
    return table.get(code, code)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
