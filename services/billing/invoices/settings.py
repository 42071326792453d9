"""Who issues the titles (the ordonnateur) and where they go (the public accountant, Hélios).

Environment prefix ``MUTUALIS_BILLING_ISSUER_``; the defaults are fictional demonstration
values (the same as the fictional PES sample), to be replaced in production.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IssuerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_BILLING_ISSUER_", extra="ignore")

    name: str = "Métropole du Grand Nancy"
    siret: str = "12345678900012"  # fictional
    address_line: str = "22-24 viaduc Kennedy"
    postal_code: str = "54000"
    city: str = "Nancy"
    # PES V2 header: poste comptable (IdPost), collectivity code, budget code
    accountant_id: str = "054000"  # fictional
    accountant_name: str = "SGC FICTIF"
    collectivity_code: str = "054"
    budget_code: str = "01"
    budget_name: str = "METROPOLE DU GRAND NANCY"
    accountant_address: str = (
        "Service de gestion comptable (fictif), 1 rue de l'Exemple, 54000 Nancy"
    )
    # who numbers the titles: Mutualis, in the range agreed with the comptable
    # (``PUT /exercices/{year}``), or the financial software, to which Mutualis hands the
    # liquidations and from which the numbers come back (``/liquidations``)
    numbering: Literal["mutualis", "financial_software"] = "mutualis"
    # the past exercice stays open until this day (MM-DD) of the next year: journée complémentaire
    complementary_period_end: str = Field(
        "01-31", pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
    )
    payment_terms: str = (
        "Paiement par virement au Trésor public, à réception de l'avis, auprès du comptable "
        "public indiqué ci-dessus (référence du titre à rappeler)."
    )
