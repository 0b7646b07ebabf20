"""Shared fixtures: an app on a fresh SQLite file, clients, and factories that return callables."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import stamp

from core import create_app
from core.extensions import socketio
from models import LiveSession, User, db
from participant.events import forget_connections
from services import frameworks, sessions, users

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path: Any) -> Iterator[Flask]:
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            "RESULTS_INTERVAL": 0.0,
            "TESTING": True,
        }
    )
    forget_connections()
    with app.app_context():
        db.create_all()  # faster than replaying migrations; test_migrations checks they agree
        stamp()  # so CLI commands, which migrate first, see an up-to-date schema
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def make(role: str = "facilitator", email: str | None = None) -> User:
        return users.create_user(email or f"user{next(_counter)}@example.org", PASSWORD, role)

    return make


@pytest.fixture
def make_session(app: Flask, make_user: Callable[..., User]) -> Callable[..., LiveSession]:
    """A session on the example framework; `state` moves it through the lifecycle."""

    def make(state: str = "open", facilitator: User | None = None, **overrides: Any) -> LiveSession:
        framework = frameworks.ensure_example_framework()
        data = sessions.SessionInput(
            **{
                "title": "Validation meeting",
                "framework_id": framework.id,
                "criteria": ["relevance", "importance"],
                **overrides,
            }
        )
        session = sessions.create_session(facilitator or make_user(), data)
        path = {"draft": [], "open": ["open"], "live": ["open", "live"], "closed": ["open", "live", "closed"]}
        for step in path[state]:
            sessions.set_state(session, step)
        return session

    return make


def login(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(user.id)
        flask_session["_fresh"] = True


@pytest.fixture
def facilitator_socket(app: Flask, make_user: Callable[..., User]) -> Callable[..., Any]:
    """A signed-in facilitator's Socket.IO test client for a session."""

    def connect(session: LiveSession, user: User | None = None, view: str = "dashboard") -> Any:
        http = app.test_client()
        login(http, user or session.facilitator)
        return socketio.test_client(
            app, namespace="/facilitator", flask_test_client=http, auth={"code": session.code, "view": view}
        )

    return connect


@pytest.fixture
def phone(app: Flask) -> Callable[..., Any]:
    """Join a session over the JSON API and connect a participant socket; returns the client."""

    def join(session: LiveSession, profile: dict[str, str] | None = None) -> Any:
        http = app.test_client()
        response = http.post(
            f"/api/sessions/{session.code}/join", json={"consent": True, "profile": profile or {}}
        )
        assert response.status_code == 200, response.get_json()
        token = response.get_json()["token"]
        sock = socketio.test_client(
            app, namespace="/participant", flask_test_client=http, auth={"token": token}
        )
        sock.token = token
        sock.pseudonym = response.get_json()["participant"]
        return sock

    return join


def ack(sock: Any, event: str, payload: Any, namespace: str) -> dict[str, Any]:
    result = sock.emit(event, payload, namespace=namespace, callback=True)
    assert isinstance(result, dict), result
    return result


def received(sock: Any, namespace: str, name: str) -> list[Any]:
    """Every `name` event this client has received so far (get_received drains, so we keep them)."""
    seen = sock.__dict__.setdefault("_seen", {}).setdefault(namespace, [])
    seen.extend(sock.get_received(namespace))
    return [m["args"][0] for m in seen if m["name"] == name]
