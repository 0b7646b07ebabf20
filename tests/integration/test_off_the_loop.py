"""Slow work stays off the gevent loop: password hashing, uploads, and waits for SQLite's lock."""

from __future__ import annotations

import io
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from core import offload
from services import users
from tests.live import (
    CLIENT_WARNINGS,
    WAIT,
    RunPy,
    collect_client_sockets,  # noqa: F401  (autouse: collects the clients' sockets)
    current_rating,
    live_session,
    phone_client,
    running,
)

pytestmark = CLIENT_WARNINGS


@pytest.fixture
def gevent_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_blocking as under run.py (gevent's threadpool), in this test process."""
    monkeypatch.setattr(offload, "socketio", SimpleNamespace(async_mode="gevent"))


def test_password_hashing_runs_in_a_native_thread_under_gevent(app, gevent_mode, monkeypatch):
    threads: list[int] = []
    for name in ("generate_password_hash", "check_password_hash"):
        real = getattr(users, name)

        def spy(*args: object, _real=real) -> object:
            threads.append(threading.get_ident())
            return _real(*args)

        monkeypatch.setattr(users, name, spy)
    user = users.create_user("someone@example.org", "a long password", "facilitator")  # hashes
    assert users.authenticate("someone@example.org", "a long password") == user  # checks
    assert users.authenticate("nobody@example.org", "a long password") is None  # dummy hash, checked
    users.change_password(user, "a long password", "another long password")  # checks, hashes
    assert threads and threading.get_ident() not in threads


def test_framework_uploads_are_parsed_in_a_native_thread_under_gevent(
    app, client, make_user, gevent_mode, monkeypatch
):
    from facilitator import spreadsheet_routes
    from tests.conftest import login

    threads: list[int] = []
    real = spreadsheet_routes.parse_framework_file

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(spreadsheet_routes, "parse_framework_file", spy)
    login(client, make_user())
    app.config["WTF_CSRF_ENABLED"] = False
    sample = Path(__file__).parents[1] / "fixtures" / "framework_semicolon_bom.csv"
    data = {"file": (io.BytesIO(sample.read_bytes()), "skills.csv")}
    response = client.post("/f/frameworks/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert threads and threading.get_ident() not in threads


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunPy]:
    """One server for the module: each test makes its own session and compares ratings before/after."""
    with running(tmp_path_factory.mktemp("lock"), DB_LOCK_WAIT="2") as live:
        yield live


class WriteLock:
    """Another process's view: hold SQLite's write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)

    def __enter__(self) -> WriteLock:
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.db.execute("ROLLBACK")
        self.db.close()


def _phone(server: RunPy) -> tuple[Any, dict[str, int]]:
    client = phone_client(server, live_session(server))
    return client, current_rating(client)


def _stored(server: RunPy) -> list[int]:
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as db:
        return [row[0] for row in db.execute("SELECT value FROM ratings ORDER BY id")]


def test_a_write_waits_for_another_process_lock_without_freezing_the_server(server):
    client, rating = _phone(server)
    path = Path(server.database_url.removeprefix("sqlite:///"))
    before = _stored(server)
    answers: list[dict[str, object]] = []
    try:
        with WriteLock(path):
            sender = threading.Thread(
                target=lambda: answers.append(
                    client.call(
                        "submit_rating", {**rating, "value": 3}, namespace="/participant", timeout=WAIT
                    )
                )
            )
            sender.start()
            time.sleep(0.3)  # the rating is now waiting for the lock
            with urllib.request.urlopen(f"{server.url}/", timeout=WAIT) as page:  # the loop still serves
                assert page.status == 200
            assert sender.is_alive() and answers == []  # and the rating still waits, un-acked
            time.sleep(0.5)
        sender.join(WAIT)
        assert answers == [
            {
                "ok": True,
                "skill_id": rating["skill_id"],
                "criterion_id": rating["criterion_id"],
                "value": 3,
                "round": 1,
            }
        ]
        assert _stored(server) == [*before, 3]
    finally:
        client.disconnect()


def test_a_lock_held_past_the_wait_is_answered_busy_and_stores_nothing(server):
    client, rating = _phone(server)
    path = Path(server.database_url.removeprefix("sqlite:///"))
    before = _stored(server)
    try:
        with WriteLock(path):
            reply = client.call(
                "submit_rating", {**rating, "value": 2}, namespace="/participant", timeout=WAIT
            )
            assert reply["ok"] is False and reply["error"] == "server_busy", reply
        assert _stored(server) == before  # never a wrong ok: nothing was stored
        again = client.call("submit_rating", {**rating, "value": 2}, namespace="/participant", timeout=WAIT)
        assert again["ok"] is True and _stored(server) == [*before, 2]
    finally:
        client.disconnect()
