"""Shared fixtures: an app on a fresh SQLite file, clients, and factories that return callables."""

from __future__ import annotations

import functools
import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import stamp
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug import security as werkzeug_security
from werkzeug.routing import Rule

from core import create_app
from core.extensions import socketio
from models import LiveSession, Participant, User, db
from participant.events import forget_connections
from services import frameworks, participation, sessions, users

PASSWORD = "correct horse battery"


class _TemplatesCompiledOnce(BytecodeCache):
    """Jinja's compiled templates, kept in memory for every app this test process makes.

    Each test makes its own app, and each app compiled every template it rendered from scratch:
    a third of a page test's time. Jinja keys the code by template name and checks it against the
    source (the bucket's checksum), so a changed template is compiled again; what renders is the same.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])  # ignored if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _TemplatesCompiledOnce()}


def _url_builders_compiled_once() -> None:
    """Werkzeug's URL builders, compiled once per rule for every app this test process makes.

    Each new app adds its ~80 URL rules, and Werkzeug writes and compiles Python code for each
    one's url_for builder: three quarters of create_app, about 60 ms per test. The code depends only
    on the rule's text, its parsed parts and its defaults (the rule and its converters are passed in
    when it is called), so one function serves every app's copy of the rule; what is built is the same.
    """
    compile_builder = Rule._compile_builder
    compiled: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}

    def compiled_once(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = tuple((name, type(value), repr(value)) for name, value in (self.defaults or {}).items())
        key = (self.rule, append_unknown, tuple(self._trace), defaults)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = compiled_once  # type: ignore[method-assign]


_url_builders_compiled_once()


def _test_app(folder: Path) -> Flask:
    return create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": f"sqlite:///{folder / 'test.db'}",
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            "RESULTS_INTERVAL": 0.0,
            "TESTING": True,
        }
    )


@pytest.fixture(scope="session", autouse=True)
def remembered_password_hashes() -> Iterator[None]:
    """scrypt, as the app hashes and checks passwords, in this test process; each result remembered.

    One hash or check costs about 0.1 s of CPU, and most tests make an account (all with PASSWORD):
    that was minutes of the suite. A check is a pure function of (hash, password), so remembering it
    changes no answer; a hash is remembered per password, so accounts with the same password share
    a salt here (never in the app). Servers started as processes (run.py) hash as usual.
    """
    from models import user as user_model
    from services import users as users_service

    generate = functools.lru_cache(maxsize=None)(werkzeug_security.generate_password_hash)
    check = functools.lru_cache(maxsize=None)(werkzeug_security.check_password_hash)
    with pytest.MonkeyPatch.context() as patch:
        for module in (users_service, user_model):
            patch.setattr(module, "generate_password_hash", generate)
            patch.setattr(module, "check_password_hash", check)
        yield


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the current schema and no rows, made once per worker; each test copies it.

    create_all (faster than replaying migrations; test_migrations checks they agree) and stamp
    (so CLI commands, which migrate first, see an up-to-date schema) took a good part of every
    test's set-up; copying a file takes a millisecond.
    """
    folder = tmp_path_factory.mktemp("schema")
    app = _test_app(folder)
    with app.app_context():
        db.create_all()
        stamp()
        db.session.remove()
        db.engine.dispose()  # closes every connection: nothing is left in a journal beside the file
    return folder / "test.db"


@pytest.fixture
def app(tmp_path: Path, empty_database: Path) -> Iterator[Flask]:
    shutil.copyfile(empty_database, tmp_path / "test.db")
    app = _test_app(tmp_path)
    forget_connections()
    with app.app_context():
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


@pytest.fixture
def make_participant(app: Flask) -> Callable[..., tuple[Participant, str]]:
    """A phone that joined with consent: `make_participant(session, profile)` -> (participant, token)."""

    def make(session: LiveSession, profile: dict[str, str] | None = None) -> tuple[Participant, str]:
        return participation.join(session.code, True, profile or {})

    return make


Values = Mapping[str, Sequence[int | None]]  # criterion key -> one answer per rater (None: can't judge)


@dataclass
class Meeting:
    """A session that went through a meeting, with the tokens of the phones that joined it."""

    session: LiveSession
    tokens: list[str] = field(default_factory=list)


