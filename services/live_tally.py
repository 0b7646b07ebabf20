"""Running tallies of each live session's answers, so the dashboard's pushes read no rating again.

The dashboard gets fresh figures up to four times a second (core/live.py). Recomputing them read
every rating of the session each time (completion, current rounds) and every rating of the
changed skills: at 1,000 phones a push cost ~0.2 s of the one core, most of it re-reading rows
that had not changed. A tally is read from the database once per session, then kept up to date
by the rating writer with each batch it commits (services/rating_writer.py), so a push reads
only its answers from memory. The figures are computed by the same code from the same answers:
they are exactly those of a full recompute (tests/integration/test_live_tally.py checks it).

A join and a phone going on or off line change only the tally's list of people: they write
through `person_write`, which keeps no tally read while the write is uncommitted and puts the
person into the kept tally once it is committed (at 5,600 phones joining, dropping every tally
on each of them made the presence pushes re-read every rating: 18 % of the server's time).
Anything else that writes ratings, items or participants (erasure, rounds, re-votes, a countdown
lock, a test's factory) is seen by an engine event on its SQL statement and drops every tally of
that database; the next push reads the session again. The writer marks its own upsert so that it
does not.

Only for a process that is the database's only writer: with several processes (a message queue
is configured) another process's ratings would not reach this process's tallies, so there the
pushes recompute from the database as before.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from models import Participant, Rating, SessionItem, db

DIRTY = "sb_tally_dirty"  # on a pooled connection: it wrote ratings or items the tallies did not hear of
KNOWN = "sb_tally_known"  # execution option: the statement's effect reaches the tallies another way
WATCHED = re.compile(
    r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(ratings|session_items|participants)\b", re.IGNORECASE
)

Answers = dict[int, int | None]  # participant id -> value (None: can't judge)


@dataclass
class SessionTally:
    """One session's answers, by (skill, round, criterion), and each person's open-round count."""

    open_round: dict[int, int]  # skill id -> the round phones answer (SessionItem.round)
    people: list[tuple[int, str, bool]] = field(default_factory=list)  # (id, "P07", online) by number
    answers: dict[tuple[int, int, int], Answers] = field(default_factory=dict)
    latest: dict[int, int] = field(default_factory=dict)  # skill id -> latest round with an answer
    done: dict[int, int] = field(
        default_factory=lambda: defaultdict(int)
    )  # participant -> open-round answers
    where: dict[int, int] = field(default_factory=dict)  # participant id -> index in `people`
    tickets: dict[int, int] = field(default_factory=dict)  # participant id -> last change put

    def __post_init__(self) -> None:
        self.where = {pid: index for index, (pid, _, _) in enumerate(self.people)}

    def put_person(self, participant_id: int, number: int, online: bool, ticket: int) -> None:
        """Record one participant as committed (a join, an online flip), unless a later change is in."""
        if self.tickets.get(participant_id, 0) > ticket:
            return  # two flips of one phone committed in one order, put in the other
        self.tickets[participant_id] = ticket
        entry = (participant_id, f"P{number:02d}", online)
        index = self.where.get(participant_id)
        if index is not None:
            self.people[index] = entry
            return
        index = len(self.people)
        while index and int(self.people[index - 1][1][1:]) > number:
            index -= 1
        self.people.insert(index, entry)
        if index == len(self.people) - 1:  # a join: the highest number so far
            self.where[participant_id] = index
        else:
            self.where = {pid: at for at, (pid, _, _) in enumerate(self.people)}

    def add(
        self, participant_id: int, skill_id: int, criterion_id: int, round_: int, value: int | None
    ) -> None:
        """Record one stored answer (new, or the new value of one already counted)."""
        answers = self.answers.setdefault((skill_id, round_, criterion_id), {})
        new = participant_id not in answers
        answers[participant_id] = value
        if round_ > self.latest.get(skill_id, 0):
            self.latest[skill_id] = round_
        if new and self.open_round.get(skill_id) == round_:
            self.done[participant_id] += 1

    def current_round(self, skill_id: int) -> int:
        """The item's current round (services/results.py): its latest answered, else its open round."""
        return self.latest.get(skill_id) or self.open_round.get(skill_id, 1)

    def values(self, skill_id: int, criterion_id: int) -> list[int | None]:
        answers = self.answers.get((skill_id, self.current_round(skill_id), criterion_id), {})
        return list(answers.values())


