"""Payments: the comptable's recoveries brought back onto each title, and what remains owed.

Two sources, both idempotent (each recovery has a unique key; importing it again changes
nothing): the recette part of a ``PES_Retour`` (each ``Recouvrement`` of a piece's line:
``DteReco``, ``IdEncaissement``, ``MtReco``), and a CSV for what arrives otherwise —
``exercice;titre;date;montant;reference`` the French way (``;``, ``1 234,56``, ``25/09/2023``;
``titre`` is the title's number on that exercice). Amounts are integer cents throughout.
Overdue titles (unpaid past the payment term of the ASAP, 30 days by default) are listed for
finance with their age.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from lxml import etree
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kit import audit
from kit.db import DbSession, utcnow
from kit.http import RawBody
from kit.identity import Principal
from kit.tabular import UnreadableFile, bad_file, parse_date, parse_decimal, parse_int, read_table
from services.billing.engine.money import fmt
from services.billing.invoices import helios_repository, repository, states
from services.billing.invoices.deps import InvoiceReader, Issuer, Today
from services.billing.models import AuditEntry, Invoice, Payment

router = APIRouter(tags=["invoices"])
SCHEMAS = Path(__file__).resolve().parent / "pes_v2_schemas"
# PES_Retour.xsd (v4.7.1) does not load without the dépense part and has its recette element
# commented out: this small root of ours declares it over the vendored recette types
RETOUR_ROOT = Path(__file__).resolve().parent / "pes_retour_recette.xsd"
RETOUR_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
CSV_COLUMNS = ("exercice", "titre", "date", "montant", "reference")
OVERDUE_DAYS = 30


@dataclass
class Recovery:
    exercice: int
    number: int
    paid_on: dt.date
    amount_cents: int
    reference: str
    key: str


class ImportResult(BaseModel):
    created: list[dict[str, Any]] = Field(default_factory=list)
    unchanged: list[dict[str, Any]] = Field(default_factory=list)
    rejected: list[dict[str, Any]] = Field(
        default_factory=list, description="Line, why (message, message_fr)"
    )


def _cents(text: str) -> int:
    amount = parse_decimal(text)
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"« {text} » a plus de deux décimales.")
    if amount <= Decimal(0):
        raise ValueError(f"« {text} » : un encaissement est un montant positif.")
    return int(cents)


def csv_recoveries(content: bytes) -> tuple[list[tuple[int, Recovery]], list[dict[str, Any]]]:
    """The recoveries of a CSV, and its lines that cannot be read (with why, in French)."""
    try:
        table = read_table(content, max_rows=20_000)
    except UnreadableFile as exc:
        raise bad_file(str(exc)) from exc
    missing = [c for c in CSV_COLUMNS if c not in table.header]
    if missing:
        raise bad_file(
            f"Colonnes attendues : {';'.join(CSV_COLUMNS)} (manquent : {', '.join(missing)})."
        )
    good, bad = [], []
    for line, cells in table.rows:
        try:
            exercice, number = parse_int(cells["exercice"]), parse_int(cells["titre"])
            paid_on, cents = parse_date(cells["date"]), _cents(cells["montant"])
            reference = cells["reference"].strip()[:80]
            if not reference:
                raise ValueError("La référence de l'encaissement est obligatoire.")
        except ValueError as exc:
            bad.append(_rejected(line, str(exc)))
            continue
        key = f"csv:{exercice}:{number}:{paid_on}:{cents}:{reference}"
        good.append((line, Recovery(exercice, number, paid_on, cents, reference, key)))
    return good, bad


def _rejected(line: int | None, french: str) -> dict[str, Any]:
    return {"line": line, "message": french, "message_fr": french}


def retour_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(RETOUR_ROOT)))


def retour_recoveries(xml: bytes) -> list[tuple[int | None, Recovery]]:
    """The recoveries of a ``PES_Retour``'s recette part (422 when it has none or does not
    follow the schema)."""
    try:
        root = etree.fromstring(xml, PARSER)
    except etree.XMLSyntaxError as exc:
        raise bad_file(f"Le fichier n'est pas du XML : {exc}.") from exc
    if root.tag != f"{{{RETOUR_NS}}}PES_Retour" or root.find("PES_RecetteRetour") is None:
        part = next((c.tag for c in root if str(c.tag).startswith("PES_")), None)
        raise bad_file(
            "Un PES_Retour avec une partie recette (PES_RecetteRetour) est attendu"
            + (f" ; ce fichier porte {part}." if part else ".")
        )
    checker = retour_schema()
    if not checker.validate(root):
        first = checker.error_log[0]
        raise bad_file(f"Le PES_Retour n'est pas conforme au schéma (ligne {first.line}).")
    out: list[tuple[int | None, Recovery]] = []
    for bordereau in root.iterfind("PES_RecetteRetour/Bordereau"):
        exercice = int(bordereau.find("BlocBordereau/Exer").get("V"))
        for piece in bordereau.iterfind("Piece"):
            number = int(piece.find("BlocPiece/IdPce").get("V"))
            for reco in piece.iterfind("LigneDePiece/Recouvrement"):
                paid_on = dt.date.fromisoformat(reco.find("DteReco").get("V"))
                ident = reco.find("IdEncaissement").get("V")
                try:
                    cents = _cents(reco.find("MtReco").get("V"))
                except ValueError as exc:
                    raise bad_file(f"Ligne {reco.sourceline} : {exc}") from exc
                key = f"retour:{exercice}:{number}:{ident}"
                reference = f"Encaissement {ident}"
                out.append((reco.sourceline, Recovery(exercice, number, paid_on, cents,
                                                      reference, key)))  # fmt: skip
    return out


def record(
    session: Session,
    recoveries: list[tuple[int | None, Recovery]],
    *,
    source: str,
    principal: Principal,
    result: ImportResult,
) -> None:
    """Store the new recoveries; the known ones are unchanged, those of no title rejected."""
    known = helios_repository.payment_keys(session, {r.key for _, r in recoveries})
    now = utcnow()
    for line, recovery in recoveries:
        said = {"line": line, "exercice": recovery.exercice, "number": recovery.number,
                "amount": fmt(recovery.amount_cents), "paid_on": recovery.paid_on}  # fmt: skip
        if recovery.key in known:
            result.unchanged.append(said)
            continue
        title = helios_repository.payable_title(session, recovery.exercice, recovery.number)
        if title is None or title.status not in ("issued", "cancelled"):
            result.rejected.append(_rejected(line, f"Aucun titre n° {recovery.number} émis sur "
                                             f"l'exercice {recovery.exercice}."))  # fmt: skip
            continue
        session.add(Payment(invoice_id=title.id, paid_on=recovery.paid_on,
                            amount_cents=recovery.amount_cents, reference=recovery.reference,
                            source=source, source_key=recovery.key, imported_at=now,
                            imported_by=principal.audit_name[:200]))  # fmt: skip
        known.add(recovery.key)
        audit.record(session, AuditEntry, principal=principal, action="pay",
                     resource_type="invoice", resource_id=str(title.id),
                     after={"amount": fmt(recovery.amount_cents), "source": source,
                            "reference": recovery.reference})  # fmt: skip
        result.created.append({**said, "invoice_id": title.id, "reference": title.reference})
    session.flush()


CSV_BODY = {"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}
XML_BODY = {"requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}}}


@router.post("/payments.csv", response_model=ImportResult, openapi_extra=CSV_BODY)
def import_csv(content: RawBody, session: DbSession, principal: Issuer) -> ImportResult:
    """Recoveries from a CSV ``exercice;titre;date;montant;reference`` (French formats):
    what was created, unchanged (imported before) and rejected (with why, by line)."""
    principal.ensure_writes_only_its_member([None])  # the DSIT's own accounting, every member's
    good, bad = csv_recoveries(content)
    result = ImportResult(rejected=bad)
    record(session, list(good), source="csv", principal=principal, result=result)
    return result


@router.post("/payments/pes-retour", response_model=ImportResult, openapi_extra=XML_BODY)
def import_retour(content: RawBody, session: DbSession, principal: Issuer) -> ImportResult:
    """Recoveries from a ``PES_Retour`` (its recette part, ``PES_RecetteRetour``)."""
    principal.ensure_writes_only_its_member([None])  # the DSIT's own accounting, every member's
    result = ImportResult()
    record(session, retour_recoveries(content), source="pes_retour", principal=principal,
           result=result)  # fmt: skip
    return result


@dataclass
class Owed:
    """A payable piece and where its payment stands (cents)."""

    title: Invoice
    due: int
    paid: int
    age_days: int

    @property
    def outstanding(self) -> int:
        return max(self.due - self.paid, 0)

    @property
    def overdue(self) -> bool:
        return self.outstanding > 0 and self.age_days > OVERDUE_DAYS

    def as_dict(self) -> dict[str, Any]:
        t = self.title
        return {
            "invoice_id": t.id, "reference": t.reference, "member_code": t.member_code,
            "member_name": t.member_name, "fiscal_year": t.fiscal_year,
            "issued_on": t.issued_on, "due": fmt(self.due), "paid": fmt(self.paid),
            "outstanding": fmt(self.outstanding), "age_days": self.age_days,
            "overdue": self.overdue,
        }  # fmt: skip


def owed(session: Session, *, member_code: str | None, today: dt.date) -> list[Owed]:
    """Every payable piece (issued titles and complementary titles) with its due amount
    (reductions deducted), what was recovered and its age in days since issue."""
    titles = list(helios_repository.titled_payables(session, member_code))
    paid = helios_repository.paid_totals(session, {t.id for t in titles})
    out = []
    for title in titles:
        corrections = list(repository.corrections_of(session, title.id, pending=False))
        age = (today - (title.issued_on or today)).days
        out.append(Owed(title, states.due_cents(title, corrections), paid.get(title.id, 0), age))
    return out


@router.get("/payments/overdue", response_model=list[dict[str, Any]])
def overdue(
    session: DbSession,
    principal: Issuer,
    today: Today,
    member_code: Annotated[str | None, Query(max_length=80)] = None,
) -> list[dict[str, Any]]:
    """Titles still owed more than 30 days after issue (the ASAP's term), oldest first, with
    their age in days."""
    rows = [o for o in owed(session, member_code=member_code, today=today) if o.overdue]
    return [o.as_dict() for o in sorted(rows, key=lambda o: (-o.age_days, o.title.id))]


def member_totals(rows: list[Owed], fiscal_year: int | None = None) -> list[dict[str, Any]]:
    """Per member: titled (net of reductions), paid, outstanding and overdue."""
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        if fiscal_year is not None and row.title.fiscal_year != fiscal_year:
            continue
        t = row.title
        entry = totals.setdefault(
            t.member_code,
            {
                "member_code": t.member_code,
                "member_name": t.member_name,
                "titled": 0,
                "paid": 0,
                "outstanding": 0,
                "overdue": 0,
            },
        )
        entry["titled"] += row.due
        entry["paid"] += row.paid
        entry["outstanding"] += row.outstanding
        entry["overdue"] += row.outstanding if row.overdue else 0
    return [
        {**e, **{k: fmt(e[k]) for k in ("titled", "paid", "outstanding", "overdue")}}
        for e in sorted(totals.values(), key=lambda e: e["member_code"])
    ]


@router.get("/payments/summary", response_model=list[dict[str, Any]])
def summary(
    session: DbSession,
    principal: InvoiceReader,
    today: Today,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict[str, Any]]:
    """Per member: titled (net of reductions), paid, outstanding and overdue, in the
    principal's scope (a member sees its own); ``fiscal_year`` keeps that service year's."""
    return member_totals(owed(session, member_code=principal.member, today=today), fiscal_year)
