"""Group commit for ratings: many phones' answers in one transaction, each acknowledged after it.

A handler hands its rating to the app's writer and waits. The writer (one background task per
process, running only while there is work) takes everything queued, checks it against the
session's state read once for the whole batch, writes each rating with one prebuilt upsert in
queue order, commits once, and only then releases the handlers with their outcome. So an ack
never precedes durability, a burst of 1,000 taps costs a handful of commits instead of 1,000,
and the state it checks against is the database's, so it is right across processes.

Order: ratings are applied in the order they were queued; Socket.IO handlers of one connection
run one after another (`async_handlers=False`), so one phone's taps are queued in the order
sent. Across connections a phone's `seq` decides: the upsert keeps the stored answer when the
incoming one carries a lower `seq` (acknowledged as `superseded`).

Resent answers: a phone that reconnects sends again every answer not yet acknowledged, with the
same `seq`. One whose original is still queued or being committed is not queued again: it waits
for the original's commit and gets its outcome. One whose original is stored already (the same
seq, value and reason) is recognised in the batch and written no second time (`repeated`): it
costs a read, no row and no push to the dashboard.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import Flask, current_app
from sqlalchemy import and_, bindparam, case, false, or_, select, text, update

from core.extensions import socketio
from core.offload import execute_sqlite
from domain.errors import (
    DomainError,
    InvalidValueError,
    ItemLockedError,
    ItemNotOpenError,
    SessionClosedError,
    SessionNotLiveError,
    UnknownItemError,
    Word,
)
from models import (
    Criterion,
    ItemStatus,
    LiveSession,
    Rating,
    SessionItem,
    SessionState,
    db,
    revision_bump,
    utcnow,
)
from services import live_tally
from services.rounds import asks_reasons, check_reason

log = logging.getLogger("soundingboard")
GATHER = 0.002  # seconds the writer lets taps gather before each commit
GATHER_SHARED_MAX = 0.05  # on PostgreSQL: at most this long, however slow the last batch (gather_time)
WAIT_LIMIT = 60.0  # seconds a handler waits for its commit before answering server_error


@dataclass(frozen=True)
class RatingWrite:
    """One tap, parsed: who, what, which value (None: can't judge), and the phone's seq if sent."""

    participant_id: int
    session_id: int
    skill_id: int
    criterion_id: int
    value: int | None
    seq: int | None
    reason: Any = None  # as sent: checked against the session's round rule (services/rounds.py)
    language: str = ""  # the language the phone showed the item in


@dataclass(frozen=True)
class RecordedRating:
    """What is stored now; `superseded`: a later answer (higher seq) was kept, `value` is it."""

    session_id: int
    skill_id: int
    criterion_id: int
    value: int | None
    round: int
    superseded: bool = False
    reason: str | None = None
    reason_asked: bool = False  # the round's reason rule applies (a reason may have been cleared)
    reason_hidden: bool = False  # the facilitator keeps the stored reason from the panel
    reason_changed: bool = False  # rewritten after the facilitator hid it, not judged since
    reason_unhidden: bool = False  # this write rewrote a hidden reason, which the panel sees again
    repeated: bool = False  # a resend of the stored answer (same seq, value, reason): nothing written


class _Pending:
    __slots__ = ("write", "done", "result", "error")

    def __init__(self, write: RatingWrite) -> None:
        self.write = write
        self.done = threading.Event()  # gevent's Event once run.py has patched threading
        self.result: RecordedRating | None = None
        self.error: BaseException | None = None


class RatingWriter:
    """The queue and the background task that drains it, one per app."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._waiting: dict[RatingWrite, _Pending] = {}  # queued or being committed, by what it writes
        self._running = False
        self.batches = 0  # commits made, for benchmarks and tests
        self.written = 0
        self.joined = 0  # resends that waited for their original's commit instead of queueing again

    def write(self, write: RatingWrite) -> RecordedRating:
        """Queue one rating and wait until it is committed (or refused); raise why when refused.

        The very same write already queued or being committed (a phone's resend after a reconnect,
        while the first connection's handler still waits): wait for that one's outcome instead.
        """
        with self._lock:
            twin = _lookup(self._waiting, write)
            if twin is not None:
                pending, start = twin, False
                self.joined += 1
            else:
                pending = _Pending(write)
                self._queue.append(pending)
                _remember(self._waiting, write, pending)
                start, self._running = not self._running, True
        if start:
            socketio.start_background_task(self._run)
        if not pending.done.wait(WAIT_LIMIT):
            raise TimeoutError("the rating writer did not answer")
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def _run(self) -> None:
        batch: list[_Pending] = []
        self._woke = None  # a new run: no batch to measure yet
        try:
            with self._app.app_context():
                try:
                    while True:
                        # Let the loop read the sockets a moment, so a burst's taps share a commit
                        # (SQLite blocks the loop while it writes a batch: nothing queues meanwhile).
                        socketio.sleep(self._gather())
                        with self._lock:
                            batch, self._queue = self._queue, []
                            if not batch:
                                self._running = False
                                return
                        self._commit(batch)
                        self._forget(batch)
                        batch = []
                finally:
                    db.session.remove()
        except BaseException as exc:  # never leave a handler waiting, nor the writer marked running
            with self._lock:
                batch, self._queue, self._running = batch + self._queue, [], False
            for pending in batch:
                pending.error = pending.error or exc
                pending.done.set()
            self._forget(batch)
            if not isinstance(exc, Exception):
                raise

    _woke: float | None = None  # when the writer last stopped gathering (time.monotonic)

    def _gather(self) -> float:
        """How long to let taps gather now (gather_time): the last batch ran from the last wake to now."""
        now = time.monotonic()
        pause = gather_time(db.engine.dialect.name, None if self._woke is None else now - self._woke)
        self._woke = now + pause
        return pause

    def _forget(self, batch: list[_Pending]) -> None:
        """The batch is answered: a later identical write is a new one (after its commit, `repeated`)."""
        with self._lock:
            for pending in batch:
                if _lookup(self._waiting, pending.write) is pending:
                    del self._waiting[pending.write]

    def _rounds_may_move(self) -> bool:
        """Can a round move between this batch's read of its items and its commit? With several
        processes, or on PostgreSQL (every statement a cooperative wait, so another greenlet's
        transaction runs meanwhile), yes. On SQLite in one process, no: another greenlet's
        transaction never yields between its first write and its commit (sqlite3 blocks the
        loop), and the batch runs its read and writes without yielding. There the check would
        only cost a read and a commit a batch (a quarter of a lone rating's writing cost)."""
        return db.engine.dialect.name != "sqlite" or bool(self._app.config.get("SB_MESSAGE_QUEUE"))

    def _commit(self, batch: list[_Pending]) -> None:
        """One transaction for the batch; when it fails, each rating alone, so one bad row fails alone."""
        outcomes: list[RecordedRating | Exception] = []
        # A Core connection of its own, not the ORM session: the batch uses no ORM object, and the
        # session's transaction around it cost more CPU than SQLite's commit (bench_writer.py).
        with db.engine.connect() as conn:
            try:
                outcomes = list(apply_batch([p.write for p in batch], conn))
                durable_commit(conn)
            except Exception as exc:
                conn.rollback()
                outcomes = []  # nothing of the batch is stored, whatever apply_batch returned
                if len(batch) == 1:
                    log.exception("writing a rating failed")
                    outcomes = [exc]
            else:
                try:
                    if self._rounds_may_move():
                        settle_late_rounds(outcomes, conn)  # before the acks: a phone's next sync must see it
                except Exception:
                    conn.rollback()
                    log.exception("checking the batch's rounds failed")
        if not outcomes:  # the batch failed: each rating alone, once the connection is back
            for pending in batch:
                self._commit([pending])
            return
        self.batches += 1
        self.written += len(batch)
        # The dashboard's running figures (services/live_tally.py); with several processes (a
        # message queue) no push reads them (adding to them: ~17 % of the writer's time, profiled).
        tallies = None if self._app.config.get("SB_MESSAGE_QUEUE") else live_tally.tallies()
        for pending, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                pending.error = outcome
            else:
                pending.result = outcome
                if tallies is not None and not (outcome.superseded or outcome.repeated):
                    w = pending.write
                    key = (w.participant_id, w.skill_id, w.criterion_id)
                    tallies.add(w.session_id, *key, outcome.round, w.value)
            pending.done.set()


def settle_late_rounds(outcomes: Sequence[RecordedRating | Exception], conn: Any = None) -> None:
    """After the commit: when a written rating's round has moved on meanwhile (another process
    started a new round between this batch's read of the items and its commit), bump the
    session's revision, so that what is kept under it (the group feedback of the closed round,
    services/feedback.py) is computed again with that rating. One read a batch; rarely a write."""
    written = {
        (o.session_id, o.skill_id, o.round)
        for o in outcomes
        if isinstance(o, RecordedRating) and not (o.superseded or o.repeated)
    }
    if not written:
        return
    connection = conn if conn is not None else db.session.connection()
    params = {"sessions": list({w[0] for w in written}), "skills": list({w[1] for w in written})}
    rounds = {
        (row.session_id, row.skill_id): row.round for row in connection.execute(_rounds_query(), params)
    }
    late = {session for session, skill, round_ in written if rounds.get((session, skill), round_) > round_}
    if late:
        connection.execute(revision_bump(late))
    if conn is not None:
        connection.commit()
    else:
        db.session.commit()


def gather_time(dialect: str, last_batch: float | None) -> float:
    """Seconds to let taps gather before the next batch, given how long the last one took.

    SQLite: GATHER (one process; its batches are measured in bench/README.md). PostgreSQL
    (several processes): a batch costs about the same CPU however few ratings it holds (four
    statements and a commit, each a round trip through SQLAlchemy, psycopg and gevent: about
    10 ms of CPU a batch and 0.06 ms a rating on the shared bench machine, bench/README.md),
    and the loop keeps reading taps while the batch waits for the database. So the writer
    gathers as long as its last batch took, at most GATHER_SHARED_MAX: busy, a batch holds
    about twice the taps for the same fixed cost; quiet, a tap waits a few milliseconds more.
    The first batch of a run (None): GATHER.
    """
    if dialect == "sqlite" or last_batch is None:
        return GATHER
    return min(max(last_batch, GATHER), GATHER_SHARED_MAX)


def _lookup(waiting: dict[RatingWrite, _Pending], write: RatingWrite) -> _Pending | None:
    try:
        return waiting.get(write)
    except TypeError:  # a reason sent as a list or object (refused later): never shared
        return None


def _remember(waiting: dict[RatingWrite, _Pending], write: RatingWrite, pending: _Pending) -> None:
    try:
        waiting[write] = pending
    except TypeError:
        pass


def durable_commit(conn: Any = None) -> None:
    """Commit `conn` (else the session); under gevent, SQLite's COMMIT (the fsync) runs in a
    native thread.

    A commit with synchronous=FULL waits for the disk; in the loop's thread that would stall every
    phone meanwhile. The sqlite3 module releases the GIL while it commits, and nothing else uses
    this connection until it returns, so the loop keeps serving sockets. SQLAlchemy's commit then
    finds nothing left to commit.
    """
    connection = conn if conn is not None else db.session.connection()
    if socketio.async_mode == "gevent" and connection.dialect.name == "sqlite":
        import gevent

        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None
        gevent.get_hub().threadpool.apply(dbapi_connection.commit)
    if conn is not None:
        conn.commit()
    else:
        db.session.commit()


def writer() -> RatingWriter:
    """The current app's writer, made on first use."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("sb_rating_writer")
    if found is None:
        found = app.extensions["sb_rating_writer"] = RatingWriter(app)
    return found  # type: ignore[no-any-return]


def check_item(state: SessionState, status: ItemStatus) -> None:
    """Raise why an item takes no answers now."""
    if state is SessionState.CLOSED:
        raise SessionClosedError()
    if state is not SessionState.LIVE:
        raise SessionNotLiveError()
    if status is ItemStatus.LOCKED:
        raise ItemLockedError()
    if status is not ItemStatus.OPEN:
        raise ItemNotOpenError()


def apply_batch(writes: list[RatingWrite], conn: Any = None) -> list[RecordedRating | DomainError]:
    """Check and write every rating in order, in `conn`'s transaction (else the session's); one
    outcome each."""
    if conn is None:
        conn = db.session.connection()  # Core statements: no ORM work per rating
    items, versions = _session_items(conn, list({w.session_id for w in writes}))
    criteria = _session_criteria(conn, versions)
    now = utcnow()
    expired: set[int] = set()
    # (index, write, round, reason, reason asked)
    checked: list[tuple[int, RatingWrite, int, str | None, bool]] = []
    outcomes: list[RecordedRating | DomainError | None] = [None] * len(writes)
    closed: list[tuple[int, RatingWrite, int]] = []  # refused as locked or closed, with a seq
    for index, write in enumerate(writes):
        item = items.get(write.session_id, _NO_ITEMS).get(write.skill_id)
        try:
            if item is None:
                raise UnknownItemError()
            try:
                _check(write, item, criteria.get(write.criterion_id), now, expired)
            except (ItemLockedError, SessionClosedError):
                if write.seq is not None:
                    closed.append((index, write, item.round))
                raise
            reason = check_reason(
                item.round_settings,
                write.session_id,
                write.participant_id,
                write.skill_id,
                write.criterion_id,
                item.round,
                write.value,
                write.reason,
            )
            checked.append((index, write, item.round, reason, asks_reasons(item.round_settings, item.round)))
        except DomainError as error:
            outcomes[index] = error
    if closed:
        _recognise_resends(conn, closed, outcomes)
    if checked:
        _write(conn, checked, outcomes, now)
    if expired:  # the countdown ran out: lock it now, with this commit; its timer tells the room
        conn.execute(update(SessionItem).where(SessionItem.id.in_(expired)).values(status=ItemStatus.LOCKED))
        conn.execute(
            revision_bump(
                {sid for sid, by_skill in items.items() for row in by_skill.values() if row.id in expired}
            )
        )
    assert all(o is not None for o in outcomes)
    return outcomes  # type: ignore[return-value]


# The batch's reads, built once: building the selects and their cache keys for every batch was a
# quarter of apply_batch's time at 40 phones (~17 ratings a batch; profiled, bench/README.md).
# A prebuilt statement keeps its cache key; the IN lists are expanding parameters.


@lru_cache(maxsize=1)
def _items_query() -> Any:
    """The items of the batch's sessions with their session's state, round rule and version."""
    return (
        select(
            SessionItem.id,
            SessionItem.session_id,
            SessionItem.skill_id,
            SessionItem.status,
            SessionItem.round,
            SessionItem.locks_at,
            LiveSession.state,
            LiveSession.round_settings,
            LiveSession.revision,
            LiveSession.code,
        )
        .join(LiveSession, SessionItem.session_id == LiveSession.id)
        .where(SessionItem.session_id.in_(bindparam("sessions", expanding=True)))
    )


@lru_cache(maxsize=1)
def _rounds_query() -> Any:
    """The round of each of the batch's items, as committed (settle_late_rounds)."""
    return select(SessionItem.session_id, SessionItem.skill_id, SessionItem.round).where(
        SessionItem.session_id.in_(bindparam("sessions", expanding=True)),
        SessionItem.skill_id.in_(bindparam("skills", expanding=True)),
    )