class Tallies:
    """The tallies of one database (engine), and the counter that tells a stale read from a fresh one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[int, SessionTally] = {}
        self._version = 0  # moves on every change: a tally read meanwhile is not kept
        self._writing = 0  # connections with an unknown write not yet committed or rolled back
        self._tickets = 0  # known participant writes so far (see `ticket`)

    def get(self, session_id: int) -> SessionTally:
        """The session's tally: the kept one, else read now from the database (and kept if still current)."""
        with self._lock:
            found = self._sessions.get(session_id)
            version = self._version
        if found is not None:
            return found
        tally = _read(session_id)
        with self._lock:
            if self._version == version and not self._writing:
                self._sessions[session_id] = tally
        return tally

    def add(
        self,
        session_id: int,
        participant_id: int,
        skill_id: int,
        criterion_id: int,
        round_: int,
        value: int | None,
    ) -> None:
        with self._lock:
            self._version += 1
            tally = self._sessions.get(session_id)
            if tally is not None:
                tally.add(participant_id, skill_id, criterion_id, round_, value)

    def begin(self) -> None:
        """A known write to participants begins: keep no tally read until it ends."""
        with self._lock:
            self._version += 1
            self._writing += 1

    def ticket(self) -> int:
        """Taken once a participant's row is written (its lock held to the commit): in commit order."""
        with self._lock:
            self._tickets += 1
            return self._tickets

    def end(self, change: PersonWrite | None) -> None:
        """The known write ended: committed (`change`, put into the kept tally) or not (None)."""
        with self._lock:
            self._version += 1
            self._writing -= 1
            if change is None or change.person is None:
                return
            tally = self._sessions.get(change.session_id)
            if tally is not None:
                tally.put_person(*change.person, change.ticket)

    def drop(self, writing: int = 0) -> None:
        """Forget every tally; `writing` +1: a transaction began to write, -1: it ended."""
        with self._lock:
            self._version += 1
            self._writing += writing
            self._sessions.clear()


_tallies: weakref.WeakKeyDictionary[Engine, Tallies] = weakref.WeakKeyDictionary()
_tallies_lock = threading.Lock()


def tallies(engine: Engine | None = None) -> Tallies:
    engine = engine or db.engine
    with _tallies_lock:
        found = _tallies.get(engine)
        if found is None:
            found = _tallies[engine] = Tallies()
            _watch(engine)
        return found


def for_session(session_id: int) -> SessionTally | None:
    """The session's tally, or None where this process is not the only writer (see the module doc)."""
    if current_app.config.get("SB_MESSAGE_QUEUE"):
        return None
    return tallies().get(session_id)


class PersonWrite:
    """One participant's row written with KNOWN (a join, an online flip), for the kept tally."""

    def __init__(self, tallies: Tallies, session_id: int) -> None:
        self.tallies, self.session_id = tallies, session_id
        self.person: tuple[int, int, bool] | None = None
        self.ticket = 0

    def written(self, participant_id: int, number: int, online: bool) -> None:
        """Call right after the statement wrote the row (as it now stands), before the commit."""
        self.person = (participant_id, number, online)
        self.ticket = self.tallies.ticket()


@contextmanager
def person_write(session_id: int) -> Iterator[PersonWrite]:
    """Write one participant's row (its statement marked KNOWN) and commit inside the block; the
    kept tally takes the person once the block ends without an exception, that is once committed.
    No tally read meanwhile is kept: it might miss the write or see it before the commit."""
    found = tallies()
    found.begin()
    change = PersonWrite(found, session_id)
    try:
        yield change
    except BaseException:
        found.end(None)
        raise
    found.end(change)


def _read(session_id: int) -> SessionTally:
    items = db.session.execute(
        select(SessionItem.skill_id, SessionItem.round).where(SessionItem.session_id == session_id)
    )
    people = db.session.execute(
        select(Participant.id, Participant.number, Participant.online)
        .where(Participant.session_id == session_id)
        .order_by(Participant.number)
    )
    tally = SessionTally(
        open_round={skill: round_ for skill, round_ in items},
        people=[(pid, f"P{number:02d}", online) for pid, number, online in people],
    )
    rows = db.session.execute(
        select(Rating.participant_id, Rating.skill_id, Rating.criterion_id, Rating.round, Rating.value)
        .where(Rating.session_id == session_id)
        .order_by(Rating.id)
    )
    for row in rows:
        tally.add(*row)
    return tally


def _watch(engine: Engine) -> None:
    """Drop the tallies on any write to ratings or items they did not hear of; keep none read
    until that connection is back in the pool (its transaction committed or rolled back)."""

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if context is not None and context.execution_options.get(KNOWN):
            return
        if WATCHED.match(statement):
            writing = 0 if conn.info.get(DIRTY) else 1
            conn.info[DIRTY] = True
            tallies(engine).drop(writing)

    def checkin(dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.info.pop(DIRTY, False):
            tallies(engine).drop(-1)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    event.listen(engine, "checkin", checkin)
