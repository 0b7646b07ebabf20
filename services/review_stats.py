"""How a review over days is going: response rate per day, who has finished, what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from domain.resume_code import to_local
from models import LiveSession, OpenAnswer, Participant, Rating, db, utcnow
from services.review import current_round


@dataclass(frozen=True)
class Progress:
    """One participant in the current round: how many answers of how many, and when complete."""

    pseudonym: str
    answered: int
    needed: int
    started_at: datetime | None  # first answer in this round
    finished_at: datetime | None  # the answer that completed the round
    last_visit_at: datetime | None

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True)
class Day:
    day: date
    started: int  # people with an answer in the current round by the end of the day
    finished: int
    invited: int  # participants (joined or with a personal link)

    @property
    def rate(self) -> float:
        return self.started / self.invited if self.invited else 0.0


def progress(session: LiveSession) -> list[Progress]:
    """Per participant, the current round: answers to each item's criteria (or, without criteria,
    items with an open answer)."""
    rounds = {item.skill_id: item.round for item in session.items}
    criteria = len(session.criteria)
    needed = len(rounds) * criteria if criteria else len(rounds)
    times: dict[int, list[datetime]] = {}
    if criteria:
        rows = db.session.execute(
            select(Rating.participant_id, Rating.skill_id, Rating.round, Rating.first_at).where(
                Rating.session_id == session.id
            )
        )
    else:
        rows = db.session.execute(
            select(
                OpenAnswer.participant_id,
                OpenAnswer.skill_id,
                OpenAnswer.round,
                func.min(OpenAnswer.created_at),
            )
            .where(OpenAnswer.session_id == session.id)
            .group_by(OpenAnswer.participant_id, OpenAnswer.skill_id, OpenAnswer.round)
        )
    for person, skill, round_, at in rows:
        if rounds.get(skill) == round_:
            times.setdefault(person, []).append(at)
    people = db.session.scalars(
        select(Participant).where(Participant.session_id == session.id).order_by(Participant.number)
    )
    result = []
    for p in people:
        mine = sorted(times.get(p.id, []))
        done = len(mine) >= needed > 0
        result.append(
            Progress(
                p.pseudonym,
                len(mine),
                needed,
                mine[0] if mine else None,
                mine[-1] if done else None,
                p.last_visit_at,
            )
        )
    return result


def response_rate(session: LiveSession, until: datetime) -> list[Day]:
    """Per day of the current round (in the session's time zone), up to `until`: how many had
    started and finished by the end of that day."""
    people = progress(session)
    start = session.round_opened_at or session.live_at or session.open_from or until
    first = to_local(start, session.timezone)
    last = to_local(until, session.timezone)
    assert first is not None and last is not None
    days: list[Day] = []
    day = first.date()
    while day <= last.date() and len(days) < 366:
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=first.tzinfo)
        started = sum(1 for p in people if p.started_at and p.started_at < end)
        finished = sum(1 for p in people if p.finished_at and p.finished_at < end)
        days.append(Day(day, started, finished, len(people)))
        day += timedelta(days=1)
    return days


def changes_since(session: LiveSession, participant: Participant) -> dict[str, Any] | None:
    """What a returning participant should know; None on a first visit."""
    since = participant.last_visit_at
    if since is None:
        return None
    new_round = (
        session.round_opened_at is not None and session.round_opened_at > since and current_round(session) > 1
    )
    others = db.session.scalar(
        select(func.count(func.distinct(Rating.participant_id))).where(
            Rating.session_id == session.id, Rating.participant_id != participant.id, Rating.last_at > since
        )
    )
    return {
        "since": since,
        "new_round": current_round(session) if new_round else None,
        "others_answered": others or 0,
        "closes_at": session.round_closes_at or session.open_until,
    }


def record_visit(participant: Participant) -> None:
    participant.last_visit_at = utcnow()
    db.session.commit()
