"""The questionnaire before the event: its state, its questions, the participants' answers
(and the topic each answer was mapped to).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "questionnaire",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        _fk("questionnaire", "event_id", "event"),
        sa.PrimaryKeyConstraint("event_id", name="pk_questionnaire"),
    )
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("text_en", sa.String(1000), nullable=False),
        sa.Column("text_es", sa.String(1000), nullable=False),
        sa.Column("text_pt", sa.String(1000), nullable=False),
        _fk("question", "event_id", "event"),
        sa.PrimaryKeyConstraint("id", name="pk_question"),
    )
    op.create_index("ix_question_event_id", "question", ["event_id"])
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("used_as", sa.String(10), nullable=True),
        _fk("answer", "event_id", "event"),
        _fk("answer", "participant_id", "participant"),
        _fk("answer", "question_id", "question"),
        _fk("answer", "topic_id", "topic", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_answer"),
        sa.UniqueConstraint(
            "participant_id",
            "question_id",
            "slot",
            name="uq_answer_participant_id_question_id_slot",
        ),
    )
    for column in ("event_id", "participant_id", "question_id", "topic_id"):
        op.create_index(f"ix_answer_{column}", "answer", [column])


def downgrade() -> None:
    op.drop_table("answer")
    op.drop_index("ix_question_event_id", table_name="question")
    op.drop_table("question")
    op.drop_table("questionnaire")
