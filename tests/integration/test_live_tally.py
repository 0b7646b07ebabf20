"""The dashboard's running tallies: the same figures as a full recompute, without re-reading ratings."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import event

from models import LiveSession, db
from services import erasure, live_tally, participation, rounds, sessions
from services import results as results_service


def _figures(session: LiveSession, tally: live_tally.SessionTally | None) -> dict[str, Any]:
    joined = results_service.participant_count(session.id, tally)  # the tally's people, or counted
    return {
        "participants": joined,
        "items": results_service.item_results(session, None, tally, joined),
        "completion": results_service.completion(session, tally),
    }


def _check_same(session_id: int) -> None:
    """The tally kept since the last check gives exactly what the database gives."""
    db.session.expire_all()
    session = db.session.get_one(LiveSession, session_id)
    assert session is not None
    kept = live_tally.tallies().get(session_id)
    assert _figures(session, kept) == _figures(session, None)


def test_running_figures_equal_a_full_recompute_through_a_meeting(
    make_session: Any, make_participant: Any
) -> None:
    session = make_session(state="live", pacing="self", criteria=["relevance", "importance", "clarity"])
    people = [make_participant(session)[0] for _ in range(12)]
    skills = [i.skill_id for i in session.items][:4]
    criteria = [(c.id, c.scale_min, c.scale_max) for c in session.criteria]
    session_id = session.id
    rng = random.Random(16)

    def rate_some(count: int, skill_pool: list[int]) -> None:
        for _ in range(count):
            person = rng.choice(people)
            criterion, low, high = rng.choice(criteria)
            value = rng.choice([*range(low, high + 1), participation.CANT_JUDGE])
            payload = {"skill_id": rng.choice(skill_pool), "criterion_id": criterion, "value": value}
            if rng.random() < 0.3:
                payload["seq"] = rng.randrange(1, 50)  # some arrive late and are superseded
            participation.record_rating(person, payload)

    _check_same(session_id)  # the tally is read now, then kept up to date by the writer
    rate_some(150, skills)
    _check_same(session_id)
    live = db.session.get_one(LiveSession, session_id)
    sessions.revote_item(live, skills[0])  # open round 2 of one skill: no answer yet
    _check_same(session_id)
    rate_some(40, skills[:2])  # round-2 answers supersede round 1 in the figures
    _check_same(session_id)
    live = db.session.get_one(LiveSession, session_id)
    rounds.start_session_round(live, None, skills[1:3])
    rate_some(60, skills)
    _check_same(session_id)
    live = db.session.get_one(LiveSession, session_id)
    erasure.remove_participant(live, "P03")  # their answers leave every figure
    people.pop(2)
    rate_some(30, skills)
    _check_same(session_id)
    sessions.lock_item(db.session.get_one(LiveSession, session_id), skills[3])
    _check_same(session_id)

    # Joins and phones going on and off line change the kept tally's people, not drop it.
    kept = live_tally.tallies().get(session_id)
    for step in range(6):
        live = db.session.get_one(LiveSession, session_id)
        people.append(make_participant(live)[0])
        for person in rng.sample(people, 4):
            participation.set_online(person, rng.random() < 0.6)
        rate_some(10, skills[:3])
        if step % 2:
            _check_same(session_id)
    assert live_tally.tallies().get(session_id) is kept
    _check_same(session_id)


def test_a_push_reads_no_rating_once_the_tally_is_kept(
    app: Any, make_session: Any, make_participant: Any
) -> None:
    """The writer's commits update the tally: the next push selects nothing from ratings."""
    session = make_session(state="live", pacing="self")
    person = make_participant(session)[0]
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    session_id = session.id
    live_tally.tallies().get(session_id)
    participation.record_rating(person, {"skill_id": skill, "criterion_id": criterion, "value": 3})

    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        tally = live_tally.for_session(session_id)
        assert tally is not None and tally.values(skill, criterion) == [3]
        session = db.session.get_one(LiveSession, session_id)
        figures = _figures(session, tally)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert not [s for s in statements if "FROM ratings" in s or "FROM participants" in s]
    assert figures["participants"] == 1
    assert figures["items"][0]["criteria"][str(criterion)]["n"] == 1
    assert figures["completion"]["participants"][0]["answered"] == 1


