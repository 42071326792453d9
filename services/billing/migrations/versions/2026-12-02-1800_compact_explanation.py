"""A run's explanation is stored compactly and formatted when read; runs record phase timings.

``run_members.explained`` holds each member's lines of a new run as integers and references
(one zlib'd JSON blob, engine/explanation.py); ``run_members.lines`` (the formatted lines) stays
for the runs computed before, which keep explaining themselves from it unchanged (decision: read
both formats rather than convert, so no stored explanation is rewritten; ``lines`` is now empty
for new runs). ``runs.timings``: seconds per phase (upstream, snapshot, compute, store).

Downgrade formats the new runs' lines back into ``lines`` before dropping ``explained``.

Revision ID: c7e3a1f5d924
Revises: c5e8a1f3d207
Create Date: 2026-12-02 18:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7e3a1f5d924"
down_revision: str | None = "c5e8a1f3d207"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("run_members") as batch:
        batch.add_column(sa.Column("explained", sa.LargeBinary(), nullable=True))
        batch.alter_column("lines", existing_type=sa.JSON(), nullable=True)
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("timings", sa.JSON(), nullable=True))


def downgrade() -> None:
    from services.billing.engine.explanation import decode

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, explained, cap FROM run_members WHERE explained IS NOT NULL")
    ).all()
    for row_id, blob, cap in rows:
        basis = json.loads(cap) if isinstance(cap, str) else cap
        bind.execute(
            sa.text("UPDATE run_members SET lines = :lines WHERE id = :id").bindparams(
                sa.bindparam("lines", type_=sa.JSON())
            ),
            {"lines": decode(bytes(blob), basis), "id": row_id},
        )
    if bind.dialect.name == "sqlite":  # in place (SQLite ≥ 3.35): a batch copy of "runs"
        op.execute("ALTER TABLE runs DROP COLUMN timings")  # would trip its foreign keys
    else:
        op.drop_column("runs", "timings")
    with op.batch_alter_table("run_members") as batch:
        batch.drop_column("explained")
        batch.alter_column("lines", existing_type=sa.JSON(), nullable=False)
