"""`execute_sqlite`: a statement run on sqlite3 directly waits for another process's lock as
SQLAlchemy's statements do under gevent (core/offload.py), instead of failing at once."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from core import offload


def _locked(path: Path) -> sqlite3.Connection:
    """Another connection holding the database exclusively: readers get "database is locked"."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("INSERT INTO t VALUES (7)")
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")  # the exclusive lock stays until locking_mode is NORMAL again
    return holder


def _release_after(holder: sqlite3.Connection, seconds: float) -> threading.Thread:
    def release() -> None:
        time.sleep(seconds)
        holder.execute("PRAGMA locking_mode=NORMAL")
        holder.execute("SELECT 1 FROM t").fetchall()  # gives the lock up

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_a_direct_read_waits_for_the_lock_with_cooperative_waits(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("gevent")
    holder = _locked(tmp_path / "db.sqlite")
    monkeypatch.setattr(offload, "_installed", True)
    monkeypatch.setitem(offload.LOCK_WAIT, "seconds", 5.0)
    reader = sqlite3.connect(tmp_path / "db.sqlite", timeout=0)
    thread = _release_after(holder, 0.2)
    try:
        assert offload.execute_sqlite(reader.cursor(), "SELECT x FROM t", ()).fetchall() == [(7,)]
    finally:
        thread.join()
        holder.close()


def test_a_direct_read_past_the_wait_raises_locked(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("gevent")
    holder = _locked(tmp_path / "db.sqlite")
    monkeypatch.setattr(offload, "_installed", True)
    monkeypatch.setitem(offload.LOCK_WAIT, "seconds", 0.1)
    reader = sqlite3.connect(tmp_path / "db.sqlite", timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        offload.execute_sqlite(reader.cursor(), "SELECT x FROM t", ())
    holder.close()
