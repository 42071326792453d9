"""Dependencies of the titles endpoints: permissions, today's date, the title or its 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Path, Request

from kit.db import DbSession
from kit.errors import NotFound
from kit.identity import Principal, require
from services.billing.invoices import repository
from services.billing.invoices.registry import RegistryReader, registry_reader
from services.billing.invoices.settings import IssuerSettings
from services.billing.invoices.signing import SigningSettings
from services.billing.models import Invoice

InvoiceReader = Annotated[Principal, Depends(require("invoices:read", "billing:read"))]
Issuer = Annotated[Principal, Depends(require("invoices:issue"))]


def today() -> dt.date:
    """The date of issue (a dependency, so tests can place themselves in a fiscal year)."""
    return dt.date.today()


Today = Annotated[dt.date, Depends(today)]


def issuer_settings(request: Request) -> IssuerSettings:
    settings: IssuerSettings | None = getattr(request.app.state, "issuer_settings", None)
    if settings is None:
        settings = IssuerSettings()
        request.app.state.issuer_settings = settings
    return settings


IssuerConfig = Annotated[IssuerSettings, Depends(issuer_settings)]


def signing_settings(request: Request) -> SigningSettings:
    """Where the signatories' keys are, read from the environment once (never stored)."""
    settings: SigningSettings | None = getattr(request.app.state, "signing_settings", None)
    if settings is None:
        settings = SigningSettings()
        request.app.state.signing_settings = settings
    return settings


SigningConfig = Annotated[SigningSettings, Depends(signing_settings)]


def get_registry(request: Request) -> RegistryReader:
    return registry_reader(request.app)


Registry = Annotated[RegistryReader, Depends(get_registry)]


def get_invoice_or_404(
    session: DbSession, principal: InvoiceReader, invoice_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Invoice:
    invoice = repository.get(session, invoice_id)
    if invoice is None or not principal.can_access_member(invoice.member_code):
        raise NotFound(
            f"No title {invoice_id}.",
            detail_fr=f"Le titre n° {invoice_id} n'existe pas.",
            slug="invoice-not-found",
        )
    return invoice


InvoiceDep = Annotated[Invoice, Depends(get_invoice_or_404)]
