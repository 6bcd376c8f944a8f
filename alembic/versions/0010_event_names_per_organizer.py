"""Event names are told apart per organizer, not across the server: two organizers may each
have an event called "Lima 2022", and a taken name no longer tells one organizer that another's
event exists. The unique constraint becomes a plain index (the command line finds events by
name).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(change: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # a table others point to is rebuilt: SQLite checks no foreign key meanwhile
        op.execute("PRAGMA foreign_keys=OFF")
    kwargs = {"table_kwargs": {"sqlite_autoincrement": True}} if sqlite else {}
    with op.batch_alter_table("event", **kwargs) as batch:  # type: ignore[arg-type]
        if change == "upgrade":
            batch.drop_constraint("uq_event_name", type_="unique")
            batch.create_index("ix_event_name", ["name"])
        else:
            batch.drop_index("ix_event_name")
            batch.create_unique_constraint("uq_event_name", ["name"])
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")


def upgrade() -> None:
    _rebuild("upgrade")


def downgrade() -> None:
    _rebuild("downgrade")
