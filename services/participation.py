"""Participants: join with consent, answer, comment. Every write is an idempotent upsert."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import and_, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from domain.errors import (
    BadPayloadError,
    CommentTooLongError,
    ConsentRequiredError,
    InvalidValueError,
    ItemLockedError,
    ItemNotOpenError,
    SessionClosedError,
    SessionNotLiveError,
    UnknownItemError,
    UnknownParticipantError,
    ValidationError,
)
from models import (
    Comment,
    Criterion,
    ItemStatus,
    LiveSession,
    Participant,
    Rating,
    SessionItem,
    SessionState,
    db,
    utcnow,
)
from services.rounds import asks_reasons, check_reason
from services.sessions import get_session

CANT_JUDGE = "cant_judge"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_profile(session: LiveSession, profile: Any) -> dict[str, str]:
    """Keep only the session's questions, each answered with one of its options (or blank)."""
    if profile is None:
        return {}
    if not isinstance(profile, Mapping):
        raise BadPayloadError("profile must be an object.")
    clean: dict[str, str] = {}
    for question in session.profile_questions:
        answer = profile.get(question["key"], "")
        if answer in ("", None):
            continue
        if answer not in question["options"]:
            raise ValidationError(f"Choose one of the options for {question['label']}.")
        clean[question["key"]] = answer
    return clean


def join(code: str, consent: bool, profile: Any = None) -> tuple[Participant, str]:
    """Create a pseudonymous participant; return it with its secret token."""
    session = get_session(code)
    if session.state is SessionState.CLOSED:
        raise SessionClosedError()
    if not session.accepts_joins:
        raise SessionNotLiveError("This session has not opened yet. Ask the facilitator.")
    if session.consent_text.strip() and consent is not True:
        raise ConsentRequiredError()
    answers = check_profile(session, profile)
    token = secrets.token_urlsafe(24)
    for _attempt in range(20):  # two phones joining at the same instant may draw one number
        number = (
            db.session.scalar(
                select(func.max(Participant.number)).where(Participant.session_id == session.id)
            )
            or 0
        ) + 1
        participant = Participant(
            session_id=session.id,
            number=number,
            token_hash=hash_token(token),
            profile=answers,
            consent_at=utcnow() if consent else None,
        )
        db.session.add(participant)
        try:
            db.session.commit()
            return participant, token
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("Could not allocate a participant number")


def authenticate(token: Any, code: str | None = None) -> Participant:
    """The participant a token belongs to; with `code`, only if it belongs to that session."""
    if not isinstance(token, str) or not token:
        raise UnknownParticipantError()
    query = select(Participant).where(Participant.token_hash == hash_token(token))
    if code is not None:
        query = query.join(LiveSession, LiveSession.id == Participant.session_id).where(
            LiveSession.code == code
        )
    participant = db.session.scalar(query)
    if participant is None:
        raise UnknownParticipantError()
    return participant


class ParticipantRef(Protocol):
    """What the write paths need of a participant: a Participant, or the ids kept per connection."""

    id: int
    session_id: int


@dataclass(frozen=True)
class RecordedRating:
    session_id: int
    skill_id: int
    criterion_id: int
    value: int | None
    round: int
    reason: str | None = None
    reason_asked: bool = False  # the round's reason rule applies (a reason may have been cleared)


def _check_item(state: SessionState, item_id: int, status: ItemStatus, locks_at: datetime | None) -> None:
    """Raise why an item takes no answers now; lock it first when its countdown ran out."""
    if state is SessionState.CLOSED:
        raise SessionClosedError()
    if state is not SessionState.LIVE:
        raise SessionNotLiveError()
    if status is ItemStatus.OPEN and locks_at is not None and locks_at <= utcnow():
        db.session.execute(
            update(SessionItem)
            .where(SessionItem.id == item_id)
            .values(status=ItemStatus.LOCKED, locks_at=None)
        )
        db.session.commit()
        status = ItemStatus.LOCKED
    if status is ItemStatus.LOCKED:
        raise ItemLockedError()
    if status is not ItemStatus.OPEN:
        raise ItemNotOpenError()


def _skill_id(raw: Any) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise BadPayloadError("skill_id must be an integer.")
    return raw


def _writable_item(participant: ParticipantRef, skill_id: Any) -> SessionItem:
    """The session item a participant may write to now, in one query; else the reason why not."""
    row = db.session.execute(
        select(SessionItem, LiveSession.state)
        .join(LiveSession, SessionItem.session_id == LiveSession.id)
        .where(SessionItem.session_id == participant.session_id, SessionItem.skill_id == _skill_id(skill_id))
    ).one_or_none()
    if row is None:
        raise UnknownItemError()
    item = row.SessionItem
    _check_item(row.state, item.id, item.status, item.locks_at)
    return item


def parse_value(raw: Any) -> int | None:
    """An integer scale point, or None for "can't judge"."""
    if raw == CANT_JUDGE:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise BadPayloadError(f"value must be an integer or {CANT_JUDGE!r}.")
    return raw


# The hot path runs these two statements for every tap on every phone: built once, not per call.
_RATING_TARGET = (
    select(
        SessionItem.id,
        SessionItem.status,
        SessionItem.round,
        SessionItem.locks_at,
        LiveSession.state,
        LiveSession.round_settings,
        Criterion.id.label("criterion_id"),
        Criterion.label,
        Criterion.scale_min,
        Criterion.scale_max,
    )
    .join(LiveSession, SessionItem.session_id == LiveSession.id)
    .outerjoin(
        Criterion, and_(Criterion.session_id == LiveSession.id, Criterion.id == bindparam("criterion_id"))
    )
    .where(SessionItem.session_id == bindparam("session_id"), SessionItem.skill_id == bindparam("skill_id"))
)
_UPSERT_COLUMNS = (
    "session_id",
    "participant_id",
    "skill_id",
    "criterion_id",
    "round",
    "value",
    "reason",
    "first_at",
    "last_at",
    "language",
)


