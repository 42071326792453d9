"""Downloads: the PES V2 file of a bordereau, the ASAP (PDF/A) and Factur-X of a title.

Every document is stored the first time it is made, so each download gives the same bytes;
``X-Content-SHA256`` (also the ETag) lets a system prove what it received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from kit.db import DbSession, utcnow
from kit.errors import Conflict, NotFound
from kit.http import if_none_match, resource_response
from kit.pagination import PageParams, build_page, page_params
from services.billing.deps import cursor_key
from services.billing.invoices import helios_repository, repository
from services.billing.invoices.deps import InvoiceDep, InvoiceReader, IssuerConfig
from services.billing.invoices.schemas import BordereauPage, BordereauRead, BordereauState
from services.billing.invoices.views import bordereau_read
from services.billing.models import Bordereau, Invoice, InvoiceDocument

router = APIRouter(tags=["invoices"])
PDF = "application/pdf"
XML = "application/xml"


def document_response(
    request: Request, data: bytes, sha256: str, media_type: str, filename: str
) -> Response:
    etag = f'"{sha256}"'
    if if_none_match(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(
        data,
        media_type=media_type,
        headers={
            "ETag": etag,
            "X-Content-SHA256": sha256,
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def get_bordereau_or_404(
    session: DbSession, principal: InvoiceReader, bordereau_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Bordereau:
    bordereau = helios_repository.bordereau(session, bordereau_id)
    if bordereau is None or principal.member is not None:  # it lists every debtor: DSIT only
        raise NotFound(
            f"No bordereau {bordereau_id}.",
            detail_fr=f"Le bordereau n° {bordereau_id} n'existe pas.",
            slug="bordereau-not-found",
        )
    return bordereau


BordereauDep = Annotated[Bordereau, Depends(get_bordereau_or_404)]


@router.get("/bordereaux", response_model=BordereauPage)
def list_bordereaux(
    request: Request,
    response: Response,
    session: DbSession,
    principal: InvoiceReader,
    page: Annotated[PageParams, Depends(page_params)],
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    state: BordereauState | None = None,
) -> BordereauPage:
    """Bordereaux of titles sent to the public accountant (DSIT only: they list every debtor)."""
    after = cursor_key(page.after, int)
    if principal.member is not None:
        return BordereauPage(items=[])
    rows = helios_repository.bordereaux_page(
        session,
        limit=page.limit,
        after_id=int(str(after[0])) if after else None,
        fiscal_year=fiscal_year,
        state=state,
    )
    items, cursor = build_page(request, response, rows, limit=page.limit, key=lambda b: [b.id])
    return BordereauPage(
        items=[
            BordereauRead.model_validate(
                bordereau_read(
                    b, [i.id for i in helios_repository.bordereau_invoices(session, b.id)]
                )
            )
            for b in items
        ],
        next_cursor=cursor,
    )


@router.get("/bordereaux/{bordereau_id}", response_model=BordereauRead)
def read_bordereau(request: Request, session: DbSession, bordereau: BordereauDep) -> Response:
    ids = [i.id for i in helios_repository.bordereau_invoices(session, bordereau.id)]
    return resource_response(request, bordereau_read(bordereau, ids))


@router.get(
    "/bordereaux/{bordereau_id}/pes.xml",
    response_class=Response,
    responses={200: {"content": {XML: {}}}},
)
def download_bordereau_pes(request: Request, bordereau: BordereauDep) -> Response:
    """The PES V2 ``PES_Aller`` file of the bordereau, as sent to Hélios."""
    return document_response(
        request, bordereau.pes_xml, bordereau.pes_sha256, XML, bordereau.file_name
    )


@router.get(
    "/invoices/{invoice_id}/pes.xml",
    response_class=Response,
    responses={200: {"content": {XML: {}}}},
)
def download_invoice_pes(
    request: Request, session: DbSession, principal: InvoiceReader, invoice: InvoiceDep
) -> Response:
    """The PES file of the bordereau that carries this title (DSIT only)."""
    if invoice.bordereau_id is None:
        raise Conflict(
            "This title is in no bordereau (waiting, or a cancellation mandate).",
            detail_fr="Ce titre n'est dans aucun bordereau (en attente, ou proposition de "
            "mandat d'annulation).",
            slug="invoice-has-no-pes",
        )
    bordereau = get_bordereau_or_404(session, principal, invoice.bordereau_id)
    return download_bordereau_pes(request, bordereau)


def stored_document(
    session: DbSession,
    invoice: Invoice,
    kind: str,
    media_type: str,
    data: bytes,
    created_at: dt.datetime | None = None,
) -> InvoiceDocument:
    document = InvoiceDocument(
        invoice_id=invoice.id,
        kind=kind,
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=created_at or utcnow(),
    )
    session.add(document)
    session.flush()
    return document


def ensure_issued(invoice: Invoice) -> None:
    if invoice.status in ("ready", "prepared", "rejected"):
        raise Conflict(
            "A title not validated by a signatory has no document yet: it is made at issue.",
            detail_fr="Un titre que le signataire n'a pas validé n'a pas encore de document : "
            "il est fait à l'émission.",
            slug="invoice-not-issued",
        )


@router.get(
    "/invoices/{invoice_id}/asap.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
def download_asap(request: Request, session: DbSession, invoice: InvoiceDep) -> Response:
    """The avis des sommes à payer, in French, PDF/A-3b (made once, then the same bytes)."""
    from services.billing.invoices.pdf import render_asap, utc_second

    ensure_issued(invoice)
    document = repository.document(session, invoice.id, "pdf")
    if document is None:
        now = utc_second(utcnow())  # the PDF's creation date is the stored document's
        data = render_asap(invoice, original=_original(session, invoice), made_at=now)
        document = stored_document(session, invoice, "pdf", PDF, data, now)
    filename = f"avis-sommes-a-payer-{invoice.reference}.pdf"
    return document_response(request, document.data, document.sha256, PDF, filename)


def _original(session: DbSession, invoice: Invoice) -> Invoice | None:
    return repository.get(session, invoice.original_id) if invoice.original_id else None


@router.get(
    "/invoices/{invoice_id}/facturx.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}, 409: {"description": "Not issued, or a mandate"}},
)
def download_facturx(
    request: Request, session: DbSession, invoice: InvoiceDep, settings: IssuerConfig
) -> Response:
    """The ASAP with its EN 16931 CII XML embedded (Factur-X), for finance software that
    ingests structured invoices; made once from the stored ASAP, then the same bytes. A title
    names the comptable's account (the issuer settings' ``PAYMENT_*``) as its payment means."""
    from services.billing.invoices.facturx_document import (
        NoFacturX,
        PaymentAccount,
        render_facturx,
    )
    from services.billing.invoices.pdf import render_asap, utc_second

    ensure_issued(invoice)
    document = repository.document(session, invoice.id, "facturx")
    if document is None:
        now = utc_second(utcnow())
        original = _original(session, invoice)
        asap = repository.document(session, invoice.id, "pdf")
        if asap is None:
            data = render_asap(invoice, original=original, made_at=now)
            asap = stored_document(session, invoice, "pdf", PDF, data, now)
        try:
            payment = PaymentAccount.of_title(invoice, settings)
            data = render_facturx(asap.data, invoice, original, payment, made_at=now)
        except NoFacturX as exc:
            raise Conflict(str(exc), detail_fr=exc.french, slug="invoice-has-no-facturx") from exc
        document = stored_document(session, invoice, "facturx", PDF, data, now)
    filename = f"factur-x-{invoice.reference}.pdf"
    return document_response(request, document.data, document.sha256, PDF, filename)


def notice_pdf(
    session: Session, invoice: Invoice, originals: dict[int, Invoice], now: dt.datetime
) -> bytes:
    """The title's notice (ASAP PDF/A), made and stored now if it was not: the PES_PJ and
    every later download are the same bytes."""
    from services.billing.invoices.pdf import render_asap, utc_second

    document = repository.document(session, invoice.id, "pdf")
    if document is None:
        original = originals.get(invoice.original_id) if invoice.original_id else None
        if invoice.original_id and original is None:
            original = repository.get(session, invoice.original_id)
        made = utc_second(now)
        data = render_asap(invoice, original=original, made_at=made)
        document = stored_document(session, invoice, "pdf", PDF, data, made)
    return document.data
