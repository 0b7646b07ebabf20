"""Two real server processes sharing PostgreSQL and the Redis message queue (docs/deploy.md)."""

from __future__ import annotations

import os
import queue
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
PG_HOST, PG_PORT, REDIS_PORT = "127.0.0.1", 5432, 6379
EMAIL, PASSWORD = "facilitator@example.org", "multi-process-1"
F, P = "/facilitator", "/participant"
WAIT = 10  # seconds for any one event, ack or start-up step


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection((PG_HOST, port), timeout=1):
            return True
    except OSError:
        return False


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the multi-process tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def services() -> None:
    for name, port in (("PostgreSQL", PG_PORT), ("Redis", REDIS_PORT)):
        if not _reachable(port):
            _unavailable(f"{name} is not reachable on {PG_HOST}:{port}")
    for module in ("psycopg", "redis"):
        try:
            __import__(module)
        except ImportError:
            _unavailable(f"the {module} package is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def database(services: None) -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"sb_test_{secrets.token_hex(6)}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres connect_timeout=5"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """run.py as a subprocess on 127.0.0.1; `stop()` always ends it."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.env, self.log_path, self.port = env, log, port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"run.py exited:\n{self.log()}"
            if _reachable(self.port):
                return
            time.sleep(0.1)
        raise AssertionError(f"run.py did not listen within 30 s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def cluster(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Process A starts first (and migrates), then B; both on the same database and queue."""
    tmp = tmp_path_factory.mktemp("multiprocess")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env |= {
        "SOUNDINGBOARD_DATABASE_URL": database,
        "SOUNDINGBOARD_MESSAGE_QUEUE": f"redis://{PG_HOST}:{REDIS_PORT}/0",
        "SOUNDINGBOARD_SECRET_KEY": secrets.token_hex(16),
        "SOUNDINGBOARD_INSTANCE_PATH": str(tmp / "instance"),
        "SOUNDINGBOARD_RESULTS_INTERVAL": "0.05",
    }
    a, b = Server(env, tmp / "a.log"), Server(env, tmp / "b.log")
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture(scope="module")
def make_session(cluster: tuple[Server, Server], database: str) -> Iterator[Callable[[], str]]:
    """Create sessions in the shared database (the facilitator account once); returns their codes.

    Session ids start at a random offset: Redis pub/sub ignores the database index, so another
    run on the same Redis must not share our rooms (`participants:<session id>`).
    """
    from core import create_app
    from models import db
    from services import frameworks, sessions, users

    app = create_app(
        {
            "DATABASE_URL": database,
            "ASYNC_MODE": "threading",
            "MESSAGE_QUEUE": None,
            "INSTANCE_PATH": cluster[0].env["SOUNDINGBOARD_INSTANCE_PATH"],
        }
    )
    with app.app_context():
        db.session.execute(
            db.text("SELECT setval(pg_get_serial_sequence('sessions', 'id'), :n)"),
            {"n": secrets.randbelow(10**9) + 1000},
        )
        user = users.create_user(EMAIL, PASSWORD, "facilitator")
        framework = frameworks.ensure_example_framework()

        def make() -> str:
            session = sessions.create_session(
                user,
                sessions.SessionInput(
                    title="Two processes", framework_id=framework.id, criteria=["relevance", "importance"]
                ),
            )
            sessions.set_state(session, "open")
            return session.code

        try:
            yield make
        finally:
            db.session.remove()
            db.engine.dispose()


class Listener:
    """A python-socketio client that queues the events it hears, for waiting with a timeout."""

    def __init__(self, namespace: str, events: tuple[str, ...]) -> None:
        import socketio

        self.namespace = namespace
        self.client = socketio.Client(reconnection=False, request_timeout=WAIT)
        self.events: dict[str, queue.Queue[Any]] = {name: queue.Queue() for name in events}
        for name in events:
            self.client.on(name, self.events[name].put, namespace=namespace)
        self.closed = threading.Event()  # the server closed this namespace's connection
        self.client.on("disconnect", lambda *_reason: self.closed.set(), namespace=namespace)

    def connect(self, url: str, **kwargs: Any) -> Listener:
        self.client.connect(
            url, transports=["websocket"], namespaces=[self.namespace], wait_timeout=WAIT, **kwargs
        )
        return self

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        reply = self.client.call(event, payload, namespace=self.namespace, timeout=WAIT)
        assert reply["ok"], reply
        return reply

    def wait_for(self, event: str, predicate: Callable[[Any], bool]) -> Any:
        deadline = time.monotonic() + WAIT
        while (left := deadline - time.monotonic()) > 0:
            try:
                data = self.events[event].get(timeout=left)
            except queue.Empty:
                break
            if predicate(data):
                return data
        raise AssertionError(f"no matching {event} within {WAIT} s")

    def close(self) -> None:
        self.client.disconnect()
        self.client.shutdown()


@pytest.fixture
def sockets() -> Iterator[list[Listener]]:
    """Every Listener a test opens, disconnected at the end even when the test fails."""
    opened: list[Listener] = []
    yield opened
    for listener in opened:
        listener.close()


def sign_in(server: Server) -> Any:
    """A requests session signed in over HTTP (CSRF token from the form)."""
    import requests

    http = requests.Session()
    page = http.get(f"{server.url}/f/login", timeout=WAIT).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, page
    signed_in = http.post(
        f"{server.url}/f/login",
        timeout=WAIT,
        allow_redirects=False,
        data={"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD},
    )
    assert signed_in.status_code == 302, signed_in.text
    return http


def facilitator(server: Server, code: str, sockets: list[Listener], http: Any = None) -> Listener:
    """Connect the dashboard with a signed-in cookie (a new sign-in unless `http` is given)."""
    http = http or sign_in(server)
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    sockets.append(Listener(F, ("results_updated", "comment_updated", "session_updated")))
    return sockets[-1].connect(
        server.url, headers={"Cookie": cookie}, auth={"code": code, "view": "dashboard"}
    )


def phone(
    server: Server, code: str, sockets: list[Listener], token: str | None = None
) -> tuple[Listener, str]:
    import requests

    if token is None:
        joined = requests.post(f"{server.url}/api/sessions/{code}/join", json={"consent": True}, timeout=WAIT)
        assert joined.status_code == 200, joined.text
        token = joined.json()["token"]
    sockets.append(Listener(P, ("session_updated",)))
    return sockets[-1].connect(server.url, auth={"token": token}), token


def test_run_py_migrated_postgresql_to_the_head(cluster: tuple[Server, Server], database: str) -> None:
    import psycopg
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory(str(ROOT / "migrations")).get_heads())
    dsn = database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        versions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        }
    assert versions == heads and len(heads) == 1
    assert {"users", "sessions", "participants", "ratings", "comments"} <= tables


def test_events_cross_between_processes(
    cluster: tuple[Server, Server], make_session: Callable[[], str], sockets: list[Listener]
) -> None:
    a, b = cluster
    code = make_session()
    fac = facilitator(a, code, sockets)
    sock, _token = phone(b, code, sockets)
    session = sock.call("sync", {})["session"]
    skill, criterion = session["items"][0]["skill_id"], session["criteria"][0]["id"]

    fac.call("set_state", {"code": code, "state": "live"})
    fac.call("open_item", {"code": code, "skill_id": skill})
    sock.wait_for("session_updated", lambda s: s["current_skill_id"] == skill and s["state"] == "live")

    sock.call("submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 3})
    pushed = fac.wait_for("results_updated", lambda d: any(i["skill_id"] == skill for i in d["items"]))
    summary = next(i for i in pushed["items"] if i["skill_id"] == skill)["criteria"][str(criterion)]
    assert (summary["n"], summary["counts"]) == (1, [0, 0, 1, 0])
    sock.call("submit_comment", {"skill_id": skill, "text": "Heard across processes."})
    comment = fac.wait_for("comment_updated", lambda d: d["skill_id"] == skill)
    assert comment["comment"]["text"] == "Heard across processes."


def test_restarting_a_process_loses_nothing(
    cluster: tuple[Server, Server], make_session: Callable[[], str], sockets: list[Listener]
) -> None:
    a, b = cluster
    code = make_session()
    fac = facilitator(a, code, sockets)
    fac.call("set_state", {"code": code, "state": "live"})
    session = fac.call("sync", {"code": code})["session"]
    first, second = (item["skill_id"] for item in session["items"][:2])
    criterion = session["criteria"][1]["id"]
    fac.call("open_item", {"code": code, "skill_id": first})
    sock, token = phone(b, code, sockets)
    sock.call("submit_rating", {"skill_id": first, "criterion_id": criterion, "value": "cant_judge"})
    sock.call("submit_comment", {"skill_id": first, "text": "Before the restart."})

    b.stop()
    b.start()
    again, _ = phone(b, code, sockets, token)
    answers = again.call("sync", {})["answers"]
    assert answers[str(first)] == {
        "ratings": {str(criterion): "cant_judge"},
        "comment": "Before the restart.",
    }
    fac.call("open_item", {"code": code, "skill_id": second})
    again.wait_for("session_updated", lambda s: s["current_skill_id"] == second)


def test_removal_and_sign_out_close_sockets_held_by_the_other_process(
    cluster: tuple[Server, Server], make_session: Callable[[], str], sockets: list[Listener]
) -> None:
    """The removed phone and the signed-out dashboard sit on B; the action happens on A."""
    import socketio

    a, b = cluster
    code = make_session()
    fac = facilitator(a, code, sockets)
    sock, token = phone(b, code, sockets)
    pseudonym = sock.call("sync", {})["me"]["participant"]
    fac.call("remove_participant", {"code": code, "participant": pseudonym})
    assert sock.closed.wait(WAIT), "B kept the removed participant's socket open"
    with pytest.raises(socketio.exceptions.ConnectionError):
        phone(b, code, sockets, token)

    http = sign_in(a)
    dashboard = facilitator(b, code, sockets, http)
    dashboard.call("sync", {"code": code})
    page = http.get(f"{a.url}/f/", timeout=WAIT).text
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert csrf, page
    signed_out = http.post(f"{a.url}/f/logout", data={"csrf_token": csrf.group(1)}, timeout=WAIT)
    assert signed_out.status_code == 200 and "/f/login" in signed_out.url
    assert dashboard.closed.wait(WAIT), "B kept the signed-out account's dashboard open"
    assert fac.closed.wait(WAIT)  # signing out ends every sign-in of the account, on A too
