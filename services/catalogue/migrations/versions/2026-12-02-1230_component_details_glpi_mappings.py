"""component serial, manufacturer, model, location, last seen; GLPI member mappings

Revision ID: 7d2f4b8e1c35
Revises: 5c1e7a2b9d40
Create Date: 2026-12-02 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d2f4b8e1c35"
down_revision: str | None = "5c1e7a2b9d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("components", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serial", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("manufacturer", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("model", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("location", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "glpi_member_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("member_code", sa.String(length=80), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glpi_member_mappings")),
        sa.UniqueConstraint("match", "value", name=op.f("uq_glpi_member_mappings_match_value")),
    )
    with op.batch_alter_table("glpi_member_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_glpi_member_mappings_member_code"), ["member_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("glpi_member_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glpi_member_mappings_member_code"))
    op.drop_table("glpi_member_mappings")
    with op.batch_alter_table("components", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("location")
        batch_op.drop_column("model")
        batch_op.drop_column("manufacturer")
        batch_op.drop_column("serial")
