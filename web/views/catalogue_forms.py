"""The catalogue's forms: what a person typed, checked in French for the obvious, turned into
the API's body; and the API's refusals of catalogue rules put in French on their fields.

Only the catalogue's own rules are translated here (keyed by the problem's ``type`` or slug);
the messages of generic validation come from the API (French under ``Accept-Language: fr``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from web.views.catalogue_labels import COMPONENT_KINDS, MODES, NATURES, SECTIONS
from web.views.format import amount_from_form
from web.views.forms import FormErrors, problem_errors

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
CODE_HINT = "minuscules, chiffres, tirets ; ex. : messagerie"
# (field, type) of the catalogue's rule errors → French
RULES = {
    ("allocation", "empty-weights"): "Un coût direct a besoin de sa clé de répartition : "
    "au moins un adhérent avec un poids positif.",
    ("allocation", "duplicate"): "Un adhérent figure deux fois dans la clé de répartition.",
    ("driver_code", "not-allowed"): "Un coût direct n'a pas d'inducteur (ses poids sont fixes).",
    ("driver_code", "missing"): "Un coût indirect a besoin de son inducteur : l'usage mesuré "
    "le répartit.",
    ("allocation", "not-allowed"): "Un coût indirect n'a pas de clé de répartition : "
    "l'usage de son inducteur le répartit.",
    ("depreciation_years", "not-allowed"): "Seul un investissement s'amortit sur plusieurs années.",
    ("component_code", "unknown"): "Ce composant n'existe pas.",
    ("driver_code", "unknown"): "Cet inducteur n'existe pas.",
    ("service_code", "unknown"): "Ce service n'est pas au catalogue.",
    ("retired_on", "order"): "La date de retrait précède la mise en service.",
}
# slugs of whole-request refusals → (field, French message)
SLUGS = {
    "duplicate-code": ("code", "Ce code est déjà pris : choisissez-en un autre."),
    "duplicate-external-id": ("code", "Ce composant existe déjà pour cette source."),
}


def catalogue_errors(response: httpx.Response, known: tuple[str, ...]) -> FormErrors:
    """``problem_errors``, with the catalogue's own rules in French on their fields."""
    errors = problem_errors(response, known)
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        return errors
    slug = str(body.get("type", "")).rsplit(":", 1)[-1]
    if slug in SLUGS and SLUGS[slug][0] in known:
        name, message = SLUGS[slug]
        return FormErrors(fields={name: message})
    translated = False
    for item in body.get("errors") or []:
        name = str(item.get("field", "")).split(".")[-1]
        french = RULES.get((name, str(item.get("type", ""))))
        if french and name in known:
            errors.fields[name] = french
            translated = True
    if translated and errors.message and not _leftovers(body, known):
        errors.message = None
    return errors


def _leftovers(body: dict[str, Any], known: tuple[str, ...]) -> bool:
    return any(str(i.get("field", "")).split(".")[-1] not in known for i in body["errors"])


