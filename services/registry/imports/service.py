"""Running an import: each row read, checked against the registry's rules and stored (or, in a
simulation, stored in a savepoint that is rolled back, so the report says exactly what would
happen). A rejected row never stops the others."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import AppError, ValidationFailed
from kit.i18n import say
from kit.identity import Principal
from services.registry.budget_calendars import service as calendars
from services.registry.budget_calendars.schemas import BudgetCalendarWrite
from services.registry.contacts import repository as contacts_repository
from services.registry.contacts import service as contacts
from services.registry.contacts.schemas import ContactCreate, ContactUpdate
from services.registry.imports.formats import FORMATS, Format, ParsedRow, parse_row
from services.registry.imports.reading import fail, read_rows
from services.registry.imports.schemas import ImportReport, RowError, RowResult
from services.registry.members import repository as members_repository
from services.registry.models import Member
from services.registry.workstations import service as workstations
from services.registry.workstations.schemas import WorkstationCountWrite


def check_header(fmt: Format, header: list[str]) -> None:
    unknown = [h for h in header if h and fmt.column(h) is None]
    known = {c.key for h in header if (c := fmt.column(h)) is not None}
    missing = [c.header for c in fmt.columns if c.required and c.key not in known]
    if unknown or missing:
        raise fail(
            "Header columns must be among: "
            + ", ".join(c.header for c in fmt.columns)
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else ""),
            "En-tête du fichier non reconnu : partez du modèle."
            + (f" Colonnes inconnues : {', '.join(unknown)}." if unknown else "")
            + (f" Colonnes manquantes : {', '.join(missing)}." if missing else "")
            + " Colonnes possibles : "
            + ", ".join(c.header for c in fmt.columns)
            + ".",
            field="header",
        )


def run_import(
    session: Session, *, principal: Principal, kind: str, content: bytes, dry_run: bool
) -> ImportReport:
    fmt = FORMATS[kind]
    header, lines = read_rows(content)
    check_header(fmt, header)
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    outer = session.begin_nested()
    for number, line in lines:
        parsed = parse_row(fmt, number, line)
        if parsed.key in seen:
            same = " / ".join(fmt.key_columns)
            _error(
                parsed,
                "",
                say(
                    f"same {same} as line {seen[parsed.key]}",
                    f"Ligne en double de la ligne {seen[parsed.key]}.",
                ),
                "duplicate",
            )
        seen.setdefault(parsed.key, number)
        results.append(_apply(session, principal, fmt, parsed))
    if dry_run:
        outer.rollback()
    else:
        outer.commit()
    summary = Counter(r.status for r in results)
    return ImportReport(
        kind=kind,
        dry_run=dry_run,
        summary={s: summary.get(s, 0) for s in ("created", "updated", "unchanged", "rejected")},
        items=results,
    )


def _error(parsed: ParsedRow, field: str, message: str, kind: str, column: str = "") -> None:
    parsed.errors.append({"field": field, "column": column, "message": message, "type": kind})


def _apply(session: Session, principal: Principal, fmt: Format, parsed: ParsedRow) -> RowResult:
    member = None
    code = parsed.values.get("member_code")
    if code:
        member = members_repository.get_by_code(session, str(code))
        if member is None:
            _error(
                parsed,
                "member_code",
                say(f"no member '{code}'", f"Adhérent inconnu (« {code} »)."),
                "unknown_member",
                "Code adhérent",
            )
    _pure_rules(fmt, parsed)
    status = "rejected"
    if not parsed.errors and member is not None:
        savepoint = session.begin_nested()
        try:
            status = _store(session, principal, fmt, parsed, member)
            savepoint.commit()
        except AppError as exc:
            savepoint.rollback()
            whole = {"message": exc.detail, "message_fr": exc.detail_fr}
            for err in exc.errors or [{"field": "", "type": exc.slug, **whole}]:
                column = fmt.column(str(err.get("field", "")).split(".")[0])
                _error(
                    parsed,
                    str(err.get("field", "")),
                    _message(err),
                    str(err.get("type", exc.slug)),
                    column.header if column else "",
                )
    return RowResult(
        row=parsed.row,
        key=parsed.key,
        status=status if not parsed.errors else "rejected",
        errors=[RowError(**e) for e in parsed.errors],
    )


def _pure_rules(fmt: Format, parsed: ParsedRow) -> None:
    """The rules that need no database, checked even when another cell is at fault."""
    year = parsed.values.get("fiscal_year")
    if not isinstance(year, int) or not isinstance(parsed.payload, BudgetCalendarWrite):
        return
    for err in calendars.calendar_errors(year, parsed.payload):
        column = fmt.column(err["field"].split(".")[0])
        _error(parsed, err["field"], _message(err), err["type"], column.header if column else "")


def _message(error: dict[str, Any]) -> str:
    """A rule's message in the request's language (its ``message_fr`` when it has one)."""
    english = str(error.get("message", ""))
    return say(english, str(error.get("message_fr") or english))


def _store(
    session: Session, principal: Principal, fmt: Format, parsed: ParsedRow, member: Member
) -> str:
    payload: Any = parsed.payload
    year = int(parsed.values.get("fiscal_year", 0))
    if isinstance(payload, WorkstationCountWrite):
        read, added = workstations.record_count(
            session, principal=principal, member=member, fiscal_year=year, data=payload
        )
        return "unchanged" if not added else "created" if read.version == 1 else "updated"
    if isinstance(payload, BudgetCalendarWrite):
        before = _calendar_or_none(session, member, year)
        after, created = calendars.save_calendar(
            session, principal=principal, member=member, fiscal_year=year, data=payload
        )
        return "created" if created else "unchanged" if after == before else "updated"
    assert isinstance(payload, ContactCreate)
    return _store_contact(session, principal, member, payload)


def _calendar_or_none(session: Session, member: Member, year: int) -> Any:
    try:
        return calendars.read_calendar(session, member=member, fiscal_year=year)
    except AppError:
        return None


def _store_contact(
    session: Session, principal: Principal, member: Member, data: ContactCreate
) -> str:
    existing = contacts_repository.get_by_email(session, data.email)
    if existing is None:
        contacts.create_contact(session, principal=principal, member=member, data=data)
        return "created"
    if existing.member_id != member.id:
        raise ValidationFailed(
            "email taken",
            detail_fr="Ce courriel est celui d'un interlocuteur d'un autre adhérent.",
            errors=[
                {
                    "field": "email",
                    "message": "this email is the one of a contact of another member",
                    "type": "email_taken",
                    "message_fr": "Ce courriel est celui d'un interlocuteur d'un autre adhérent.",
                }
            ],
        )
    before = contacts.to_read(existing, member.code)
    contacts.update_contact(
        session,
        principal=principal,
        contact=existing,
        member_code=member.code,
        data=ContactUpdate(**data.model_dump()),
    )
    return "unchanged" if contacts.to_read(existing, member.code) == before else "updated"