@lru_cache(maxsize=1)
def _versions_query() -> Any:
    """Each of the batch's sessions' version: (id, revision, code)."""
    return select(LiveSession.id, LiveSession.revision, LiveSession.code).where(
        LiveSession.id.in_(bindparam("sessions", expanding=True))
    )


@lru_cache(maxsize=1)
def _criteria_query() -> Any:
    return select(
        Criterion.id, Criterion.session_id, Criterion.label, Criterion.scale_min, Criterion.scale_max
    ).where(Criterion.session_id.in_(bindparam("sessions", expanding=True)))


def _plain_rows(conn: Any, statement: Any, lists: dict[str, list[Any]]) -> Any:
    """The rows of a read whose columns need no conversion (integers, text), as tuples.

    On SQLite straight through sqlite3, in the connection's transaction: SQLAlchemy's execute
    renders the expanding IN lists and builds each row in Python, several times what sqlite3
    takes to run such a read (bench/bench_writer.py). The SQL is compiled once per length of the
    lists, from the same statement. Elsewhere (PostgreSQL), SQLAlchemy's execute.
    """
    if conn.dialect.name != "sqlite":
        return conn.execute(statement, lists)
    sql, order = _compiled_plain(conn.dialect, statement, tuple((name, len(v)) for name, v in lists.items()))
    cursor = conn.connection.dbapi_connection.cursor()
    return execute_sqlite(cursor, sql, [lists[name][index] for name, index in order])


