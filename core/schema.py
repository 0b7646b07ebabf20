"""Bring the database schema up to date (run.py at start, and every CLI command that needs it)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from models import db

MIGRATION_LOCK = 726_411_001  # any constant: PostgreSQL advisory lock id for "migrating"


@contextmanager
def _quiet() -> Iterator[None]:
    """Alembic logs INFO lines on every start ("Context impl SQLiteImpl."): keep warnings only."""
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def upgrade_database(app: Flask) -> None:
    """Apply pending migrations; several processes starting at once take turns (PostgreSQL)."""
    with app.app_context(), _quiet():
        if db.engine.dialect.name != "postgresql":
            upgrade()
            return
        with db.engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK})
            try:
                upgrade()
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK})
