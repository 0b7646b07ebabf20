"""run.py held at one point of its start-up, so that a test can stop it exactly there (tests only).

`python tests/paused_run.py POINT [run.py's arguments]` prints "paused at POINT" when start-up
reaches POINT, sleeps, then carries on:

- imports: run.py's first import of Flask (the application's imports take seconds on a slow laptop);
- migrations: the call that brings the database schema up to date;
- greenlet: the database migration, while a thread (a greenlet once patched) runs Python code, as a
  rate limiter's expiry timer does, so that the signal's handler runs in that thread;
- listening: the server's host-name lookup as it starts to listen, which yields to gevent's hub.
  The lookup carries on once the signal's handler has stopped (closed) the server, as a quick lookup
  would after a Ctrl+C landed inside it, rather than after the whole pause (two minutes of the suite).
"""

from __future__ import annotations

import importlib.abc
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAUSE = 60.0  # seconds; the test stops the process long before


def pause(point: str, done: Callable[[], bool] = lambda: False) -> None:
    """Say where start-up is held, then hold it for PAUSE seconds or until `done()`."""
    print(f"paused at {point}", flush=True)
    deadline = time.monotonic() + PAUSE
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)  # gevent's sleep once run.py has patched: its hub runs meanwhile


class PauseOnFlask(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "flask":
            sys.meta_path.remove(self)
            pause("imports")


def hold(point: str) -> None:
    if point == "imports":
        sys.meta_path.insert(0, PauseOnFlask())
        return
    from gevent import monkey  # what run.py does first, done here to reach what it imports later

    monkey.patch_all()
    if point == "migrations":
        from core import schema

        upgrade = schema.upgrade_database

        def paused_upgrade(app: Any) -> None:
            pause(point)
            upgrade(app)

        schema.upgrade_database = paused_upgrade
    elif point == "greenlet":
        import threading  # a greenlet once patched; it keeps its exceptions, as limits' timer does

        from core import schema

        upgrade = schema.upgrade_database

        def busy() -> None:
            print(f"paused at {point}", flush=True)
            deadline = time.monotonic() + PAUSE
            while time.monotonic() < deadline:  # Python code, never yielding: the signal lands here
                pass

        def upgrade_beside_busy_greenlet(app: Any) -> None:
            busy_thread = threading.Thread(target=busy)
            busy_thread.start()
            busy_thread.join()
            upgrade(app)

        schema.upgrade_database = upgrade_beside_busy_greenlet
    elif point == "listening":
        from gevent import pywsgi

        update = pywsgi.WSGIServer.update_environ

        def paused_update(server: Any) -> None:
            pause(point, done=lambda: server.closed)  # stop() closes the socket init_socket() opened
            update(server)

        pywsgi.WSGIServer.update_environ = paused_update
    else:
        raise SystemExit(f"unknown point {point!r}")


if __name__ == "__main__":
    sys.path[0] = str(ROOT)  # as if run.py were run from the repository
    hold(sys.argv.pop(1))
    sys.argv[0] = str(ROOT / "run.py")
    runpy.run_path(str(ROOT / "run.py"), run_name="__main__")
