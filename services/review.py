"""Reviews over days: the schedule (open, close, round closing dates), resume codes and slots.

Dates act when a request or the server's ticker finds them due (`advance`): no job sleeps until
a date, so a test clock (core/clock.py) can move a fortnight in a second.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from domain.errors import DomainError, InvalidStateError, ValidationError
from domain.resume_code import from_local, generate_resume_code, is_resume_code, resume_hash, zone
from models import (
    Invitation,
    LiveSession,
    Pacing,
    Participant,
    ParticipantKey,
    Reminder,
    SessionState,
    User,
    db,
    utcnow,
)
from services import rounds, sessions
from services.participation import hash_token

MAX_SLOTS = 500


class UnknownResumeCodeError(DomainError):
    code = "unknown_resume_code"
    http_status = 404

    def __init__(
        self, message: str = "No participant of this session has that resume code. Check it."
    ) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class ScheduleInput:
    """As typed on the review page, in the session's time zone ("2026-12-01T09:00")."""

    timezone: str
    open_from: str
    open_until: str
    round_closes_at: str = ""


def set_schedule(session: LiveSession, data: ScheduleInput) -> None:
    """Set the review's dates; the session becomes self-paced (people answer at their own pace)."""
    try:
        zone(data.timezone)
        start = from_local(data.open_from, data.timezone)
        end = from_local(data.open_until, data.timezone)
        round_end = from_local(data.round_closes_at, data.timezone)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    problems = []
    if end is None:
        problems.append(_("Give the date the review closes."))
    if start and end and end <= start:
        problems.append(_("The review must close after it opens."))
    if round_end and ((start and round_end <= start) or (end and round_end >= end)):
        problems.append(_("The round must close between the review's opening and closing dates."))
    if session.state is SessionState.CLOSED:
        problems.append(_("The review is closed."))
    if session.pacing is not Pacing.SELF and not session.is_editable:
        problems.append(
            _("A review over days is self-paced; this session is facilitator-paced and has started.")
        )
    if problems:
        raise ValidationError(" ".join(problems))
    session.timezone, session.open_from, session.open_until = data.timezone, start, end
    session.round_closes_at = round_end
    session.pacing = Pacing.SELF
    db.session.commit()


def advance(session: LiveSession) -> list[str]:
    """Do what the dates say is due now: open the review, open the next round, close it."""
    now, done = utcnow(), []
    if (
        session.state in (SessionState.DRAFT, SessionState.OPEN)
        and session.open_from
        and session.open_from <= now
    ):
        if session.open_until is None or now < session.open_until:
            sessions.set_state(session, "live")
            session.round_opened_at = now
            db.session.commit()
            done.append("opened")
    due = session.round_closes_at
    if session.state is SessionState.LIVE and due and due <= now and _claim_round_end(session, due):
        if (session.open_until is None or due < session.open_until) and rounds.unmet_skill_ids(session):
            open_next_round(session)
            done.append("round_opened")
    if session.state is not SessionState.CLOSED and session.open_until and session.open_until <= now:
        close_review(session)
        done.append("closed")
    return done


def _claim_round_end(session: LiveSession, due: datetime) -> bool:
    """Take the round's closing date for this process: with several processes (and requests
    racing the ticker) exactly one of them opens the next round."""
    result = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id, LiveSession.round_closes_at == due)
        .values(round_closes_at=None)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def due_sessions() -> list[LiveSession]:
    """Reviews with a date that has come: to open, to start a round, or to close."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(LiveSession).where(
                LiveSession.state != SessionState.CLOSED,
                or_(
                    LiveSession.open_until <= now,
                    (LiveSession.round_closes_at <= now) & (LiveSession.state == SessionState.LIVE),
                    (LiveSession.open_from <= now) & (LiveSession.state != SessionState.LIVE),
                ),
            )
        )
    )


def open_next_round(session: LiveSession, actor: User | None = None) -> int:
    """Close the current round for everyone and open the next with the previous round's feedback.

    A whole-session round (services/rounds.start_session_round), as the dashboard starts one,
    for the items that do not meet the stopping rule yet (every item without a rule): the same
    feedback, reason rule and stopping rule apply. `actor` is None when a date opened it.
    """
    if session.state is not SessionState.LIVE:
        raise InvalidStateError(_("A new round opens in a live review."))
    unmet = rounds.unmet_skill_ids(session)
    if not unmet:
        raise ValidationError(_("Every item meets the stopping rule: no further round is needed."))
    rounds.start_session_round(session, actor, unmet)
    session.current_skill_id = None  # self-paced: nobody is sent to one item
    session.round_closes_at = None
    session.round_opened_at = utcnow()
    db.session.commit()
    return current_round(session)


def current_round(session: LiveSession) -> int:
    """The latest round of any item (items that met the stopping rule stay in an earlier one)."""
    return max((item.round for item in session.items), default=1)


def close_review(session: LiveSession) -> None:
    """Close the session and delete the invitation addresses (they served their purpose)."""
    if session.state is not SessionState.CLOSED:
        if session.state is SessionState.DRAFT:
            sessions.set_state(session, "open")
        sessions.set_state(session, "closed")
    session.round_closes_at = None
    db.session.execute(delete(Invitation).where(Invitation.session_id == session.id))
    # Reminders go too: those not sent have nobody left to go to, and a failed one names addresses.
    db.session.execute(delete(Reminder).where(Reminder.session_id == session.id))
    db.session.commit()


# Resume codes and pre-made slots -----------------------------------------------------------------


def issue_resume_code(participant: Participant, session: LiveSession) -> str:
    """A new resume code for the participant (an earlier one stops working); shown once."""
    for _attempt in range(10):
        code = generate_resume_code()
        participant.resume_hash = resume_hash(session.code, code)
        try:
            db.session.commit()
            return code
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("Could not draw a free resume code")


def resume(session: LiveSession, code: str) -> tuple[Participant, str]:
    """The participant with this resume code, and a new token for this device."""
    if not is_resume_code(code):
        raise UnknownResumeCodeError(_("A resume code has eight letters and digits, like K7QA-MX3D."))
    participant = db.session.scalar(
        select(Participant).where(
            Participant.session_id == session.id, Participant.resume_hash == resume_hash(session.code, code)
        )
    )
    if participant is None:
        raise UnknownResumeCodeError()
    token = secrets.token_urlsafe(24)
    db.session.add(ParticipantKey(participant_id=participant.id, token_hash=hash_token(token)))
    db.session.commit()
    return participant, token


def make_slots(session: LiveSession, count: int) -> list[tuple[Participant, str]]:
    """Pre-made participants, each with a resume code, for personal links sent by the coordinator."""
    if not 1 <= count <= MAX_SLOTS:
        raise ValidationError(_("Make between 1 and %(max)s personal links at a time.", max=MAX_SLOTS))
    if session.state is SessionState.CLOSED:
        raise InvalidStateError(_("The review is closed."))
    start = db.session.scalar(
        select(func.max(Participant.number)).where(Participant.session_id == session.id)
    )
    made = []
    for offset in range(1, count + 1):
        participant = Participant(
            session_id=session.id,
            number=(start or 0) + offset,
            token_hash=hash_token(secrets.token_urlsafe(24)),  # nobody holds it: the link resumes
            profile={},
        )
        db.session.add(participant)
        db.session.flush()
        made.append((participant, issue_resume_code(participant, session)))
    return made
