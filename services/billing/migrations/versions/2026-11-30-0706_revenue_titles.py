"""Revenue titles: invoices, counters, change feed, bordereaux, documents, imputations.

Revision ID: 6e5530827765
Revises: 60cac7b110ef
Create Date: 2026-11-30 07:06:03.073344
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6e5530827765"
down_revision: str | None = "60cac7b110ef"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "bordereaux",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=2), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("pes_sha256", sa.String(length=64), nullable=False),
        sa.Column("pes_xml", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bordereaux")),
        sa.UniqueConstraint(
            "fiscal_year", "type", "number", name=op.f("uq_bordereaux_fiscal_year_type_number")
        ),
    )
    op.create_table(
        "invoice_counters",
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_invoice_counters")),
    )
    op.create_table(
        "invoice_imputations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("debtor_kind", sa.String(length=30), nullable=False),
        sa.Column("line_kind", sa.String(length=20), nullable=False),
        sa.Column("nature", sa.String(length=10), nullable=False),
        sa.Column("function", sa.String(length=10), nullable=False),
        sa.Column("chapter", sa.String(length=10), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_imputations")),
        sa.UniqueConstraint(
            "fiscal_year",
            "debtor_kind",
            "line_kind",
            name=op.f("uq_invoice_imputations_fiscal_year_debtor_kind_line_kind"),
        ),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=12), nullable=False),
        sa.Column("member_code", sa.String(length=80), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("origin_key", sa.String(length=120), nullable=True),
        sa.Column("original_id", sa.Integer(), nullable=True),
        sa.Column("series", sa.String(length=60), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("forced_reason", sa.Text(), nullable=True),
        sa.Column("waiting_reason", sa.Text(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by", sa.String(length=200), nullable=True),
        sa.Column("signatory_name", sa.String(length=200), nullable=True),
        sa.Column("signatory_function", sa.String(length=200), nullable=True),
        sa.Column("bordereau_id", sa.Integer(), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["bordereau_id"], ["bordereaux.id"], name=op.f("fk_invoices_bordereau_id_bordereaux")
        ),
        sa.ForeignKeyConstraint(
            ["original_id"], ["invoices.id"], name=op.f("fk_invoices_original_id_invoices")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_invoices_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("origin_key", name=op.f("uq_invoices_origin_key")),
        sa.UniqueConstraint("reference", name=op.f("uq_invoices_reference")),
        sa.UniqueConstraint("series", "number", name=op.f("uq_invoices_series_number")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoices_bordereau_id"), ["bordereau_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invoices_fiscal_year"), ["fiscal_year"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_member_code"), ["member_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_original_id"), ["original_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_status"), ["status"], unique=False)

    op.create_table(
        "invoice_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("media_type", sa.String(length=60), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_documents_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_documents")),
        sa.UniqueConstraint(
            "invoice_id", "kind", name=op.f("uq_invoice_documents_invoice_id_kind")
        ),
    )
    op.create_table(
        "invoice_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("member_code", sa.String(length=80), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_events_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_invoice_events")),
    )
    with op.batch_alter_table("invoice_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_events_invoice_id"), ["invoice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_invoice_events_member_code"), ["member_code"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("invoice_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_events_member_code"))
        batch_op.drop_index(batch_op.f("ix_invoice_events_invoice_id"))

    op.drop_table("invoice_events")
    op.drop_table("invoice_documents")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_status"))
        batch_op.drop_index(batch_op.f("ix_invoices_run_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_original_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_member_code"))
        batch_op.drop_index(batch_op.f("ix_invoices_fiscal_year"))
        batch_op.drop_index(batch_op.f("ix_invoices_bordereau_id"))

    op.drop_table("invoices")
    op.drop_table("invoice_imputations")
    op.drop_table("invoice_counters")
    op.drop_table("bordereaux")
