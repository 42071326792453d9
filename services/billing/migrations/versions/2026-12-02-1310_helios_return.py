"""The way back from Hélios: a bordereau marked as sent, its acknowledgement (PES_ACQUIT) kept
with what it did, accepted or rejected with its errors, a rejected one re-sent on a new
bordereau; the recoveries recorded on each title (payments).

Bordereaux made before this release are neither sent nor acknowledged (state "signé").

Revision ID: b4d7e2a9c013
Revises: a4d1c7e9b203
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4d7e2a9c013"
down_revision: str | None = "a4d1c7e9b203"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(120), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(200), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
        sa.UniqueConstraint("sha256", name=op.f("uq_acknowledgements_sha256")),
    )
    with op.batch_alter_table("bordereaux") as batch:
        batch.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("sent_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("ack_status", sa.String(10), nullable=True))
        batch.add_column(sa.Column("ack_errors", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("ack_attachments", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("acknowledgement_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resent_as_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resent_from_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("carried_invoice_ids", sa.JSON(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_bordereaux_acknowledgement_id_acknowledgements"),
            "acknowledgements",
            ["acknowledgement_id"],
            ["id"],
        )
    op.create_table(
        "invoice_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("source_key", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_payments_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_payments")),
        sa.UniqueConstraint("source_key", name=op.f("uq_invoice_payments_source_key")),
    )
    op.create_index(op.f("ix_invoice_payments_invoice_id"), "invoice_payments", ["invoice_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invoice_payments_invoice_id"), table_name="invoice_payments")
    op.drop_table("invoice_payments")
    with op.batch_alter_table("bordereaux") as batch:
        batch.drop_constraint(
            op.f("fk_bordereaux_acknowledgement_id_acknowledgements"), type_="foreignkey"
        )
        for column in (
            "carried_invoice_ids", "resent_from_id", "resent_as_id", "acknowledgement_id",
            "ack_attachments", "ack_errors", "ack_status", "acknowledged_at", "sent_by",
            "sent_at",
        ):  # fmt: skip
            batch.drop_column(column)
    op.drop_table("acknowledgements")
