"""Row locks that work on PostgreSQL and SQLite.

Read-modify-write (next message seq, plan JSON, session status) must not race
between the API and the action server. PostgreSQL locks the row with
``SELECT … FOR UPDATE``. SQLite has no row locks: a harmless UPDATE of the row
takes the database write lock first (waiting up to busy_timeout), and Python's
sqlite3 only opens the transaction at that first write, so the read that
follows is current.
"""

from __future__ import annotations

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session


def lock_for_write(db: Session, obj) -> None:
    """Lock ``obj``'s row until commit and reload it with the latest values."""
    db.flush()
    state = inspect(obj)
    if state.transient or state.pending:
        return  # created in this transaction: nobody else can see it
    mapper = state.mapper
    if db.get_bind().dialect.name == "sqlite":
        table = mapper.local_table
        pk_cols = list(table.primary_key.columns)
        touch = next(c for c in table.columns if not c.primary_key)
        condition = [col == value for col, value in zip(pk_cols, state.identity)]
        db.execute(update(table).where(*condition).values({touch.name: touch}))
        db.refresh(obj)
    else:
        db.refresh(obj, with_for_update=True)
