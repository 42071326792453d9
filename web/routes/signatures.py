"""The signatory's parapheur and the register of signatories (back office).

The parapheur (``/titres/a-valider``) lists what finance prepared: the signatory ticks what it
read, sees a confirmation page that names every title and the total (validation is
irreversible: the titles are numbered and sent), then validates — or refuses with a reason.
The register (``/signataires``) is kept by the administration, which also gives the signatory
its account: each entry names the account it validates with.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.format import date, euros
from web.views.forms import FormErrors, check_csrf, in_french, problem_errors
from web.views.invoices_issue import IssueOutcome, PreparedRow

router = APIRouter()
Signer = Annotated[User, Depends(require_page("invoices:validate", staff_only=True))]
RegisterAdmin = Annotated[User, Depends(require_page("signatories:write", staff_only=True))]
SignatoryId = Annotated[int, Path(ge=1, le=2**31)]

VALIDATION_RULES = {
    "urn:mutualis:problem:not-a-signatory": (
        "Votre compte n'a pas de délégation de signature valide aujourd'hui au registre des "
        "signataires : l'administration doit l'y inscrire (ou prolonger la délégation)."
    ),
    "urn:mutualis:problem:validator-is-preparer": (
        "Vous avez préparé certains de ces titres : un autre signataire doit les valider."
    ),
    "urn:mutualis:problem:invoice-not-prepared": (
        "Certains titres ne sont plus à valider (déjà validés ou refusés entre-temps) : "
        "rien n'a été validé ; la liste est à jour."
    ),
    "urn:mutualis:problem:claims-prescribed": (
        "Les créances de l'année de services d'un de ces titres sont prescrites (loi "
        "n° 68-1250 du 31 décembre 1968) : refusez-le."
    ),
    "urn:mutualis:problem:correction-exercice-changed": (
        "L'exercice d'un titre corrigé s'est clos depuis la préparation de sa correction : "
        "refusez-la ; le service financier la préparera de nouveau (mandat d'annulation)."
    ),
}


def _problem_message(answer: Any) -> str:
    try:
        body = answer.json()
    except ValueError:
        return f"Erreur {answer.status_code}."
    known = VALIDATION_RULES.get(str(body.get("type", "")))
    if known is None and in_french(answer) and body.get("detail"):
        return str(body["detail"])  # e.g. the signing certificate refused, in the API's words
    return known or "La validation a été refusée."


async def _prepared(request: Request) -> list[dict[str, Any]]:
    answer = await api(
        request, "GET", "/api/billing/invoices", params={"status": "prepared", "limit": "500"}
    )
    return list(answer.json().get("items", [])) if answer.status_code == 200 else []


def _total(items: list[dict[str, Any]]) -> str:
    """The sum of the API's decimal strings (exact: never a float)."""
    return euros(str(sum((Decimal(i["total"]) for i in items), start=Decimal("0.00"))))


async def parapheur_page(
    request: Request,
    *,
    selected: list[int] | None = None,
    confirming: bool = False,
    outcome: IssueOutcome | None = None,
    error: str = "",
    reason: str = "",
    reason_error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    items = await _prepared(request)
    chosen = [i for i in items if i["id"] in (selected or [])]
    context = {
        "rows": [PreparedRow.of(i) for i in items],
        "chosen": [PreparedRow.of(i) for i in chosen],
        "chosen_total": _total(chosen),
        "confirming": confirming and bool(chosen),
        "outcome": outcome,
        "error": error,
        "reason": reason,
        "reason_error": reason_error,
        "notice": notice,
    }
    page = "pages/invoices_validation.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/titres/a-valider", response_class=HTMLResponse)
async def parapheur(request: Request, _user: Signer) -> HTMLResponse:
    return await parapheur_page(request)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and 0 < int(v) < 2**62]


