"""Two real server processes sharing PostgreSQL and the Redis message queue (docs/deploy.md)."""

from __future__ import annotations

import queue
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from core.config import ROOT
from tests.live import PG_HOST, REDIS_PORT, WAIT, RunPy, postgres_database, require
from tests.live import database as app_on

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

EMAIL, PASSWORD = "facilitator@example.org", "multi-process-1"
F, P = "/facilitator", "/participant"


@pytest.fixture(scope="module")
def services() -> None:
    """PostgreSQL and Redis answer (skipped, or failed under CI=true, otherwise)."""
    require("postgres", "redis")


@pytest.fixture(scope="module")
def database(services: None) -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped afterwards (other modules import this fixture)."""
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def cluster(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunPy, RunPy]]:
    """Process A starts first (and migrates), then B; both on the same database, queue and folder."""
    settings = {
        "DATABASE_URL": database,
        "MESSAGE_QUEUE": f"redis://{PG_HOST}:{REDIS_PORT}/0",
        "SECRET_KEY": secrets.token_hex(16),
    }
    tmp = tmp_path_factory.mktemp("multiprocess")
    a, b = RunPy(tmp, **settings), RunPy(tmp, **settings)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture(scope="module")
def make_session(cluster: tuple[RunPy, RunPy], database: str) -> Iterator[Callable[[], str]]:
    """Create sessions in the shared database (the facilitator account once); returns their codes.

    Session ids start at a random offset: Redis pub/sub ignores the database index, so another
    run on the same Redis must not share our rooms (`participants:<session id>`).
    """
    from models import db
    from services import frameworks, sessions, users

    with app_on(database, cluster[0].tmp / "test-instance"):
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

        yield make


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


def sign_in(server: RunPy) -> Any:
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


def facilitator(server: RunPy, code: str, sockets: list[Listener], http: Any = None) -> Listener:
    """Connect the dashboard with a signed-in cookie (a new sign-in unless `http` is given)."""
    http = http or sign_in(server)
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    sockets.append(Listener(F, ("results_updated", "comment_updated", "session_updated")))
    return sockets[-1].connect(
        server.url, headers={"Cookie": cookie}, auth={"code": code, "view": "dashboard"}
    )


def phone(
    server: RunPy, code: str, sockets: list[Listener], token: str | None = None
) -> tuple[Listener, str]:
    import requests

    if token is None:
        joined = requests.post(f"{server.url}/api/sessions/{code}/join", json={"consent": True}, timeout=WAIT)
        assert joined.status_code == 200, joined.text
        token = joined.json()["token"]
    sockets.append(Listener(P, ("session_updated",)))
    return sockets[-1].connect(server.url, auth={"token": token}), token


def test_run_py_migrated_postgresql_to_the_head(cluster: tuple[RunPy, RunPy], database: str) -> None:
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
    cluster: tuple[RunPy, RunPy], make_session: Callable[[], str], sockets: list[Listener]
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
    cluster: tuple[RunPy, RunPy], make_session: Callable[[], str], sockets: list[Listener]
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
    cluster: tuple[RunPy, RunPy], make_session: Callable[[], str], sockets: list[Listener]
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


def _has_revision(revision: int, state: Any) -> bool:
    return bool(state["revision"] == revision)


def test_the_session_revision_is_one_sequence_across_processes(
    cluster: tuple[RunPy, RunPy], make_session: Callable[[], str], sockets: list[Listener]
) -> None:
    """Changes made on A and on B count in one sequence (docs/protocol.md, `revision`): each
    broadcast a phone hears is newer than the last, and changes made at the same instant on both
    processes are each counted (raised in the database, never read, added to and written back)."""
    a, b = cluster
    code = make_session()
    on_a, on_b = facilitator(a, code, sockets), facilitator(b, code, sockets)
    sock, _token = phone(b, code, sockets)
    items = [item["skill_id"] for item in sock.call("sync", {})["session"]["items"][:2]]
    heard = [sock.call("sync", {})["session"]["revision"]]
    steps = [
        (on_a, "set_state", {"state": "live"}),
        (on_b, "open_item", {"skill_id": items[0]}),
        (on_a, "lock_item", {"skill_id": items[0]}),
        (on_b, "reveal_item", {"skill_id": items[0]}),
        (on_a, "revote_item", {"skill_id": items[0]}),
        (on_b, "start_round", {"scope": "all"}),
        (on_a, "open_item", {"skill_id": items[1]}),  # on the phones: its results can be revealed
    ]
    for fac, command, payload in steps:
        fac.call(command, {"code": code, **payload})
        final = fac.call("sync", {"code": code})["session"]["revision"]
        update = sock.wait_for("session_updated", partial(_has_revision, final))
        assert update["revision"] > heard[-1], (command, heard)
        heard.append(update["revision"])
    assert sock.call("sync", {})["session"]["revision"] == heard[-1]

    def toggle(fac: Listener, command: str, flag: str, skill: int) -> None:
        for n in range(10):
            fac.call(command, {"code": code, "skill_id": skill, flag: n % 2 == 0})

    together = [
        threading.Thread(target=toggle, args=(on_a, "lock_item", "locked", items[0])),
        threading.Thread(target=toggle, args=(on_b, "reveal_item", "revealed", items[1])),
    ]
    for thread in together:
        thread.start()
    for thread in together:
        thread.join(WAIT)
    assert sock.call("sync", {})["session"]["revision"] == heard[-1] + 20