@lru_cache(maxsize=512)
def _compiled_plain(
    dialect: Any, statement: Any, shape: tuple[tuple[str, int], ...]
) -> tuple[str, tuple[tuple[str, int], ...]]:
    """(SQL, each placeholder's (list, index)) of `statement` with lists of these lengths."""
    for column in statement.selected_columns:  # a column needing conversion would come back raw
        if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
            raise TypeError(f"{column.name} needs a conversion _plain_rows does not make")
    compiled = statement.params({name: [0] * length for name, length in shape}).compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    places = {f"{name}_{index + 1}": (name, index) for name, length in shape for index in range(length)}
    return compiled.string, tuple(places[name] for name in compiled.positiontup or ())


# Each live session's items and criteria as last read, with the session's version then (its
# revision and code): engine -> session id -> (version, skill or criterion id -> row). Items and
# criteria change only through the ORM, or through Core statements that bump the revision beside
# them (countdown locks), and every change bumps its session's revision in the same transaction
# (models/session.py), as does any change of the session's state or round rule. So rows read at
# the version the batch reads now are the database's now, in every process; the code tells a new
# session apart from a deleted one whose id SQLite gave again. A batch reads its sessions'
# versions (one small read) and the items and criteria again only after a change: the items'
# join, with its enums, JSON and timestamps converted, was a third of a batch's reads
# (bench/README.md).
_ITEMS: weakref.WeakKeyDictionary[Any, dict[int, tuple[Any, dict[int, Any]]]] = weakref.WeakKeyDictionary()
_CRITERIA: weakref.WeakKeyDictionary[Any, dict[int, tuple[Any, dict[int, Any]]]] = weakref.WeakKeyDictionary()
_KEPT = 256  # sessions remembered per engine in each; past that, forgotten and read again
_NO_ITEMS: dict[int, Any] = {}


