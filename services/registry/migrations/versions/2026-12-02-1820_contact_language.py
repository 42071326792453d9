"""A contact's language (the mails' language): French, the only one the members read.

Revision ID: 7e1f3c9a2b64
Revises: d3c72406da3b
Create Date: 2026-12-02 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e1f3c9a2b64"
down_revision: str | None = "d3c72406da3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=5), nullable=False, server_default="fr")
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("language")