@lru_cache(maxsize=4)
def _upsert_rating(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (participant, skill, criterion, round) DO UPDATE, for SQLite or PostgreSQL."""
    table = Rating.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values({c: bindparam(c, type_=table.c[c].type) for c in _UPSERT_COLUMNS})
    changed = table.c.value.is_distinct_from(statement.excluded.value)
    return statement.on_conflict_do_update(
        index_elements=["participant_id", "skill_id", "criterion_id", "round"],
        set_={
            "value": statement.excluded.value,
            "reason": statement.excluded.reason,
            "language": statement.excluded.language,
            "last_at": case((changed, statement.excluded.last_at), else_=table.c.last_at),
        },
    )


def answer_language(value: Any) -> str:
    """The language a phone says it showed (a rating) or was set to (a comment): a language code
    of up to 8 letters, lower case; anything else is recorded as unknown ("")."""
    if not isinstance(value, str):
        return ""
    code = value.strip().lower().replace("_", "-")
    return code if 2 <= len(code) <= 8 and all(part.isalpha() for part in code.split("-")) else ""


def record_rating(participant: ParticipantRef, payload: Any) -> RecordedRating:
    """Upsert one answer keyed by (participant, skill, criterion, round), with its reason if any.

    One query finds the item, the session's state and the criterion; one INSERT ... ON
    CONFLICT DO UPDATE writes the answer, so a retried or raced submission updates the row
    and never duplicates it; `last_at` moves only when the value changed.
    """
    if not isinstance(payload, Mapping):
        raise BadPayloadError("Send an object with skill_id, criterion_id and value.")
    criterion_id = payload.get("criterion_id")
    if not isinstance(criterion_id, int) or isinstance(criterion_id, bool):
        raise BadPayloadError("criterion_id must be an integer.")
    skill_id = _skill_id(payload.get("skill_id"))
    row = db.session.execute(
        _RATING_TARGET,
        {"session_id": participant.session_id, "skill_id": skill_id, "criterion_id": criterion_id},
    ).one_or_none()
    if row is None:
        raise UnknownItemError()
    _check_item(row.state, row.id, row.status, row.locks_at)
    if row.criterion_id is None:
        raise UnknownItemError("This session has no such criterion.")
    value = parse_value(payload.get("value"))
    if value is not None and not row.scale_min <= value <= row.scale_max:
        raise InvalidValueError(f"{row.label} takes {row.scale_min} to {row.scale_max}.")
    reason = check_reason(
        row.round_settings,
        participant.session_id,
        participant.id,
        skill_id,
        criterion_id,
        row.round,
        value,
        payload.get("reason"),
    )
    now = utcnow()
    db.session.execute(
        _upsert_rating(db.session.get_bind().dialect.name),
        {
            "session_id": participant.session_id,
            "participant_id": participant.id,
            "skill_id": skill_id,
            "criterion_id": criterion_id,
            "round": row.round,
            "value": value,
            "reason": reason,
            "first_at": now,
            "last_at": now,
            "language": answer_language(payload.get("language")),
        },
    )
    db.session.commit()
    asked = asks_reasons(row.round_settings, row.round)
    return RecordedRating(participant.session_id, skill_id, criterion_id, value, row.round, reason, asked)


def record_comment(participant: ParticipantRef, payload: Any, max_length: int) -> Comment | None:
    """Upsert the participant's comment on a skill; empty text deletes it."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("text"), str):
        raise BadPayloadError("Send an object with skill_id and text.")
    text = payload["text"].strip()
    if len(text) > max_length:
        raise CommentTooLongError(f"Comments are limited to {max_length} characters.")
    item = _writable_item(participant, payload.get("skill_id"))
    comment = db.session.scalar(
        select(Comment).filter_by(participant_id=participant.id, skill_id=item.skill_id)
    )
    if not text:
        if comment is not None:
            db.session.delete(comment)
            db.session.commit()
        return None
    now = utcnow()
    language = answer_language(payload.get("language"))
    if comment is None:
        comment = Comment(
            session_id=participant.session_id,
            participant_id=participant.id,
            skill_id=item.skill_id,
            text=text,
            language=language,
            created_at=now,
            updated_at=now,
        )
        db.session.add(comment)
    elif comment.text != text:
        comment.text, comment.updated_at, comment.language = text, now, language
    db.session.commit()
    return comment


def my_answers(participant: ParticipantRef, session: LiveSession) -> dict[str, Any]:
    """The participant's current answers per skill (current round) and comments."""
    rounds = {item.skill_id: item.round for item in session.items}
    answers: dict[str, dict[str, Any]] = {}
    for r in db.session.scalars(select(Rating).where(Rating.participant_id == participant.id)):
        if rounds.get(r.skill_id) == r.round:
            answers.setdefault(str(r.skill_id), {"ratings": {}, "comment": ""})["ratings"][
                str(r.criterion_id)
            ] = CANT_JUDGE if r.value is None else r.value
    for c in db.session.scalars(select(Comment).where(Comment.participant_id == participant.id)):
        answers.setdefault(str(c.skill_id), {"ratings": {}, "comment": ""})["comment"] = c.text
    return answers


def set_online(participant: Participant, online: bool) -> None:
    """Record whether the participant has a live connection (shown as "connected" to facilitators)."""
    participant.online = online
    participant.last_seen_at = utcnow()
    db.session.commit()
