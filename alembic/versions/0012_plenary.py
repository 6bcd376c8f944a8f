"""The plenary after the rotation: its agenda and state, and the speaker queue (one active
request for the floor per person); the live state carries the topic on the floor.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = "state IN ('waiting', 'speaking')"


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.add_column("live_session", sa.Column("plenary_topic_id", sa.Integer(), nullable=True))
    op.create_table(
        "plenary",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("speaker_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("speaker_seconds", sa.Integer(), nullable=False),
        _fk("plenary", "event_id", "event"),
        _fk("plenary", "topic_id", "topic", "SET NULL"),
        sa.PrimaryKeyConstraint("event_id", name="pk_plenary"),
    )
    op.create_index("ix_plenary_topic_id", "plenary", ["topic_id"])
    op.create_table(
        "floor_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("floor_request", "event_id", "event"),
        _fk("floor_request", "participant_id", "participant"),
        _fk("floor_request", "topic_id", "topic"),
        sa.PrimaryKeyConstraint("id", name="pk_floor_request"),
    )
    for column in ("event_id", "participant_id", "topic_id"):
        op.create_index(f"ix_floor_request_{column}", "floor_request", [column])
    op.create_index(
        "uq_floor_request_active",
        "floor_request",
        ["event_id", "participant_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )


def downgrade() -> None:
    op.drop_table("floor_request")
    op.drop_index("ix_plenary_topic_id", table_name="plenary")
    op.drop_table("plenary")
    with op.batch_alter_table("live_session") as batch:
        batch.drop_column("plenary_topic_id")