def text(form: dict[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def check_code(errors: FormErrors, value: str, name: str = "code") -> None:
    if not value:
        errors.fields[name] = "Obligatoire."
    elif not CODE.match(value) or len(value) > 80:
        errors.fields[name] = f"Un code s'écrit en {CODE_HINT} (80 caractères au plus)."


def check_required(errors: FormErrors, form: dict[str, str], *names: str) -> None:
    for name in names:
        if not text(form, name):
            errors.fields.setdefault(name, "Obligatoire.")


def form_date(errors: FormErrors, form: dict[str, str], name: str) -> str | None:
    """A date typed ``25/09/2023`` or given ISO by the date picker; None when empty."""
    value = text(form, name)
    if not value:
        return None
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        errors.fields[name] = "Date invalide : écrivez-la jj/mm/aaaa (ex. : 25/09/2023)."
        return None


def form_decimal(
    errors: FormErrors, form: dict[str, str], name: str, *, places: int, required: bool = True
) -> str | None:
    """A French number (``1 234,56``) as the API's string, checked for sign and decimals."""
    value = text(form, name)
    if not value:
        if required:
            errors.fields[name] = "Obligatoire."
        return None
    raw = amount_from_form(value)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        errors.fields[name] = "Écrivez un nombre, avec une virgule pour les décimales (1 234,56)."
        return None
    if not number.is_finite() or number < 0:
        errors.fields[name] = "Un nombre positif ou nul."
    elif number != number.quantize(Decimal(1).scaleb(-places)):
        errors.fields[name] = f"{places} décimales au plus."
    return raw


def form_year(errors: FormErrors, form: dict[str, str], name: str = "fiscal_year") -> int | None:
    value = text(form, name)
    if not value:
        errors.fields[name] = "Obligatoire."
        return None
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        errors.fields[name] = "Une année entre 2000 et 2100 (ex. : 2026)."
        return None
    return int(value)


def offering_body(form: dict[str, str], *, creating: bool) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    body: dict[str, Any] = {
        "name": text(form, "name"),
        "domain": text(form, "domain"),
        "description": text(form, "description"),
        "status": text(form, "status") or "draft",
    }
    if creating:
        body["code"] = text(form, "code")
        check_code(errors, body["code"])
    else:
        body["note"] = text(form, "note")
    check_required(errors, form, "name", "domain")
    levels = []
    for number, line in enumerate(text(form, "service_levels").splitlines(), start=1):
        if not line.strip():
            continue
        indicator, sep, commitment = line.partition(":")
        if not sep or not indicator.strip() or not commitment.strip():
            errors.fields["service_levels"] = (
                f"Ligne {number} : écrivez « indicateur : engagement » "
                "(ex. : Disponibilité : 99,5 % en heures ouvrées)."
            )
            break
        levels.append({"indicator": indicator.strip(), "commitment": commitment.strip()})
    body["service_levels"] = levels
    return body, errors


def component_body(
    form: dict[str, str], members: list[str], *, creating: bool
) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    body: dict[str, Any] = {
        "name": text(form, "name"),
        "kind": text(form, "kind"),
        "service_code": text(form, "service_code") or None,
        "member_codes": members,
    }
    if creating:
        body["code"] = text(form, "code")
        check_code(errors, body["code"])
    check_required(errors, form, "name", "kind")
    if body["kind"] and body["kind"] not in COMPONENT_KINDS:
        errors.fields["kind"] = "Choisissez une nature dans la liste."
    for name in ("in_service_on", "end_of_support_on", "retired_on"):
        body[name] = form_date(errors, form, name)
    if body["in_service_on"] and body["retired_on"] and body["retired_on"] < body["in_service_on"]:
        errors.fields["retired_on"] = "La date de retrait précède la mise en service."
    return body, errors


def driver_body(form: dict[str, str], *, creating: bool) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    body: dict[str, Any] = {
        "label": text(form, "label"),
        "unit": text(form, "unit"),
        "description": text(form, "description"),
    }
    if creating:
        body["code"] = text(form, "code")
        check_code(errors, body["code"])
    check_required(errors, form, "label", "unit")
    if len(body["unit"]) > 40:
        errors.fields["unit"] = "40 caractères au plus (ex. : Go, comptes)."
    return body, errors


def cost_line_body(
    form: dict[str, str], weights: dict[str, str]
) -> tuple[dict[str, Any], FormErrors]:
    """A cost line; ``weights`` are the allocation inputs by member code (direct lines)."""
    errors = FormErrors()
    mode = text(form, "mode")
    section = text(form, "section")
    body: dict[str, Any] = {
        "component_code": text(form, "component_code"),
        "fiscal_year": form_year(errors, form),
        "section": section,
        "nature": text(form, "nature"),
        "amount": form_decimal(errors, form, "amount", places=2),
        "mode": mode,
        "driver_code": text(form, "driver_code") or None,
        "label": text(form, "label"),
        "allocation": [],
        "depreciation_years": None,
    }
    check_required(errors, form, "component_code", "section", "nature", "mode")
    for name, table in (("section", SECTIONS), ("nature", NATURES), ("mode", MODES)):
        if body[name] and body[name] not in table:
            errors.fields[name] = "Choisissez dans la liste."
    years = text(form, "depreciation_years")
    if years:
        if not years.isdigit() or not 1 <= int(years) <= 50:
            errors.fields["depreciation_years"] = "Un nombre d'années entre 1 et 50."
        elif section != "investment":
            errors.fields["depreciation_years"] = (
                "Seul un investissement s'amortit sur plusieurs années."
            )
        else:
            body["depreciation_years"] = int(years)
    if mode == "direct":
        body["driver_code"] = None
        bad = []
        for member, raw in weights.items():
            if not raw.strip():
                continue
            value = amount_from_form(raw.strip())
            try:
                if Decimal(value) < 0:
                    raise InvalidOperation
            except InvalidOperation:
                bad.append(member)
                continue
            body["allocation"].append({"member_code": member, "weight": value})
        if bad:
            errors.fields["allocation"] = (
                "Poids invalide pour " + ", ".join(bad) + " : un nombre positif (ex. : 2,5)."
            )
        elif not any(Decimal(a["weight"]) > 0 for a in body["allocation"]):
            errors.fields["allocation"] = RULES["allocation", "empty-weights"]
    elif mode == "indirect" and not body["driver_code"]:
        errors.fields["driver_code"] = RULES["driver_code", "missing"]
    return body, errors


def usage_body(form: dict[str, str]) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    check_required(errors, form, "member_code")
    item: dict[str, Any] = {
        "member_code": text(form, "member_code"),
        "quantity": form_decimal(errors, form, "quantity", places=6),
    }
    reference = form_date(errors, form, "reference_date")
    if reference:
        item["reference_date"] = reference
    return {"measurements": [item], "source": "manual"}, errors
