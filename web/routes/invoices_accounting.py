"""Comptabilité des titres (back office): what the finance officer sets with the comptable for
each exercice — the budget collecting the titles and where its series start, the M57 accounts
of each kind of debtor —, the liquidation batches handed to the financial software (their
export, and the numbers it gave, uploaded back), the proposals of mandate for the expense
software; and the regularisation of a replaced final run, after a confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.billing import get_run
from web.session import User, api, require_page
from web.views.billing import SECTIONS
from web.views.format import euros
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.invoices import IMPUTATION_KINDS, KINDS

router = APIRouter()
Issuer = Annotated[User, Depends(require_page("invoices:issue", staff_only=True))]
Year = Annotated[int, Path(ge=2000, le=2100)]
RunId = Annotated[int, Path(ge=1, le=2**31)]
DEBTOR_KINDS = {  # the registry's kinds of member, as the imputations name them
    "default": "Par défaut (tout débiteur)",
    "metropole": "Métropole",
    "commune": "Commune",
    "ccas": "Centre communal d'action sociale",
    "syndicat": "Syndicat",
    "etablissement_public": "Établissement public",
    "association": "Association",
    "other": "Autre organisme",
}
SOURCES = {"configured": "paramétré", "default": "par défaut", "settings": "paramètres"}
BUDGET_FIELDS = ("budget_code", "budget_name", "first_title_number", "first_bordereau_number")
ACCOUNT_FIELDS = ("nature", "function", "chapter")


async def _json(request: Request, path: str, default: Any, **params: str) -> Any:
    answer = await api(request, "GET", path, params=params or None)
    return answer.json() if answer.status_code == 200 else default


async def accounting_page(
    request: Request,
    year: int,
    *,
    budget_form: dict[str, str] | None = None,
    budget_errors: FormErrors | None = None,
    account_errors: dict[str, FormErrors] | None = None,
    numbers_errors: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    budget = await _json(request, f"/api/billing/exercices/{year}", {})
    imputations = await _json(request, f"/api/billing/imputations/{year}", [])
    batches = await _json(request, "/api/billing/liquidations", [], exercice=str(year))
    proposals = await _json(request, f"/api/billing/mandate-proposals/{year}", [])
    context = {
        "year": year,
        "years": list(range(dt.date.today().year + 1, dt.date.today().year - 6, -1)),
        "budget": budget,
        "budget_form": budget_form or {name: str(budget.get(name, "")) for name in BUDGET_FIELDS},
        "budget_errors": budget_errors or FormErrors(),
        "imputations": [
            {
                **i,
                "kind_label": DEBTOR_KINDS.get(i["debtor_kind"], i["debtor_kind"]),
                "line_label": IMPUTATION_KINDS.get(i["line_kind"], i["line_kind"]),
                "source_label": SOURCES.get(i["source"], i["source"]),
                "key": f"{i['debtor_kind']}-{i['line_kind']}",
            }
            for i in imputations
        ],
        "account_errors": account_errors or {},
        "kinds": DEBTOR_KINDS,
        "line_kinds": IMPUTATION_KINDS,
        "batches": [{**b, "total_label": euros(b["total"])} for b in batches],
        "numbers_errors": numbers_errors or {},
        "proposals": [
            {**p, "amount_label": euros(p["amount"]), "kind_label": KINDS["mandate"]}
            for p in proposals
        ],
        "source_label": SOURCES.get(budget.get("source", ""), ""),
        "notice": notice,
    }
    page = "pages/invoices_accounting.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/titres/comptabilite", response_class=HTMLResponse)
async def accounting(
    request: Request,
    _user: Issuer,
    exercice: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    return await accounting_page(request, exercice or dt.date.today().year)


@router.post("/titres/comptabilite/{year}/budget", response_class=HTMLResponse)
async def set_budget(
    request: Request,
    user: Issuer,
    year: Year,
    budget_code: Annotated[str, Form(max_length=10)] = "",
    budget_name: Annotated[str, Form(max_length=200)] = "",
    first_title_number: Annotated[str, Form(max_length=10)] = "",
    first_bordereau_number: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The budget (CodBud) and the first numbers agreed with the comptable."""
    check_csrf(request, user, csrf_token)
    form = {"budget_code": budget_code, "budget_name": budget_name,
            "first_title_number": first_title_number,
            "first_bordereau_number": first_bordereau_number}  # fmt: skip
    errors = FormErrors()
    if not budget_code.strip():
        errors.fields["budget_code"] = "Indiquez le code du budget (CodBud), par exemple 01."
    if len(budget_name.strip()) < 2:
        errors.fields["budget_name"] = "Indiquez le libellé du budget."
    for name in ("first_title_number", "first_bordereau_number"):
        if not form[name].strip().isdigit() or int(form[name]) < 1:
            errors.fields[name] = "Indiquez un numéro entier, 1 ou plus."
    if not errors:
        payload = {
            "budget_code": budget_code.strip().upper(),
            "budget_name": budget_name.strip(),
            "first_title_number": int(first_title_number),
            "first_bordereau_number": int(first_bordereau_number),
        }
        answer = await api(request, "PUT", f"/api/billing/exercices/{year}", json=payload)
        if answer.status_code == 200:
            return RedirectResponse(f"/titres/comptabilite?exercice={year}", status_code=303)
        errors = problem_errors(answer, BUDGET_FIELDS)
        if answer.status_code == 409:
            errors.message = (
                f"Des titres ou bordereaux sont déjà numérotés sur l'exercice {year} : son "
                "budget et ses premiers numéros ne peuvent plus changer."
            )
    return await accounting_page(
        request, year, budget_form=form, budget_errors=errors, status_code=422
    )