def _session_items(
    conn: Any, sessions: list[int]
) -> tuple[dict[int, dict[int, Any]], dict[int, tuple[int, str]]]:
    """(session id -> skill id -> item row, session id -> (revision, code)) of the batch's
    sessions as this transaction sees them; a session that is gone has neither."""
    versions = {
        sid: (revision, code)
        for sid, revision, code in _plain_rows(conn, _versions_query(), {"sessions": sessions})
    }
    # The item rows carry the version they were read at (a change may have been committed since
    # the versions' read, by another process): they are kept under theirs, and checked against it.
    items = _kept(_ITEMS, conn, _items_query(), versions, lambda row: row.skill_id, own_version=True)
    return items, versions


def _session_criteria(conn: Any, versions: dict[int, tuple[int, str]]) -> dict[int, Any]:
    """Criterion id -> (id, session_id, label, scale_min, scale_max) of the batch's sessions,
    given each session's (revision, code) as this transaction sees it."""
    kept = _kept(_CRITERIA, conn, _criteria_query(), versions, lambda row: row.id)
    return {cid: row for rows in kept.values() for cid, row in rows.items()}


def _kept(
    store: weakref.WeakKeyDictionary[Any, dict[int, tuple[Any, dict[int, Any]]]],
    conn: Any,
    query: Any,
    versions: dict[int, tuple[int, str]],
    key: Any,
    own_version: bool = False,
) -> dict[int, dict[int, Any]]:
    """Session id -> key(row) -> row of `query` for the sessions in `versions`, from `store` where
    it holds them at that version, else read again (and kept). `own_version`: the rows carry
    their session's revision and code, and `versions` takes those they were read at."""
    kept = store.setdefault(conn.engine, {})
    stale = [sid for sid, version in versions.items() if kept.get(sid, (None,))[0] != version]
    if stale:
        if len(kept) + len(stale) > _KEPT:
            kept.clear()
        read: dict[int, dict[int, Any]] = {sid: {} for sid in stale}
        for row in conn.execute(query, {"sessions": stale}):
            read[row.session_id][key(row)] = row
        for sid in stale:
            version = versions[sid]
            if own_version:
                version = versions[sid] = next(((r.revision, r.code) for r in read[sid].values()), version)
            kept[sid] = (version, read[sid])
    return {sid: kept[sid][1] for sid in versions}


