"""A countdown that runs out is told to every phone and dashboard once (`session_updated` with the
item locked), whoever locked it first: the countdown's timer, or a late answer or comment that
found it expired (docs/protocol.md, `locks_at`). The timers are run by the test when their time
comes on a test clock, so nothing waits for real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core import live
from core.clock import TestClock, install
from core.extensions import socketio
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


@pytest.fixture
def clock(app):
    clock = TestClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    install(app, clock)
    yield clock
    install(app, None)


class Timers:
    """The countdown timers the server starts, kept here and run when the clock reaches them."""

    def __init__(self, clock: TestClock) -> None:
        self.clock = clock
        self.waiting: list[tuple[datetime, tuple[Any, ...]]] = []

    def record(self, args: tuple[Any, ...]) -> None:
        # A timer sleeps its delay from now: the moment it wakes, on the clock its deadline is on.
        self.waiting.append((datetime.now(UTC) + timedelta(seconds=args[2]), args))

    def run_due(self) -> None:
        due = [t for t in self.waiting if t[0] <= self.clock.now]
        self.waiting = [t for t in self.waiting if t[0] > self.clock.now]
        for _when, (app, session_id, _delay, *rest) in due:
            live._expire_later(app, session_id, 0, *rest)


@pytest.fixture
def timers(monkeypatch, clock):
    found = Timers(clock)
    start = socketio.start_background_task

    def start_task(target, *args, **kwargs):
        if target is live._expire_later:
            return found.record(args)
        return start(target, *args, **kwargs)  # the rating writer's own task runs as usual

    monkeypatch.setattr(socketio, "start_background_task", start_task)
    return found


def _locked(sock, namespace: str, since: int, skill: int) -> list[dict[str, Any]]:
    """The `session_updated` broadcasts after the first `since`, each as that skill's item."""
    told = received(sock, namespace, "session_updated")[since:]
    return [next(i for i in p["items"] if i["skill_id"] == skill) for p in told]


def test_a_countdown_a_late_answer_ended_is_told_once(
    app, clock, timers, make_session, facilitator_socket, phone
):
    """A late rating (or comment) locks the item itself, in the 50 ms before the timer wakes or on
    another process than the timer's: the timer still tells the room (it found nothing to lock)."""
    session = make_session(state="live", criteria=["relevance"], countdown_seconds=30)
    skills = [i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)[:2]]
    criterion = session.criteria[0].id
    fac, sock = facilitator_socket(session), phone(session)
    late = (
        ("submit_rating", {"skill_id": skills[0], "criterion_id": criterion, "value": 3}),
        ("submit_comment", {"skill_id": skills[1], "text": "Too late."}),
    )
    for skill, (event, answer) in zip(skills, late, strict=True):
        assert ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)["ok"]
        clock.advance(seconds=30)
        assert ack(sock, event, answer, P)["error"] == "item_locked"
        heard, seen = len(received(sock, P, "session_updated")), len(received(fac, F, "session_updated"))
        clock.advance(seconds=0.1)
        timers.run_due()
        timers.run_due()
        for client, ns, since in ((sock, P, heard), (fac, F, seen)):
            told = _locked(client, ns, since, skill)
            assert [(i["status"], i["locks_at"]) for i in told] == [("locked", None)], (event, ns, told)


def test_the_timer_that_locks_tells_once_and_an_answer_after_it_tells_nothing(
    app, clock, timers, make_session, facilitator_socket, phone
):
    session = make_session(state="live", criteria=["relevance"], countdown_seconds=30)
    skill = sorted(session.items, key=lambda i: i.skill.position)[0].skill_id
    criterion = session.criteria[0].id
    fac, sock = facilitator_socket(session), phone(session)
    assert ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)["ok"]
    heard = len(received(sock, P, "session_updated"))
    clock.advance(seconds=30.1)
    timers.run_due()
    assert [i["status"] for i in _locked(sock, P, heard, skill)] == ["locked"]
    answer = {"skill_id": skill, "criterion_id": criterion, "value": 3}
    assert ack(sock, "submit_rating", answer, P)["error"] == "item_locked"
    timers.run_due()
    assert len(_locked(sock, P, heard, skill)) == 1