@router.post("/titres/a-valider", response_class=HTMLResponse)
async def sign(
    request: Request,
    user: Signer,
    action: Annotated[str, Form(max_length=20)] = "",
    invoice_id: Annotated[list[str] | None, Form(max_length=2000)] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """``verifier``: the confirmation page; ``valider``: validate what it listed;
    ``refuser``: send back with a reason."""
    check_csrf(request, user, csrf_token)
    ids = _ids(invoice_id or [])
    if not ids:
        return await parapheur_page(request, error="Cochez au moins un titre.", status_code=422)
    if action == "verifier":
        return await parapheur_page(request, selected=ids, confirming=True)
    if action == "refuser":
        if len(reason.strip()) < 10:
            return await parapheur_page(
                request,
                selected=ids,
                confirming=True,
                reason=reason,
                reason_error="Indiquez le motif du refus (10 caractères au moins).",
                status_code=422,
            )
        body = {"invoice_ids": ids, "reason": reason.strip()}
        answer = await api(request, "POST", "/api/billing/validations/refusals", json=body)
        if answer.status_code == 200:
            plural = "s" if len(ids) > 1 else ""
            notice = f"{len(ids)} titre{plural} renvoyé{plural} au service financier."
            return await parapheur_page(request, notice=notice)
        return await parapheur_page(request, error=_problem_message(answer), status_code=422)
    if action != "valider":
        return await parapheur_page(request, error="Action inconnue.", status_code=422)
    answer = await api(
        request, "POST", "/api/billing/validations", json={"invoice_ids": ids, "confirm": True}
    )
    if answer.status_code == 200:
        return await parapheur_page(request, outcome=IssueOutcome.of(answer.json()))
    return await parapheur_page(
        request, selected=ids, error=_problem_message(answer), status_code=422
    )


# the register of signatories


FIELDS = ("first_name", "last_name", "qualite", "delegation_reference", "valid_from", "valid_to",
          "account_id")  # fmt: skip
LABELS = {
    "first_name": "le prénom",
    "last_name": "le nom",
    "qualite": "la qualité",
    "delegation_reference": "l'arrêté de délégation",
}


async def _signatory_accounts(request: Request) -> list[tuple[int, str]]:
    """The staff accounts holding the signatory role, to choose from."""
    answer = await api(request, "GET", "/api/auth/accounts", params={"limit": "500"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return [
        (int(a["id"]), f"{a['display_name']} <{a['email']}>")
        for a in items
        if a.get("kind") == "staff" and "signatory" in (a.get("roles") or [])
    ]


def _row(item: dict[str, Any]) -> dict[str, Any]:
    return {
        **item,
        "period": f"du {date(item['valid_from'])}"
        + (f" au {date(item['valid_to'])}" if item.get("valid_to") else " (sans terme)"),
    }


async def register_page(
    request: Request,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    editing: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await api(request, "GET", "/api/billing/signatories")
    items = answer.json() if answer.status_code == 200 else []
    context = {
        "signatories": [_row(i) for i in items],
        "accounts": await _signatory_accounts(request),
        "form": form or dict.fromkeys(FIELDS, ""),
        "errors": errors or FormErrors(),
        "editing": editing,
    }
    page = "pages/signatories.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/signataires", response_class=HTMLResponse)
async def list_signatories(request: Request, _user: RegisterAdmin) -> HTMLResponse:
    return await register_page(request)


@router.get("/signataires/{signatory_id}", response_class=HTMLResponse)
async def edit_signatory(
    request: Request, _user: RegisterAdmin, signatory_id: SignatoryId
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/billing/signatories/{signatory_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    form = {k: "" if item.get(k) is None else str(item[k]) for k in FIELDS}
    return await register_page(request, form=form, editing=signatory_id)


def _checked(form: dict[str, str]) -> tuple[dict[str, Any], FormErrors]:
    """The entry as the API takes it, or the errors in French (nothing sent)."""
    errors = FormErrors()
    payload: dict[str, Any] = {}
    for name, label in LABELS.items():
        value = form[name].strip()
        if len(value) < (1 if name.endswith("_name") else 2):
            errors.fields[name] = f"Indiquez {label}."
        payload[name] = value
    for name in ("valid_from", "valid_to"):
        value = form[name].strip()
        if not value:
            if name == "valid_from":
                errors.fields[name] = "Indiquez la date de début de la délégation."
            payload[name] = None
            continue
        try:
            payload[name] = dt.date.fromisoformat(value).isoformat()
        except ValueError:
            errors.fields[name] = "Date attendue (jj/mm/aaaa)."
    if (
        payload.get("valid_from")
        and payload.get("valid_to")
        and (payload["valid_to"] < payload["valid_from"])
    ):
        errors.fields["valid_to"] = "La fin de la délégation précède son début."
    if not form["account_id"].isdigit():
        errors.fields["account_id"] = "Choisissez le compte avec lequel le signataire valide."
    else:
        payload["account_id"] = int(form["account_id"])
    return payload, errors


async def _save(
    request: Request, user: User, signatory_id: int | None, form: dict[str, str]
) -> Response:
    payload, errors = _checked(form)
    if not errors:
        if signatory_id is None:
            answer = await api(request, "POST", "/api/billing/signatories", json=payload)
        else:
            answer = await api(
                request, "PUT", f"/api/billing/signatories/{signatory_id}", json=payload
            )
        if answer.status_code in (200, 201):
            return RedirectResponse("/signataires", status_code=303)
        errors = problem_errors(answer, FIELDS)
        errors.message = errors.message and "L'inscription a été refusée : vérifiez les champs."
    return await register_page(
        request, form=form, errors=errors, editing=signatory_id, status_code=422
    )


FormField = Annotated[str, Form(max_length=300)]


def signatory_form(
    first_name: FormField = "",
    last_name: FormField = "",
    qualite: FormField = "",
    delegation_reference: FormField = "",
    valid_from: FormField = "",
    valid_to: FormField = "",
    account_id: FormField = "",
) -> dict[str, str]:
    """The register's form, as typed (checked by ``_checked``)."""
    return {"first_name": first_name, "last_name": last_name, "qualite": qualite,
            "delegation_reference": delegation_reference, "valid_from": valid_from,
            "valid_to": valid_to, "account_id": account_id}  # fmt: skip


SignatoryForm = Annotated[dict[str, str], Depends(signatory_form)]
Csrf = Annotated[str, Form(max_length=200)]


@router.post("/signataires", response_class=HTMLResponse)
async def create_signatory(
    request: Request, user: RegisterAdmin, form: SignatoryForm, csrf_token: Csrf = ""
) -> Response:
    check_csrf(request, user, csrf_token)
    return await _save(request, user, None, form)


@router.post("/signataires/{signatory_id}", response_class=HTMLResponse)
async def update_signatory(
    request: Request,
    user: RegisterAdmin,
    signatory_id: SignatoryId,
    form: SignatoryForm,
    csrf_token: Csrf = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    return await _save(request, user, signatory_id, form)
