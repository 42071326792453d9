"""SQLAlchemy models of the billing service (its own database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.db import AuditEntryMixin, TimestampMixin, UtcDateTime
from services.billing.base import Base as Base  # the tables' base, read here by many
from services.billing.engine import explanation


class AuditEntry(AuditEntryMixin, Base):
    """Before/after of every write made in this service, with who made it."""

    __tablename__ = "audit_entries"


class FiscalYear(TimestampMixin, Base):
    """Parameters the DSIT sets for a fiscal year: payroll envelope and cap."""

    __tablename__ = "fiscal_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    payroll_envelope_cents: Mapped[int] = mapped_column(BigInteger)
    cap_enabled: Mapped[bool] = mapped_column(default=True)
    cap_window: Mapped[int] = mapped_column(Integer, default=3)


class HistoryTotal(TimestampMixin, Base):
    """A member's billed operating total for a year before Mutualis (imported)."""

    __tablename__ = "history_totals"
    __table_args__ = (UniqueConstraint("fiscal_year", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    operating_total_cents: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(20))  # api | csv | demo


class Run(TimestampMixin, Base):
    """A billing run (forecast or final) of a fiscal year, computed from its snapshot."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # forecast | final
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued|running|succeeded|failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    phase: Mapped[str | None] = mapped_column(String(80))
    launched_by: Mapped[str] = mapped_column(String(200))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    # renewed by the computing process; once past, the run is failed (its process died)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # seconds per phase of its computation: upstream, snapshot, compute, store (None before)
    timings: Mapped[dict[str, float] | None] = mapped_column(JSON)
    snapshot_hash: Mapped[str | None] = mapped_column(String(80))
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    payroll: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pools: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(default=False)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    replacement_reason: Mapped[str | None] = mapped_column(Text)
    replaced_by_id: Mapped[int | None] = mapped_column(Integer)
    made_available_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class RunSnapshot(Base):
    """Every input of a run, as zlib-compressed canonical JSON, with its content hash."""

    __tablename__ = "run_snapshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(80), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class RunMember(Base):
    """One member's results in a run: amounts in cents and its explained lines."""

    __tablename__ = "run_members"
    __table_args__ = (UniqueConstraint("run_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    member_code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    is_host: Mapped[bool] = mapped_column()
    invoiced: Mapped[bool] = mapped_column()
    workstations: Mapped[int | None] = mapped_column(Integer)
    payroll_cents: Mapped[int] = mapped_column(BigInteger)
    direct_operating_cents: Mapped[int] = mapped_column(BigInteger)
    direct_investment_cents: Mapped[int] = mapped_column(BigInteger)
    indirect_operating_cents: Mapped[int] = mapped_column(BigInteger)
    indirect_investment_cents: Mapped[int] = mapped_column(BigInteger)
    operating_cents: Mapped[int] = mapped_column(BigInteger)
    cap_reduction_cents: Mapped[int] = mapped_column(BigInteger)
    operating_invoiced_cents: Mapped[int] = mapped_column(BigInteger)
    investment_cents: Mapped[int] = mapped_column(BigInteger)
    cap: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # a run stores its explanation compactly (``explained``: integers and references, zlib'd,
    # engine/explanation.py) and formats it when read; runs computed before kept the formatted
    # lines in the JSON column "lines" and read from it as they always did
    lines_json: Mapped[list[dict[str, Any]] | None] = mapped_column(
        "lines", JSON(none_as_null=True), nullable=True
    )
    explained: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    @property
    def lines(self) -> list[dict[str, Any]]:
        """The member's explained lines, whichever format its run stored (formatted once)."""
        cached: list[dict[str, Any]] | None = self.__dict__.get("_formatted_lines")
        if cached is None:
            if self.explained is not None:
                cached = explanation.decode(self.explained, self.cap)
            else:
                cached = list(self.lines_json or [])
            self.__dict__["_formatted_lines"] = cached
        return cached

    @lines.setter
    def lines(self, value: list[dict[str, Any]]) -> None:
        """Formatted lines given as such (tools, tests): kept in the JSON column, as before."""
        self.lines_json, self.explained = value, None
        self.__dict__.pop("_formatted_lines", None)


class InvoiceCounter(Base):
    """A gapless counter (title numbers, bordereau numbers, the change feed), incremented only
    inside the transaction that uses the value, with the row locked (``SELECT … FOR UPDATE``)."""

    __tablename__ = "invoice_counters"

    series: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_value: Mapped[int] = mapped_column(BigInteger, default=0)


class Bordereau(TimestampMixin, Base):
    """A numbered bordereau of titles sent to the public accountant, with its PES V2 file."""

    __tablename__ = "bordereaux"
    __table_args__ = (UniqueConstraint("series", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)  # the service year of its titles
    exercice: Mapped[int] = mapped_column(Integer, index=True)  # PES Exer
    budget_code: Mapped[str] = mapped_column(String(10))  # PES CodBud
    series: Mapped[str] = mapped_column(String(60))  # "bordereau:<exercice>:<budget>:<type>"
    type: Mapped[str] = mapped_column(String(2))  # PES TypBord: 01 ordinaire, 02 annulation/réd.
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    total_cents: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(120))
    pes_sha256: Mapped[str] = mapped_column(String(64))
    pes_xml: Mapped[bytes] = mapped_column(LargeBinary)
    # when and by whom its PES was signed (XAdES, the validating signatory's certificate)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    signed_by: Mapped[str | None] = mapped_column(String(200))
    # the way back from Hélios (see invoices/states.py): marked as sent after its download,
    # then taken (accepted) or rejected by the comptable's acknowledgement (PES_ACQUIT)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    sent_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ack_status: Mapped[str | None] = mapped_column(String(10))  # accepted | rejected
    # [{code, label, explanation, piece, line}] of the acknowledgement (DGFiP label kept)
    ack_errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # {IdUnique: {accepted, errors}} of its attached documents (PES_PJ)
    ack_attachments: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    acknowledgement_id: Mapped[int | None] = mapped_column(ForeignKey("acknowledgements.id"))
    # a rejected bordereau's titles go again on a new one (a new number, the same pieces)
    resent_as_id: Mapped[int | None] = mapped_column(Integer)
    resent_from_id: Mapped[int | None] = mapped_column(Integer)
    carried_invoice_ids: Mapped[list[int] | None] = mapped_column(JSON)


class Acknowledgement(Base):
    """A PES_ACQUIT received from Hélios, kept as it came, with what it did (``report``). Its
    SHA-256 is unique: the same file uploaded twice changes nothing."""

    __tablename__ = "acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str | None] = mapped_column(String(120))  # Enveloppe NomFic
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    received_by: Mapped[str] = mapped_column(String(200))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class Payment(Base):
    """A recovery the comptable recorded on a title (PES_Retour recette or a CSV line), in
    integer cents. ``source_key`` is unique: importing the same line again changes nothing."""

    __tablename__ = "invoice_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(12))  # csv | pes_retour
    source_key: Mapped[str] = mapped_column(String(200), unique=True)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str] = mapped_column(String(200))


class ExerciceBudget(TimestampMixin, Base):
    """The budget collecting Mutualis' titles on one exercice (budget principal or a budget
    annexe, PES ``CodBud``) and where its series start: the range agreed with the comptable,
    so that no number the financial software gave is reused."""

    __tablename__ = "exercice_budgets"

    exercice: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    budget_code: Mapped[str] = mapped_column(String(10))
    budget_name: Mapped[str] = mapped_column(String(200))
    first_title_number: Mapped[int] = mapped_column(Integer, default=1)
    first_bordereau_number: Mapped[int] = mapped_column(Integer, default=1)


class Signatory(TimestampMixin, Base):
    """The register of signatories: who may validate titles for the ordonnateur, under which
    delegation and when. A signatory validates through its own staff account (role
    ``signatory``), named by ``account_id``."""

    __tablename__ = "signatories"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    qualite: Mapped[str] = mapped_column(String(200))  # "Vice-président délégué aux finances"
    delegation_reference: Mapped[str] = mapped_column(String(300))  # the delegation decree
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    account_id: Mapped[int] = mapped_column(Integer, index=True)  # the gateway's account


class ForecastNotice(Base):
    """A member's forecast notification as it was made available (CGCT D5211-16): the canonical
    JSON that was notified and its SHA-256, kept for good so it reads the same years later."""

    __tablename__ = "forecast_notices"
    __table_args__ = (UniqueConstraint("run_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    made_available_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Invoice(TimestampMixin, Base):
    """A revenue title (titre de recettes) or one of its corrections. Its content never changes
    once issued; only ``status`` moves (issued → cancelled when fully cancelled)."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("series", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(20)
    )  # title|reduction|cancellation|complementary|mandate
    # ready | prepared (awaiting a signatory's validation) | liquidated (validated, handed to
    # the financial software, awaiting its number) | issued | cancelled | rejected (a
    # correction the signatory refused; a refused title goes back to ready)
    status: Mapped[str] = mapped_column(String(12), index=True)
    liquidation_batch: Mapped[str | None] = mapped_column(String(40), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)  # the year of the service
    # the exercice the title is taken on (PES Exer) and the budget collecting it (CodBud),
    # set at issue; the number is in the series of (exercice, budget)
    exercice: Mapped[int | None] = mapped_column(Integer, index=True)
    budget_code: Mapped[str | None] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(12))  # operating | investment
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    member_name: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    # issued although no forecast was made available in time (CGCT D5211-16): the reason
    forecast_reason: Mapped[str | None] = mapped_column(Text)
    # one original title per (fiscal year, member, section): "2024:ludres:operating"
    origin_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    original_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    series: Mapped[str | None] = mapped_column(String(60))
    number: Mapped[int | None] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    total_cents: Mapped[int] = mapped_column(BigInteger)  # negative for reductions, mandates
    object: Mapped[str] = mapped_column(Text)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)  # debtor, imputation, legal basis…
    reason: Mapped[str | None] = mapped_column(Text)  # of a correction
    forced_reason: Mapped[str | None] = mapped_column(Text)  # issued before the BP vote
    waiting_reason: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    issued_by: Mapped[str | None] = mapped_column(String(200))
    # prepared by a finance user, then validated by a signatory of the register on the day
    prepared_by: Mapped[str | None] = mapped_column(String(200))
    prepared_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    signatory_id: Mapped[int | None] = mapped_column(ForeignKey("signatories.id"))
    # who validated, as the register said on the day (printed on the documents)
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_function: Mapped[str | None] = mapped_column(String(200))
    signatory_delegation: Mapped[str | None] = mapped_column(String(300))
    bordereau_id: Mapped[int | None] = mapped_column(ForeignKey("bordereaux.id"), index=True)
    bordereau: Mapped[Bordereau | None] = relationship(lazy="select")
    change_seq: Mapped[int | None] = mapped_column(BigInteger)


class InvoiceEvent(Base):
    """The change feed: one row per change of a title, ``seq`` taken from a locked counter in
    the changing transaction, so the feed order is the commit order and never skips."""

    __tablename__ = "invoice_events"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    event: Mapped[str] = mapped_column(String(20))  # issued | corrected | cancelled
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InvoiceDocument(Base):
    """A document of a title, stored the first time it is made so every download is the same
    bytes (its SHA-256 proves what was received)."""

    __tablename__ = "invoice_documents"
    __table_args__ = (UniqueConstraint("invoice_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    kind: Mapped[str] = mapped_column(String(12))  # pdf | facturx
    media_type: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Imputation(TimestampMixin, Base):
    """The budget imputation (M57) of a kind of line for a kind of debtor and a fiscal year."""

    __tablename__ = "invoice_imputations"
    __table_args__ = (UniqueConstraint("fiscal_year", "debtor_kind", "line_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    debtor_kind: Mapped[str] = mapped_column(String(30))  # commune | ccas | … | default
    line_kind: Mapped[str] = mapped_column(String(20))  # payroll | operating | investment
    nature: Mapped[str] = mapped_column(String(10))
    function: Mapped[str] = mapped_column(String(10))
    chapter: Mapped[str] = mapped_column(String(10))


# the models of two features live with them; imported here so that the metadata (migrations,
# create_all in tests) and ``services.billing.models`` readers see every table
from services.billing.settlements.models import CompensationSettlement as CompensationSettlement  # noqa: E402
from services.billing.simulations.models import Simulation as Simulation  # noqa: E402
