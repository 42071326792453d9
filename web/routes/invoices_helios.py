"""Suivi Hélios (back office): the bordereaux and where they are, their PES to download and
mark as sent (after a confirmation), the acknowledgements of Hélios uploaded (with a
confirmation) and what they did, a rejected bordereau sent again, the comptable's recoveries
imported (CSV or PES_Retour), the overdue titles with their age."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.invoices_documents import passed_on
from web.session import PageForbidden, User, api, require_page
from web.views.forms import check_csrf, refusal_message
from web.views.helios import (
    BordereauRow,
    OverdueRow,
    acquit_summary,
    import_summary,
    report_lines,
)
from web.views.invoices import BORDEREAU_STATES

router = APIRouter()
Issuer = Annotated[User, Depends(require_page("invoices:issue", staff_only=True))]
# the page is read by the DSIT's staff; sending is finance's, re-sending (a new signed file) a
# signatory's
Follower = Annotated[User, Depends(require_page("invoices:read", staff_only=True))]
STEP_PERMISSIONS = {"transmis": "invoices:issue", "renvoi": "invoices:validate"}
BordereauId = Annotated[int, Path(ge=1, le=2**62)]
PAGE = "pages/invoices_helios.html"
CONFIRM = "pages/invoices_helios_confirm.html"
FRENCH = {"Accept-Language": "fr"}
STEPS = {
    "transmis": (
        "sent",
        "Marquer comme transmis",
        "Vous confirmez avoir déposé ce fichier PES sur la plateforme de télétransmission (ou "
        "l'avoir remis au comptable public) : ses pièces passent à l'étape « Transmis ».",
    ),
    "renvoi": (
        "resend",
        "Renvoyer sur un nouveau bordereau",
        "Les pièces de ce bordereau rejeté gardent leur numéro et partent sur un nouveau "
        "bordereau, au numéro suivant de la série (un numéro n'est jamais réutilisé). Corrigez "
        "d'abord la cause du rejet ; le nouveau bordereau se signe et se transmet comme un autre.",
    ),
}


async def _json(request: Request, path: str, default: Any, **params: str) -> Any:
    answer = await api(request, "GET", path, params=params or None)
    return answer.json() if answer.status_code == 200 else default


async def all_bordereaux(request: Request, state: str) -> list[dict[str, Any]]:
    """Every bordereau (of that state), oldest first, page after page."""
    found: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(40):  # 20,000 bordereaux: decades of a Métropole's titles
        params = {"limit": "500", **({"state": state} if state else {}),
                  **({"cursor": cursor} if cursor else {})}  # fmt: skip
        page = await _json(request, "/api/billing/bordereaux", {"items": []}, **params)
        found += page.get("items", [])
        cursor = page.get("next_cursor") or ""
        if not cursor:
            break
    return found


async def helios_page(
    request: Request,
    *,
    state: str = "",
    notice: str = "",
    acquit: dict[str, Any] | None = None,
    payments: tuple[str, list[str]] | None = None,
    acquit_error: str = "",
    payments_error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    bordereaux = await all_bordereaux(request, state)
    overdue = await _json(request, "/api/billing/payments/overdue", [])
    acquits = await _json(request, "/api/billing/acquits", [])
    context = {
        "bordereaux": [BordereauRow.of(b) for b in reversed(bordereaux)],
        "states": BORDEREAU_STATES,
        "state": state,
        "overdue": [OverdueRow.of(o) for o in overdue],
        "acquits": [acquit_summary(a) for a in acquits[:10]],
        "acquit": acquit,
        "acquit_lines": report_lines(acquit["report"]) if acquit else [],
        "payments": payments,
        "acquit_error": acquit_error,
        "payments_error": payments_error,
        "notice": notice,
    }
    return render(request, PAGE, PAGE, context, status_code=status_code)


@router.get("/titres/helios", response_class=HTMLResponse)
async def helios(
    request: Request,
    _user: Follower,
    state: Annotated[str, Query(pattern="^(|" + "|".join(BORDEREAU_STATES) + ")$")] = "",
    avis: Annotated[str, Query(max_length=300)] = "",
) -> HTMLResponse:
    return await helios_page(request, state=state, notice=avis)


@router.get("/titres/helios/bordereaux/{bordereau_id}/pes.xml", response_class=Response)
async def bordereau_pes(request: Request, _user: Follower, bordereau_id: BordereauId) -> Response:
    answer = await api(request, "GET", f"/api/billing/bordereaux/{bordereau_id}/pes.xml")
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, "application/xml")


@router.get("/titres/helios/bordereaux/{bordereau_id}/{step}", response_class=HTMLResponse)
async def confirm_step(
    request: Request,
    user: Follower,
    bordereau_id: BordereauId,
    step: Annotated[str, Path(pattern="^(transmis|renvoi)$")],
) -> HTMLResponse:
    """The confirmation before marking a bordereau as sent, or re-sending a rejected one."""
    if not user.can(STEP_PERMISSIONS[step]):
        raise PageForbidden
    answer = await api(request, "GET", f"/api/billing/bordereaux/{bordereau_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    _, action, explanation = STEPS[step]
    context = {"b": BordereauRow.of(answer.json()), "step": step, "action": action,
               "explanation": explanation}  # fmt: skip
    return render(request, CONFIRM, CONFIRM, context)


@router.post("/titres/helios/bordereaux/{bordereau_id}/{step}", response_class=HTMLResponse)
async def do_step(
    request: Request,
    user: Follower,
    bordereau_id: BordereauId,
    step: Annotated[str, Path(pattern="^(transmis|renvoi)$")],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    if not user.can(STEP_PERMISSIONS[step]):
        raise PageForbidden
    endpoint = STEPS[step][0]
    path = f"/api/billing/bordereaux/{bordereau_id}/{endpoint}"
    answer = await api(request, "POST", path, json={"confirm": True}, headers=FRENCH)
    if answer.status_code in (200, 201):
        b = answer.json()
        notice = (
            f"Bordereau n° {b['number']} marqué comme transmis."
            if step == "transmis"
            else f"Pièces renvoyées sur le bordereau n° {b['number']}, signé : à transmettre."
        )
        return RedirectResponse(f"/titres/helios?{_query(notice)}", status_code=303)
    if answer.status_code == 404:
        return error_page(request, 404)
    return await helios_page(request, notice=refusal_message(answer), status_code=409)


def _query(notice: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"avis": notice})


@router.post("/titres/helios/acquits", response_class=HTMLResponse)
async def upload_acquit(
    request: Request,
    user: Issuer,
    fichier: Annotated[UploadFile | None, File()] = None,
    confirmation: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """An acknowledgement of Hélios (PES_ACQUIT), applied once confirmed; the page then says
    what each of its elements did, unknown bordereaux included."""
    check_csrf(request, user, csrf_token)
    content = await fichier.read() if fichier is not None else b""
    if not content.strip():
        return await helios_page(
            request, acquit_error="Choisissez le fichier de l'accusé (PES_ACQUIT, XML).",
            status_code=422)  # fmt: skip
    if confirmation != "oui":
        return await helios_page(
            request, status_code=422,
            acquit_error="Cochez la confirmation : l'accusé change l'étape des bordereaux "
            "qu'il désigne (pris en charge ou rejetés).")  # fmt: skip
    answer = await api(request, "POST", "/api/billing/acquits", content=content,
                       headers={"Content-Type": "application/xml", **FRENCH})  # fmt: skip
    if answer.status_code in (200, 201):
        body = answer.json()
        notice = (
            "Cet accusé avait déjà été reçu : rien n'a changé."
            if body["duplicate"]
            else "Accusé de réception appliqué."
        )
        return await helios_page(request, acquit=body, notice=notice)
    return await helios_page(request, acquit_error=refusal_message(answer), status_code=422)


@router.post("/titres/helios/encaissements", response_class=HTMLResponse)
async def upload_payments(
    request: Request,
    user: Issuer,
    fichier: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """The comptable's recoveries: a CSV ``exercice;titre;date;montant;reference`` or a
    PES_Retour (XML) with its recette part."""
    check_csrf(request, user, csrf_token)
    content = await fichier.read() if fichier is not None else b""
    if not content.strip():
        return await helios_page(
            request, payments_error="Choisissez le fichier des encaissements (CSV ou PES_Retour).",
            status_code=422)  # fmt: skip
    is_xml = content.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<")
    path = "/api/billing/payments/pes-retour" if is_xml else "/api/billing/payments.csv"
    media = "application/xml" if is_xml else "text/csv"
    answer = await api(request, "POST", path, content=content,
                       headers={"Content-Type": media, **FRENCH})  # fmt: skip
    if answer.status_code == 200:
        return await helios_page(request, payments=import_summary(answer.json()))
    return await helios_page(request, payments_error=refusal_message(answer), status_code=422)
