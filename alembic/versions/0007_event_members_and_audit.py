"""Who organizes each event (owners, co-organizers), and the audit log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_event_member_event_id_event", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name="fk_event_member_account_id_account",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_event_member"),
        sa.UniqueConstraint("event_id", "account_id", name="uq_event_member_event_id_account_id"),
    )
    op.create_index("ix_event_member_event_id", "event_member", ["event_id"])
    op.create_index("ix_event_member_account_id", "event_member", ["account_id"])
    # Until now every organizer reached every event: each keeps what they had, as an owner.
    op.execute(
        "INSERT INTO event_member (event_id, account_id, role) "
        "SELECT event.id, account.id, 'owner' FROM event, account"
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entry"),
    )
    op.create_index("ix_audit_entry_event_id", "audit_entry", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entry_event_id", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_index("ix_event_member_account_id", table_name="event_member")
    op.drop_index("ix_event_member_event_id", table_name="event_member")
    op.drop_table("event_member")
