"""The signatory's step: validating (rendering executory) or refusing what finance prepared.

``POST /validations`` takes the prepared titles and corrections the signatory read, checks
that its account is in the register on that day and that it did not prepare them itself, and
issues them: original titles numbered in their series and put on one bordereau per (exercice,
service year) — or liquidated for the financial software —, complementary titles on a
bordereau of type 01 and reductions on one of type 02, proposals of mandate in their own
series. Everything or nothing: one title that cannot be issued (its exercice closed since it
was prepared, its prescription reached) stops the whole validation, naming it.

``POST /validations/refusals`` sends them back: a refused title waits again as ``ready`` with
the signatory's reason; a refused correction is kept as ``rejected`` and counts for nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kit import audit
from kit.db import DbSession, utcnow
from kit.errors import Conflict, Forbidden
from kit.identity import Principal, require
from services.billing import notifications
from services.billing.invoices import corrections, numbering, repository, service
from services.billing.invoices.deps import IssuerConfig, SigningConfig, Today
from services.billing.invoices.endpoints import result_of
from services.billing.invoices.exercice import budget_of, open_exercice
from services.billing.invoices.schemas import (
    InvoiceRead,
    IssueResult,
    RefusalRequest,
    ValidationRequest,
)
from services.billing.invoices.signatories import Validator, validator_for
from services.billing.invoices.signing import Signer, SigningKey, load_key
from services.billing.invoices.views import invoice_read
from services.billing.models import AuditEntry, Invoice

router = APIRouter(tags=["invoices"])

SignatoryAccount = Annotated[Principal, Depends(require("invoices:validate"))]


def prepared(session: DbSession, ids: list[int]) -> list[Invoice]:
    """The prepared titles named, in the order given; 409 naming those that are not."""
    found = repository.invoices_by_id(session, set(ids))
    wrong = [str(i) for i in dict.fromkeys(ids) if i not in found or found[i].status != "prepared"]
    if wrong:
        raise Conflict(
            f"Not awaiting validation (unknown, already validated or refused): "
            f"{', '.join(wrong)}; nothing was validated.",
            detail_fr="Ne sont pas à valider (inconnus, déjà validés ou refusés) : "
            f"{', '.join(wrong)} ; rien n'a été validé.",
            slug="invoice-not-prepared",
        )
    return [found[i] for i in dict.fromkeys(ids)]


def ensure_not_preparer(principal: Principal, invoices: list[Invoice]) -> None:
    """Four eyes: nobody validates what they prepared (``prepared_by`` starts with the
    preparer's subject)."""
    own = [i for i in invoices if (i.prepared_by or "").startswith(f"{principal.subject} ")]
    if own:
        raise Forbidden(
            f"{principal.name} prepared {', '.join(str(i.id) for i in own)}: another "
            "signatory validates them.",
            detail_fr=f"{principal.name} a préparé {', '.join(str(i.id) for i in own)} : un "
            "autre signataire les valide.",
            slug="validator-is-preparer",
        )


@router.post("/validations", response_model=IssueResult)
def validate(
    request: Request,
    session: DbSession,
    principal: SignatoryAccount,
    body: ValidationRequest,
    settings: IssuerConfig,
    signing: SigningConfig,
    today: Today,
) -> IssueResult:
    """Validate prepared titles and corrections: they are issued (numbered, on their
    bordereau signed with the validator's certificate, documents made, printing the
    validator) — 403 ``not-a-signatory`` when the account has no delegation valid today, 403
    ``validator-is-preparer`` on one's own, 409 ``signing-*`` when its certificate is
    missing, unreadable, expired or not its own (checked first: nothing is issued then)."""
    validator = validator_for(session, principal, today)
    now = utcnow()
    signature = signing_key(request, signing, validator, now) if numbers_here(settings) else None
    ctx = service.IssueContext(principal, settings, today, now, validator, signature)
    numbering.lock_feed(session)
    invoices = prepared(session, body.invoice_ids)
    ensure_not_preparer(principal, invoices)
    outcome = service.Outcome()
    titles = [i for i in invoices if i.kind == "title"]
    for title in titles:
        open_exercice(title.fiscal_year, today, settings)  # still open, not prescribed
    service.issue_titles(session, invoices=titles, ctx=ctx, outcome=outcome)
    groups: dict[tuple[str, int, int], list[Invoice]] = {}
    originals: dict[int, Invoice] = {}
    for correction in sorted((i for i in invoices if i.kind != "title"), key=lambda i: i.id):
        issued, bordereau_type = corrections.issue(session, correction, ctx)
        outcome.issued.append(issued)
        if bordereau_type is None:
            continue
        assert issued.exercice is not None
        assert issued.original_id is not None
        original = repository.get(session, issued.original_id)
        assert original is not None
        originals[original.id] = original
        key = (bordereau_type, issued.exercice, issued.fiscal_year)
        groups.setdefault(key, []).append(issued)
    for (bordereau_type, exercice, _year), group in sorted(groups.items()):
        budget = budget_of(session, exercice, settings)
        outcome.bordereaux.append(
            service.make_bordereau(session, budget, bordereau_type, group, originals, ctx)
        )
    notifications.mail_once_committed(session, request.app, outcome.issued)  # their notices
    return result_of(session, None, outcome)


def numbers_here(settings: IssuerConfig) -> bool:
    """Mutualis makes and signs the bordereaux (numbering by the financial software: it
    does, from the liquidations)."""
    return settings.numbering == "mutualis"


def signing_key(
    request: Request, signing: SigningConfig, validator: Validator, now: dt.datetime
) -> SigningKey:
    signer = Signer(validator.id, validator.first_name, validator.last_name, validator.function)
    environment = str(getattr(request.app.state.settings, "environment", "development"))
    return load_key(signing, signer, now, environment=environment)


@router.post("/validations/refusals", response_model=list[InvoiceRead])
def refuse(
    session: DbSession,
    principal: SignatoryAccount,
    body: RefusalRequest,
    today: Today,
) -> list[dict[str, object]]:
    """Send prepared titles back with a reason: a title waits again (``ready``) for finance to
    prepare anew; a correction is kept as ``rejected``."""
    validator = validator_for(session, principal, today)
    invoices = prepared(session, body.invoice_ids)
    why = f"Refusé par {validator.name} le {today.strftime('%d/%m/%Y')} : {body.reason}"
    for invoice in invoices:
        invoice.status = "ready" if invoice.kind == "title" else "rejected"
        invoice.waiting_reason = why[:2000]
        audit.record(session, AuditEntry, principal=principal, action="refuse",
                     resource_type="invoice", resource_id=str(invoice.id),
                     after={"reason": body.reason, "signatory": validator.name})  # fmt: skip
    session.flush()
    return [invoice_read(session, i) for i in invoices]
