"""Signed bordereaux: when and by whom a bordereau's PES was signed (XAdES, Hélios policy).

Bordereaux made before this release were not signed (``InfoDematerialisee`` 0): both columns
stay empty for them.

Revision ID: a4d1c7e9b203
Revises: 9c3f5e1a4b62
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4d1c7e9b203"
down_revision: str | None = "9c3f5e1a4b62"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bordereaux") as batch_op:
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("signed_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bordereaux") as batch_op:
        batch_op.drop_column("signed_by")
        batch_op.drop_column("signed_at")
