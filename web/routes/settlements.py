"""Settlement on the attribution de compensation (back office): the year's choices of the member
communes, the form to record one with its deliberation, the detail with the deduction, the
final run's amount and the CLECT document, and the year-end balancing behind a confirmation
page (it cannot be undone). Only the host EPCI (the Métropole) pays the ACs."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.format import date, euros
from web.views.forms import FormErrors, check_csrf, problem_errors, refusal_message

router = APIRouter()
Reader = Annotated[User, Depends(require_page("invoices:read", staff_only=True))]
Finance = Annotated[User, Depends(require_page("invoices:issue", staff_only=True))]
SettlementId = Annotated[int, Path(ge=1, le=2**31)]
MAX_FILE = 10 * 1024 * 1024  # the deliberation's file
BASE = "/facturation/attributions-de-compensation"
FIELDS = ("member_code", "fiscal_year", "deliberation_ref", "deliberated_on",
          "deliberating_body", "basis", "deducted_amount")  # fmt: skip
BASES = {
    "forecast": "le prévisionnel mis à disposition pour l'année",
    "previous_year": "le calcul définitif de l'année précédente",
    "amount": "un montant fixé par la délibération",
}
BALANCES = {
    "title": "titre de solde",
    "reimbursement": "remboursement à la commune",
    "none": "aucun solde",
}


def row(s: dict[str, Any]) -> dict[str, Any]:
    return {
        **s,
        "deducted_label": euros(s["deducted"]),
        "deliberated_label": date(s["deliberated_on"]),
        "balance_label": (
            f"{BALANCES[s['balance_kind']]} ({euros(s['balance'])}), le {date(s['balanced_at'])}"
            if s.get("balance_kind")
            else "à solder"
        ),
    }


async def compensation_notice(request: Request, member: str, year: int) -> str:
    """The member dashboard's sentence when its contribution of ``year`` is settled through
    its attribution de compensation (empty otherwise)."""
    params = {"fiscal_year": year, "member_code": member}
    answer = await api(request, "GET", "/api/billing/settlements", params=params)
    found = answer.json() if answer.status_code == 200 else []
    if not found:
        return ""
    statement = await get_settlement(request, int(found[0]["id"]))
    return str(statement["explanation"]) if statement else ""


async def communes(request: Request) -> list[tuple[str, str]]:
    answer = await api(request, "GET", "/api/registry/members", params={"limit": "500"})
    members = answer.json().get("items", []) if answer.status_code == 200 else []
    return [(m["code"], m["name"]) for m in members if m.get("kind") == "commune"]


async def list_page(
    request: Request,
    year: int,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await api(request, "GET", "/api/billing/settlements", params={"fiscal_year": year})
    items = answer.json() if answer.status_code == 200 else []
    context = {
        "year": year,
        "rows": [row(s) for s in items],
        "communes": await communes(request),
        "bases": BASES,
        "form": form
        or {
            **dict.fromkeys(FIELDS, ""),
            "fiscal_year": str(year),
            "basis": "forecast",
        },  # fmt: skip
        "errors": errors or FormErrors(),
    }
    page = "pages/settlements.html"
    return render(request, page, page, context, status_code=status_code)


@router.get(BASE, response_class=HTMLResponse)
async def settlements(
    request: Request, _user: Reader, annee: Annotated[int | None, Query(ge=2000, le=2100)] = None
) -> HTMLResponse:
    return await list_page(request, annee or dt.date.today().year)


FormField = Annotated[str, Form(max_length=300)]


@router.post(BASE, response_class=HTMLResponse)
async def record(
    request: Request,
    user: Finance,
    member_code: FormField = "",
    fiscal_year: FormField = "",
    deliberation_ref: FormField = "",
    deliberated_on: FormField = "",
    deliberating_body: FormField = "",
    basis: FormField = "",
    deducted_amount: FormField = "",
    csrf_token: FormField = "",
    deliberation_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Record a commune's choice; the API's refusals (not a commune, a second choice for the
    year, a title already on its way) come back next to the fields, in French."""
    check_csrf(request, user, csrf_token)
    form = {"member_code": member_code, "fiscal_year": fiscal_year,
            "deliberation_ref": deliberation_ref, "deliberated_on": deliberated_on,
            "deliberating_body": deliberating_body, "basis": basis,
            "deducted_amount": deducted_amount}  # fmt: skip
    year = int(fiscal_year) if fiscal_year.isdigit() else dt.date.today().year
    payload: dict[str, Any] = {k: v.strip() for k, v in form.items()}
    payload["fiscal_year"] = year
    payload["deducted_amount"] = (
        deducted_amount.strip().replace(",", ".").replace(" ", "") or None
        if basis == "amount"
        else None
    )
    content = await deliberation_file.read(MAX_FILE + 1) if deliberation_file else b""
    if len(content) > MAX_FILE:
        errors = FormErrors(fields={"deliberation_file": "Le fichier dépasse 10 Mo."})
        return await list_page(request, year, form=form, errors=errors, status_code=422)
    if content and deliberation_file is not None:
        payload["attachment_name"] = (deliberation_file.filename or "deliberation")[:200]
        payload["attachment_media_type"] = (deliberation_file.content_type or "")[:100] or None
        payload["attachment_base64"] = base64.b64encode(content).decode("ascii")
    answer = await api(request, "POST", "/api/billing/settlements", json=payload)
    if answer.status_code == 201:
        return RedirectResponse(f"{BASE}/{answer.json()['id']}", status_code=303)
    errors = problem_errors(answer, FIELDS)
    if not errors.message and not errors.fields:
        errors.message = refusal_message(answer)
    return await list_page(request, year, form=form, errors=errors, status_code=422)


