"""driver label, cost line source and external id (imports)

Revision ID: 5c1e7a2b9d40
Revises: 2a000a569640
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e7a2b9d40"
down_revision: str | None = "2a000a569640"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drivers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("label", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("cost_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=60), nullable=False, server_default="manual")
        )
        batch_op.add_column(sa.Column("external_id", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_cost_lines_source_external_id"), ["source", "external_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("cost_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cost_lines_source_external_id"), type_="unique")
        batch_op.drop_column("external_id")
        batch_op.drop_column("source")
    with op.batch_alter_table("drivers", schema=None) as batch_op:
        batch_op.drop_column("label")
