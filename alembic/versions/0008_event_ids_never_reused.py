"""Event ids are never given again: on SQLite the event table gets AUTOINCREMENT (otherwise a
new event takes the highest id + 1, and an old printed QR code could open another event).
PostgreSQL sequences never reuse a number: nothing to do there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Rebuilding a table that others point to: SQLite checks no foreign key while it is off.
    op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table(
        "event", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    op.execute("PRAGMA foreign_keys=ON")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table("event", recreate="always"):
        pass
    op.execute("PRAGMA foreign_keys=ON")
