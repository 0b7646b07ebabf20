"""The live results' queries stay linear on PostgreSQL without planner statistics.

A new database (or statistics older than a new session) makes the planner estimate one row for
the session's ratings. The results query used to join the ratings to an aggregate over the
ratings (each item's current round); so estimated, PostgreSQL ran the aggregate once per rating:
1.4 s for 2,916 ratings, at every dashboard push of a multi-process deployment
(bench/README.md). Rows visited are counted from EXPLAIN ANALYZE, not timed.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import event, insert, text

from models import Participant, Rating, SessionItem, db, utcnow
from services import meeting_stats, results
from tests.integration.test_multiprocess import database, services  # noqa: F401
from tests.integration.test_rating_writer_postgresql import app  # noqa: F401  (on PostgreSQL, no statistics)

pytestmark = [pytest.mark.postgres]

PEOPLE = 300


def _rows_visited(statement: str, parameters: Any) -> int:
    """Rows that the plan's nodes produced, loops included (EXPLAIN ANALYZE, which runs it)."""
    connection = db.session.connection().connection.dbapi_connection
    assert isinstance(connection, psycopg.Connection)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        (plan,) = cursor.fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)

    def visited(node: dict[str, Any]) -> int:
        own = int(node.get("Actual Rows", 0)) * int(node.get("Actual Loops", 1))
        return own + sum(visited(child) for child in node.get("Plans", []))

    return visited(plan[0]["Plan"])


def _statements(run: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return seen


def test_live_results_and_meeting_figures_visit_each_rating_a_few_times_at_most(
    app: Flask,  # noqa: F811  (the PostgreSQL app, imported above)
    make_session: Any,
) -> None:
    session = make_session(state="live", criteria=["relevance", "importance", "clarity"])
    skills = [item.skill_id for item in session.items][:2]
    now = utcnow()
    people = db.session.scalars(
        insert(Participant).returning(Participant.id),
        [
            {"session_id": session.id, "number": n, "token_hash": f"{n:064d}", "profile": {}}
            for n in range(PEOPLE)
        ],  # fmt: skip
    ).all()
    rows = [
        {
            "session_id": session.id,
            "participant_id": person,
            "skill_id": skill,
            "criterion_id": criterion.id,
            "round": 1,
            "value": criterion.scale_min + person % 3,
            "first_at": now,
            "last_at": now,
        }  # fmt: skip
        for person in people
        for skill in skills
        for criterion in session.criteria
    ]
    # a re-vote of the first skill, answered by a third of the panel: its round 2 is current
    third = set(people[: PEOPLE // 3])
    rows += [{**r, "round": 2} for r in rows if r["skill_id"] == skills[0] and r["participant_id"] in third]
    db.session.execute(insert(Rating), rows)
    db.session.query(SessionItem).filter_by(session_id=session.id, skill_id=skills[0]).update({"round": 2})
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename = 'ratings'")) == 0

    figures: list[Any] = []
    statements = _statements(lambda: figures.extend(results.item_results(session)))
    statements += _statements(lambda: figures.append(meeting_stats._current_ratings(session)))
    # the figures are right: round 2 of the first skill (a third of the panel), round 1 of the second
    by_skill = {entry["skill_id"]: entry for entry in figures[:-1]}
    first = next(iter(by_skill[skills[0]]["criteria"].values()))
    second = next(iter(by_skill[skills[1]]["criteria"].values()))
    assert (by_skill[skills[0]]["round"], first["n"]) == (2, PEOPLE // 3)
    assert (by_skill[skills[1]]["round"], second["n"]) == (1, PEOPLE)
    assert len(figures[-1]) == (PEOPLE // 3 + PEOPLE) * len(session.criteria)
    for statement, parameters in statements:
        # a few passes over the session's ratings at most (the old join: one per rating)
        assert _rows_visited(statement, parameters) <= 8 * len(rows), statement
