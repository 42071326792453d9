"""Notifications to members' contacts: deliveries (the proof), attachments, opt-outs, and
the development mailbox.

Revision ID: d3c72406da3b
Revises: 4d778731fd29
Create Date: 2026-12-02 13:15:59.346559
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3c72406da3b"
down_revision: str | None = "4d778731fd29"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dev_mailbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mail_from", sa.String(length=254), nullable=False),
        sa.Column("rcpt_tos", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dev_mailbox")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("member_code", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "kind",
            "reference",
            "member_code",
            name=op.f("uq_notifications_kind_reference_member_code"),
        ),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_member_code"), ["member_code"], unique=False
        )

    op.create_table(
        "notification_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_attachments_notification_id_notifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_attachments")),
    )
    with op.batch_alter_table("notification_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_attachments_notification_id"),
            ["notification_id"],
            unique=False,
        )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("smtp_code", sa.Integer(), nullable=True),
        sa.Column("smtp_answer", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_deliveries_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_deliveries_notification_id_notifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deliveries_notification_id"), ["notification_id"], unique=False
        )
        batch_op.create_index(
            "ix_deliveries_status_next", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "notification_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_notification_opt_outs_contact_id_contacts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_opt_outs")),
        sa.UniqueConstraint(
            "contact_id", "kind", name=op.f("uq_notification_opt_outs_contact_id_kind")
        ),
    )
    with op.batch_alter_table("notification_opt_outs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_opt_outs_contact_id"), ["contact_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_opt_outs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_opt_outs_contact_id"))

    op.drop_table("notification_opt_outs")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_status_next")
        batch_op.drop_index(batch_op.f("ix_deliveries_notification_id"))

    op.drop_table("deliveries")
    with op.batch_alter_table("notification_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_attachments_notification_id"))

    op.drop_table("notification_attachments")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_member_code"))

    op.drop_table("notifications")
    op.drop_table("dev_mailbox")