@lru_cache(maxsize=1)
def _stored_query() -> Any:
    """The stored answers (seq, value, reason) of the batch's participants on its skills."""
    return (
        select(
            Rating.participant_id,
            Rating.skill_id,
            Rating.criterion_id,
            Rating.round,
            Rating.seq,
            Rating.value,
            Rating.reason,
        )
        .where(Rating.participant_id.in_(bindparam("participants", expanding=True)))
        .where(Rating.skill_id.in_(bindparam("skills", expanding=True)))
    )


def _stored_answers(
    conn: Any, writes: list[RatingWrite]
) -> dict[tuple[int, int, int, int], tuple[int | None, int | None, str | None]]:
    """(participant, skill, criterion, round) -> (seq, value, reason) stored for the writes'
    answers (every round); on PostgreSQL, for the writes' people on their skills."""
    if conn.dialect.name == "sqlite":
        keys = list({(w.participant_id, w.skill_id, w.criterion_id) for w in writes})
        cursor = conn.connection.dbapi_connection.cursor()
        stored = execute_sqlite(cursor, _stored_sqlite(len(keys)), [v for key in keys for v in key])
    else:
        people, skills = list({w.participant_id for w in writes}), list({w.skill_id for w in writes})
        stored = conn.execute(_stored_query(), {"participants": people, "skills": skills})
    return {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in stored}


@lru_cache(maxsize=128)
def _stored_sqlite(keys: int) -> str:
    """_stored_query's columns for exactly `keys` (participant, skill, criterion), on SQLite: a join
    on the keys as a VALUES list, one search of the answers' unique index each. The IN lists of
    people and skills read their cross product: a batch of 20 phones on five skills read 300 rows
    for 20 answers (several times the cost, bench/README.md). sqlite3 runs it in the connection's
    transaction: nothing to convert (integers and text)."""
    values = ", ".join(["(?, ?, ?)"] * keys)
    return (
        "SELECT r.participant_id, r.skill_id, r.criterion_id, r.round, r.seq, r.value, r.reason "
        f"FROM (VALUES {values}) AS k JOIN ratings AS r ON r.participant_id = k.column1 "
        "AND r.skill_id = k.column2 AND r.criterion_id = k.column3"
    )


