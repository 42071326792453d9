"""Rules on conventions: terms, amendments and extensions, coverage on a date, deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, ValidationFailed
from kit.french import NOT_NULL, fr_date, quoted
from kit.identity import Principal
from services.registry.conventions import repository, terms
from services.registry.conventions.schemas import (
    AmendmentCreate,
    AmendmentRead,
    ConventionCreate,
    ConventionRead,
    ConventionUpdate,
)
from services.registry.models import AuditEntry, Convention, ConventionAmendment


def invalid(field: str, message: str, kind: str, french: str) -> ValidationFailed:
    """A 422 naming the field at fault; ``french`` says the same to a French reader."""
    return ValidationFailed(
        f"Invalid value for: {field} ({message})",
        detail_fr=french,
        errors=[{"field": field, "message": message, "type": kind, "message_fr": french}],
    )


def terms_of(convention: Convention, amendments: list[ConventionAmendment]) -> terms.Terms:
    return terms.Terms(
        code=convention.code,
        starts_on=convention.starts_on,
        ends_on=convention.ends_on,
        tacit_renewal=convention.tacit_renewal,
        renewal_months=convention.renewal_months,
        max_ends_on=convention.max_ends_on,
        notice_months=convention.notice_months,
        terminated_on=convention.terminated_on,
        extensions=tuple(a.extends_to for a in amendments if a.extends_to is not None),
    )


def to_read(session: Session, convention: Convention) -> ConventionRead:
    return to_reads(session, [convention])[0]


def to_reads(session: Session, conventions: list[Convention]) -> list[ConventionRead]:
    amendments = repository.amendments_by_convention(session, [c.id for c in conventions])
    codes = {c.id: c.code for c in repository.list_conventions(session)}
    out = []
    for c in conventions:
        own = amendments.get(c.id, [])
        out.append(
            ConventionRead(
                code=c.code,
                title=c.title,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                tacit_renewal=c.tacit_renewal,
                renewal_months=c.renewal_months,
                max_ends_on=c.max_ends_on,
                notice_months=c.notice_months,
                terminated_on=c.terminated_on,
                deliberation_ref=c.deliberation_ref,
                deliberated_on=c.deliberated_on,
                previous_code=codes.get(c.previous_id) if c.previous_id else None,
                effective_ends_on=terms.effective_end(terms_of(c, own)),
                amendments=[
                    AmendmentRead(
                        kind=a.kind,
                        reference=a.reference,
                        deliberated_on=a.deliberated_on,
                        signed_on=a.signed_on,
                        summary=a.summary,
                        extends_to=a.extends_to,
                    )
                    for a in own
                ],
            )
        )
    return out


def all_terms(session: Session) -> list[tuple[Convention, terms.Terms]]:
    conventions = list(repository.list_conventions(session))
    amendments = repository.amendments_by_convention(session, [c.id for c in conventions])
    return [(c, terms_of(c, amendments.get(c.id, []))) for c in conventions]


def conventions_in_force(session: Session, *, on: dt.date) -> list[int]:
    """Ids of the conventions in force on a date (with their extensions)."""
    return [c.id for c, t in all_terms(session) if terms.in_force(t, on)]


def deadlines(session: Session, *, start: dt.date, days: int) -> list[terms.DueDate]:
    end = start + dt.timedelta(days=days)
    return terms.due_between((t for _, t in all_terms(session)), start, end)


def create_convention(
    session: Session, *, principal: Principal, data: ConventionCreate
) -> Convention:
    if repository.get_by_code(session, data.code) is not None:
        raise Conflict(
            f"A convention '{data.code}' already exists.",
            detail_fr=f"Une convention {quoted(data.code)} existe déjà : choisissez un autre code.",
            slug="convention-exists",
        )
    if data.ends_on < data.starts_on:
        raise invalid(
            "ends_on",
            "the initial term ends before it starts",
            "date_order",
            "La période initiale se termine avant de commencer : la date de fin doit suivre "
            "celle du début.",
        )
    longest = terms.default_max_ends_on(data.starts_on)
    if data.ends_on > longest:
        raise invalid(
            "ends_on",
            f"a convention lasts {terms.MAX_YEARS} years at most",
            "max",
            f"Une convention dure au plus {terms.MAX_YEARS} ans : la fin doit être au plus tard "
            f"le {fr_date(longest)}.",
        )
    max_ends_on = None
    if data.tacit_renewal:
        max_ends_on = data.max_ends_on or longest
        if not data.ends_on <= max_ends_on <= longest:
            raise invalid(
                "max_ends_on",
                f"must be between ends_on and {longest.isoformat()} "
                f"({terms.MAX_YEARS} years at most)",
                "range",
                f"La fin au plus tard des reconductions doit être comprise entre la fin de la "
                f"période initiale ({fr_date(data.ends_on)}) et le {fr_date(longest)} "
                f"({terms.MAX_YEARS} ans au plus).",
            )
    previous_id = None
    if data.previous_code is not None:
        previous = repository.get_by_code(session, data.previous_code)
        if previous is None:
            raise invalid(
                "previous_code",
                "no convention with this code",
                "unknown",
                f"Aucune convention ne porte le code {quoted(data.previous_code)}.",
            )
        previous_id = previous.id
    convention = Convention(
        code=data.code,
        title=data.title,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        tacit_renewal=data.tacit_renewal,
        renewal_months=data.renewal_months,
        max_ends_on=max_ends_on,
        notice_months=data.notice_months,
        deliberation_ref=data.deliberation_ref,
        deliberated_on=data.deliberated_on,
        previous_id=previous_id,
    )
    session.add(convention)
    session.flush()
    audit_write(
        session,
        principal,
        "create",
        "convention",
        convention.code,
        None,
        to_read(session, convention),
    )
    return convention


def update_convention(
    session: Session, *, principal: Principal, convention: Convention, data: ConventionUpdate
) -> Convention:
    before = to_read(session, convention)
    changes = data.model_dump(exclude_unset=True)
    for field in ("title", "notice_months"):
        if field in changes and changes[field] is None:
            raise invalid(
                field,
                "may not be null",
                "null",
                NOT_NULL,
            )
    terminated_on = changes.get("terminated_on")
    if terminated_on is not None and terminated_on < convention.starts_on:
        raise invalid(
            "terminated_on",
            "before the convention starts",
            "date_order",
            f"La résiliation ne peut pas précéder le début de la convention "
            f"({fr_date(convention.starts_on)}).",
        )
    for field, value in changes.items():
        setattr(convention, field, value)
    session.flush()
    after = to_read(session, convention)
    audit_write(session, principal, "update", "convention", convention.code, before, after)
    return convention


def add_amendment(
    session: Session, *, principal: Principal, convention: Convention, data: AmendmentCreate
) -> ConventionAmendment:
    if data.kind == "extension" and data.extends_to is None:
        raise invalid(
            "extends_to",
            "an extension (prorogation) says until when",
            "missing",
            "Une prorogation dit jusqu'à quand : indiquez la nouvelle date de fin.",
        )
    if data.extends_to is not None and data.extends_to < convention.starts_on:
        raise invalid(
            "extends_to",
            "before the convention starts",
            "date_order",
            f"La nouvelle date de fin ne peut pas précéder le début de la convention "
            f"({fr_date(convention.starts_on)}).",
        )
    if repository.amendment_by_reference(session, convention.id, data.reference) is not None:
        raise Conflict(
            f"Convention '{convention.code}' already has an amendment '{data.reference}'.",
            detail_fr=f"La convention « {convention.title} » a déjà un avenant "
            f"{quoted(data.reference)}.",
            slug="amendment-exists",
        )

    before = to_read(session, convention)
    amendment = ConventionAmendment(convention_id=convention.id, **data.model_dump())
    session.add(amendment)
    session.flush()
    after = to_read(session, convention)
    audit_write(session, principal, "amend", "convention", convention.code, before, after)
    return amendment


def audit_write(
    session: Session,
    principal: Principal,
    action: str,
    kind: str,
    rid: str,
    before: Any,
    after: Any,
) -> None:
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action=action,
        resource_type=kind,
        resource_id=rid,
        before=before,
        after=after,
    )
