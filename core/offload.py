"""Keep the gevent loop free: CPU-heavy work in native threads, SQLite lock waits as greenlet sleeps."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

from core.extensions import socketio

T = TypeVar("T")

LOCK_WAIT = {"seconds": 10.0}  # how long a write waits for another process's SQLite write lock


_pools: dict[str, Any] = {}


def run_blocking(work: Callable[[], T], lane: str | None = None) -> T:
    """Under gevent, run `work` in a native thread: the loop keeps serving sockets meanwhile.

    Python's GIL still shares the CPU, but the hub gets a turn every few milliseconds instead of
    waiting seconds for a merged export; password hashing (hashlib) and zip inflation release
    the GIL altogether. `work` must not touch the database session.

    A named `lane` runs its work one at a time in a thread of its own: password hashes (scrypt,
    0.1 s of CPU and 32 MB each) then use at most one core, and a burst of sign-ins queues there
    instead of taking the CPU the phones' acks need.
    """
    if socketio.async_mode != "gevent":
        return work()
    import gevent

    def outcome() -> tuple[bool, Any]:  # an expected refusal is not a threadpool failure to print
        try:
            return True, work()
        except Exception as exc:
            return False, exc

    if lane is None:
        pool = gevent.get_hub().threadpool
    else:
        from gevent.threadpool import ThreadPool

        pool = _pools.get(lane) or _pools.setdefault(lane, ThreadPool(1))
    done, value = pool.apply(outcome)
    if not done:
        raise value
    return value  # type: ignore[no-any-return]


def is_locked(error: BaseException) -> bool:
    """True for SQLite's "database is locked" (another process holds the write lock too long)."""
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) and (
        "locked" in str(original) or "busy" in str(original)
    )


def is_disk_full(error: BaseException) -> bool:
    """True when the database could not write for want of space (SQLite's SQLITE_FULL, ENOSPC)."""
    original = getattr(error, "orig", error)
    text = str(original).lower()
    return "disk is full" in text or "no space left" in text or "diskfull" in type(original).__name__.lower()


def _retry(run: Callable[[], Any], cursor: Any) -> bool:
    """Run `run` (a statement on `cursor`), retrying it after a greenlet sleep while another
    process holds SQLite's lock, for up to LOCK_WAIT seconds; False for another database."""
    if not isinstance(cursor, sqlite3.Cursor):
        return False  # another database: let SQLAlchemy execute as usual
    import gevent

    deadline, pause = time.monotonic() + LOCK_WAIT["seconds"], 0.005
    while True:
        try:
            run()
            return True
        except sqlite3.OperationalError as exc:
            if not is_locked(exc) or time.monotonic() + pause > deadline:
                raise
        gevent.sleep(pause)
        pause = min(pause * 2, 0.1)


def execute_sqlite(cursor: sqlite3.Cursor, statement: str, parameters: Any) -> sqlite3.Cursor:
    """`cursor.execute` for a statement run on sqlite3 directly, not through SQLAlchemy: with
    cooperative waits on, it waits for another process's lock as SQLAlchemy's statements do."""
    if not _installed:
        return cursor.execute(statement, parameters)
    _retry(lambda: cursor.execute(statement, parameters), cursor)
    return cursor


_installed = False


def cooperative_sqlite_waits(seconds: float) -> None:
    """Under gevent, wait for SQLite's write lock in greenlet sleeps, not inside SQLite.

    SQLite's own busy timeout sleeps in C, holding the one thread every greenlet runs on: while
    another process (a backup, a second server, the `sqlite3` shell) holds the write lock, every
    phone and page froze for up to the timeout. Here SQLite gives up at once (busy_timeout=0) and
    the statement is retried after a cooperative sleep, for up to `seconds` in all; then the
    "database is locked" error reaches the caller, who answers `server_busy` (nothing was stored).
    A statement refused with SQLITE_BUSY did nothing, so running it again is safe.
    """
    global _installed
    LOCK_WAIT["seconds"] = seconds
    if _installed:
        return
    _installed = True

    @event.listens_for(Engine, "connect")
    def _no_busy_wait_in_c(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA busy_timeout=0")

    @event.listens_for(Engine, "do_execute")
    def _execute(cursor: Any, statement: str, parameters: Any, _context: Any) -> bool:
        return _retry(lambda: cursor.execute(statement, parameters), cursor)

    @event.listens_for(Engine, "do_executemany")
    def _executemany(cursor: Any, statement: str, parameters: Any, _context: Any) -> bool:
        return _retry(lambda: cursor.executemany(statement, parameters), cursor)

    @event.listens_for(Engine, "do_execute_no_params")
    def _execute_no_params(cursor: Any, statement: str, _context: Any) -> bool:
        return _retry(lambda: cursor.execute(statement), cursor)


__all__ = ["run_blocking", "is_locked", "cooperative_sqlite_waits", "execute_sqlite", "LOCK_WAIT"]
