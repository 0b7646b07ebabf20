"""run.py as a real process on 127.0.0.1, for tests that need real sockets, signals and crashes."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from core.config import ROOT

WAIT = 10.0  # seconds for any one ack or start-up step


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class RunPy:
    """`python run.py --host 127.0.0.1` with its own instance folder; `stop()` always ends it."""

    def __init__(self, tmp: Path, **settings: str) -> None:
        self.tmp, self.port = tmp, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"run-{self.port}.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
        self.env |= {
            "SOUNDINGBOARD_INSTANCE_PATH": str(tmp / "instance"),
            "SOUNDINGBOARD_SECRET_KEY": "live-test-secret",
            "SOUNDINGBOARD_RESULTS_INTERVAL": "0.05",
            "PYTHONUNBUFFERED": "1",
        }
        self.env |= {f"SOUNDINGBOARD_{k}": v for k, v in settings.items()}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        instance = Path(self.env["SOUNDINGBOARD_INSTANCE_PATH"])
        return self.env.get("SOUNDINGBOARD_DATABASE_URL") or f"sqlite:///{instance / 'soundingboard.db'}"

    def start(self, limit: float = 60.0, preexec: Callable[[], None] | None = None) -> RunPy:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=preexec,
            )
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"run.py exited with {self.proc.returncode}:\n{self.log()}")
            if listening(self.port):
                return self
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"run.py did not listen within {limit:.0f} s:\n{self.log()}")

    def kill(self) -> None:
        """kill -9: no clean-up, as when the laptop's process dies."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


@contextmanager
def running(tmp: Path, **settings: str) -> Iterator[RunPy]:
    server = RunPy(tmp, **settings).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def database(url: str, instance: Path) -> Iterator[Any]:
    """An app context of our own on the server's database (threading mode, no queue)."""
    from core import create_app
    from models import db

    app = create_app(
        {
            "DATABASE_URL": url,
            "ASYNC_MODE": "threading",
            "INSTANCE_PATH": str(instance),
            "MESSAGE_QUEUE": None,
            "RESULTS_INTERVAL": 0.0,
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def live_session(
    server: RunPy,
    state: str = "live",
    email: str = "facilitator@example.org",
    criteria: tuple[str, ...] = ("relevance",),
    pacing: str = "facilitator",
) -> str:
    """A session on the example framework, moved to `state`, in the server's database: its code."""
    from services import frameworks, sessions, users

    with database(server.database_url, server.tmp / "test-instance") as _app:
        user = users.find_user(email) or users.create_user(email, "live-test-password", "facilitator")
        framework = frameworks.ensure_example_framework()
        data = sessions.SessionInput(
            title="Live test", framework_id=framework.id, criteria=list(criteria), pacing=pacing
        )
        session = sessions.create_session(user, data)
        for step in {"open": ["open"], "live": ["open", "live"]}[state]:
            sessions.set_state(session, step)
        first = sorted(session.items, key=lambda i: i.skill.position)[0]
        if state == "live" and pacing == "facilitator":
            sessions.open_item(session, first.skill_id)
        return session.code


def join(server: RunPy, code: str) -> str:
    """A participant token from the JSON join endpoint."""
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{server.url}/api/sessions/{code}/join",
        data=json.dumps({"consent": True}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        return str(json.loads(response.read())["token"])


@pytest.fixture(scope="module", autouse=True)
def collect_client_sockets() -> Iterator[None]:
    """After a module of live tests, collect the sockets the client libraries left to the GC.

    python-socketio and websocket-client drop some sockets the server closed without closing
    them; collected later, their ResourceWarning would land in an unrelated test.
    """
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