def test_two_countdowns_running_at_once_each_lock_when_theirs_runs_out(
    app, clock, timers, make_session, facilitator_socket, phone
):
    """The facilitator opens the next skill while the last one's countdown still runs: each skill
    locks, and the room is told, when its own countdown runs out (the second had no timer)."""
    session = make_session(state="live", criteria=["relevance"], countdown_seconds=30)
    first, second = (i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)[:2])
    fac, sock = facilitator_socket(session), phone(session)
    assert ack(fac, "open_item", {"code": session.code, "skill_id": first}, F)["ok"]
    clock.advance(seconds=20)
    assert ack(fac, "open_item", {"code": session.code, "skill_id": second}, F)["ok"]
    heard = len(received(sock, P, "session_updated"))
    clock.advance(seconds=10.1)
    timers.run_due()
    told = received(sock, P, "session_updated")[heard:]
    assert [{i["skill_id"]: i["status"] for i in p["items"]}[first] for p in told] == ["locked"]
    assert {i["skill_id"]: i["status"] for i in told[-1]["items"]}[second] == "open"
    clock.advance(seconds=20)
    timers.run_due()
    assert [i["status"] for i in _locked(sock, P, heard + 1, second)] == ["locked"]


def test_a_countdown_whose_timer_was_lost_locks_on_the_next_tick(
    app, clock, make_session, facilitator_socket, phone, monkeypatch
):
    """The server restarted while a countdown ran: no timer waits for it. The ticker (every 30 s)
    locks it and tells the room, leaving a deadline of the last seconds to its timer."""
    from core import ticker

    session = make_session(state="live", criteria=["relevance"], countdown_seconds=30)
    skill = sorted(session.items, key=lambda i: i.skill.position)[0].skill_id
    fac, sock = facilitator_socket(session), phone(session)
    monkeypatch.setattr(live, "schedule_countdown", lambda _session: None)  # the timer is lost
    monkeypatch.setattr("facilitator.events.schedule_countdown", lambda _session: None)
    assert ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)["ok"]
    heard = len(received(sock, P, "session_updated"))
    clock.advance(seconds=31)
    assert ticker.tick() == 0  # a second late: left to its timer, were it there
    clock.advance(seconds=29)
    assert ticker.tick() == 1
    assert [i["status"] for i in _locked(sock, P, heard, skill)] == ["locked"]
    assert ticker.tick() == 0


def test_two_timers_reading_the_deadline_together_tell_the_room_once(
    app, clock, timers, make_session, facilitator_socket
):
    """Two processes' timers (or a timer and the ticker) wake together and both read the deadline
    still set: only the one whose UPDATE clears it tells the room; the other finds it gone."""
    from sqlalchemy import update

    from models import ItemStatus, SessionItem, db
    from services import sessions

    session = make_session(state="live", criteria=["relevance"], countdown_seconds=30)
    skill = sorted(session.items, key=lambda i: i.skill.position)[0].skill_id
    fac = facilitator_socket(session)
    assert ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)["ok"]
    clock.advance(seconds=30.1)
    mine = sessions.get_session(session.code)
    assert [i.skill_id for i in mine.items if i.locks_at is not None] == [skill]  # read here, set
    with db.engine.begin() as other:  # the other process locks it and clears the deadline first
        locked = other.execute(
            update(SessionItem)
            .where(SessionItem.session_id == mine.id, SessionItem.locks_at.is_not(None))
            .values(status=ItemStatus.LOCKED, locks_at=None)
        )
        assert locked.rowcount == 1
    assert sessions.expire_countdowns(mine) == []  # nothing left to tell: the other one told it
    assert {i.skill_id: i.status for i in sessions.get_session(session.code).items}[
        skill
    ] is ItemStatus.LOCKED
