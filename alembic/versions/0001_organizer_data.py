"""Organizer data: events, participants, tables, subjects, topics, seating rules, plans.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Child tables first when dropping; the reverse order when creating.
TABLES = [
    "event",
    "participant",
    "subject",
    "event_table",
    "facilitator",
    "topic",
    "topic_request",
    "topic_offer",
    "seating_constraint",
    "constraint_member",
    "pin",
    "absence",
    "saved_plan",
]


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Integer(), primary_key=True)


class _Ref(NamedTuple):
    """A foreign-key column: `_create` adds the column, its constraint and its index."""

    column: str
    table: str
    ondelete: str | None = "CASCADE"
    nullable: bool = False


def _create(name: str, *items: sa.Column[object] | _Ref, unique: tuple[str, ...] = ()) -> None:
    """Create a table with the constraint names the models' naming convention gives."""
    parts: list[sa.Column[object] | sa.Constraint] = []
    refs = [item for item in items if isinstance(item, _Ref)]
    for item in items:
        if isinstance(item, _Ref):
            parts.append(sa.Column(item.column, sa.Integer(), nullable=item.nullable))
            parts.append(
                sa.ForeignKeyConstraint(
                    [item.column],
                    [f"{item.table}.id"],
                    name=f"fk_{name}_{item.column}_{item.table}",
                    ondelete=item.ondelete,
                )
            )
        else:
            parts.append(item)
    parts.append(sa.PrimaryKeyConstraint("id", name=f"pk_{name}"))
    if unique:
        parts.append(sa.UniqueConstraint(*unique, name=f"uq_{name}_{'_'.join(unique)}"))
    op.create_table(name, *parts)
    for ref in refs:
        op.create_index(f"ix_{name}_{ref.column}", name, [ref.column])


def upgrade() -> None:
    _create(
        "event",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("venue", sa.String(200), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("round_minutes", sa.Integer(), nullable=False),
        sa.Column("transition_minutes", sa.Integer(), nullable=False),
        sa.Column("subject_mode", sa.String(10), nullable=False),
        _id(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        unique=("name",),
    )
    _create(
        "participant",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("organization", sa.String(200), nullable=False),
        sa.Column("country", sa.String(100), nullable=False),
        sa.Column("language", sa.String(50), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _id(),
        _Ref("event_id", "event"),
        unique=("event_id", "code"),
    )
    _create(
        "subject",
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("hosts", sa.Integer(), nullable=False),
        _id(),
        _Ref("event_id", "event"),
        unique=("event_id", "code"),
    )
    _create(
        "event_table",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("min_size", sa.Integer(), nullable=False),
        _id(),
        _Ref("event_id", "event"),
        _Ref("subject_id", "subject", ondelete="SET NULL", nullable=True),
        unique=("event_id", "name"),
    )
    _create(
        "facilitator",
        _id(),
        _Ref("event_id", "event"),
        _Ref("subject_id", "subject", ondelete="SET NULL", nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    _create(
        "topic",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("offer", sa.Text(), nullable=False),
        sa.Column("everyone_requests", sa.Boolean(), nullable=False),
        sa.Column("everyone_offers", sa.Boolean(), nullable=False),
        _id(),
        _Ref("event_id", "event"),
        _Ref("subject_id", "subject", ondelete=None, nullable=True),
        unique=("event_id", "name"),
    )
    for link in ("topic_request", "topic_offer"):
        _create(
            link,
            _id(),
            _Ref("topic_id", "topic"),
            _Ref("participant_id", "participant"),
            unique=("topic_id", "participant_id"),
        )
    _create(
        "seating_constraint",
        _id(),
        _Ref("event_id", "event"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
    )
    _create(
        "constraint_member",
        _id(),
        _Ref("constraint_id", "seating_constraint"),
        _Ref("participant_id", "participant"),
        unique=("constraint_id", "participant_id"),
    )
    _create(
        "pin",
        _id(),
        _Ref("participant_id", "participant"),
        sa.Column("round", sa.Integer(), nullable=False),
        _Ref("table_id", "event_table"),
        unique=("participant_id", "round"),
    )
    _create(
        "absence",
        _id(),
        _Ref("participant_id", "participant"),
        sa.Column("round", sa.Integer(), nullable=False),
        unique=("participant_id", "round"),
    )
    _create(
        "saved_plan",
        _id(),
        _Ref("event_id", "event"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("plan_json", sa.Text(), nullable=False),
        sa.Column("metrics_json", sa.Text(), nullable=False),
        sa.Column("instance_json", sa.Text(), nullable=False),
    )
    op.create_index(
        "uq_saved_plan_current",
        "saved_plan",
        ["event_id"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
