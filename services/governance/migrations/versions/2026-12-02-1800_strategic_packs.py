"""strategic_packs: the strategic committee's pack archived with its meeting

Revision ID: 5c1d2e7a9b40
Revises: 9e5bb6dc6c7c
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1d2e7a9b40"
down_revision: str | None = "9e5bb6dc6c7c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "strategic_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("html", sa.LargeBinary(), nullable=False),
        sa.Column("html_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_strategic_packs_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategic_packs")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_strategic_packs_meeting_id")),
    )


def downgrade() -> None:
    op.drop_table("strategic_packs")
