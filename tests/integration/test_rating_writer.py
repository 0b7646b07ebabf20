"""The group-commit writer: many ratings per transaction, each acknowledged only after its commit."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text, update

from domain.errors import DomainError, ItemLockedError, SessionClosedError, UnknownItemError
from models import Rating, db
from services import participation, rating_writer, sessions
from services.rating_writer import RatingWrite, RecordedRating


@pytest.fixture
def room(make_session: Any, make_participant: Any) -> dict[str, Any]:
    session = make_session(state="live", pacing="self")
    people = [make_participant(session)[0] for _ in range(3)]
    return {
        "session": session,
        "people": people,
        "skills": [i.skill_id for i in session.items],
        "criterion": session.criteria[0].id,
    }


def _write(
    room: dict[str, Any], who: int, value: int | None, seq: int | None = None, skill: int = 0
) -> RatingWrite:
    person = room["people"][who]
    return RatingWrite(person.id, person.session_id, room["skills"][skill], room["criterion"], value, seq)


def _stored(room: dict[str, Any]) -> dict[tuple[int, int], tuple[int | None, int | None]]:
    db.session.rollback()
    return {(r.participant_id, r.skill_id): (r.value, r.seq) for r in db.session.scalars(select(Rating))}


def _recorded(outcomes: list[RecordedRating | DomainError]) -> list[RecordedRating]:
    """The batch's outcomes, every one a stored answer (a refusal fails the test and shows it)."""
    assert all(isinstance(o, RecordedRating) for o in outcomes), outcomes
    return [o for o in outcomes if isinstance(o, RecordedRating)]


def test_sqlite_commits_are_durable_on_power_loss(app: Any) -> None:
    """WAL with synchronous=NORMAL may lose the last commits on power loss: FULL (2) it is."""
    assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_batch_applies_in_order_and_the_highest_seq_wins(room: dict[str, Any]) -> None:
    batch = [
        _write(room, 0, 1),
        _write(room, 0, 4),  # no seq: the later in the batch wins
        _write(room, 1, 3, seq=9),
        _write(room, 1, 1, seq=5),  # older answer arriving late: superseded
        _write(room, 2, 2, seq=5),
        _write(room, 2, None, seq=6),
    ]
    outcomes = rating_writer.apply_batch(batch)
    db.session.commit()
    assert [o.superseded for o in outcomes if isinstance(o, RecordedRating)] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]
    assert _recorded(outcomes)[3].value == 3  # the ack of a superseded rating carries the answer kept
    ids = [p.id for p in room["people"]]
    skill = room["skills"][0]
    assert _stored(room) == {(ids[0], skill): (4, None), (ids[1], skill): (3, 9), (ids[2], skill): (None, 6)}


def test_one_refused_rating_does_not_stop_the_others(room: dict[str, Any]) -> None:
    sessions.lock_item(room["session"], room["skills"][1])
    batch = [_write(room, 0, 2), _write(room, 1, 2, skill=1), _write(room, 2, 99)]
    outcomes = rating_writer.apply_batch(batch)
    db.session.commit()
    assert isinstance(outcomes[0], RecordedRating)
    assert isinstance(outcomes[1], ItemLockedError)
    refused = outcomes[2]
    assert isinstance(refused, DomainError) and refused.code == "invalid_value"
    bad_criterion = RatingWrite(room["people"][0].id, room["session"].id, room["skills"][0], 10**6, 1, None)
    assert isinstance(rating_writer.apply_batch([bad_criterion])[0], UnknownItemError)
    assert len(_stored(room)) == 1


