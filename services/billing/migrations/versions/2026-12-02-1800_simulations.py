"""What-if simulations: named changes to the inputs of a base run (issue 21).

Revision ID: c5e8f3b1d024
Revises: b4d7e2a9c013
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5e8f3b1d024"
down_revision: str | None = "b4d7e2a9c013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("base_run_id", sa.Integer(), nullable=False),
        sa.Column("member_code", sa.String(80), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["base_run_id"], ["runs.id"], name=op.f("fk_simulations_base_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulations")),
    )
    op.create_index(op.f("ix_simulations_fiscal_year"), "simulations", ["fiscal_year"])
    op.create_index(op.f("ix_simulations_base_run_id"), "simulations", ["base_run_id"])
    op.create_index(op.f("ix_simulations_member_code"), "simulations", ["member_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_simulations_member_code"), table_name="simulations")
    op.drop_index(op.f("ix_simulations_base_run_id"), table_name="simulations")
    op.drop_index(op.f("ix_simulations_fiscal_year"), table_name="simulations")
    op.drop_table("simulations")
