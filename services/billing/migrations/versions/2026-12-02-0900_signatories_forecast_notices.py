"""The register of signatories and the two-step issue (prepared by finance, validated by a
signatory); forecast notifications archived as they were made available, with their hash.

Titles issued before this release keep the signatory typed at issue (``signatory_name`` and
``signatory_function``); they have no ``signatory_id`` nor ``prepared_by``. Forecasts made
available before this release have no archived notice: their notification is still computed
from the run (see docs/billing.md, "Who signs" and "The forecast rule").

Revision ID: 9c3f5e1a4b62
Revises: 8b2e4d0f3a51
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c3f5e1a4b62"
down_revision: str | None = "8b2e4d0f3a51"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signatories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("qualite", sa.String(200), nullable=False),
        sa.Column("delegation_reference", sa.String(300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signatories")),
    )
    op.create_index(op.f("ix_signatories_account_id"), "signatories", ["account_id"])
    op.create_table(
        "forecast_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("member_code", sa.String(80), nullable=False),
        sa.Column("made_available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_forecast_notices_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_notices")),
        sa.UniqueConstraint(
            "run_id", "member_code", name=op.f("uq_forecast_notices_run_id_member_code")
        ),
    )
    op.create_index(op.f("ix_forecast_notices_run_id"), "forecast_notices", ["run_id"])
    op.create_index(op.f("ix_forecast_notices_fiscal_year"), "forecast_notices", ["fiscal_year"])
    op.create_index(op.f("ix_forecast_notices_member_code"), "forecast_notices", ["member_code"])
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("prepared_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("signatory_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("signatory_delegation", sa.String(300), nullable=True))
        batch.create_foreign_key(
            op.f("fk_invoices_signatory_id_signatories"), "signatories", ["signatory_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.drop_constraint(op.f("fk_invoices_signatory_id_signatories"), type_="foreignkey")
        batch.drop_column("signatory_delegation")
        batch.drop_column("signatory_id")
        batch.drop_column("prepared_at")
        batch.drop_column("prepared_by")
    op.drop_index(op.f("ix_forecast_notices_member_code"), "forecast_notices")
    op.drop_index(op.f("ix_forecast_notices_fiscal_year"), "forecast_notices")
    op.drop_index(op.f("ix_forecast_notices_run_id"), "forecast_notices")
    op.drop_table("forecast_notices")
    op.drop_index(op.f("ix_signatories_account_id"), "signatories")
    op.drop_table("signatories")
