"""The staffing references as the back office shows them (profiles' employer costs, per-service
needs by size band), and their forms turned into the API's bodies (French numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.catalogue_forms import check_code, check_required, form_decimal, form_year, text
from web.views.format import euros, number
from web.views.forms import FormErrors

PROFILE_FIELDS = (
    "code",
    "label",
    "yearly_cost",
    "reference_year",
    "source",
    "min_fte",
    "description",
)
NEED_FIELDS = ("service_code", "profile_code", "min_workstations", "fte", "note")


@dataclass(frozen=True)
class ProfileRow:
    code: str
    label: str
    yearly_cost: str  # "80 000,00 €"
    yearly_cost_raw: str
    reference_year: int
    source: str
    min_fte: str  # "0,5"
    description: str

    @classmethod
    def of(cls, p: dict[str, Any]) -> ProfileRow:
        return cls(
            code=p["code"],
            label=p["label"],
            yearly_cost=euros(p["yearly_cost"]),
            yearly_cost_raw=p["yearly_cost"],
            reference_year=int(p["reference_year"]),
            source=p["source"],
            min_fte=number(p["min_fte"]),
            description=p.get("description") or "",
        )

    def form(self) -> dict[str, str]:
        return {
            "code": self.code,
            "label": self.label,
            "yearly_cost": number(self.yearly_cost_raw),
            "reference_year": str(self.reference_year),
            "source": self.source,
            "min_fte": self.min_fte,
            "description": self.description,
        }


@dataclass(frozen=True)
class NeedRow:
    id: int
    service_code: str
    service_name: str
    profile_code: str
    profile_label: str
    min_workstations: int
    fte: str
    note: str

    @classmethod
    def of(cls, n: dict[str, Any]) -> NeedRow:
        return cls(
            id=int(n["id"]),
            service_code=n["service_code"],
            service_name=n["service_name"],
            profile_code=n["profile_code"],
            profile_label=n["profile_label"],
            min_workstations=int(n["min_workstations"]),
            fte=number(n["fte"]),
            note=n.get("note") or "",
        )

    def form(self) -> dict[str, str]:
        return {
            "service_code": self.service_code,
            "profile_code": self.profile_code,
            "min_workstations": str(self.min_workstations),
            "fte": self.fte,
            "note": self.note,
        }


def profile_body(form: dict[str, str], *, creating: bool) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    body: dict[str, Any] = {}
    if creating:
        body["code"] = text(form, "code")
        check_code(errors, body["code"])
    check_required(errors, form, "label", "source")
    body["label"] = text(form, "label")
    body["source"] = text(form, "source")
    body["description"] = text(form, "description")
    body["yearly_cost"] = form_decimal(errors, form, "yearly_cost", places=2)
    body["reference_year"] = form_year(errors, form, "reference_year")
    body["min_fte"] = form_decimal(errors, form, "min_fte", places=3)
    return body, errors


def need_body(form: dict[str, str], *, creating: bool) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    body: dict[str, Any] = {}
    if creating:
        check_required(errors, form, "service_code", "profile_code")
        body["service_code"] = text(form, "service_code")
        body["profile_code"] = text(form, "profile_code")
    band = text(form, "min_workstations") or "0"
    if not band.isdigit():
        errors.fields["min_workstations"] = "Un nombre entier de postes, positif ou nul."
    else:
        body["min_workstations"] = int(band)
    body["fte"] = form_decimal(errors, form, "fte", places=3)
    body["note"] = text(form, "note")
    return body, errors