def test_concurrent_taps_share_commits_and_each_ack_follows_its_commit(
    room: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taps queued while a commit runs go into the next one; no ack before its row is committed."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's
    writer = rating_writer.writer()
    gate = threading.Event()
    real_commit = rating_writer.durable_commit
    sizes: list[int] = []
    real_apply = rating_writer.apply_batch

    def slow_commit(conn: Any = None) -> None:
        gate.wait(5)  # the first commit waits until every tap is queued
        real_commit(conn)

    def counting_apply(writes: list[RatingWrite], conn: Any = None) -> Any:
        sizes.append(len(writes))
        return real_apply(writes, conn)

    def committed(person_id: int, skill_id: int) -> bool:
        with db.engine.connect() as conn:  # a connection of its own: sees only what is committed
            query = select(Rating.id).filter_by(participant_id=person_id, skill_id=skill_id)
            return conn.execute(query).first() is not None

    monkeypatch.setattr(rating_writer, "durable_commit", slow_commit)
    monkeypatch.setattr(rating_writer, "apply_batch", counting_apply)
    people, acked = room["people"], []

    def tap(index: int) -> None:
        person, skill = people[index % 3], room["skills"][index // 3]
        with app.app_context():
            payload = {"skill_id": skill, "criterion_id": room["criterion"], "value": 2}
            participation.record_rating(person, payload)
            acked.append(committed(person.id, skill))

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while sum(sizes) + len(writer._queue) < 12 and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert acked == [True] * 12  # every ack came after its own row was committed
    assert writer.written == 12 and writer.batches == len(sizes) <= 3  # not one commit per tap


def test_a_failed_commit_is_never_acknowledged(room: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: Any = None) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(rating_writer, "durable_commit", broken)
    with pytest.raises(OSError):
        participation.record_rating(
            room["people"][0], {"skill_id": room["skills"][0], "criterion_id": room["criterion"], "value": 2}
        )
    monkeypatch.undo()
    assert _stored(room) == {}


def test_a_batch_whose_commit_fails_is_written_again_rating_by_rating(
    room: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's commit fails (a database restarted under load): no rating of it is acknowledged
    on the strength of the batch; each is written again alone and acknowledged after its own
    commit, or refused if that fails too."""
    from services.rating_writer import _Pending

    real_commit, calls = rating_writer.durable_commit, []

    def first_fails(conn: Any = None) -> None:
        calls.append(conn)
        if len(calls) == 1:
            raise OSError("server closed the connection unexpectedly")
        real_commit(conn)

    monkeypatch.setattr(rating_writer, "durable_commit", first_fails)
    batch = [_Pending(_write(room, who, 2 + who)) for who in range(3)]
    rating_writer.writer()._commit(batch)
    assert [p.error for p in batch] == [None] * 3 and len(calls) == 4  # the batch, then each alone
    assert [p.result.value for p in batch if p.result] == [2, 3, 4]
    assert _stored(room) == {(room["people"][w].id, room["skills"][0]): (2 + w, None) for w in range(3)}

    def always_fails(conn: Any = None) -> None:
        raise OSError("server closed the connection unexpectedly")

    monkeypatch.setattr(rating_writer, "durable_commit", always_fails)
    again = [_Pending(_write(room, who, 1)) for who in range(3)]
    rating_writer.writer()._commit(again)
    assert all(p.result is None and isinstance(p.error, OSError) for p in again)
    assert _stored(room) == {(room["people"][w].id, room["skills"][0]): (2 + w, None) for w in range(3)}


def test_the_hot_path_answers_like_the_other_handlers(room: dict[str, Any], phone: Any) -> None:
    """submit_rating skips Flask's request context, not the protocol: same acks and errors."""
    sock = phone(room["session"])
    payload = {"skill_id": room["skills"][0], "criterion_id": room["criterion"], "value": 3}
    assert sock.emit("submit_rating", payload, namespace="/participant", callback=True) == {
        "ok": True,
        "skill_id": room["skills"][0],
        "criterion_id": room["criterion"],
        "value": 3,
        "round": 1,
    }
    for bad in (None, [1], {"skill_id": "x"}, {**payload, "value": 9}):
        ack = sock.emit("submit_rating", bad, namespace="/participant", callback=True)
        assert ack["ok"] is False and ack["error"] in ("bad_payload", "invalid_value"), (bad, ack)
    two = sock.emit("submit_rating", payload, payload, namespace="/participant", callback=True)
    assert two["ok"] is False and two["error"] == "bad_payload"


def test_a_hidden_reason_its_author_rewrites_is_shown_again(room: dict[str, Any]) -> None:
    def said(who: int, value: int, reason: str) -> RatingWrite:
        return replace(_write(room, who, value), reason=reason)

    rating_writer.apply_batch([said(0, 1, "Whoever wrote this is a fool."), said(1, 1, "Too broad.")])
    db.session.execute(update(Rating).values(reason_hidden=True))  # the facilitator hid both
    db.session.commit()
    outcomes = rating_writer.apply_batch(
        [
            said(0, 2, "Whoever wrote this is a fool."),  # the same text with another answer: still hidden
            said(1, 2, "Too broad."),
            said(0, 2, "Small firms lack the budget."),  # rewritten: a text nobody has judged
        ]
    )
    db.session.commit()
    assert [(o.reason_hidden, o.reason_changed, o.reason_unhidden) for o in _recorded(outcomes)] == [
        (True, False, False),
        (True, False, False),
        (False, True, True),
    ]
    db.session.rollback()
    stored = {
        r.participant_id: (r.reason, r.reason_hidden, r.reason_changed)
        for r in db.session.scalars(select(Rating))
    }
    first, second = (p.id for p in room["people"][:2])
    assert stored == {
        first: ("Small firms lack the budget.", False, True),
        second: ("Too broad.", True, False),
    }


def test_one_batch_rewriting_a_hidden_reason_twice_ends_as_two_batches_would(room: dict[str, Any]) -> None:
    """A phone's quick edits can share a commit: the batch must leave what the writes one by one leave.

    PostgreSQL wrote a batch's last row per answer against the stored one, so hidden "A", then "B"
    and "A" in one batch stayed hidden (the facilitator never saw "B" go); SQLite, row by row,
    showed it again marked changed, as two batches do on both.
    """

    def said(who: int, value: int, reason: str | None) -> RatingWrite:
        return replace(_write(room, who, value), reason=reason)

    hidden = "Whoever wrote this is a fool."
    rating_writer.apply_batch([said(who, 1, hidden) for who in range(3)])
    db.session.execute(update(Rating).values(reason_hidden=True))  # the facilitator hid all three
    db.session.commit()
    outcomes = rating_writer.apply_batch(
        [
            said(0, 2, "Too broad."),
            said(0, 2, "Too broad for small firms."),  # rewritten twice: the last text stays
            said(1, 2, "Too broad."),
            said(1, 2, hidden),  # and back to the hidden text: still a rewrite of "Too broad."
            said(2, 2, None),  # an answer without a reason clears the text, hidden as it was
            said(2, 2, hidden),  # the hidden text again, after nothing: a new text
        ]
    )
    db.session.commit()
    assert [(o.reason_hidden, o.reason_changed, o.reason_unhidden) for o in _recorded(outcomes)] == [
        (False, True, True),  # shown again: the audit log notes it, once per hidden reason
        (False, True, False),
        (False, True, True),
        (False, True, False),
        (True, False, False),
        (False, True, True),
    ]
    db.session.rollback()
    stored = {
        r.participant_id: (r.reason, r.reason_hidden, r.reason_changed)
        for r in db.session.scalars(select(Rating))
    }
    first, second, third = (p.id for p in room["people"])
    assert stored == {
        first: ("Too broad for small firms.", False, True),
        second: (hidden, False, True),
        third: (hidden, False, True),
    }


def test_one_batch_changing_an_answer_and_back_marks_it_changed(room: dict[str, Any]) -> None:
    """`last_at` (when the answer last changed) as the writes one by one leave it: 1, then 2 and 1."""
    rating_writer.apply_batch([_write(room, 0, 1)])
    db.session.execute(update(Rating).values(last_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()
    rating_writer.apply_batch([_write(room, 0, 2), _write(room, 0, 1)])
    db.session.commit()
    db.session.rollback()
    assert db.session.scalars(select(Rating.last_at)).one() > datetime(2026, 1, 2, tzinfo=UTC)


def test_a_resend_of_the_stored_answer_is_recognised_and_not_written_again(room: dict[str, Any]) -> None:
    """Same seq, value and reason as stored (the ack was lost, the phone sends again): `repeated`."""
    first = _write(room, 0, 3, seq=7)
    assert [o.repeated for o in _recorded(rating_writer.apply_batch([first, first]))] == [False, True]
    db.session.commit()
    again = rating_writer.apply_batch([first, replace(first, value=4), replace(first, value=4, seq=8)])
    db.session.commit()
    assert [(o.repeated, o.superseded, o.value) for o in _recorded(again)] == [
        (True, False, 3),
        (False, False, 4),  # the same seq with another value is not a resend: written (arrival decides)
        (False, False, 4),
    ]
    assert _stored(room) == {(room["people"][0].id, room["skills"][0]): (4, 8)}


def test_a_resend_after_the_item_was_locked_is_acknowledged_when_its_answer_is_stored(
    room: dict[str, Any],
) -> None:
    """A phone whose ack was lost reconnects after the facilitator locked the item: its stored
    answer comes back `repeated`, not refused; another answer (or one never stored) is refused."""
    first = _write(room, 0, 3, seq=7)
    rating_writer.apply_batch([first])
    db.session.commit()
    sessions.lock_item(room["session"], room["skills"][0])
    db.session.commit()
    outcomes = rating_writer.apply_batch([first, replace(first, value=4, seq=8), _write(room, 1, 2, seq=1)])
    db.session.commit()
    assert isinstance(outcomes[0], RecordedRating) and outcomes[0].repeated and outcomes[0].value == 3
    assert isinstance(outcomes[1], ItemLockedError) and isinstance(outcomes[2], ItemLockedError)
    assert _stored(room) == {(room["people"][0].id, room["skills"][0]): (3, 7)}


def test_a_resend_whose_original_waits_for_its_commit_shares_that_commit(
    room: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone reconnects and sends again while its first connection's rating is still queued:
    one write, one commit, both handlers answered with its outcome."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's
    writer = rating_writer.writer()
    gate = threading.Event()
    real_commit = rating_writer.durable_commit
    applied: list[RatingWrite] = []
    real_apply = rating_writer.apply_batch

    def slow_commit(conn: Any = None) -> None:
        gate.wait(5)
        real_commit(conn)

    def counting_apply(writes: list[RatingWrite], conn: Any = None) -> Any:
        applied.extend(writes)
        return real_apply(writes, conn)

    monkeypatch.setattr(rating_writer, "durable_commit", slow_commit)
    monkeypatch.setattr(rating_writer, "apply_batch", counting_apply)
    write = _write(room, 0, 2, seq=11)
    outcomes: list[Any] = []

    def send() -> None:
        with app.app_context():
            outcomes.append(rating_writer.writer().write(write))

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while writer.joined + len(applied) + len(writer._queue) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert len(outcomes) == 3 and all(o.value == 2 and not o.repeated for o in outcomes)
    assert applied == [write] and writer.written == 1 and writer.joined == 2
    assert writer._waiting == {}  # answered: a later resend is read against the stored answer


def test_the_sqlite_upsert_stores_exactly_what_sqlalchemys_statement_stores(room: dict[str, Any]) -> None:
    """The writer runs the upsert's SQL with values it converts itself (_sqlite_upsert): the rows,
    timestamps included as SQLite keeps them, are those SQLAlchemy's own execution leaves."""
    people, skills, criterion = room["people"], room["skills"], room["criterion"]

    def rows(value: int | None, seq: int, reason: str | None, when: datetime) -> list[dict[str, Any]]:
        return [
            {"session_id": p.session_id, "participant_id": p.id, "skill_id": skills[0],
             "criterion_id": criterion, "round": 1, "value": value, "seq": seq + n, "reason": reason,
             "language": "fi", "first_at": when, "last_at": when}
            for n, p in enumerate(people)
        ]  # fmt: skip

    def by_sqlalchemy(batch: list[dict[str, Any]]) -> None:
        db.session.connection().execute(rating_writer._upsert_rating("sqlite"), batch)

    def by_the_writer(batch: list[dict[str, Any]]) -> None:
        conn = db.session.connection()
        sql, values = rating_writer._sqlite_upsert(conn.dialect, batch, batch[0]["first_at"])
        conn.exec_driver_sql(sql, values)

    stored = []
    for run in (by_sqlalchemy, by_the_writer):
        run(rows(2, 1, None, datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC)))
        run(rows(2, 5, "same value", datetime(2026, 11, 30, 12, 0, 1, tzinfo=UTC)))  # last_at stays
        run(rows(None, 9, None, datetime(2026, 11, 30, 13, 30, 2, 5, tzinfo=UTC)))  # can't judge: moves
        run(rows(4, 3, None, datetime(2026, 11, 30, 14, 0, tzinfo=UTC)))  # a lower seq: kept out
        stored.append(
            db.session.execute(
                text(
                    "SELECT participant_id, skill_id, criterion_id, round, value, seq, reason, "
                    "reason_hidden, reason_changed, language, CAST(first_at AS TEXT), "
                    "CAST(last_at AS TEXT) FROM ratings ORDER BY participant_id"
                )
            ).all()
        )
        db.session.rollback()
    assert len(stored[0]) == len(people)
    assert stored[1] == stored[0]


def test_criteria_changed_before_voting_are_the_ones_a_rating_is_checked_against(
    make_session: Any, make_participant: Any
) -> None:
    """The writer keeps each session's criteria between batches (one read less per batch): an edit
    of the set-up changes the session's revision, and the next batch reads them again."""
    session = make_session(state="open", pacing="self", criteria=["relevance", "importance"])
    person = make_participant(session)[0]
    skill = session.items[0].skill_id
    importance = next(c.id for c in session.criteria if c.key == "importance")
    # a tap in the lobby: refused (not live yet), but the session's criteria are read and kept
    (early,) = rating_writer.apply_batch([RatingWrite(person.id, session.id, skill, importance, 3, None)])
    db.session.commit()
    assert isinstance(early, DomainError)
    data = sessions.session_input(session)
    sessions.update_session(session, replace(data, criteria=["relevance", "clarity"]))
    clarity = next(c for c in session.criteria if c.key == "clarity")
    sessions.set_state(session, "live")
    outcomes = rating_writer.apply_batch(
        [
            RatingWrite(person.id, session.id, skill, clarity.id, clarity.scale_max, None),
            RatingWrite(person.id, session.id, skill, importance, 3, None),  # no longer asked
        ]
    )
    db.session.commit()
    assert isinstance(outcomes[0], RecordedRating) and outcomes[0].value == clarity.scale_max
    assert isinstance(outcomes[1], UnknownItemError)


def test_item_changes_between_batches_are_the_ones_a_rating_is_checked_against(room: dict[str, Any]) -> None:
    """The writer keeps each session's items between batches and reads only the session's version
    each batch: a lock, a re-vote, a reopened item, a closed session (each a change of the
    revision) are seen by the very next batch, as if the items were read every time."""
    session, skill = room["session"], room["skills"][0]

    def one(who: int, value: int) -> RecordedRating | DomainError:
        (outcome,) = rating_writer.apply_batch([_write(room, who, value)])
        db.session.commit()
        return outcome

    assert isinstance(one(0, 1), RecordedRating)  # the items are read and kept
    sessions.lock_item(session, skill)
    assert isinstance(one(1, 2), ItemLockedError)
    sessions.revote_item(session, skill)
    second = one(1, 3)
    assert isinstance(second, RecordedRating) and second.round == 2
    sessions.lock_item(session, skill, locked=False)
    assert isinstance(one(2, 4), RecordedRating)
    sessions.set_state(session, "closed")
    assert isinstance(one(0, 2), SessionClosedError)


@pytest.mark.parametrize("people, skills", [(1, 1), (3, 1), (3, 3), (3, 2)])
def test_the_stored_answers_read_is_exactly_the_batchs_answers(
    room: dict[str, Any], people: int, skills: int
) -> None:
    """On SQLite the writer reads the stored answers of exactly the batch's (person, skill,
    criterion), every round, straight through sqlite3: what the ORM reads for those keys."""
    writes = [_write(room, who, 1 + who, seq=who, skill=s) for who in range(3) for s in range(3)]
    _recorded(rating_writer.apply_batch(writes))
    db.session.commit()
    sessions.revote_item(room["session"], room["skills"][0])
    _recorded(rating_writer.apply_batch([_write(room, 0, 4, seq=9)]))  # round 2 of one answer
    db.session.commit()
    batch = [_write(room, who, 1, skill=who % skills) for who in range(people)]  # not every pair
    keys = {(w.participant_id, w.skill_id, w.criterion_id) for w in batch}
    expected = {
        (r.participant_id, r.skill_id, r.criterion_id, r.round): (r.seq, r.value, r.reason)
        for r in db.session.scalars(select(Rating))
        if (r.participant_id, r.skill_id, r.criterion_id) in keys
    }
    found = rating_writer._stored_answers(db.session.connection(), batch)
    assert found == expected and len(found) == people + 1


def test_a_plain_read_returns_what_sqlalchemy_returns(room: dict[str, Any], make_session: Any) -> None:
    """The sessions' versions are read straight through sqlite3, compiled once per length of the
    list: the same rows, in the same order, as SQLAlchemy's execute of the same statement."""
    others = [make_session(state="live").id for _ in range(2)]
    conn = db.session.connection()
    for ids in ([room["session"].id], [others[1], room["session"].id, others[0]], [others[0], 10**6]):
        lists = {"sessions": ids}
        statement = rating_writer._versions_query()
        direct = [tuple(row) for row in rating_writer._plain_rows(conn, statement, lists)]
        assert direct == [tuple(row) for row in conn.execute(statement, lists)]
        assert len(direct) == len([i for i in ids if i != 10**6])


def test_a_plain_read_refuses_columns_that_need_converting(app: Any) -> None:
    from sqlalchemy import bindparam

    from models import LiveSession

    statement = select(LiveSession.id, LiveSession.state).where(
        LiveSession.id.in_(bindparam("sessions", expanding=True))
    )
    with pytest.raises(TypeError, match="state"):
        list(rating_writer._plain_rows(db.session.connection(), statement, {"sessions": [1]}))
