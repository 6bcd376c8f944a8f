"""The harvest: facilitators' secret links, their notes, cooperation initiatives.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("facilitator") as batch:
        batch.add_column(sa.Column("token", sa.String(64), nullable=True))
    connection = op.get_bind()
    for fid in connection.execute(sa.text("SELECT id FROM facilitator")).scalars().all():
        connection.execute(
            sa.text("UPDATE facilitator SET token = :token WHERE id = :id"),
            {"token": secrets.token_urlsafe(24), "id": fid},
        )
    with op.batch_alter_table("facilitator") as batch:
        batch.alter_column("token", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_facilitator_token", ["token"])
    op.create_table(
        "note",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("table", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_note_event_id_event", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_note"),
    )
    op.create_index("ix_note_event_id", "note", ["event_id"])
    op.create_table(
        "initiative",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("requesting", sa.Text(), nullable=False),
        sa.Column("offering", sa.Text(), nullable=False),
        sa.Column("offer", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_initiative_event_id_event", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_initiative"),
    )
    op.create_index("ix_initiative_event_id", "initiative", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_initiative_event_id", table_name="initiative")
    op.drop_table("initiative")
    op.drop_index("ix_note_event_id", table_name="note")
    op.drop_table("note")
    with op.batch_alter_table("facilitator") as batch:
        batch.drop_constraint("uq_facilitator_token", type_="unique")
        batch.drop_column("token")