def _recognise_resends(
    conn: Any, closed: list[tuple[int, RatingWrite, int]], outcomes: list[RecordedRating | DomainError | None]
) -> None:
    """An answer refused because its item was locked (or the session closed) since it was stored is
    a resend whose ack was lost (a reconnect after the lock): the stored answer has its seq and
    value. It is acknowledged as `repeated`, not refused: the phone's answer is kept, and says so."""
    current = _stored_answers(conn, [w for _, w, _ in closed])
    for index, write, round_ in closed:
        before = current.get((write.participant_id, write.skill_id, write.criterion_id, round_))
        if before is not None and before[:2] == (write.seq, write.value):
            outcomes[index] = RecordedRating(
                write.session_id, write.skill_id, write.criterion_id, write.value, round_,
                reason=before[2], repeated=True,
            )  # fmt: skip


def _check(write: RatingWrite, item: Any, criterion: Any, now: datetime, expired: set[int]) -> None:
    status = item.status
    if item.id in expired or (
        status is ItemStatus.OPEN and item.locks_at is not None and item.locks_at <= now
    ):
        expired.add(item.id)
        status = ItemStatus.LOCKED
    check_item(item.state, status)
    if criterion is None or criterion.session_id != write.session_id:
        raise UnknownItemError("This session has no such criterion.")
    if write.value is not None and not criterion.scale_min <= write.value <= criterion.scale_max:
        raise InvalidValueError(
            "%(label)s takes %(low)s to %(high)s.",
            label=Word(criterion.label),
            low=criterion.scale_min,
            high=criterion.scale_max,
        )


def _write(
    conn: Any,
    checked: list[tuple[int, RatingWrite, int, str | None, bool]],
    outcomes: list[RecordedRating | DomainError | None],
    now: datetime,
) -> None:
    """Decide in order which writes the stored answers supersede, then upsert the rest at once.

    A write loses when the answer it would replace (stored, or written earlier in this batch)
    carries a higher seq. The upsert keeps the same rule in SQL, so a write that raced another
    process's is still decided by seq. A write equal to that answer (same seq, value and reason:
    a resend) is not written again.
    """
    Key = tuple[int, int, int, int]
    current: dict[Key, tuple[int | None, int | None, str | None]] = {}  # key -> (seq, value, reason)
    if any(write.seq is not None for _, write, _, _, _ in checked):
        current = _stored_answers(conn, [w for _, w, _, _, _ in checked])
    judged = _judged_reasons(conn, checked)
    rows = []
    for index, write, round_, reason, asked in checked:
        key = (write.participant_id, write.skill_id, write.criterion_id, round_)
        before = current.get(key)
        if before is not None and before[0] is not None and write.seq is not None and write.seq < before[0]:
            outcomes[index] = RecordedRating(
                write.session_id, write.skill_id, write.criterion_id, before[1], round_, superseded=True
            )
            continue
        if write.seq is not None and before == (write.seq, write.value, reason):
            outcomes[index] = RecordedRating(
                write.session_id, write.skill_id, write.criterion_id, write.value, round_,
                reason=reason, reason_asked=asked, repeated=True,
            )  # fmt: skip
            continue
        current[key] = (write.seq, write.value, reason)
        hidden, changed, unhidden = _rejudged(judged, key, reason)
        rows.append(
            {
                "session_id": write.session_id,
                "participant_id": write.participant_id,
                "skill_id": write.skill_id,
                "criterion_id": write.criterion_id,
                "round": round_,
                "value": write.value,
                "seq": write.seq,
                "reason": reason,
                "language": write.language,
                "first_at": now,
                "last_at": now,
            }
        )
        outcomes[index] = RecordedRating(
            write.session_id,
            write.skill_id,
            write.criterion_id,
            write.value,
            round_,
            reason=reason,
            reason_asked=asked,
            reason_hidden=hidden,
            reason_changed=changed,
            reason_unhidden=unhidden,
        )
    # Known to the live tallies: the writer adds these answers to them once committed.
    known = {live_tally.KNOWN: True}
    if conn.dialect.name == "sqlite" and rows:
        sql, values = _sqlite_upsert(conn.dialect, rows, now)
        conn.exec_driver_sql(sql, values, execution_options=known)
        return
    for statement, parameters in _upserts(conn.dialect.name, rows, now):
        conn.execute(statement, parameters, execution_options=known)


