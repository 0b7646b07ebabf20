"""Session lifecycle, countdowns, re-votes and decisions through the services and sockets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import InvalidStateError, ItemLockedError, ValidationError
from models import ItemStatus, Rating, db, utcnow
from services import moderation, participation, sessions
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


def test_lifecycle_refuses_impossible_transitions(make_session):
    session = make_session(state="draft")
    with pytest.raises(InvalidStateError):
        sessions.set_state(session, "closed")
    sessions.set_state(session, "live")
    with pytest.raises(InvalidStateError):
        sessions.set_state(session, "open")
    sessions.set_state(session, "closed")
    assert all(item.status is ItemStatus.LOCKED for item in session.items)
    with pytest.raises(InvalidStateError):
        sessions.set_state(session, "live")


def test_self_paced_opens_every_item(make_session):
    session = make_session(state="live", pacing="self")
    assert {item.status for item in session.items} == {ItemStatus.OPEN}


def test_countdown_locks_the_item_when_it_runs_out(make_session, phone):
    session = make_session(state="live", countdown_seconds=30)
    item = sessions.open_item(session, session.items[0].skill_id)
    assert item.locks_at is not None and item.locks_at > utcnow()
    sock = phone(session)
    criterion = session.criteria[0].id
    payload = {"skill_id": item.skill_id, "criterion_id": criterion, "value": 3}
    assert ack(sock, "submit_rating", payload, P)["ok"]
    item.locks_at = utcnow() - timedelta(seconds=1)  # time passes
    db.session.commit()
    assert ack(sock, "submit_rating", {**payload, "value": 1}, P)["error"] == "item_locked"
    assert db.session.get(Rating, 1).value == 3


def test_revote_starts_a_new_round_and_keeps_the_old_one(make_session, facilitator_socket, phone):
    session = make_session(state="live", criteria=["relevance"])
    fac = facilitator_socket(session)
    skill = session.items[0].skill_id
    criterion = session.criteria[0].id
    ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)
    sock = phone(session)
    ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 1}, P)
    ack(fac, "reveal_item", {"code": session.code, "skill_id": skill}, F)
    reply = ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    assert reply == {"ok": True, "skill_id": skill, "round": 2}
    assert received(sock, P, "session_updated")[-1]["items"][0]["revealed"] is False
    assert ack(sock, "sync", {}, P)["answers"] == {}  # the new round starts empty on the phone
    again = ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": 4}, P)
    assert again["round"] == 2
    assert sorted((r.round, r.value) for r in db.session.query(Rating)) == [(1, 1), (2, 4)]
    latest = received(fac, F, "results_updated")[-1]["items"][0]
    assert latest["round"] == 2 and latest["criteria"][str(criterion)]["n"] == 1


def test_decisions_need_a_reason_and_can_change(make_session, facilitator_socket):
    session = make_session(state="live")
    fac = facilitator_socket(session)
    skill = session.items[1].skill_id
    missing = ack(fac, "record_decision", {"code": session.code, "skill_id": skill, "action": "keep"}, F)
    assert missing["error"] == "validation_error"
    bad = ack(
        fac, "record_decision", {"code": session.code, "skill_id": skill, "action": "drop", "reason": "x"}, F
    )
    assert bad["error"] == "validation_error"
    ok = ack(
        fac,
        "record_decision",
        {"code": session.code, "skill_id": skill, "action": "revise", "reason": "Definition too broad"},
        F,
    )
    assert ok["ok"] and ok["action"] == "revise"
    ack(
        fac,
        "record_decision",
        {"code": session.code, "skill_id": skill, "action": "keep", "reason": "Re-voted"},
        F,
    )
    assert [d["action"] for d in moderation.decisions(session)] == ["keep"]


def test_comment_moderation(make_session, facilitator_socket, phone):
    session = make_session(state="live", pacing="self")
    sock = phone(session)
    skill = session.items[0].skill_id
    ack(sock, "submit_comment", {"skill_id": skill, "text": "Too vague"}, P)
    fac = facilitator_socket(session)
    comment = ack(fac, "sync", {"code": session.code}, F)["comments"][0]
    for state in ("starred", "hidden", "visible"):
        reply = ack(
            fac, "moderate_comment", {"code": session.code, "comment_id": comment["id"], "state": state}, F
        )
        assert reply["state"] == state
    assert (
        ack(fac, "moderate_comment", {"code": session.code, "comment_id": comment["id"], "state": "gone"}, F)[
            "error"
        ]
        == "bad_payload"
    )
    # Deleting by sending empty text.
    assert ack(sock, "submit_comment", {"skill_id": skill, "text": "  "}, P) == {
        "ok": True,
        "skill_id": skill,
        "text": "",
    }
    assert ack(fac, "sync", {"code": session.code}, F)["comments"] == []


def test_profile_answers_must_be_options(make_session):
    session = make_session(state="open")
    with pytest.raises(ValidationError):
        participation.join(session.code, True, {"sector": "Pirates"})
    participant, _token = participation.join(session.code, True, {"sector": "Expert", "name": "Ann"})
    assert participant.profile == {"sector": "Expert"}  # unknown questions are not stored


def test_locked_item_keeps_answers(make_session, phone):
    session = make_session(state="live")
    skill = session.items[0].skill_id
    sessions.open_item(session, skill)
    sock = phone(session)
    ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": session.criteria[0].id, "value": 2}, P)
    sessions.lock_item(session, skill)
    participant = participation.authenticate(sock.token)
    with pytest.raises(ItemLockedError):
        participation.record_rating(
            participant, {"skill_id": skill, "criterion_id": session.criteria[0].id, "value": 4}
        )
    assert db.session.query(Rating).one().value == 2
