"""French labels of the catalogue's codes, as the import files and their templates write them.

An import cell may hold the code (``operating``) or its label, with or without accents and
capitals (``Fonctionnement``); the template shows the labels. The web pages keep their own
display tables (``web/views/catalogue_labels.py``); a test checks both cover every code.
"""

from __future__ import annotations

from kit.tabular import header_key

SECTIONS = {"operating": "fonctionnement", "investment": "investissement"}
MODES = {"direct": "direct", "indirect": "indirect"}
NATURES = {
    "acquisition": "acquisition",
    "maintenance": "maintenance",
    "licence": "licences",
    "subscription": "abonnement",
    "hosting": "hébergement",
    "service": "prestation de service",
}
COMPONENT_KINDS = {
    "application": "application",
    "server": "serveur",
    "virtual_machine": "machine virtuelle",
    "workstation": "poste de travail",
    "licence": "licence",
    "network": "réseau",
    "printer": "imprimante",
    "storage": "stockage",
    "telephony": "téléphonie",
    "other": "autre",
}
# other spellings found in financial exports
ALIASES = {
    "licence": ("licence", "licences", "license"),
    "service": ("prestation", "prestations", "prestation de service", "prestations de service"),
    "operating": ("f", "fonct", "section de fonctionnement"),
    "investment": ("i", "invest", "section d'investissement"),
}


def code_of(table: dict[str, str], text: str) -> str | None:
    """The code that ``text`` names in ``table`` (by code, label or alias), or None."""
    key = header_key(text)
    for code, label in table.items():
        names = (code, label, *ALIASES.get(code, ()))
        if key in {header_key(n) for n in names}:
            return code
    return None


def choices(table: dict[str, str]) -> str:
    return ", ".join(table.values())
