"""Queries whose plans stay linear when PostgreSQL's statistics predate the session (issue 16).

The tables are analysed while an earlier, small session is all they hold; then a bigger session
is held. The planner expects about one row of the new session, and a join of its ratings (or
list answers) with session_items (or questions) became a scan of that whole table per rating,
or a phone's own answers were found by reading the whole session's. Each test bounds the rows
the statements visit (tests/integration/plan_cost.py), as a multiple of the session's rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from models import Answer, LiveSession, Participant, Rating, db
from services import feedback, frameworks, participation, prioritisation, results, sessions, users
from services.rating_writer import RatingWrite, apply_batch
from tests.integration.plan_cost import costs
from tests.live import postgres_app, postgres_database

pytestmark = [pytest.mark.postgres]

PHONES = 40


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, int, int]]:
    """An app on a throwaway database: a small session, ANALYZE, then the measured session."""
    with postgres_database() as url:
        app = postgres_app(url, tmp_path_factory.mktemp("plans") / "instance")
        with app.app_context():
            db.create_all()
            for table in db.metadata.sorted_tables:  # only our ANALYZE, whatever the server's autovacuum
                db.session.execute(db.text(f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false)'))
            user = users.create_user("facilitator@example.org", "plans-password-1", "facilitator")
            earlier = _hold(user, 5)
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
            session_id = _hold(user, PHONES)
            _fill_answers(session_id)
            db.session.remove()
            yield app, session_id, earlier
            db.session.remove()
            db.engine.dispose()


def _hold(user: Any, phones: int) -> int:
    """A meeting: three criteria, four skills answered, the first re-voted, a list question answered."""
    rng = random.Random(phones)
    session = sessions.create_session(
        user,
        sessions.SessionInput(
            title="Plans",
            framework_id=frameworks.ensure_example_framework().id,
            criteria=["relevance", "importance", "clarity"],
            round_settings={"feedback": ["median"]},
            questions=[prioritisation.QuestionSpec("pick", "Indispensable?", {"k": 2})],
        ),
    )
    sessions.set_state(session, "open")
    people = [participation.join(session.code, True, {})[0] for _ in range(phones)]
    sessions.set_state(session, "live")
    items = sorted(session.items, key=lambda i: i.skill.position)

    def answer(skill_id: int) -> None:
        apply_batch(
            [
                RatingWrite(p.id, session.id, skill_id, c.id, rng.randint(c.scale_min, c.scale_max), 1)
                for p in people
                for c in session.criteria
            ]
        )
        db.session.commit()

    for item in items[:4]:
        sessions.open_item(session, item.skill_id)
        answer(item.skill_id)
    sessions.revote_item(session, items[0].skill_id)
    answer(items[0].skill_id)
    question = prioritisation.questions_of(session.id)[0]
    prioritisation.open_question(session, question.id)
    for person in people:
        picks = [i.skill_id for i in rng.sample(items, 2)]
        prioritisation.record_answer(person, {"question_id": question.id, "value": {"picks": picks}})
    return session.id


def _fill_answers(session_id: int) -> None:
    """Many pages of list answers: the session's question answered in 49 earlier rounds (a table
    of one page is read whole whatever its indexes, and rightly)."""
    db.session.execute(
        db.text(
            "INSERT INTO answers (session_id, participant_id, question_id, round, value, first_at, last_at) "
            "SELECT a.session_id, a.participant_id, a.question_id, r, a.value, a.first_at, a.last_at "
            "FROM answers a, generate_series(2, 50) r WHERE a.session_id = :id"
        ),
        {"id": session_id},
    )
    db.session.commit()


def _visited(run: Any, table: str) -> int:
    """Rows visited by the statements `run` sends that read `table`."""
    return sum(c.visited for c in costs(db.engine, run, lambda s: f"FROM {table}" in s))


def _count(model: Any, session_id: int) -> int:
    return db.session.scalar(db.select(db.func.count()).where(model.session_id == session_id)) or 0


def test_the_statistics_predate_the_measured_session(meeting: tuple[Flask, int, int]) -> None:
    app, session_id, _earlier = meeting
    with app.app_context():
        known = db.session.execute(
            db.text(
                "SELECT coalesce(most_common_vals::text, '') || coalesce(histogram_bounds::text, '') "
                "FROM pg_stats WHERE tablename = 'ratings' AND attname = 'session_id'"
            )
        ).scalar_one()
        assert known and str(session_id) not in known.strip("{}").split(",")


@pytest.mark.parametrize(
    ("name", "read", "model", "table"),
    [
        ("completion, ratings", results.completion, Rating, "ratings"),
        ("completion, list answers", results.completion, Answer, "answers"),
        ("group feedback", feedback.group_feedback, Rating, "ratings"),
    ],
)
def test_a_sessions_figures_visit_its_answers_a_few_times_at_most(
    meeting: tuple[Flask, int, int], name: str, read: Any, model: Any, table: str
) -> None:
    """Completion (every push and sync) and the Delphi group feedback read the measured
    session's rows a few times at most, whatever the stale statistics say."""
    app, session_id, _earlier = meeting
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        assert session is not None
        rows = _count(model, session_id)
        visited = _visited(lambda: read(session), table)
        assert visited <= 3 * rows, (name, visited, rows)


def test_a_phones_own_previous_answers_are_read_by_participant(meeting: tuple[Flask, int, int]) -> None:
    """Each of a thousand phones' syncs read the whole session's answers: quadratic in the room."""
    app, session_id, _earlier = meeting
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        person = db.session.scalar(db.select(Participant).where(Participant.session_id == session_id))
        assert session is not None and person is not None
        own = db.session.scalar(db.select(db.func.count()).where(Rating.participant_id == person.id)) or 0
        previous = feedback.own_previous(person.id, session)
        assert sum(len(v) for v in previous.values()) == 3  # the first round of the re-voted skill
        visited = _visited(lambda: feedback.own_previous(person.id, session), "ratings")
        assert visited <= 3 * own, (visited, own)


def test_a_questions_results_read_its_own_answers(meeting: tuple[Flask, int, int]) -> None:
    """Every push of a question's results read every session's list answers (and every round's)."""
    app, session_id, _earlier = meeting
    with app.app_context():
        question = prioritisation.questions_of(session_id)[0]
        own = db.session.scalar(
            db.select(db.func.count()).where(Answer.question_id == question.id, Answer.round == 1)
        )
        assert own == PHONES
        visited = _visited(lambda: prioritisation.question_results(question), "answers")
        assert visited <= 3 * own, (visited, own)
