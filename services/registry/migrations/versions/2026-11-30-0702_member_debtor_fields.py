"""Members: optional debtor fields of revenue titles (CatTiers, NatJur, Chorus Pro references).

Revision ID: 4d778731fd29
Revises: c86a8adf1b5a
Create Date: 2026-11-30 07:02:18.220375
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d778731fd29"
down_revision: str | None = "c86a8adf1b5a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("debtor_category", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("legal_nature", sa.String(length=2), nullable=True))
        batch_op.add_column(
            sa.Column(
                "service_code_required", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("service_code", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column(
                "commitment_number_required",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("commitment_number", sa.String(length=50), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("commitment_number")
        batch_op.drop_column("commitment_number_required")
        batch_op.drop_column("service_code")
        batch_op.drop_column("service_code_required")
        batch_op.drop_column("legal_nature")
        batch_op.drop_column("debtor_category")