def _judged_reasons(
    conn: Any, checked: list[tuple[int, RatingWrite, int, str | None, bool]]
) -> dict[tuple[int, int, int, int], tuple[str | None, bool, bool]]:
    """The stored reasons the facilitator hid (or that changed since), for the batch's answers
    that carry a reason: key -> (text, hidden, changed). Read only for batches with reasons."""
    with_reason = [w for _, w, _, reason, _ in checked if reason is not None]
    if not with_reason:
        return {}
    stored = conn.execute(
        select(
            Rating.participant_id,
            Rating.skill_id,
            Rating.criterion_id,
            Rating.round,
            Rating.reason,
            Rating.reason_hidden,
            Rating.reason_changed,
        )
        .where(Rating.participant_id.in_({w.participant_id for w in with_reason}))
        .where(Rating.skill_id.in_({w.skill_id for w in with_reason}))
        .where(or_(Rating.reason_hidden.is_(True), Rating.reason_changed.is_(True)))
    )
    return {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in stored}


def _rejudged(
    judged: dict[tuple[int, int, int, int], tuple[str | None, bool, bool]],
    key: tuple[int, int, int, int],
    reason: str | None,
) -> tuple[bool, bool, bool]:
    """(hidden, changed, unhidden) once `reason` is stored: the upserts' rule, in Python.

    A hidden reason its author rewrites is a text the facilitator has not judged: the panel sees
    it again and the dashboard marks it changed. Clearing it (None) or re-sending it changes nothing.
    """
    text, hidden, changed = judged.get(key, (None, False, False))
    if reason is None:  # the upsert clears the stored text: the next one in the batch is new
        judged[key] = (None, hidden, changed)
        return hidden, changed, False
    if reason == text:
        return hidden, changed, False
    judged[key] = (reason, False, hidden or changed)
    return False, hidden or changed, hidden


def _upserts(dialect: str, rows: list[dict[str, Any]], now: datetime) -> list[tuple[Any, Any]]:
    """The statements that upsert a batch's rows, with their parameters, for the database at hand.

    SQLite: one executemany of the prebuilt upsert (sqlite3 runs it in C, row after row); the
    writer runs it through _sqlite_upsert.
    PostgreSQL: one statement for the whole batch, its rows as arrays (`unnest`). psycopg's
    executemany sends one statement per row through its pipeline, and under gevent every step
    of that is a cooperative wait: at 1,000 phones it was 9 % of each process's samples. The
    statement's text does not depend on the batch's size, so psycopg prepares it once. One
    statement cannot change a row twice, and the rows' order matters beyond the last one (a
    hidden reason rewritten and rewritten back is shown again; an answer changed and changed back
    has changed): a batch that changes an answer twice takes one statement per change, each
    with at most one row per answer, in order, so that PostgreSQL leaves what SQLite does.
    """
    if dialect != "postgresql":
        return [(_upsert_rating(dialect), rows)] if rows else []
    layers: list[list[dict[str, Any]]] = []  # layers[n]: each answer's (n+1)th row
    times: Counter[tuple[int, int, int, int]] = Counter()
    for row in rows:
        key = (row["participant_id"], row["skill_id"], row["criterion_id"], row["round"])
        if times[key] == len(layers):
            layers.append([])
        layers[times[key]].append(row)
        times[key] += 1
    return [
        (_upsert_postgresql(), {**{name: [r[name] for r in layer] for name in _ARRAY_COLUMNS}, "now": now})
        for layer in layers
    ]


_UPSERT_COLUMNS = (
    "session_id",
    "participant_id",
    "skill_id",
    "criterion_id",
    "round",
    "value",
    "seq",
    "reason",
    "language",
    "first_at",
    "last_at",
)


_ARRAY_COLUMNS = {  # column -> its PostgreSQL array type, for _upsert_postgresql
    "session_id": "integer[]",
    "participant_id": "integer[]",
    "skill_id": "integer[]",
    "criterion_id": "integer[]",
    "round": "integer[]",
    "value": "integer[]",
    "seq": "bigint[]",
    "reason": "text[]",
    "language": "text[]",
}


