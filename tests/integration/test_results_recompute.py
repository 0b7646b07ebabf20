"""Results recomputed from the database (several processes keep no tally) read counts, not answers."""

from __future__ import annotations

from typing import Any

import pytest

from models import LiveSession, db
from services import participation
from services import results as results_service


def test_a_recompute_reads_one_row_per_value_given_not_one_per_answer(
    make_session: Any, make_participant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = make_session(state="live", pacing="self")
    skill, criterion, session_id = session.items[0].skill_id, session.criteria[0].id, session.id
    values = [1, 2, 2, 3, 3, 3, "cant_judge", 4, 4, 4, 4, 1]
    for value in values:
        person = make_participant(session)[0]
        participation.record_rating(person, {"skill_id": skill, "criterion_id": criterion, "value": value})
    db.session.expire_all()
    session = db.session.get(LiveSession, session_id)
    assert session is not None

    rows_read: list[tuple[str, int]] = []
    real_execute = db.session.execute

    def counting(statement: Any, *args: Any, **kwargs: Any) -> Any:
        frozen = real_execute(statement, *args, **kwargs).freeze()
        rows_read.append((str(statement), len(frozen.data)))
        return frozen()

    monkeypatch.setattr(db.session, "execute", counting)
    (figures,) = results_service.item_results(session, {skill})
    monkeypatch.undo()

    answers = [n for sql, n in rows_read if "ratings.value" in sql and "FROM ratings" in sql]
    assert answers == [5]  # values 1, 2, 3, 4 and can't judge: five rows for twelve answers
    summary = figures["criteria"][str(criterion)]
    assert (summary["n"], summary["n_abstain"]) == (11, 1)
    assert summary["median"] == 3
