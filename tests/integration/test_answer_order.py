"""Answers from one phone take effect in the order the phone sent them (run.py under gevent).

The race: quick successive changes to one answer, each acknowledged, and the stored value not the
last. On one connection the server must apply events in the order they arrived, whatever the
client; across reconnects the phone's sequence number (`seq`) decides, not the arrival order.
Both on PostgreSQL (handlers wait on the network there, so they interleave) and on SQLite.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.integration.test_multiprocess import WAIT, Listener, database, services  # noqa: F401
from tests.live import RunPy

P = "/participant"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database URL: a fresh SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('order') / 'order.db'}"
    else:
        yield request.getfixturevalue("database")


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunPy]:
    srv = RunPy(
        tmp_path_factory.mktemp("order-server"), DATABASE_URL=backend, SECRET_KEY=secrets.token_hex(16)
    )
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def live(server: RunPy, backend: str) -> Iterator[dict[str, Any]]:
    """A live self-paced session (every item open) in the server's database; and a way to read it."""
    from core import create_app
    from models import Rating, db
    from services import frameworks, sessions, users

    app = create_app(
        {
            "DATABASE_URL": backend,
            "ASYNC_MODE": "threading",
            "MESSAGE_QUEUE": None,
            "INSTANCE_PATH": server.env["SOUNDINGBOARD_INSTANCE_PATH"],
        }
    )
    with app.app_context():
        user = users.create_user(f"order{secrets.token_hex(3)}@example.org", "order-test-pw-1", "facilitator")
        framework = frameworks.ensure_example_framework()
        session = sessions.create_session(
            user,
            sessions.SessionInput(
                title="Order", framework_id=framework.id, criteria=["relevance", "importance"], pacing="self"
            ),
        )
        sessions.set_state(session, "open")
        sessions.set_state(session, "live")
        skills = [item.skill_id for item in session.items]
        criteria = [c.id for c in session.criteria]

        def stored(participant_token: str) -> dict[tuple[int, int], int | None]:
            from services.participation import authenticate

            db.session.rollback()  # see what the server committed since
            participant = authenticate(participant_token)
            rows = db.session.scalars(db.select(Rating).where(Rating.participant_id == participant.id))
            return {(r.skill_id, r.criterion_id): r.value for r in rows}

        try:
            yield {"code": session.code, "skills": skills, "criteria": criteria, "stored": stored}
        finally:
            db.session.remove()
            db.engine.dispose()


def _join(server: RunPy, code: str) -> str:
    joined = requests.post(f"{server.url}/api/sessions/{code}/join", json={"consent": True}, timeout=WAIT)
    assert joined.status_code == 200, joined.text
    return str(joined.json()["token"])


def _connect(server: RunPy, token: str, sockets: list[Listener]) -> Listener:
    sockets.append(Listener(P, ()))
    return sockets[-1].connect(server.url, auth={"token": token})


@pytest.fixture
def sockets() -> Iterator[list[Listener]]:
    opened: list[Listener] = []
    yield opened
    for listener in opened:
        listener.close()


def _fire(sock: Listener, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Emit every payload back to back without waiting, then wait for all the acks."""
    acks: list[dict[str, Any] | None] = [None] * len(payloads)
    done = threading.Semaphore(0)

    def keep(index: int) -> Any:
        def callback(ack: dict[str, Any]) -> None:
            acks[index] = ack
            done.release()

        return callback

    for index, payload in enumerate(payloads):
        sock.client.emit("submit_rating", payload, namespace=P, callback=keep(index))
    for _ in payloads:
        assert done.acquire(timeout=WAIT), "an ack never came"
    return [a for a in acks if a is not None]


def test_one_connection_without_seq_applies_changes_in_the_order_sent(
    server: RunPy, live: dict[str, Any], sockets: list[Listener]
) -> None:
    """A client written to the protocol before `seq` existed: quick changes, last one wins."""
    token = _join(server, live["code"])
    sock = _connect(server, token, sockets)
    expected: dict[tuple[int, int], int] = {}
    payloads = []
    for skill in live["skills"]:
        for criterion in live["criteria"]:
            for value in (1, 4, 2, 3, 1, 4, 2, 3):  # 8 quick changes of one answer
                payloads.append({"skill_id": skill, "criterion_id": criterion, "value": value})
            expected[(skill, criterion)] = 3
    acks = _fire(sock, payloads)
    assert all(a["ok"] and not a.get("superseded") for a in acks), [a for a in acks if not a["ok"]][:3]
    assert live["stored"](token) == expected


def test_a_late_resend_with_a_lower_seq_is_acked_as_superseded(
    server: RunPy, live: dict[str, Any], sockets: list[Listener]
) -> None:
    """The offline queue resends an old answer after the phone reconnected and changed it."""
    token = _join(server, live["code"])
    skill, criterion = live["skills"][0], live["criteria"][0]
    new = _connect(server, token, sockets)
    assert new.call(
        "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 4, "seq": 20}
    ) == {
        "ok": True,
        "skill_id": skill,
        "criterion_id": criterion,
        "value": 4,
        "round": 1,
    }
    old = _connect(server, token, sockets)  # the earlier answer arrives late, on another connection
    late = old.call("submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 1, "seq": 10})
    assert late["ok"] and late["superseded"] is True and late["value"] == 4
    assert live["stored"](token)[(skill, criterion)] == 4
    # a later seq still changes it, and an equal seq (a resend of the same answer) is no error
    assert not new.call(
        "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 2, "seq": 21}
    ).get("superseded")
    again = old.call("submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 2, "seq": 21})
    assert again["ok"] and not again.get("superseded")
    assert live["stored"](token)[(skill, criterion)] == 2


def test_seq_must_be_a_non_negative_integer(
    server: RunPy, live: dict[str, Any], sockets: list[Listener]
) -> None:
    sock = _connect(server, _join(server, live["code"]), sockets)
    skill, criterion = live["skills"][0], live["criteria"][0]
    for bad in ("7", -1, 1.5, True, 2**63):
        ack = sock.client.call(
            "submit_rating",
            {"skill_id": skill, "criterion_id": criterion, "value": 2, "seq": bad},
            namespace=P,
            timeout=WAIT,
        )
        assert ack["ok"] is False and ack["error"] == "bad_payload", (bad, ack)


def test_many_quick_changes_from_many_phones_each_keep_their_last(
    server: RunPy, live: dict[str, Any], sockets: list[Listener]
) -> None:
    """Several phones at once, so handlers of different phones interleave with each other."""
    tokens = [_join(server, live["code"]) for _ in range(6)]
    phones = [_connect(server, token, sockets) for token in tokens]
    skill = live["skills"][1]
    results: dict[int, list[dict[str, Any]]] = {}

    def run(index: int) -> None:
        payloads = [
            {"skill_id": skill, "criterion_id": c, "value": v}
            for c in live["criteria"]
            for v in (4, 3, 2, 1, 2, 3, 4, 1 + index % 4)
        ]
        results[index] = _fire(phones[index], payloads)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(phones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 3)
    assert len(results) == len(phones)
    for index, token in enumerate(tokens):
        assert all(a["ok"] for a in results[index])
        stored = live["stored"](token)
        assert {stored[(skill, c)] for c in live["criteria"]} == {1 + index % 4}, (index, stored)
