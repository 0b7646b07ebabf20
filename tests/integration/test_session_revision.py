"""The session's `revision`: every change of what clients are shown makes it grow, answers do not
(docs/protocol.md, "revision"), so a phone can tell a late `sync` reply from a newer broadcast."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from core.clock import TestClock, install
from models import db
from services import sessions
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


class Room:
    """A facilitator and phones on one session; `step` sends a command and checks the revision."""

    def __init__(self, session, fac, phones) -> None:
        self.code, self.fac, self.phones = session.code, fac, phones
        self.seen = [self.synced()]

    def synced(self) -> int:
        """The revision as a phone's and the dashboard's `sync` replies give it (the same)."""
        db.session.expire_all()  # here handlers share the test's ORM session; a server's do not
        phone = ack(self.phones[0], "sync", {}, P)["session"]["revision"]
        dashboard = ack(self.fac, "sync", {"code": self.code}, F)["session"]["revision"]
        assert isinstance(phone, int) and phone == dashboard
        return phone

    def step(self, command: str, **payload) -> None:
        assert ack(self.fac, command, {"code": self.code, **payload}, F)["ok"]
        broadcast = received(self.phones[0], P, "session_updated")[-1]["revision"]
        dashboard = received(self.fac, F, "session_updated")[-1]["revision"]
        assert broadcast == dashboard == self.synced() > self.seen[-1], (command, payload, self.seen)
        self.seen.append(broadcast)

    def unchanged(self) -> None:
        assert self.synced() == self.seen[-1]


def test_every_kind_of_change_grows_the_revision_and_answers_do_not(make_session, facilitator_socket, phone):
    session = make_session(state="open", criteria=["relevance"], round_settings={"reason": "outside_iqr"})
    first, second = (i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)[:2])
    criterion = session.criteria[0].id
    room = Room(session, facilitator_socket(session), [phone(session) for _ in range(4)])

    room.step("set_state", state="live")
    room.step("open_item", skill_id=first)
    for sock, value in zip(room.phones, (1, 3, 3, 4), strict=True):
        answer = {"skill_id": first, "criterion_id": criterion, "value": value}
        assert ack(sock, "submit_rating", answer, P)["ok"]
    assert ack(room.phones[0], "submit_comment", {"skill_id": first, "text": "Clear."}, P)["ok"]
    room.unchanged()  # answers are not the session's state: the rating path writes no revision
    room.step("lock_item", skill_id=first)
    room.step("lock_item", skill_id=first, locked=False)
    room.step("reveal_item", skill_id=first)
    room.step("reveal_item", skill_id=first, revealed=False)
    room.step("revote_item", skill_id=first)
    answer = {"skill_id": first, "criterion_id": criterion, "value": 1, "reason": "Too broad."}
    assert ack(room.phones[0], "submit_rating", answer, P)["ok"]
    room.unchanged()
    room.step("hide_reason", participant=room.phones[0].pseudonym, skill_id=first,
              criterion_id=criterion, round=2, hidden=True)  # fmt: skip
    room.step("start_round", scope="all")
    room.step("open_item", skill_id=second)
    room.step("remove_participant", participant=room.phones[3].pseudonym)

    db.session.expire_all()
    live = sessions.get_session(room.code)
    sessions.update_session(live, replace(sessions.session_input(live), language="pl", title="Renamed"))
    assert room.synced() > room.seen[-1]  # the set-up changed while live (no broadcast: the next sync)
    room.seen.append(room.synced())
    room.step("set_state", state="closed")


@pytest.fixture
def clock(app):
    clock = TestClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    install(app, clock)
    yield clock
    install(app, None)


def test_a_countdown_running_out_grows_the_revision_on_every_path(
    app, clock, make_session, facilitator_socket, phone
):
    """The timer's lock, and the lock a late answer or comment makes (a Core UPDATE of the item)."""
    session = make_session(state="live", criteria=["relevance"], countdown_seconds=30)
    skills = [i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)[:3]]
    criterion = session.criteria[0].id
    room = Room(session, facilitator_socket(session), [phone(session)])

    room.step("open_item", skill_id=skills[0])
    clock.advance(seconds=31)
    late = {"skill_id": skills[0], "criterion_id": criterion, "value": 3}
    assert ack(room.phones[0], "submit_rating", late, P)["error"] == "item_locked"
    assert room.synced() > room.seen[-1]
    room.seen.append(room.synced())

    room.step("open_item", skill_id=skills[1])
    clock.advance(seconds=31)
    comment = {"skill_id": skills[1], "text": "Too late."}
    assert ack(room.phones[0], "submit_comment", comment, P)["error"] == "item_locked"
    assert room.synced() > room.seen[-1]
    room.seen.append(room.synced())

    room.step("open_item", skill_id=skills[2])
    clock.advance(seconds=31)
    db.session.expire_all()
    assert sessions.expire_countdowns(sessions.get_session(room.code))  # the timer's own lock
    assert room.synced() > room.seen[-1]


