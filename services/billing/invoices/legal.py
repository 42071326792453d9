"""The legal basis printed on a title, by kind of debtor (configurable, documented defaults).

The Métropole bills its shared IT service on different grounds depending on who pays:

- its member communes: the service commun of CGCT art. L5211-4-2, whose costs are reimbursed
  on a unit cost (art. D5211-16);
- the CCAS and other public establishments attached to the communes: the same service commun,
  which L5211-4-2 opens to them;
- syndicates (SIVU, syndicat intercommunal…): a service provided under a convention between
  public bodies (CGCT art. L5111-1 and L5211-56), not a service commun;
- anyone else (the Opéra, an association…): the convention of mutualisation signed with it.

``MUTUALIS_BILLING_ISSUER_LEGAL_BASIS`` replaces the table (JSON: kind → list of texts, with an
``other`` entry for every kind not named); the defaults are to be confirmed by the Métropole's
legal department (docs/billing.md, "Legal basis"). Every title also names the convention and
both deliberations: the Métropole's and the debtor's own adhesion, without which it is not
issued.
"""

from __future__ import annotations

SERVICE_COMMUN = "CGCT, art. L5211-4-2 : service commun entre la Métropole et ses communes membres"
REIMBURSEMENT = (
    "CGCT, art. D5211-16 : remboursement des frais de fonctionnement du service commun sur la "
    "base d'un coût unitaire"
)
DEFAULT_LEGAL_BASIS: dict[str, list[str]] = {
    "commune": [SERVICE_COMMUN, REIMBURSEMENT],
    "ccas": [
        "CGCT, art. L5211-4-2 : service commun ouvert aux établissements publics rattachés aux "
        "communes membres",
        REIMBURSEMENT,
    ],
    "etablissement_public": [
        "CGCT, art. L5211-4-2 : service commun ouvert aux établissements publics rattachés aux "
        "communes membres",
        REIMBURSEMENT,
    ],
    "syndicat": [
        "CGCT, art. L5111-1 : convention de prestation de services entre collectivités et "
        "groupements",
        "CGCT, art. L5211-56 : prestations de services de la Métropole pour le compte d'un "
        "syndicat ou d'une autre collectivité",
    ],
    "other": [
        "Convention de mutualisation informatique conclue avec le débiteur (prestation de services)"
    ],
}


def texts_for(kind: str, table: dict[str, list[str]]) -> list[str]:
    """The texts for a kind of debtor: its own entry, else ``other``."""
    return list(table.get(kind) or table["other"])
