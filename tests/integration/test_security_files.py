"""Files in the instance folder: the database readable by its owner only; stale uploads deleted."""

from __future__ import annotations

import os
import time

from core import create_app
from core.schema import upgrade_database
from models import db

DAY = 24 * 60 * 60


def test_the_sqlite_database_is_created_readable_by_its_owner_only(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    upgrade_database(app)
    with app.app_context():
        db.engine.dispose()
    database = tmp_path / "soundingboard.db"
    assert database.stat().st_size > 0
    assert database.stat().st_mode & 0o777 == 0o600


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    database = tmp_path / "old.db"
    database.touch()
    database.chmod(0o644)
    create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "x"})
    assert database.stat().st_mode & 0o777 == 0o600


def _upload(folder, name: str, age: float):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"skills")
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_unconfirmed_uploads_older_than_a_day_are_deleted(tmp_path):
    uploads = tmp_path / "uploads"
    stale = _upload(uploads, "stale.xlsx", DAY + 60)
    fresh = _upload(uploads, "fresh.xlsx", 60)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})  # at start
    assert not stale.exists() and fresh.exists()

    later = _upload(uploads, "later.csv", DAY + 1)
    app.extensions["sb_last_sweep"] -= 2 * 60 * 60  # the server has run for two hours since
    with app.app_context():
        app.test_client().get("/")
        db.engine.dispose()
    assert not later.exists() and fresh.exists()
