"""Who issues the titles (the ordonnateur) and where they go (the public accountant, Hélios).

Environment prefix ``MUTUALIS_BILLING_ISSUER_``; the defaults are fictional demonstration
values (the same as the fictional PES sample), to be replaced in production.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from stdnum.fr import siret


class IssuerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_BILLING_ISSUER_", extra="ignore")

    name: str = "Métropole du Grand Nancy"
    siret: str = "12345678200010"  # fictional, with a valid checksum
    address_line: str = "22-24 viaduc Kennedy"
    postal_code: str = "54000"
    city: str = "Nancy"
    # PES V2 header: poste comptable (IdPost), collectivity code, budget code
    accountant_id: str = Field("054000", pattern=r"^[0-9]{6}$")  # fictional
    accountant_name: str = "SGC FICTIF"
    collectivity_code: str = Field("054", pattern=r"^[0-9A-Z]{1,3}$")
    budget_code: str = Field("01", pattern=r"^[0-9A-Z]{1,10}$")
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

    @field_validator("siret")
    @classmethod
    def _siret(cls, value: str) -> str:
        """The issuer's SIRET is printed on every title and sent as ``IdColl``: a wrong one
        makes every bordereau rejected, so the app refuses to start with it."""
        compact = siret.compact(value)
        if not siret.is_valid(compact):
            raise ValueError(
                f"MUTUALIS_BILLING_ISSUER_SIRET={value!r} is not a valid SIRET (14 digits with "
                "their checksum)"
            )
        return compact