@pytest.fixture
def make_meeting(
    make_session: Callable[..., LiveSession], make_participant: Callable[..., tuple[Participant, str]]
) -> Callable[..., Meeting]:
    """A session with answers, built through the services as a meeting would go.

    `make_meeting(state, criteria, values, skills=1, second_round=None, comments={}, **overrides)`:
    one phone per answer in `values` joins in the lobby; once live each answers the first `skills`
    skills with its value for each criterion; `second_round` re-votes the first skill with new
    values; `comments` maps a rater's index to a comment on the first skill; the first skill is
    revealed. Draft sessions get nobody; open sessions get the phones but no answers.
    """

    def make(
        state: str = "closed",
        criteria: Sequence[str] = ("relevance",),
        values: Values | None = None,
        skills: int = 1,
        second_round: Values | None = None,
        comments: Mapping[int, str] | None = None,
        profiles: Sequence[dict[str, str]] = (),
        **overrides: Any,
    ) -> Meeting:
        values = values or {key: [] for key in criteria}
        session = make_session(
            state="draft" if state == "draft" else "open", criteria=list(criteria), **overrides
        )
        meeting = Meeting(session)
        if state == "draft":
            return meeting
        raters = max((len(v) for v in values.values()), default=0)
        people = [
            make_participant(session, profiles[i] if i < len(profiles) else None) for i in range(raters)
        ]
        meeting.tokens = [token for _participant, token in people]
        if state == "open":
            return meeting
        sessions.set_state(session, "live")
        items = sorted(session.items, key=lambda i: i.skill.position)[:skills]
        for item in items:
            sessions.open_item(session, item.skill_id)
            _answer(session, people, item.skill_id, values)
        first = items[0].skill_id
        if second_round is not None:
            sessions.revote_item(session, first)
            _answer(session, people, first, second_round)
        for index, text in (comments or {}).items():
            participation.record_comment(people[index][0], {"skill_id": first, "text": text}, 1000)
        sessions.reveal_item(session, first)
        if state == "closed":
            sessions.set_state(session, "closed")
        return meeting

    return make


def _answer(
    session: LiveSession, people: list[tuple[Participant, str]], skill_id: int, values: Values
) -> None:
    for criterion in session.criteria:
        for (participant, _token), value in zip(people, values.get(criterion.key, ()), strict=False):
            answer = participation.CANT_JUDGE if value is None else value
            payload = {"skill_id": skill_id, "criterion_id": criterion.id, "value": answer}
            participation.record_rating(participant, payload)


def match_group(pattern: str, text: str, flags: int = 0) -> str:
    """Group 1 of `pattern`'s first match in `text`; a failure that says what was missing otherwise."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"{pattern!r} not in: {text[:300]!r}"
    return found.group(1)


def login(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user.get_id()
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


# Rough seconds per test, for ordering files only: a browser test drives Chromium against the live
# server; a test with run.py processes (tests/live.py), PostgreSQL or Redis waits for real sockets;
# a test with an app renders and stores; the rest (domain, analysis) is plain Python.
_BROWSER_TEST, _PROCESS_TEST, _APP_TEST, _PLAIN_TEST = 5.0, 3.0, 0.3, 0.03


def _rough_cost(item: pytest.Item) -> float:
    if item.get_closest_marker("browser"):
        return _BROWSER_TEST
    if item.get_closest_marker("postgres") or item.get_closest_marker("redis"):
        return _PROCESS_TEST
    module = getattr(item, "module", None)
    names = vars(module).values() if module is not None else ()
    if any(getattr(value, "__module__", None) == "tests.live" for value in names):
        return _PROCESS_TEST
    return _APP_TEST if "app" in getattr(item, "fixturenames", ()) else _PLAIN_TEST


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Heaviest files first, each file's tests in their own order.

    The two xdist workers take whole files (--dist loadfile) in this order (--no-loadscope-reorder:
    xdist would otherwise sort files by their number of tests, so a long browser file of a few
    tests came last and one worker ran it alone while the other had finished). Heavy files first
    and light ones last lets both workers finish together.
    """
    per_file: dict[Path, float] = {}
    for item in items:
        per_file[item.path] = per_file.get(item.path, 0.0) + _rough_cost(item)
    items.sort(key=lambda item: (-per_file[item.path], str(item.path)))


if os.environ.get("SB_FILE_COST"):
    pytest_plugins = ["tests.file_cost"]
