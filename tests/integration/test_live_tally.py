"""The dashboard's running tallies: the same figures as a full recompute, without re-reading ratings."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import event

from models import LiveSession, db
from services import erasure, live_tally, participation, rounds, sessions
from services import results as results_service


def _figures(session: LiveSession, tally: live_tally.SessionTally | None) -> dict[str, Any]:
    joined = results_service.participant_count(session.id)
    return {
        "items": results_service.item_results(session, None, tally, joined),
        "completion": results_service.completion(session, tally),
    }


def _check_same(session_id: int) -> None:
    """The tally kept since the last check gives exactly what the database gives."""
    db.session.expire_all()
    session = db.session.get(LiveSession, session_id)
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
    live = db.session.get(LiveSession, session_id)
    sessions.revote_item(live, skills[0])  # open round 2 of one skill: no answer yet
    _check_same(session_id)
    rate_some(40, skills[:2])  # round-2 answers supersede round 1 in the figures
    _check_same(session_id)
    live = db.session.get(LiveSession, session_id)
    rounds.start_session_round(live, None, skills[1:3])
    rate_some(60, skills)
    _check_same(session_id)
    live = db.session.get(LiveSession, session_id)
    erasure.remove_participant(live, "P03")  # their answers leave every figure
    people.pop(2)
    rate_some(30, skills)
    _check_same(session_id)
    sessions.lock_item(db.session.get(LiveSession, session_id), skills[3])
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
        session = db.session.get(LiveSession, session_id)
        figures = _figures(session, tally)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert not [s for s in statements if "FROM ratings" in s]
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
