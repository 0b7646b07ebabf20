"""Participants: join with consent, answer, comment. Every write is an idempotent upsert."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
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
    ItemStatus,
    LiveSession,
    Participant,
    Rating,
    SessionItem,
    SessionState,
    db,
    utcnow,
)
from services.sessions import expire_countdowns, find_item, get_session

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


def authenticate(token: Any) -> Participant:
    if not isinstance(token, str) or not token:
        raise UnknownParticipantError()
    participant = db.session.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))
    if participant is None:
        raise UnknownParticipantError()
    return participant


def _writable_item(participant: Participant, skill_id: Any) -> tuple[LiveSession, SessionItem]:
    if not isinstance(skill_id, int) or isinstance(skill_id, bool):
        raise BadPayloadError("skill_id must be an integer.")
    session = db.session.get(LiveSession, participant.session_id)
    assert session is not None
    if session.state is SessionState.CLOSED:
        raise SessionClosedError()
    if session.state is not SessionState.LIVE:
        raise SessionNotLiveError()
    expire_countdowns(session)
    item = find_item(session, skill_id)
    if item.status is ItemStatus.LOCKED:
        raise ItemLockedError()
    if item.status is not ItemStatus.OPEN:
        raise ItemNotOpenError()
    return session, item


def parse_value(raw: Any) -> int | None:
    """An integer scale point, or None for "can't judge"."""
    if raw == CANT_JUDGE:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise BadPayloadError(f"value must be an integer or {CANT_JUDGE!r}.")
    return raw


def record_rating(participant: Participant, payload: Any) -> Rating:
    """Upsert one answer keyed by (participant, skill, criterion, round)."""
    if not isinstance(payload, Mapping):
        raise BadPayloadError("Send an object with skill_id, criterion_id and value.")
    session, item = _writable_item(participant, payload.get("skill_id"))
    criterion = next((c for c in session.criteria if c.id == payload.get("criterion_id")), None)
    if criterion is None:
        raise UnknownItemError("This session has no such criterion.")
    value = parse_value(payload.get("value"))
    if value is not None and not criterion.accepts(value):
        raise InvalidValueError(f"{criterion.label} takes {criterion.scale_min} to {criterion.scale_max}.")
    key = dict(
        participant_id=participant.id, skill_id=item.skill_id, criterion_id=criterion.id, round=item.round
    )
    rating = db.session.scalar(select(Rating).filter_by(**key))
    now = utcnow()
    if rating is None:
        rating = Rating(session_id=session.id, value=value, first_at=now, last_at=now, **key)
        db.session.add(rating)
    elif rating.value != value:
        rating.value, rating.last_at = value, now
    participant.last_seen_at = now
    try:
        db.session.commit()
    except IntegrityError:  # the same answer raced in on another connection: update it
        db.session.rollback()
        rating = db.session.scalars(select(Rating).filter_by(**key)).one()
        rating.value, rating.last_at = value, now
        db.session.commit()
    return rating


def record_comment(participant: Participant, payload: Any, max_length: int) -> Comment | None:
    """Upsert the participant's comment on a skill; empty text deletes it."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("text"), str):
        raise BadPayloadError("Send an object with skill_id and text.")
    text = payload["text"].strip()
    if len(text) > max_length:
        raise CommentTooLongError(f"Comments are limited to {max_length} characters.")
    session, item = _writable_item(participant, payload.get("skill_id"))
    comment = db.session.scalar(
        select(Comment).filter_by(participant_id=participant.id, skill_id=item.skill_id)
    )
    if not text:
        if comment is not None:
            db.session.delete(comment)
            db.session.commit()
        return None
    now = utcnow()
    if comment is None:
        comment = Comment(
            session_id=session.id,
            participant_id=participant.id,
            skill_id=item.skill_id,
            text=text,
            created_at=now,
            updated_at=now,
        )
        db.session.add(comment)
    elif comment.text != text:
        comment.text, comment.updated_at = text, now
    db.session.commit()
    return comment


def my_answers(participant: Participant, session: LiveSession) -> dict[str, Any]:
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