def test_another_write_to_ratings_drops_the_tally(app: Any, make_session: Any, make_participant: Any) -> None:
    session = make_session(state="live", pacing="self")
    person = make_participant(session)[0]
    skill, criterion, session_id = session.items[0].skill_id, session.criteria[0].id, session.id
    participation.record_rating(person, {"skill_id": skill, "criterion_id": criterion, "value": 3})
    kept = live_tally.tallies().get(session_id)
    assert live_tally.tallies().get(session_id) is kept
    db.session.execute(db.text("UPDATE ratings SET value = 1"))  # any path but the writer's
    assert live_tally.tallies().get(session_id) is not kept  # read again, not kept while uncommitted
    db.session.commit()
    db.session.remove()  # the connection goes back to the pool: tallies are kept again
    fresh = live_tally.tallies().get(session_id)
    assert fresh.values(skill, criterion) == [1]
    assert live_tally.tallies().get(session_id) is fresh


def test_several_processes_recompute_from_the_database(app: Any, make_session: Any) -> None:
    session = make_session(state="live", pacing="self")
    app.config["SB_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"
    assert live_tally.for_session(session.id) is None


def test_a_join_and_a_phone_going_online_keep_the_tally(
    app: Any, make_session: Any, make_participant: Any
) -> None:
    """A join and an online flip put the person into the kept tally: the next push reads no rating."""
    session = make_session(state="live", pacing="self")
    first = make_participant(session)[0]
    skill, criterion, session_id = session.items[0].skill_id, session.criteria[0].id, session.id
    participation.record_rating(first, {"skill_id": skill, "criterion_id": criterion, "value": 3})
    live_tally.tallies().get(session_id)
    second = make_participant(db.session.get_one(LiveSession, session_id))[0]
    participation.set_online(second, True)
    participation.set_online(first, True)
    participation.set_online(first, False)

    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        tally = live_tally.for_session(session_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert not [s for s in statements if "FROM ratings" in s]
    assert tally is not None
    assert tally.people == [(first.id, "P01", False), (second.id, "P02", True)]
    assert tally.values(skill, criterion) == [3]


def test_a_tally_read_while_a_join_is_uncommitted_is_not_kept(app: Any, make_session: Any) -> None:
    session_id = make_session(state="live", pacing="self").id
    with live_tally.person_write(session_id) as change:
        change.written(999, 7, True)  # as if its row were written, not yet committed
        assert live_tally.tallies().get(session_id) is not live_tally.tallies().get(session_id)
    kept = live_tally.tallies().get(session_id)
    assert live_tally.tallies().get(session_id) is kept
    with live_tally.person_write(session_id) as change:
        change.written(999, 7, True)
    assert kept.people == [(999, "P07", True)]  # put once committed


def test_two_flips_of_one_phone_put_in_the_wrong_order_keep_the_last_committed() -> None:
    tally = live_tally.SessionTally(open_round={}, people=[(1, "P01", False), (3, "P03", False)])
    tally.put_person(1, 1, True, ticket=5)
    tally.put_person(1, 1, False, ticket=4)  # committed first, put last
    tally.put_person(2, 2, False, ticket=6)  # a number between: kept in order
    tally.put_person(4, 10, True, ticket=7)
    tally.put_person(3, 3, True, ticket=8)
    assert tally.people == [(1, "P01", True), (2, "P02", False), (3, "P03", True), (4, "P10", True)]


def test_the_writer_keeps_no_tally_with_several_processes(
    app: Any, make_session: Any, make_participant: Any
) -> None:
    session = make_session(state="live", pacing="self")
    person = make_participant(session)[0]
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    kept = live_tally.tallies().get(session.id)
    app.config["SB_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"
    participation.record_rating(person, {"skill_id": skill, "criterion_id": criterion, "value": 3})
    assert kept.values(skill, criterion) == []
