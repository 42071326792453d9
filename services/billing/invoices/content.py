"""What a valid title says (circular of 21 March 2011 on revenue documents), built from a final
run's member result and the registry: issuer, debtor, object and legal basis, imputation,
calculation basis, total, executory wording and appeal routes. Pure functions."""

from __future__ import annotations

from typing import Any

from services.billing.engine.money import fmt, to_cents
from services.billing.engine.workstations import workstations_note
from services.billing.invoices.imputations import Account, accounting_lines
from services.billing.invoices.legal import texts_for
from services.billing.invoices.settings import IssuerSettings
from services.billing.labels import NATURES, label
from services.billing.labels import SECTIONS as SECTIONS  # re-exported: pdf.py reads them here
from services.billing.labels import SECTIONS_OF as SECTION_OF

KIND_CATEGORY = {  # PES CatTiers / NatJur when the registry does not give them
    "metropole": ("24", "09"),
    "commune": ("23", "09"),
    "ccas": ("26", "09"),
    "syndicat": ("24", "09"),
    "etablissement_public": ("29", "09"),
    "association": ("60", "06"),
    "other": ("29", "09"),
}
EXECUTORY = (
    "Titre exécutoire en application de l'article L.252 A du livre des procédures fiscales et "
    "des articles L.1617-5 et R.2342-4 du code général des collectivités territoriales, émis et "
    "rendu exécutoire par l'ordonnateur soussigné."
)
APPEAL = (
    "Voies et délais de recours (art. L.1617-5 du CGCT) : dans un délai de deux mois suivant "
    "la réception du présent avis, vous pouvez contester la somme mentionnée en saisissant le "
    "tribunal administratif de Nancy (5 place de la Carrière, 54000 Nancy), compétent pour une "
    "créance entre personnes publiques, y compris par l'application Télérecours citoyens. "
    "La contestation de la régularité d'un acte de poursuite relève du juge de l'exécution, "
    "dans un délai de deux mois suivant sa notification. Une contestation ne suspend pas "
    "l'obligation de payer lorsque la créance est exécutoire, sauf décision du juge."
)


def issuer(settings: IssuerSettings) -> dict[str, Any]:
    return {
        "name": settings.name,
        "siret": settings.siret,
        "address": {
            "line": settings.address_line,
            "postal_code": settings.postal_code,
            "city": settings.city,
        },
        "accountant": {"id": settings.accountant_id, "name": settings.accountant_name},
        "accountant_address": settings.accountant_address,
        "payment_terms": settings.payment_terms,
        # frozen at issue with the rest: where this title is paid, whatever the settings later
        "payment": {
            "iban": settings.payment_iban,
            "bic": settings.payment_bic,
            "name": settings.payment_account_name,
            "means_code": settings.payment_means_code,
        },
    }


def debtor(member: dict[str, Any]) -> dict[str, Any]:
    facts = member.get("debtor") or {}
    category, nature = KIND_CATEGORY.get(member["kind"], ("29", "09"))
    return {
        "code": member["code"],
        "name": member["name"],
        "kind": member["kind"],
        "siret": member["siret"],
        "address": member["address"],
        "category": facts.get("category") or category,
        "legal_nature": facts.get("legal_nature") or nature,
        "service_code": facts.get("service_code"),
        "commitment_number": facts.get("commitment_number"),
        "service_code_required": bool(facts.get("service_code_required")),
        "commitment_number_required": bool(facts.get("commitment_number_required")),
    }


def title_object(fiscal_year: int, section: str) -> str:
    return (
        f"Remboursement des frais du service commun informatique (DSIT) — exercice {fiscal_year}"
        f" — section {SECTION_OF[section]}"
    )


def legal_basis(convention: dict[str, Any], kind: str, settings: IssuerSettings) -> dict[str, Any]:
    """The texts for the debtor's kind, the convention and both deliberations."""
    return {"texts": texts_for(kind, settings.legal_basis), **convention}


def calculation_basis(lines: list[dict[str, Any]], cap: dict[str, Any] | None) -> dict[str, Any]:
    """The bases de liquidation, grouped so the debtor can check every amount, with the
    catalogue's names the run carried (a run made before names were kept shows the codes)."""
    payroll = [ln for ln in lines if ln["kind"] == "payroll"]
    direct = [ln for ln in lines if ln["kind"] == "direct"]
    indirect = [ln for ln in lines if ln["kind"] == "indirect"]
    capped = [ln for ln in lines if ln["kind"] == "cap"]
    return {
        "payroll": [
            {
                "workstations": ln["basis"]["workstations"],
                "total_workstations": ln["basis"]["total_workstations"],
                "rate_per_workstation": ln["basis"]["rate_per_workstation"],
                "payroll_envelope": ln["basis"]["payroll_envelope"],
                "amount": ln["amount"],
            }
            for ln in payroll
        ],
        "direct": [
            {
                "component_code": ln["basis"]["component_code"],
                "component_name": ln["basis"].get("component_name")
                or ln["basis"]["component_code"],
                "nature_label": label(NATURES, ln["basis"].get("nature")),
                "cost_line_id": ln["basis"]["cost_line_id"],
                "line_amount": ln["basis"]["line_amount"],
                "weight": ln["basis"]["weight"],
                "total_weight": ln["basis"]["total_weight"],
                "amount": ln["amount"],
            }
            for ln in direct
        ],
        "drivers": [
            {
                "driver_code": ln["basis"]["driver_code"],
                "driver_label": ln["basis"].get("driver_label") or ln["basis"]["driver_code"],
                "unit": ln["basis"]["unit"],
                "quantity": ln["basis"]["usage"],
                "unit_price": ln["basis"]["unit_price"],
                "pool_amount": ln["basis"]["pool_amount"],
                "total_usage": ln["basis"]["total_usage"],
                "amount": ln["amount"],
            }
            for ln in indirect
        ],
        "cap": (
            {
                "ceiling": cap.get("ceiling"),
                "operating_before_cap": cap.get("operating_before_cap"),
                "years": [h["fiscal_year"] for h in cap.get("history", [])],
                "history": cap.get("history", []),
                "reduction": capped[0]["amount"],
            }
            if capped and cap
            else None
        ),
        "notes": [note] if (note := workstations_note(lines)) else [],
    }


def title_content(
    *,
    settings: IssuerSettings,
    member: dict[str, Any],
    convention: dict[str, Any],
    lines: list[dict[str, Any]],
    cap: dict[str, Any] | None,
    accounts: dict[str, Account],
    total_cents: int,
) -> dict[str, Any]:
    accounting = accounting_lines(lines, accounts, total_cents=total_cents)
    return {
        "issuer": issuer(settings),
        "debtor": debtor(member),
        "legal_basis": legal_basis(convention, member["kind"], settings),
        "imputation": [{**a, "amount": fmt(a.pop("amount_cents"))} for a in accounting],
        "calculation_basis": calculation_basis(lines, cap),
        "executory_wording": EXECUTORY,
        "appeal": APPEAL,
    }


def section_lines(run_lines: list[dict[str, Any]], section: str) -> list[dict[str, Any]]:
    return [ln for ln in run_lines if ln["section"] == section]


def lines_total(lines: list[dict[str, Any]]) -> int:
    return sum(to_cents(ln["amount"]) for ln in lines)
