"""The group-commit writer on PostgreSQL, where a batch is written as one statement (`unnest`).

The batch tests of test_rating_writer.py, run again on a throwaway PostgreSQL database: a
batch that changes one answer twice, seq deciding, a refused rating among others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from models import db
from tests.integration.test_multiprocess import database, services  # noqa: F401
from tests.integration.test_rating_writer import (  # noqa: F401  (collected again, on PostgreSQL)
    room,
    test_a_batch_applies_in_order_and_the_highest_seq_wins,
    test_a_hidden_reason_its_author_rewrites_is_shown_again,
    test_one_batch_changing_an_answer_and_back_marks_it_changed,
    test_one_batch_rewriting_a_hidden_reason_twice_ends_as_two_batches_would,
    test_one_refused_rating_does_not_stop_the_others,
)
from tests.live import postgres_app

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def app(database: str, tmp_path: Any) -> Iterator[Flask]:  # noqa: F811  (conftest's, on PostgreSQL)
    app = postgres_app(database, tmp_path / "instance")
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_batch_is_one_statement_on_postgresql(app: Flask, room: dict[str, Any]) -> None:  # noqa: F811
    from sqlalchemy import event

    from services import rating_writer
    from tests.integration.test_rating_writer import _write

    statements: list[tuple[str, bool]] = []  # (statement, executemany)
    listen = lambda *args: statements.append((args[2], args[5]))  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        rating_writer.apply_batch([_write(room, who, 3, seq=who + 1) for who in range(3)])
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    db.session.commit()
    inserts = [many for statement, many in statements if statement.startswith("INSERT INTO ratings")]
    assert inserts == [False]  # one statement, not psycopg's executemany (one statement per row)


def test_a_rating_of_a_round_that_moved_on_meanwhile_raises_the_revision(
    app: Flask,
    room: dict[str, Any],  # noqa: F811
) -> None:
    """Another process starts round 2 between the writer's read of the items and its commit, and
    a phone syncing meanwhile has round 1's feedback kept for the new revision, without the rating
    then committed under round 1. The writer's check after its commit raises the revision: the
    feedback is computed again, with the rating (services/feedback.py)."""
    import threading

    from sqlalchemy import update

    from models import LiveSession, SessionItem, revision_bump
    from services import feedback, rating_writer
    from tests.integration.test_rating_writer import _write

    session_id, skill, criterion = room["session"].id, room["skills"][0], str(room["criterion"])
    outcomes = rating_writer.apply_batch([_write(room, 0, 4)])  # read round 1; not committed yet
    with db.engine.begin() as other:  # another process: a new round for the skill, committed first
        other.execute(
            update(SessionItem)
            .where(SessionItem.session_id == session_id, SessionItem.skill_id == skill)
            .values(round=2)
        )
        other.execute(revision_bump({session_id}))
    seen: list[dict[int, Any]] = []

    def phone_syncs() -> None:  # a sync served meanwhile, on its own connection
        with app.app_context():
            seen.append(feedback.group_feedback(db.session.get_one(LiveSession, session_id)))
            db.session.remove()

    thread = threading.Thread(target=phone_syncs)
    thread.start()
    thread.join()
    assert seen[0][skill]["criteria"][criterion]["n"] == 0  # kept: the rating was not committed
    rating_writer.durable_commit()
    rating_writer.settle_late_rounds(outcomes)  # as the writer does after its commit
    session = db.session.get_one(LiveSession, session_id)
    assert feedback.group_feedback(session)[skill]["criteria"][criterion]["n"] == 1
    assert feedback.group_feedback(session) == feedback.summarize_rounds(session)
