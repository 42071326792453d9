"""Changing or withdrawing a settlement on the attribution de compensation (back office): the
deliberation and the deduction's basis can be changed until the year is balanced; withdrawing
the choice (the year's title is then issued as usual) asks for a confirmation first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.routes.settlements import (
    BASE,
    FIELDS,
    Finance,
    FormField,
    SettlementId,
    detail_page,
    get_settlement,
)
from web.session import api
from web.views.forms import check_csrf, problem_errors, refusal_message

router = APIRouter()


@router.post(BASE + "/{settlement_id}/modifier", response_class=HTMLResponse)
async def change(
    request: Request,
    user: Finance,
    settlement_id: SettlementId,
    deliberation_ref: FormField = "",
    deliberated_on: FormField = "",
    deliberating_body: FormField = "",
    basis: FormField = "",
    deducted_amount: FormField = "",
    csrf_token: FormField = "",
) -> Response:
    """Change the deliberation or the basis; the API's refusals come back next to the fields."""
    check_csrf(request, user, csrf_token)
    st = await get_settlement(request, settlement_id)
    if st is None:
        return error_page(request, 404)
    s = st["settlement"]
    form = {"member_code": s["member_code"], "fiscal_year": str(s["fiscal_year"]),
            "deliberation_ref": deliberation_ref, "deliberated_on": deliberated_on,
            "deliberating_body": deliberating_body, "basis": basis,
            "deducted_amount": deducted_amount}  # fmt: skip
    payload: dict[str, Any] = {
        "deliberation_ref": deliberation_ref.strip(),
        "deliberated_on": deliberated_on.strip(),
        "deliberating_body": deliberating_body.strip(),
        "basis": basis,
        "deducted_amount": (
            deducted_amount.strip().replace(",", ".").replace(" ", "") or None
            if basis == "amount"
            else None
        ),
    }
    answer = await api(request, "PUT", f"/api/billing/settlements/{settlement_id}", json=payload)
    if answer.status_code == 200:
        return RedirectResponse(f"{BASE}/{settlement_id}", status_code=303)
    errors = problem_errors(answer, FIELDS)
    if not errors:
        errors.message = refusal_message(answer)
    return await detail_page(request, st, form=form, errors=errors, status_code=422)


@router.get(BASE + "/{settlement_id}/retirer", response_class=HTMLResponse)
async def confirm_withdrawal(
    request: Request, _user: Finance, settlement_id: SettlementId
) -> HTMLResponse:
    st = await get_settlement(request, settlement_id)
    if st is None:
        return error_page(request, 404)
    return await detail_page(request, st, withdrawing=True)


@router.post(BASE + "/{settlement_id}/retirer", response_class=HTMLResponse)
async def withdraw(
    request: Request,
    user: Finance,
    settlement_id: SettlementId,
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: FormField = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    st = await get_settlement(request, settlement_id)
    if st is None:
        return error_page(request, 404)
    if confirm != "1":
        return await detail_page(request, st, withdrawing=True, status_code=422,
                                 error="Confirmez le retrait du choix.")  # fmt: skip
    answer = await api(request, "DELETE", f"/api/billing/settlements/{settlement_id}")
    if answer.status_code == 204:
        year = st["settlement"]["fiscal_year"]
        return RedirectResponse(f"{BASE}?annee={year}", status_code=303)
    return await detail_page(request, st, error=refusal_message(answer), status_code=422)