def test_an_answer_costs_no_statement_on_the_sessions_table(make_session, phone):
    """The rating path stays as bench/README.md measured it: no UPDATE of the session per answer."""
    session = make_session(state="live", criteria=["relevance"], pacing="self")
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    sock = phone(session)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for value in (1, 2, 3):
            answer = {"skill_id": skill, "criterion_id": criterion, "value": value}
            assert ack(sock, "submit_rating", answer, P)["ok"]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert any("ratings" in s for s in statements)  # the listener heard the answers
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE SESSIONS")]


def test_every_change_of_a_list_question_grows_the_revision_and_answers_do_not(
    make_session, facilitator_socket, phone
):
    """`questions_updated` and both `sync_questions` replies carry the session's revision, so a
    phone, the dashboard's panel and the projector can tell a late reply from a newer broadcast."""
    from services.prioritisation import QuestionSpec

    session = make_session(state="live", criteria=[], questions=[QuestionSpec("pick", "Which?", {"k": 3})])
    fac, sock = facilitator_socket(session), phone(session)
    code = session.code

    def synced() -> int:
        db.session.expire_all()
        mine = ack(sock, "sync_questions", {}, P)["revision"]
        panel = ack(fac, "sync_questions", {"code": code}, F)["revision"]
        assert isinstance(mine, int) and mine == panel == room.synced()
        return mine

    room = Room(session, fac, [sock])
    state = ack(fac, "sync_questions", {"code": code}, F)
    qid, picks = state["questions"][0]["id"], [i["skill_id"] for i in state["items"][:3]]
    seen = [synced()]
    for command, extra in (
        ("open_question", {}),
        ("lock_question", {}),
        ("lock_question", {"locked": False}),
        ("reveal_question", {}),
        ("reveal_question", {"revealed": False}),
        ("revote_question", {}),
        ("clear_question", None),
    ):
        payload = {"code": code} if extra is None else {"code": code, "question_id": qid, **extra}
        assert ack(fac, command, payload, F)["ok"], command
        broadcast = received(sock, P, "questions_updated")[-1]["revision"]
        assert received(fac, F, "questions_updated")[-1]["revision"] == broadcast
        assert broadcast == synced() > seen[-1], (command, seen)
        seen.append(broadcast)
        if command == "revote_question":
            answer = {"question_id": qid, "value": {"picks": picks}}
            assert ack(sock, "submit_answer", answer, P)["ok"]
            assert synced() == seen[-1]  # an answer is not the questions' state


def test_every_change_of_the_comment_wall_grows_the_revision_it_carries(
    make_session, facilitator_socket, phone
):
    """`wall_updated`, the wall commands' acks and the `sync` answer's `wall` carry the revision, and
    starring or hiding a comment while the wall is up grows it (the wall's content changes), so the
    projector can tell a late `sync` reply from a newer wall."""
    session = make_session(state="live", criteria=["relevance"])
    first = sorted(session.items, key=lambda i: i.skill.position)[0].skill_id
    fac, socks = facilitator_socket(session), [phone(session) for _ in range(2)]
    code = session.code
    room = Room(session, fac, socks)
    room.step("open_item", skill_id=first)
    for sock, text in zip(socks, ("Too broad.", "Add listening."), strict=True):
        assert ack(sock, "submit_comment", {"skill_id": first, "text": text}, P)["ok"]
    ids = [c["id"] for c in ack(fac, "sync", {"code": code}, F)["comments"]]
    assert ack(fac, "moderate_comment", {"code": code, "comment_id": ids[0], "state": "starred"}, F)["ok"]
    seen = [ack(fac, "sync", {"code": code}, F)["wall"]["revision"]]
    for command, payload in (
        ("show_wall", {"skill_id": first}),
        ("moderate_comment", {"comment_id": ids[1], "state": "starred"}),
        ("moderate_comment", {"comment_id": ids[0], "state": "hidden"}),
        ("show_wall", {"skill_id": first, "comment_id": ids[1]}),
        ("clear_wall", {}),
    ):
        answer = ack(fac, command, {"code": code, **payload}, F)
        assert answer["ok"], (command, answer)
        told = received(fac, F, "wall_updated")[-1]
        db.session.expire_all()
        synced = ack(fac, "sync", {"code": code}, F)
        assert told["revision"] == synced["wall"]["revision"] == synced["session"]["revision"] > seen[-1]
        assert told["comments"] == synced["wall"]["comments"], command
        if command != "moderate_comment":
            assert answer["revision"] == told["revision"]
        seen.append(told["revision"])
