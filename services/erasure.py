"""Taking people's data out of a session: one path for removal, withdrawal and the purge.

- *Removal* (the facilitator takes a participant out) and *withdrawal* (a participant takes
  their answers back from their phone) delete the person's ratings, comments and list answers,
  then the person; the session counts them (`removed_participants`, `withdrawn_participants`)
  so every figure can say that they are left out.
- The *purge* (GDPR retention, `flask purge` or the results page) keeps every answer under its
  pseudonym, so the results and decisions stay, and removes what links the answers to a person:
  the token (the phone's cookie), the profile answers, the consent record, the join and
  last-seen times and the online state. The database never stores an address.

Both go through `erase`: what identifies a person is cleared in one place, `_unlink`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select

from domain.errors import InvalidStateError, UnknownParticipantError
from models import Answer, Comment, LiveSession, Participant, Rating, SessionState, db, utcnow

Reason = Literal["removed", "withdrawn", "purged"]


@dataclass
class Erased:
    """What one erasure took out (counts only: never who)."""

    participants: int = 0  # people deleted with their answers (removal, withdrawal)
    ratings: int = 0
    comments: int = 0
    answers: int = 0  # list-question answers
    tokens: int = 0  # phone tokens made useless
    profiles: int = 0  # non-empty profiles cleared
    consents: int = 0  # consent records cleared
    online: int = 0  # online states cleared
    skill_ids: set[int] = field(default_factory=set)  # skills whose figures changed
    question_ids: set[int] = field(default_factory=set)
    comment_ids: set[int] = field(default_factory=set)

    def summary(self) -> dict[str, int]:
        keys = ("participants", "ratings", "comments", "answers", "tokens", "profiles", "consents", "online")
        return {key: getattr(self, key) for key in keys}


def erase(session: LiveSession, people: Sequence[Participant], reason: Reason) -> Erased:
    """Take `people`'s data out of `session` (see the module docstring); commits."""
    erased = Erased()
    if not people:
        return erased
    if any(p.session_id != session.id for p in people):
        raise UnknownParticipantError("This participant is not in this session.")
    _unlink(session, people, erased)
    if reason != "purged":
        _delete_answers(session, people, erased)
        if reason == "removed":
            session.removed_participants += len(people)
        else:
            session.withdrawn_participants += len(people)
    db.session.commit()
    return erased


def _unlink(session: LiveSession, people: Sequence[Participant], erased: Erased) -> None:
    """Clear everything that leads from a pseudonym back to a person."""
    for person in people:
        erased.tokens += not person.token_hash.startswith("erased:")
        erased.profiles += bool(person.profile)
        erased.consents += person.consent_at is not None
        erased.online += bool(person.online)
        person.token_hash = f"erased:{person.id}"  # never a SHA-256 of any token: no phone gets in
        person.profile = {}
        person.consent_at = None
        person.last_seen_at = None
        person.online = False
        person.joined_at = session.created_at  # the same for everybody: says nothing of when they came


def _delete_answers(session: LiveSession, people: Sequence[Participant], erased: Erased) -> None:
    ids = [p.id for p in people]
    erased.skill_ids |= set(db.session.scalars(select(Rating.skill_id).where(Rating.participant_id.in_(ids))))
    erased.question_ids |= set(
        db.session.scalars(select(Answer.question_id).where(Answer.participant_id.in_(ids)))
    )
    erased.comment_ids |= set(db.session.scalars(select(Comment.id).where(Comment.participant_id.in_(ids))))
    for model, counter in ((Rating, "ratings"), (Comment, "comments"), (Answer, "answers")):
        result = db.session.execute(delete(model).where(model.participant_id.in_(ids)))
        setattr(erased, counter, getattr(erased, counter) + (getattr(result, "rowcount", 0) or 0))
    for person in people:
        db.session.delete(person)
    erased.participants += len(people)


# The three uses --------------------------------------------------------------------------------


def find_participant(session: LiveSession, pseudonym: object) -> Participant:
    """A participant of the session by pseudonym ("P03") or number (3)."""
    number = None
    if isinstance(pseudonym, int) and not isinstance(pseudonym, bool):
        number = pseudonym
    elif isinstance(pseudonym, str) and pseudonym.upper().lstrip("P").isdigit():
        number = int(pseudonym.upper().lstrip("P"))
    person = (
        db.session.scalar(select(Participant).filter_by(session_id=session.id, number=number))
        if number is not None
        else None
    )
    if person is None:
        raise UnknownParticipantError("This session has no such participant.")
    return person


def remove_participant(session: LiveSession, pseudonym: object) -> Erased:
    """The facilitator takes someone out: their answers leave every figure."""
    return erase(session, [find_participant(session, pseudonym)], "removed")


def withdraw(participant: Participant) -> Erased:
    """A participant takes back their answers and comments, while the session is still open."""
    session = db.session.get(LiveSession, participant.session_id)
    assert session is not None
    if session.state is SessionState.CLOSED:
        raise InvalidStateError(
            "The session is closed: its results are final. Ask the facilitator to remove your answers."
        )
    return erase(session, [participant], "withdrawn")


def purge(session: LiveSession) -> Erased:
    """Unlink a closed session's answers from its participants; results and decisions stay."""
    if session.state is not SessionState.CLOSED:
        raise InvalidStateError("Close the session before purging its participants' data.")
    people = list(db.session.scalars(select(Participant).where(Participant.session_id == session.id)))
    erased = erase(session, people, "purged")
    session.purged_at = utcnow()
    db.session.commit()
    return erased


def purge_due(now: datetime | None = None) -> list[LiveSession]:
    """Closed sessions whose retention period has run out and that still hold participants' data."""
    now = now or utcnow()
    closed = db.session.scalars(
        select(LiveSession).where(
            LiveSession.state == SessionState.CLOSED, LiveSession.closed_at.is_not(None)
        )
    )
    due = []
    for session in closed:
        assert session.closed_at is not None
        if session.closed_at + timedelta(days=session.retention_days) <= now and _holds_data(session):
            due.append(session)
    return due


def _holds_data(session: LiveSession) -> bool:
    """Whether any participant of the session still has a token (so is linked to a phone)."""
    count = db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.session_id == session.id, Participant.token_hash.not_like("erased:%")
        )
    )
    return bool(count)


def describe(erased: Erased) -> str:
    """What was removed, in words (for the command line, the flash message and the audit log)."""
    parts = [
        f"{erased.tokens} phone token(s)",
        f"{erased.profiles} profile(s)",
        f"{erased.consents} consent record(s)",
        f"{erased.online} online state(s)",
    ]
    if erased.participants:
        parts.insert(
            0,
            f"{erased.participants} participant(s) with {erased.ratings} rating(s), "
            f"{erased.comments} comment(s) and {erased.answers} list answer(s)",
        )
    return ", ".join(parts)
