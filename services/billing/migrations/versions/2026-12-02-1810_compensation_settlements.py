"""Settlement on the attribution de compensation (CGCT L5211-4-2): a member commune's choice,
per year, with its deliberation, the deduction fixed in advance and its year-end balancing.

Revision ID: c5e8a1f3d207
Revises: c5e8f3b1d024
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5e8a1f3d207"
down_revision: str | None = "c5e8f3b1d024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "compensation_settlements"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("member_code", sa.String(80), nullable=False),
        sa.Column("member_name", sa.String(200), nullable=False),
        sa.Column("deliberation_ref", sa.String(200), nullable=False),
        sa.Column("deliberated_on", sa.Date(), nullable=False),
        sa.Column("deliberating_body", sa.String(200), nullable=False),
        sa.Column("attachment_name", sa.String(200), nullable=True),
        sa.Column("attachment_media_type", sa.String(100), nullable=True),
        sa.Column("attachment", sa.LargeBinary(), nullable=True),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("basis_run_id", sa.Integer(), nullable=True),
        sa.Column("deducted_cents", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("balance_kind", sa.String(20), nullable=True),
        sa.Column("balance_cents", sa.BigInteger(), nullable=True),
        sa.Column("balance_run_id", sa.Integer(), nullable=True),
        sa.Column("balance_invoice_id", sa.Integer(), nullable=True),
        sa.Column("balanced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("balanced_by", sa.String(200), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensation_settlements")),
        sa.UniqueConstraint(
            "fiscal_year",
            "member_code",
            name=op.f("uq_compensation_settlements_fiscal_year_member_code"),
        ),
    )
    op.create_index(op.f("ix_compensation_settlements_fiscal_year"), TABLE, ["fiscal_year"])
    op.create_index(op.f("ix_compensation_settlements_member_code"), TABLE, ["member_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_compensation_settlements_member_code"), table_name=TABLE)
    op.drop_index(op.f("ix_compensation_settlements_fiscal_year"), table_name=TABLE)
    op.drop_table(TABLE)
