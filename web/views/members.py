"""A member's record and its form: what the page shows, what the form holds, what the API gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.format import date
from web.views.registry import DEBTOR_CATEGORIES, KINDS, LEGAL_NATURES, Checks

MEMBER_FIELDS = (
    "code", "name", "kind", "siret", "address_line", "postal_code", "city", "is_host",
    "invoiced", "joined_on", "left_on", "debtor_category", "legal_nature",
    "service_code_required", "service_code", "commitment_number_required", "commitment_number",
)  # fmt: skip
API_RENAME = {"line": "address_line", "category": "debtor_category", "debtor": "service_code"}


@dataclass(frozen=True)
class MemberView:
    code: str
    name: str
    kind_label: str
    siret: str
    is_host: bool
    invoiced: bool
    joined_on: str
    left_on: str
    address: str
    debtor_category: str
    legal_nature: str
    service_code: str
    commitment_number: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> MemberView:
        address = item.get("address") or {}
        debtor = item.get("debtor") or {}
        category, nature = debtor.get("category"), debtor.get("legal_nature")
        return cls(
            item["code"],
            item["name"],
            KINDS.get(item["kind"], item["kind"]),
            item["siret"],
            item["is_host"],
            item["invoiced"],
            date(item["joined_on"]),
            date(item.get("left_on")),
            "{}, {} {}".format(
                address.get("line", ""), address.get("postal_code", ""), address.get("city", "")
            ),
            f"{category} — {DEBTOR_CATEGORIES.get(category, '')}" if category else "",
            f"{nature} — {LEGAL_NATURES.get(nature, '')}" if nature else "",
            _reference(debtor, "service_code"),
            _reference(debtor, "commitment_number"),
        )


def _reference(debtor: dict[str, Any], name: str) -> str:
    value = debtor.get(name) or ""
    if debtor.get(f"{name}_required"):
        return f"{value} (exigé par Chorus Pro)" if value else "exigé par Chorus Pro, non renseigné"
    return value


def form_of(item: dict[str, Any]) -> dict[str, Any]:
    """The form's fields filled from the API's member (dates the French way)."""
    address = item.get("address") or {}
    debtor = item.get("debtor") or {}
    return {
        "code": item["code"],
        "name": item["name"],
        "kind": item["kind"],
        "siret": item["siret"],
        "address_line": address.get("line", ""),
        "postal_code": address.get("postal_code", ""),
        "city": address.get("city", ""),
        "is_host": item["is_host"],
        "invoiced": item["invoiced"],
        "joined_on": date(item["joined_on"]),
        "left_on": date(item.get("left_on")),
        "debtor_category": debtor.get("category") or "",
        "legal_nature": debtor.get("legal_nature") or "",
        "service_code_required": debtor.get("service_code_required", False),
        "service_code": debtor.get("service_code") or "",
        "commitment_number_required": debtor.get("commitment_number_required", False),
        "commitment_number": debtor.get("commitment_number") or "",
    }


def member_body(form: dict[str, Any], *, creating: bool) -> tuple[dict[str, Any], Checks]:
    """The API's body from the submitted form, and the French checks made on the way."""
    c = Checks(form)
    body: dict[str, Any] = {
        "name": c.text("name", required=True),
        "kind": c.choice("kind", KINDS),
        "siret": c.siret(),
        "address": {
            "line": c.text("address_line", required=True),
            "postal_code": c.text("postal_code", required=True, max_length=10),
            "city": c.text("city", required=True, max_length=100),
        },
        "is_host": c.flag("is_host"),
        "invoiced": c.flag("invoiced"),
        "joined_on": c.day("joined_on", required=True),
        "left_on": c.day("left_on"),
    }
    if creating:
        body["code"] = c.code()
    postal = body["address"]["postal_code"]
    if postal and not (len(postal) == 5 and postal.isdigit()):
        c.fail("postal_code", "Code postal attendu : 5 chiffres.")
    if body["is_host"] and body["invoiced"]:
        c.fail("invoiced", "L'hôte (la Métropole) est compté dans les parts mais jamais facturé.")
    c.after("left_on", body["left_on"], body["joined_on"], "Le départ précède l'adhésion.")
    debtor = {
        "category": c.choice("debtor_category", DEBTOR_CATEGORIES, required=False),
        "legal_nature": c.choice("legal_nature", LEGAL_NATURES, required=False),
        "service_code_required": c.flag("service_code_required"),
        "service_code": c.text("service_code", max_length=100),
        "commitment_number_required": c.flag("commitment_number_required"),
        "commitment_number": c.text("commitment_number", max_length=50),
    }
    if debtor["service_code_required"] and not debtor["service_code"]:
        c.fail("service_code", "Chorus Pro exige un code service pour cet adhérent : indiquez-le.")
    if debtor["commitment_number_required"] and not debtor["commitment_number"]:
        c.fail(
            "commitment_number",
            "Chorus Pro exige un numéro d'engagement juridique pour cet adhérent : indiquez-le.",
        )
    body["debtor"] = debtor
    return body, c
