"""The group feedback kept per session and revision: computed once for a room's syncs, and after
every kind of change the same as computed afresh."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from models import LiveSession, Rating, db
from services import erasure, feedback, rating_writer
from tests.conftest import ack

F, P = "/facilitator", "/participant"


def _fresh(code: str) -> dict[str, Any]:
    """The feedback computed now from the database, as a phone receives it (JSON keys)."""
    db.session.expire_all()
    session = db.session.scalar(db.select(LiveSession).filter_by(code=code))
    assert session is not None
    return {str(k): v for k, v in feedback.summarize_rounds(session).items()}


def _synced(sock: Any) -> dict[str, Any]:
    items = ack(sock, "sync", {}, P)["session"]["items"]
    return {str(i["skill_id"]): i["feedback"] for i in items if i["feedback"] is not None}


def _room(make_session, facilitator_socket, phone):
    """Three phones answered round 1 of two skills (with reasons), then round 2 started."""
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    code, fac = session.code, facilitator_socket(session)
    skills = [i.skill_id for i in session.items][:2]
    criterion = session.criteria[0].id
    phones = [phone(session) for _ in range(3)]
    for n, sock in enumerate(phones):
        for skill in skills:
            answer = {"skill_id": skill, "criterion_id": criterion, "value": n + 2, "reason": f"Because {n}."}
            assert ack(sock, "submit_rating", answer, P)["ok"]
    assert ack(fac, "start_round", {"code": code, "scope": "all"}, F)["ok"]
    return code, fac, phones, skills, criterion


def test_a_rooms_syncs_compute_the_feedback_once(make_session, facilitator_socket, phone, monkeypatch):
    """Each phone's sync carried the feedback computed again from the session's ratings: a room
    reconnecting at once cost N times the session. Now once per revision."""
    code, _fac, phones, _skills, _criterion = _room(make_session, facilitator_socket, phone)
    calls = []
    real = feedback.summarize
    monkeypatch.setattr(feedback, "summarize", lambda *a, **k: calls.append(1) or real(*a, **k))
    synced = [_synced(sock) for sock in phones * 3]
    assert calls == []  # computed once, for start_round's session_updated: nine syncs, none
    assert synced == [_fresh(code)] * 9
    assert len(calls) == len(synced[0])  # _fresh's: once per skill (x its one criterion) in round 2


def test_the_kept_feedback_follows_every_change(make_session, facilitator_socket, phone):
    """After each kind of change, what a phone receives equals the feedback computed afresh."""
    code, fac, phones, skills, criterion = _room(make_session, facilitator_socket, phone)

    def same() -> dict[str, Any]:
        synced = _synced(phones[0])
        assert synced == _fresh(code)
        return synced

    before = same()
    # An answer of the open round changes nothing of the closed round's.
    ack(phones[1], "submit_rating", {"skill_id": skills[0], "criterion_id": criterion, "value": 1}, P)
    assert same() == before
    # The facilitator hides a reason, then gives it back.
    hide = {"code": code, "participant": "P01", "skill_id": skills[0], "criterion_id": criterion, "round": 1}
    assert ack(fac, "hide_reason", {**hide, "hidden": True}, F)["ok"]
    assert same() != before
    assert ack(fac, "hide_reason", {**hide, "hidden": False}, F)["ok"]
    assert same() == before
    # A rating of round 1 stored after round 2 started (another process's writer read the items
    # before the new round and committed after it): the writer's check after its commit.
    session_id = db.session.scalar(db.select(LiveSession.id).filter_by(code=code))
    db.session.execute(
        update(Rating)
        .where(Rating.session_id == session_id, Rating.skill_id == skills[1], Rating.round == 1)
        .values(value=1)
    )
    db.session.commit()
    late = rating_writer.RecordedRating(session_id, skills[1], criterion, 1, 1)
    rating_writer.settle_late_rounds([late])
    changed = same()
    assert changed[str(skills[1])]["criteria"][str(criterion)]["median"] == 1
    # A participant removed by the facilitator, another withdrawing.
    assert ack(fac, "remove_participant", {"code": code, "participant": "P02"}, F)["ok"]
    same()
    session = db.session.get(LiveSession, session_id)
    assert session is not None
    erasure.withdraw(erasure.find_participant(session, "P03"))
    assert same()[str(skills[0])]["criteria"][str(criterion)]["n"] == 1
    # Another round: the feedback is now round 2's; a re-vote of one skill, round 3's for it.
    assert ack(fac, "start_round", {"code": code, "scope": "all"}, F)["ok"]
    assert {f["round"] for f in same().values()} == {2}
    assert ack(fac, "revote_item", {"code": code, "skill_id": skills[0]}, F)["ok"]
    assert same()[str(skills[0])]["round"] == 3


def test_a_late_rating_bumps_the_revision_only_when_its_round_moved_on(make_session, phone):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    revision = session.revision
    rating_writer.settle_late_rounds([rating_writer.RecordedRating(session.id, skill, criterion, 3, 1)])
    db.session.expire_all()
    assert session.revision == revision  # the round it was written for is still open
    rating_writer.settle_late_rounds([rating_writer.RecordedRating(session.id, skill, criterion, 3, 0)])
    db.session.expire_all()
    assert session.revision == revision + 1


def test_nothing_is_kept_under_a_revision_that_is_not_committed(make_session, facilitator_socket, phone):
    """A change read before its commit and then rolled back: its revision number goes to the
    next change, which must not find the rolled-back change's feedback kept under it."""
    code, fac, phones, skills, criterion = _room(make_session, facilitator_socket, phone)
    session = db.session.scalar(db.select(LiveSession).filter_by(code=code))
    assert session is not None
    next(i for i in session.items if i.skill_id == skills[0]).round = 3  # feeds back round 2: nobody
    session.bump_revision()  # not flushed yet: the revision is a SQL expression, not a number
    assert feedback.group_feedback(session)[skills[0]]["criteria"][str(criterion)]["n"] == 0
    db.session.flush()
    assert feedback.group_feedback(session)[skills[0]]["criteria"][str(criterion)]["n"] == 0
    db.session.rollback()
    hide = {"code": code, "participant": "P01", "skill_id": skills[0], "criterion_id": criterion, "round": 1}
    assert ack(fac, "hide_reason", {**hide, "hidden": True}, F)["ok"]  # the same revision number
    assert _synced(phones[0]) == _fresh(code)