@router.post(
    "/titres/comptabilite/{year}/imputations/{debtor_kind}/{line_kind}",
    response_class=HTMLResponse,
)
async def set_account(
    request: Request,
    user: Issuer,
    year: Year,
    debtor_kind: Annotated[str, Path(max_length=30)],
    line_kind: Annotated[str, Path(max_length=20)],
    nature: Annotated[str, Form(max_length=10)] = "",
    function: Annotated[str, Form(max_length=10)] = "",
    chapter: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The M57 account (nature, function, chapter) of a kind of line for a kind of debtor."""
    check_csrf(request, user, csrf_token)
    errors = FormErrors()
    checks = (("nature", nature, 2, "l'article par nature (2 à 10 chiffres)"),
              ("function", function, 1, "la fonction (chiffres)"),
              ("chapter", chapter, 2, "le chapitre (2 ou 3 chiffres)"))  # fmt: skip
    for name, value, shortest, what in checks:
        if not (value.strip().isdigit() and len(value.strip()) >= shortest):
            errors.fields[name] = f"Indiquez {what}."
    if not errors:
        payload = {"nature": nature.strip(), "function": function.strip(),
                   "chapter": chapter.strip()}  # fmt: skip
        path = f"/api/billing/imputations/{year}/{debtor_kind}/{line_kind}"
        answer = await api(request, "PUT", path, json=payload)
        if answer.status_code == 200:
            return RedirectResponse(f"/titres/comptabilite?exercice={year}", status_code=303)
        if answer.status_code == 404:
            return error_page(request, 404)
        errors = problem_errors(answer, ACCOUNT_FIELDS)
    return await accounting_page(
        request,
        year,
        account_errors={f"{debtor_kind}-{line_kind}": errors},
        status_code=422,
    )


@router.get("/titres/comptabilite/lots/{batch}.csv", response_class=Response)
async def batch_csv(
    request: Request, _user: Issuer, batch: Annotated[str, Path(max_length=40)]
) -> Response:
    answer = await api(request, "GET", f"/api/billing/liquidations/{batch}.csv")
    if answer.status_code != 200:
        return error_page(request, 404)
    return Response(
        answer.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="liquidations-{batch}.csv"'},
    )


@router.post("/titres/comptabilite/lots/{batch}/numeros", response_class=HTMLResponse)
async def upload_numbers(
    request: Request,
    user: Issuer,
    batch: Annotated[str, Path(max_length=40)],
    exercice: Annotated[int, Form(ge=2000, le=2100)],
    fichier: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The numbers the financial software gave (CSV ``identifiant;numero``): each title of
    the batch is issued with its number; nothing is stored if one row is wrong."""
    check_csrf(request, user, csrf_token)
    content = await fichier.read() if fichier is not None else b""
    if not content.strip():
        return await accounting_page(
            request,
            exercice,
            numbers_errors={batch: "Choisissez le fichier des numéros (CSV identifiant;numero)"},
            status_code=422,
        )
    answer = await api(
        request,
        "POST",
        f"/api/billing/liquidations/{batch}/numbers.csv",
        content=content,
        headers={"Content-Type": "text/csv"},
    )
    if answer.status_code == 200:
        issued = len(answer.json())
        plural = "s" if issued > 1 else ""
        notice = f"Lot {batch} : {issued} titre{plural} émis avec leur numéro."
        return await accounting_page(request, exercice, notice=notice)
    message = NUMBER_PROBLEMS.get(
        _problem_type(answer), "Le fichier a été refusé : aucun numéro n'a été enregistré."
    )
    return await accounting_page(
        request, exercice, numbers_errors={batch: message}, status_code=422
    )


NUMBER_PROBLEMS = {
    "urn:mutualis:problem:invoice-number-taken": (
        "Un de ces numéros est déjà porté par un titre de l'exercice : aucun numéro n'a été "
        "enregistré. Vérifiez l'export du logiciel financier."
    ),
    "urn:mutualis:problem:validation-error": (
        "Le fichier n'a pas la forme attendue : une ligne d'en-tête identifiant;numero puis "
        "un titre par ligne. Aucun numéro n'a été enregistré."
    ),
}


def _problem_type(answer: Any) -> str:
    try:
        return str(answer.json().get("type", ""))
    except ValueError:
        return ""


@router.get("/titres/comptabilite/mandats/{year}.csv", response_class=Response)
async def proposals_csv(request: Request, _user: Issuer, year: Year) -> Response:
    answer = await api(request, "GET", f"/api/billing/mandate-proposals/{year}.csv")
    if answer.status_code != 200:
        return error_page(request, 404)
    return Response(
        answer.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="propositions-mandat-{year}.csv"'},
    )


# regularisation of a replaced final run


async def regularisation_page(
    request: Request,
    run: dict[str, Any],
    *,
    reason: str = "",
    errors: FormErrors | None = None,
    prepared: list[dict[str, Any]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    proposals = await _json(request, f"/api/billing/runs/{run['id']}/regularisation", [])
    rows = [
        {
            **p,
            "section_label": SECTIONS.get(p["section"], p["section"]),
            "titled_label": euros(p["titled"]),
            "new_label": euros(p["new"]),
            "lines_label": "; ".join(
                f"{IMPUTATION_KINDS.get(line['line_kind'], line['line_kind'])} : "
                f"{euros(line['titled'])} → {euros(line['new'])}"
                for line in p["lines"]
            ),
            "corrections_label": ", ".join(
                f"{KINDS.get(c['kind'], c['kind'])} de {euros(c['amount'])}"
                for c in p["corrections"]
            ),
        }
        for p in proposals
    ]
    context = {
        "run": run,
        "rows": rows,
        "reason": reason,
        "errors": errors or FormErrors(),
        "prepared": prepared,
    }
    page = "pages/invoices_regularisation.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/facturation/calculs/{run_id}/regularisation", response_class=HTMLResponse)
async def regularisation(request: Request, _user: Issuer, run_id: RunId) -> HTMLResponse:
    run = await get_run(request, run_id)
    if run is None:
        return error_page(request, 404)
    return await regularisation_page(request, run)


@router.post("/facturation/calculs/{run_id}/regularisation", response_class=HTMLResponse)
async def regularise(
    request: Request,
    user: Issuer,
    run_id: RunId,
    reason: Annotated[str, Form(max_length=1500)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The corrections shown are prepared for the signatory once confirmed, with a reason."""
    check_csrf(request, user, csrf_token)
    run = await get_run(request, run_id)
    if run is None:
        return error_page(request, 404)
    errors = FormErrors()
    if len(reason.strip()) < 10:
        errors.fields["reason"] = (
            "Indiquez pourquoi le calcul a été remplacé (10 caractères au moins)."
        )
    if not confirm:
        errors.fields["confirm"] = "Cochez la case pour confirmer les corrections ci-dessus."
    if not errors:
        body = {"reason": reason.strip(), "confirm": True}
        answer = await api(request, "POST", f"/api/billing/runs/{run_id}/regularisation", json=body)
        if answer.status_code == 201:
            return await regularisation_page(request, run, prepared=answer.json())
        errors = problem_errors(answer, ("reason",))
        if answer.status_code == 409:
            errors.message = "Les titres disent déjà ce que dit ce calcul : rien à régulariser."
    return await regularisation_page(request, run, reason=reason, errors=errors, status_code=422)
