"""The demo registry's bodies (named by the 2023 deliberation) and its FICTIONAL people and
references; ``demo`` loads them."""

from __future__ import annotations

# code, name, kind, postal code, city, joined on, fictional workstation count (2024)
MEMBERS: list[tuple[str, str, str, str, str, str, int]] = [
    ("grand-nancy", "Métropole du Grand Nancy", "metropole", "54000", "Nancy", "2017-07-13", 1650),
    ("art-sur-meurthe", "Art-sur-Meurthe", "commune", "54510", "Art-sur-Meurthe", "2017-07-13", 14),
    ("essey-les-nancy", "Essey-lès-Nancy", "commune", "54270", "Essey-lès-Nancy", "2017-07-13", 95),
    ("houdemont", "Houdemont", "commune", "54180", "Houdemont", "2017-07-13", 31),
    (
        "jarville-la-malgrange",
        "Jarville-la-Malgrange",
        "commune",
        "54140",
        "Jarville-la-Malgrange",
        "2017-07-13",
        88,
    ),
    ("laxou", "Laxou", "commune", "54520", "Laxou", "2017-07-13", 142),
    ("ludres", "Ludres", "commune", "54710", "Ludres", "2017-07-13", 76),
    ("malzeville", "Malzéville", "commune", "54220", "Malzéville", "2017-07-13", 84),
    ("maxeville", "Maxéville", "commune", "54320", "Maxéville", "2017-07-13", 97),
    ("nancy", "Nancy", "commune", "54000", "Nancy", "2017-07-13", 1420),
    ("pulnoy", "Pulnoy", "commune", "54425", "Pulnoy", "2017-07-13", 46),
    ("saint-max", "Saint-Max", "commune", "54130", "Saint-Max", "2017-07-13", 72),
    (
        "saulxures-les-nancy",
        "Saulxures-lès-Nancy",
        "commune",
        "54420",
        "Saulxures-lès-Nancy",
        "2017-07-13",
        39,
    ),
    ("seichamps", "Seichamps", "commune", "54280", "Seichamps", "2017-07-13", 44),
    (
        "vandoeuvre-les-nancy",
        "Vandœuvre-lès-Nancy",
        "commune",
        "54500",
        "Vandœuvre-lès-Nancy",
        "2017-07-13",
        365,
    ),
    (
        "villers-les-nancy",
        "Villers-lès-Nancy",
        "commune",
        "54600",
        "Villers-lès-Nancy",
        "2017-07-13",
        158,
    ),
    (
        "ccas-nancy",
        "Centre communal d'action sociale de Nancy",
        "ccas",
        "54000",
        "Nancy",
        "2017-07-13",
        120,
    ),
    (
        "ccas-vandoeuvre-les-nancy",
        "Centre communal d'action sociale de Vandœuvre-lès-Nancy",
        "ccas",
        "54500",
        "Vandœuvre-lès-Nancy",
        "2017-07-13",
        35,
    ),
    (
        "opera-national-de-lorraine",
        "Opéra national de Lorraine",
        "etablissement_public",
        "54000",
        "Nancy",
        "2017-07-13",
        110,
    ),
    ("sillon-lorrain", "Sillon Lorrain", "syndicat", "54000", "Nancy", "2017-07-13", 9),
    (
        "sivu-saint-michel-jericho",
        "Syndicat à vocation unique Saint Michel Jéricho",
        "syndicat",
        "54000",
        "Nancy",
        "2017-07-13",
        6,
    ),
    (
        "syndicat-intercommunautaire-scolaire",
        "Syndicat intercommunautaire scolaire",
        "syndicat",
        "54000",
        "Nancy",
        "2017-07-13",
        12,
    ),
    ("dommartemont", "Dommartemont", "commune", "54130", "Dommartemont", "2018-10-19", 8),
    (
        "fleville-devant-nancy",
        "Fléville-devant-Nancy",
        "commune",
        "54710",
        "Fléville-devant-Nancy",
        "2018-10-19",
        27,
    ),
    ("heillecourt", "Heillecourt", "commune", "54180", "Heillecourt", "2018-10-19", 41),
    (
        "syndicat-creche-frimousse",
        "Syndicat intercommunal pour la gestion de la crèche Frimousse",
        "syndicat",
        "54510",
        "Tomblaine",
        "2019-09-20",
        5,
    ),
]

# Fictional people besides the IT referent of every member (code, first, last, roles, dashboard)
OTHER_CONTACTS = [
    ("grand-nancy", "Sophie", "Lambert", ["dpo"], True),
    ("nancy", "Marc", "Henry", ["finance_officer"], True),
    ("ludres", "Hélène", "Perrin", ["executive"], False),
    ("vandoeuvre-les-nancy", "Julien", "Colin", ["finance_officer", "dpo"], True),
    ("ccas-nancy", "Nadia", "Benali", ["executive"], False),
]
FIRST_NAMES = ["Camille", "Thomas", "Julie", "Nicolas", "Émilie", "Pierre", "Léa", "Antoine"]
LAST_NAMES = ["Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel"]


# PES V2 debtor codes by kind of member (CatTiers, NatJur)
DEBTOR_CODES = {
    "metropole": ("24", "09"),
    "commune": ("23", "09"),
    "ccas": ("26", "09"),
    "syndicat": ("24", "09"),
    "etablissement_public": ("29", "09"),
    "association": ("60", "06"),
    "other": ("29", "09"),
}
# members whose (fictional) Chorus Pro structure requires a service code and a commitment
CHORUS_REFERENCES = {
    "nancy": ("DSI-FICTIF-01", "EJ-FICTIF-2024-0042"),
    "vandoeuvre-les-nancy": ("SERV-FICTIF-INFO", None),
}