async def get_settlement(request: Request, settlement_id: int) -> dict[str, Any] | None:
    answer = await api(request, "GET", f"/api/billing/settlements/{settlement_id}/statement")
    return dict(answer.json()) if answer.status_code == 200 else None


def statement_view(st: dict[str, Any]) -> dict[str, Any]:
    return {
        **st,
        "s": row(st["settlement"]),
        "final_label": euros(st.get("final_amount")) or "calcul définitif à venir",
        "difference_label": euros(st.get("difference")),
        "investment_label": euros(st.get("investment_titled")),
        "kind_label": BALANCES.get(st.get("balance_kind") or "", ""),
    }


async def detail_page(
    request: Request,
    st: dict[str, Any],
    *,
    confirming: bool = False,
    error: str = "",
    outcome: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    withdrawing: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    s = st["settlement"]
    context = {
        "st": statement_view(st),
        "confirming": confirming,
        "error": error,
        "outcome": outcome,
        "base": BASE,
        "bases": BASES,
        "form": form
        or {
            **{k: str(s.get(k) or "") for k in FIELDS},
            "deducted_amount": s["deducted"].replace(".", ",") if s["basis"] == "amount" else "",
        },
        "errors": errors or FormErrors(),
        "withdrawing": withdrawing,
    }
    page = "pages/settlement.html"
    return render(request, page, page, context, status_code=status_code)


@router.get(BASE + "/{settlement_id}", response_class=HTMLResponse)
async def detail(request: Request, _user: Reader, settlement_id: SettlementId) -> HTMLResponse:
    st = await get_settlement(request, settlement_id)
    if st is None:
        return error_page(request, 404)
    return await detail_page(request, st)


@router.get(BASE + "/{settlement_id}/document.pdf", response_class=Response)
async def document(request: Request, _user: Reader, settlement_id: SettlementId) -> Response:
    """The CLECT document, passed on from billing."""
    answer = await api(request, "GET", f"/api/billing/settlements/{settlement_id}/statement.pdf")
    if answer.status_code != 200:
        return error_page(request, 404)
    return Response(
        answer.content,
        media_type="application/pdf",
        headers={"Content-Disposition": answer.headers.get("content-disposition", "attachment")},
    )


@router.get(BASE + "/{settlement_id}/deliberation", response_class=Response)
async def deliberation(request: Request, _user: Reader, settlement_id: SettlementId) -> Response:
    """The deliberation's attached file, passed on from billing."""
    answer = await api(request, "GET", f"/api/billing/settlements/{settlement_id}/attachment")
    if answer.status_code != 200:
        return error_page(request, 404)
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={"Content-Disposition": answer.headers.get("content-disposition", "attachment")},
    )


@router.get(BASE + "/{settlement_id}/solde", response_class=HTMLResponse)
async def confirm_balance(
    request: Request, _user: Finance, settlement_id: SettlementId
) -> HTMLResponse:
    """The confirmation page: what the balancing will make, and that it cannot be undone."""
    st = await get_settlement(request, settlement_id)
    if st is None:
        return error_page(request, 404)
    return await detail_page(request, st, confirming=True)


@router.post(BASE + "/{settlement_id}/solde", response_class=HTMLResponse)
async def balance(
    request: Request,
    user: Finance,
    settlement_id: SettlementId,
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: FormField = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    answer = await api(
        request,
        "POST",
        f"/api/billing/settlements/{settlement_id}/balance",
        json={"confirm": confirm == "1"},
    )
    st = await get_settlement(request, settlement_id)
    if st is None:
        return error_page(request, 404)
    if answer.status_code == 200:
        return await detail_page(request, st, outcome=answer.json())
    return await detail_page(
        request, st, confirming=True, error=refusal_message(answer), status_code=422
    )
