"""Who issues the titles (the ordonnateur) and where they go (the public accountant, Hélios).

Environment prefix ``MUTUALIS_BILLING_ISSUER_``; the defaults are fictional demonstration
values (the same as the fictional PES sample), to be replaced in production.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from stdnum import bic, iban
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.fr import siret

from services.billing.invoices.legal import DEFAULT_LEGAL_BASIS


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
    # the comptable's account, where the debtors pay: the Trésor public account of the poste
    # comptable at the Banque de France (BIC BDFEFRPPCCT), given as the Factur-X payment means
    # (BG-16). The IBAN is fictional (valid checksum and RIB key); 58 is a SEPA credit transfer,
    # 30 a credit transfer (UNTDID 4461)
    payment_iban: str = "FR76 3000 1000 5400 0000 0000 190"
    payment_bic: str = "BDFEFRPPCCT"
    payment_account_name: str = "Trésor public — SGC FICTIF"
    payment_means_code: Literal["30", "58"] = "58"
    # the legal basis printed on a title, by kind of debtor (``other`` for the kinds not
    # named): JSON in MUTUALIS_BILLING_ISSUER_LEGAL_BASIS; defaults in invoices/legal.py
    legal_basis: dict[str, list[str]] = Field(default_factory=lambda: dict(DEFAULT_LEGAL_BASIS))

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

    @field_validator("payment_iban")
    @classmethod
    def _iban(cls, value: str) -> str:
        """Every debtor is told to pay to this account: a mistyped IBAN sends the payments
        nowhere, so the app refuses to start with one whose checksum fails."""
        try:
            return str(iban.validate(value))
        except InvalidNumber as exc:
            raise ValueError(
                f"MUTUALIS_BILLING_ISSUER_PAYMENT_IBAN={value!r} is not a valid IBAN ({exc})"
            ) from exc

    @field_validator("payment_bic")
    @classmethod
    def _bic(cls, value: str) -> str:
        try:
            return str(bic.validate(value))
        except InvalidNumber as exc:
            raise ValueError(
                f"MUTUALIS_BILLING_ISSUER_PAYMENT_BIC={value!r} is not a valid BIC ({exc})"
            ) from exc

    @field_validator("legal_basis")
    @classmethod
    def _legal_basis(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        """Every title prints its legal basis: refuse at start-up a table without the
        ``other`` entry, or with an empty list or text."""
        if "other" not in value:
            raise ValueError(
                "MUTUALIS_BILLING_ISSUER_LEGAL_BASIS needs an 'other' entry (for the kinds of "
                "debtor not named)"
            )
        for kind, texts in value.items():
            if not texts or any(not t.strip() or len(t) > 400 for t in texts):
                raise ValueError(
                    f"MUTUALIS_BILLING_ISSUER_LEGAL_BASIS[{kind!r}]: one text at least, each "
                    "of 1 to 400 characters"
                )
        return value
