"""Documents of titles, passed on from billing (the browser only talks to the web app): the
ASAP PDF and its Factur-X, the PES file, the PDF's SHA-256 loaded after the page, a year's
exports; and a contact's own title documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.dashboard import Contact
from web.routes.invoices import Reader, TitleId
from web.session import api

router = APIRouter()


def passed_on(answer: Any, media_type: str) -> Response:
    """A document of the API handed to the browser as is, with its SHA-256 when it has one."""
    headers = {"Content-Disposition": answer.headers.get("content-disposition", "attachment")}
    if answer.headers.get("x-content-sha256"):
        headers["X-Content-SHA256"] = answer.headers["x-content-sha256"]
    return Response(answer.content, media_type=media_type, headers=headers)


@router.get("/titres/export/{year}.{fmt}", response_class=Response)
async def export_titles(
    request: Request,
    _user: Reader,
    year: Annotated[int, Path(ge=2000, le=2100)],
    fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")],
    partie: Annotated[str, Query(pattern="^(titres|lignes)$")] = "titres",
) -> Response:
    """The API's export of a year's titles, passed through (the browser only talks to us)."""
    params = {"part": "lines" if partie == "lignes" else "titles"} if fmt == "csv" else None
    answer = await api(request, "GET", f"/api/billing/invoices/export/{year}.{fmt}", params=params)
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, answer.headers.get("content-type", "application/octet-stream"))


@router.get("/titres/{title_id}/empreinte-pdf", response_class=HTMLResponse)
async def pdf_fingerprint(request: Request, _user: Reader, title_id: TitleId) -> HTMLResponse:
    """The SHA-256 of the title's PDF, loaded after the page (the PDF is made at first read)."""
    answer = await api(request, "GET", f"/api/billing/invoices/{title_id}/asap.pdf")
    sha256 = answer.headers.get("x-content-sha256", "") if answer.status_code == 200 else ""
    page = "partials/invoices_pdf_hash.html"
    return render(request, page, page, {"sha256": sha256, "title_id": title_id})


DOCUMENTS = {"avis.pdf": "asap.pdf", "factur-x.pdf": "facturx.pdf"}


async def document(request: Request, title_id: int, name: str) -> Response:
    """The ASAP or its Factur-X, from billing (which answers 404 for another member's title)."""
    path = f"/api/billing/invoices/{title_id}/{DOCUMENTS[name]}"
    answer = await api(request, "GET", path)
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, "application/pdf")


@router.get("/titres/{title_id}/avis.pdf", response_class=Response)
async def title_pdf(request: Request, _user: Reader, title_id: TitleId) -> Response:
    return await document(request, title_id, "avis.pdf")


@router.get("/titres/{title_id}/factur-x.pdf", response_class=Response)
async def title_facturx(request: Request, _user: Reader, title_id: TitleId) -> Response:
    return await document(request, title_id, "factur-x.pdf")


@router.get("/titres/{title_id}/pes.xml", response_class=Response)
async def title_pes(request: Request, _user: Reader, title_id: TitleId) -> Response:
    answer = await api(request, "GET", f"/api/billing/invoices/{title_id}/pes.xml")
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, "application/xml")


@router.get("/tableau-de-bord/titres/{title_id}/avis.pdf", response_class=Response)
async def member_title_pdf(request: Request, _user: Contact, title_id: TitleId) -> Response:
    """A contact's own title as PDF; another member's title is a 404."""
    return await document(request, title_id, "avis.pdf")


@router.get("/tableau-de-bord/titres/{title_id}/factur-x.pdf", response_class=Response)
async def member_title_facturx(request: Request, _user: Contact, title_id: TitleId) -> Response:
    """A contact's own title as Factur-X (EN 16931 XML inside the PDF/A-3)."""
    return await document(request, title_id, "factur-x.pdf")
