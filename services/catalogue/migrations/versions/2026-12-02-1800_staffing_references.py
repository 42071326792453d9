"""staffing references: profiles' yearly employer costs, per-service needs by size

Revision ID: 3f8a6c2d9e17
Revises: 7d2f4b8e1c35
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f8a6c2d9e17"
down_revision: str | None = "7d2f4b8e1c35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            name,
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        )
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    op.create_table(
        "staffing_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("yearly_cost_cents", sa.BigInteger(), nullable=False),
        sa.Column("reference_year", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("min_fte", sa.Numeric(precision=6, scale=3), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_profiles")),
        sa.UniqueConstraint("code", name=op.f("uq_staffing_profiles_code")),
    )
    op.create_table(
        "staffing_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("min_workstations", sa.Integer(), nullable=False),
        sa.Column("fte", sa.Numeric(precision=8, scale=3), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["offering_id"], ["offerings.id"], name=op.f("fk_staffing_needs_offering_id_offerings")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["staffing_profiles.id"],
            name=op.f("fk_staffing_needs_profile_id_staffing_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_needs")),
        sa.UniqueConstraint(
            "offering_id",
            "profile_id",
            "min_workstations",
            name=op.f("uq_staffing_needs_offering_id_profile_id_min_workstations"),
        ),
    )
    with op.batch_alter_table("staffing_needs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staffing_needs_offering_id"), ["offering_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staffing_needs_profile_id"), ["profile_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staffing_needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffing_needs_profile_id"))
        batch_op.drop_index(batch_op.f("ix_staffing_needs_offering_id"))
    op.drop_table("staffing_needs")
    op.drop_table("staffing_profiles")
