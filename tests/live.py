"""run.py as a real process on 127.0.0.1, for tests that need real sockets, signals and crashes.

Also what those tests share: the shared PostgreSQL and Redis servers (a throwaway database each),
a phone's Socket.IO client, and a raw WebSocket for the tests that speak the wire format by hand.
"""

from __future__ import annotations

import base64
import gc
import os
import secrets
import signal
import socket
import struct
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
PG_HOST, PG_PORT, REDIS_PORT = "127.0.0.1", 5432, 6379
# The socket clients (python-socketio, websocket-client) leave some sockets to the garbage
# collector once the server has closed them or a reconnection attempt met a dead server; the
# warning then lands in whichever test runs. That is the clients', not the server's: a module of
# live tests sets `pytestmark = CLIENT_WARNINGS`.
CLIENT_WARNINGS = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skipped live test would hide breakage."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the live tests must run)")
    pytest.skip(reason)


def require(*services: str) -> None:
    """Skip (fail in CI) unless each of "postgres", "redis" answers and its client package imports."""
    for name in services:
        port, module = {"postgres": (PG_PORT, "psycopg"), "redis": (REDIS_PORT, "redis")}[name]
        if not listening(port, timeout=1):
            unavailable(f"{name} is not reachable on {PG_HOST}:{port}")
        try:
            __import__(module)
        except ImportError:
            unavailable(f"the {module} package is not installed (pip install -e '.[test]')")


def postgres_app(database: str, instance: Path, **settings: Any) -> Any:
    """The app as the in-process PostgreSQL tests run it: threading, pushes inline (as conftest's
    app: a batched push in a thread after the test's dispose() left a connection open), the
    connections of an earlier app forgotten. Create the tables in its app context."""
    from core import create_app
    from participant.events import forget_connections

    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": database,
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            "RESULTS_INTERVAL": 0.0,
            "TESTING": True,
            **settings,
        }
    )
    forget_connections()
    return app


@contextmanager
def postgres_database(prefix: str = "sb_test") -> Iterator[str]:
    """A throwaway database on the shared PostgreSQL server, dropped afterwards; its SQLAlchemy URL."""
    require("postgres")
    import psycopg

    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres connect_timeout=5"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def phone_client(server: RunPy, code: str | None = None, token: str | None = None, **options: Any) -> Any:
    """A python-socketio client on /participant (WebSocket), joined to `code` unless `token` is given.

    `options` go to `socketio.Client` (reconnection is off unless they say otherwise).
    """
    import socketio

    if token is None:
        assert code is not None, "phone_client needs a session code or a token"
        token = join(server, code)
    client = socketio.Client(**{"reconnection": False, **options})
    client.connect(
        server.url,
        namespaces=["/participant"],
        transports=["websocket"],
        auth={"token": token},
        wait_timeout=WAIT,
    )
    return client


def current_rating(client: Any) -> dict[str, int]:
    """The skill on screen and the first criterion, from the phone's `sync`: a rating to send."""
    state = client.call("sync", {}, namespace="/participant", timeout=WAIT)["session"]
    return {"skill_id": state["current_skill_id"], "criterion_id": state["criteria"][0]["id"]}


def raw_websocket(server: RunPy) -> socket.socket:
    """A raw Engine.IO WebSocket, handshake done, as a hostile script would open it."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 101"), answer[:200]
    return sock


def ws_frame(length: int, payload: bytes = b"", opcode: int = 0x1, fin: bool = True) -> bytes:
    """A client frame announcing `length` bytes, followed by (the start of) its masked payload."""
    first = (0x80 if fin else 0) | opcode
    mask = os.urandom(4)
    if length < 126:
        head = struct.pack("!BB", first, 0x80 | length)
    elif length < 2**16:
        head = struct.pack("!BBH", first, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", first, 0x80 | 127, length)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


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
