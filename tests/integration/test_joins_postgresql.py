"""Fifty phones join one session at the same instant on PostgreSQL: each gets its own number."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_migrate import stamp

from core import create_app
from models import Participant, db
from services import frameworks, sessions, users
from tests.integration.test_multiprocess import database, services  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(database: str, tmp_path: Any) -> Iterator[Flask]:  # noqa: F811
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": database,
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            "MESSAGE_QUEUE": None,
            # Pushes inline, as conftest's app: a batched presence push runs in a thread 0.25 s after
            # the joins, past this fixture's dispose(), and left a connection in the engine's new pool
            # to be garbage-collected open during some later test.
            "RESULTS_INTERVAL": 0.0,
            "TESTING": True,
        }
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 60, "max_overflow": 0}
    with app.app_context():
        db.create_all()
        stamp()  # run.py, started on the same database, finds it at the head and migrates nothing
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=["in-process threads", "run.py under gevent"])
def join_url(request: pytest.FixtureRequest, pg_app: Flask, database: str, tmp_path: Any) -> Iterator[Any]:  # noqa: F811
    """Post a join: through the test client in threads, or over HTTP to run.py (gevent)."""
    if request.param.startswith("in-process"):

        def post(code: str) -> tuple[int, Any]:
            response = pg_app.test_client().post(f"/api/sessions/{code}/join", json={"consent": True})
            return response.status_code, response.get_data(as_text=True)

        yield post
        return
    import requests

    from tests.live import RunPy

    server = RunPy(tmp_path / "server", DATABASE_URL=database, SECRET_KEY=secrets.token_hex(16))
    server.tmp.mkdir(parents=True, exist_ok=True)
    server.start()
    try:

        def post_http(code: str) -> tuple[int, Any]:
            response = requests.post(
                f"{server.url}/api/sessions/{code}/join", json={"consent": True}, timeout=30
            )
            return response.status_code, response.text[:300]

        yield post_http
    finally:
        server.stop()


def test_fifty_concurrent_joins_all_succeed_with_distinct_numbers(pg_app: Flask, join_url: Any) -> None:
    user = users.create_user(f"joins-{secrets.token_hex(4)}@example.org", "joins-test-pw-1", "facilitator")
    framework = frameworks.ensure_example_framework()
    session = sessions.create_session(
        user, sessions.SessionInput(title="Joins", framework_id=framework.id, criteria=["relevance"])
    )
    sessions.set_state(session, "open")
    code, session_id = session.code, session.id
    start = threading.Barrier(50)
    answers: list[tuple[int, Any]] = []

    def join() -> None:
        start.wait(10)
        answers.append(join_url(code))

    threads = [threading.Thread(target=join) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [status for status, _ in answers] == [200] * 50, [a for a in answers if a[0] != 200][:3]
    db.session.rollback()
    numbers = sorted(db.session.scalars(db.select(Participant.number).filter_by(session_id=session_id)))
    assert numbers == list(range(1, 51))