@lru_cache(maxsize=1)
def _upsert_postgresql() -> Any:
    """INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE: _upsert_rating's rule, one statement."""
    names = ", ".join(_ARRAY_COLUMNS)
    arrays = ", ".join(f"CAST(:{name} AS {kind})" for name, kind in _ARRAY_COLUMNS.items())
    return text(
        f"INSERT INTO ratings ({names}, first_at, last_at) "
        f"SELECT {names}, :now, :now FROM unnest({arrays}) AS batch({names}) "
        "ON CONFLICT (participant_id, skill_id, criterion_id, round) DO UPDATE SET "
        "value = excluded.value, seq = excluded.seq, reason = excluded.reason, "
        "language = excluded.language, "
        # A rewritten reason is a new text: not hidden, marked changed if it was (_rejudged).
        "reason_hidden = CASE WHEN excluded.reason IS NOT NULL AND ratings.reason IS DISTINCT FROM "
        "excluded.reason THEN false ELSE ratings.reason_hidden END, "
        "reason_changed = CASE WHEN excluded.reason IS NOT NULL AND ratings.reason IS DISTINCT FROM "
        "excluded.reason THEN ratings.reason_hidden OR ratings.reason_changed "
        "ELSE ratings.reason_changed END, "
        "last_at = CASE WHEN ratings.value IS DISTINCT FROM "
        "excluded.value THEN excluded.last_at ELSE ratings.last_at END "
        "WHERE ratings.seq IS NULL OR excluded.seq IS NULL OR excluded.seq >= ratings.seq"
    ).bindparams(bindparam("now", type_=Rating.__table__.c.first_at.type))


def _sqlite_upsert(
    dialect: Any, rows: list[dict[str, Any]], now: datetime
) -> tuple[str, list[tuple[Any, ...]]]:
    """_upsert_rating's SQL for SQLite and each row's values in its order, for one executemany.

    SQLAlchemy converts every row's parameters for executemany, in Python: at 40 phones that was
    two thirds of the upsert's time, the timestamps most of it (bench/README.md). Here the
    statement is compiled once, the batch's one timestamp converted once, and the other columns
    (integers and text: SQLite takes them as they are) passed as they are. Same SQL, same values.
    """
    sql, names, convert = _compiled_sqlite_upsert(dialect)
    stamp = convert(now)  # first_at and last_at: the batch's `now`, as SQLAlchemy stores it
    return sql, [tuple(stamp if name in _STAMPS else row[name] for name in names) for row in rows]


_STAMPS = frozenset({"first_at", "last_at"})


@lru_cache(maxsize=2)
def _compiled_sqlite_upsert(dialect: Any) -> tuple[str, tuple[str, ...], Any]:
    """(SQL, parameter names in order, the timestamps' conversion) of _upsert_rating on SQLite."""
    compiled = _upsert_rating("sqlite").compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    for name in names:  # only the timestamps need converting; anything else would be a new column
        kind = compiled.binds[name].type
        if name not in _STAMPS and kind.dialect_impl(dialect).bind_processor(dialect) is not None:
            raise TypeError(f"the upsert's {name} needs a conversion _sqlite_upsert does not make")
    stamp_type = compiled.binds["first_at"].type
    return compiled.string, names, stamp_type.dialect_impl(dialect).bind_processor(dialect)


@lru_cache(maxsize=4)
def _upsert_rating(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (participant, skill, criterion, round) DO UPDATE.

    The update happens unless the stored answer has a higher seq than the incoming one. Without
    a seq (older clients) arrival decides.
    `last_at` moves only when the value changed. Built once per dialect (SQLite, PostgreSQL).
    """
    from sqlalchemy.dialects import postgresql, sqlite

    table = Rating.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values: dict[str, Any] = {c: bindparam(c, type_=table.c[c].type) for c in _UPSERT_COLUMNS}
    # written into the SQL, not left to the columns' defaults (a parameter per row each)
    values |= {"reason_hidden": false(), "reason_changed": false()}
    statement = insert(table).values(values)
    incoming = statement.excluded
    changed = table.c.value.is_distinct_from(incoming.value)
    # A rewritten reason is a new text: not hidden, marked changed if it was (_rejudged).
    rewritten = and_(incoming.reason.is_not(None), table.c.reason.is_distinct_from(incoming.reason))
    return statement.on_conflict_do_update(
        index_elements=["participant_id", "skill_id", "criterion_id", "round"],
        set_={
            "value": incoming.value,
            "seq": incoming.seq,
            "reason": incoming.reason,
            "language": incoming.language,
            "reason_hidden": case((rewritten, false()), else_=table.c.reason_hidden),
            "reason_changed": case(
                (rewritten, or_(table.c.reason_hidden, table.c.reason_changed)), else_=table.c.reason_changed
            ),
            "last_at": case((changed, incoming.last_at), else_=table.c.last_at),
        },
        where=or_(table.c.seq.is_(None), incoming.seq.is_(None), incoming.seq >= table.c.seq),
    )
