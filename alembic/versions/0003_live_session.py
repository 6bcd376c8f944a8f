"""The day itself: start time and time zone, secret links, check-in, the live session's state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("start_time", sa.Time(), nullable=True))
        batch.add_column(
            sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC")
        )
        batch.add_column(sa.Column("screen_token", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_event_screen_token", ["screen_token"])
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("token", sa.String(64), nullable=True))
        batch.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
    # Participants saved before this revision get their badge secret now.
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM participant")).scalars().all()
    for pid in ids:
        connection.execute(
            sa.text("UPDATE participant SET token = :token WHERE id = :id"),
            {"token": secrets.token_urlsafe(24), "id": pid},
        )
    with op.batch_alter_table("participant") as batch:
        batch.alter_column("token", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_participant_token", ["token"])
    op.create_table(
        "live_session",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("phase_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remaining_seconds", sa.Float(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("state_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_live_session_event_id_event", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["saved_plan.id"],
            name="fk_live_session_plan_id_saved_plan",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_live_session"),
    )
    op.create_index("ix_live_session_plan_id", "live_session", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_live_session_plan_id", table_name="live_session")
    op.drop_table("live_session")
    with op.batch_alter_table("participant") as batch:
        batch.drop_constraint("uq_participant_token", type_="unique")
        batch.drop_column("arrived_at")
        batch.drop_column("token")
    with op.batch_alter_table("event") as batch:
        batch.drop_constraint("uq_event_screen_token", type_="unique")
        batch.drop_column("screen_token")
        batch.drop_column("time_zone")
        batch.drop_column("start_time")
