"""Participants: join with consent, answer, comment. Every write is an idempotent upsert."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.i18n import reader_language
from domain.errors import (
    BadPayloadError,
    CommentTooLongError,
    ConsentChangedError,
    ConsentRequiredError,
    DomainError,
    ItemLockedError,
    SessionClosedError,
    SessionFullError,
    SessionNotLiveError,
    UnknownItemError,
    UnknownParticipantError,
    ValidationError,
)
from models import (
    Comment,
    CommentState,
    ItemStatus,
    LiveSession,
    Participant,
    ParticipantKey,
    Rating,
    SessionItem,
    SessionState,
    db,
    revision_bump,
    utcnow,
)
from services import live_tally, rating_writer, session_texts
from services.rating_writer import RatingWrite, RecordedRating
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
            raise ValidationError(
                _(
                    "Choose one of the options for %(question)s.",
                    question=session_texts.profile([question], reader_language())[0]["label"],
                )
            )
        clean[question["key"]] = answer
    return clean


def check_consent(session: LiveSession, consent: bool, version: Any = None) -> None:
    """Consent counts for the text the person read: `version`, the consent_version of the text
    their page showed (None from a client that sends none), must be that of the text now."""
    if version is not None:
        if not isinstance(version, str):
            raise BadPayloadError("consent_version must be a string.")
        now = session_texts.consent_version(session, reader_language())
        if now and version != now:
            raise ConsentChangedError()
    if session.consent_text.strip() and consent is not True:
        raise ConsentRequiredError()


def join(
    code: str, consent: bool, profile: Any = None, consent_version: Any = None
) -> tuple[Participant, str]:
    """Create a pseudonymous participant; return it with its secret token."""
    session = get_session(code)
    if session.state is SessionState.CLOSED:
        raise SessionClosedError()
    if not session.accepts_joins:
        raise SessionNotLiveError(_("This session has not opened yet. Ask the facilitator."))
    check_consent(session, consent, consent_version)
    answers = check_profile(session, profile)
    if session.capacity is not None and _joined(session.id) >= session.capacity:
        raise _full(session.capacity)
    token = secrets.token_urlsafe(24)
    session_id, capacity = session.id, session.capacity
    for _attempt in range(20):
        # Phones joining at the same instant would draw the same number. On PostgreSQL the lock
        # on the session's row makes them take turns (held until the commit below); SQLite lets
        # one writer in at a time, and a clash between processes is retried.
        db.session.execute(select(LiveSession.id).where(LiveSession.id == session_id).with_for_update())
        number = _next_number(session_id, session.removed_participants + session.withdrawn_participants)
        try:
            # Known to the live tallies: the new person is put into the session's kept tally once
            # committed, instead of every tally being dropped and read again (services/live_tally.py).
            with live_tally.person_write(session_id) as change:
                participant = db.session.scalars(
                    insert(Participant)
                    .values(
                        session_id=session_id,
                        number=number,
                        token_hash=hash_token(token),
                        profile=answers,
                        consent_at=utcnow() if consent else None,
                    )
                    .returning(Participant),
                    execution_options={live_tally.KNOWN: True},
                ).one()
                change.written(participant.id, number, participant.online)
                commit_keeping_loaded()
        except IntegrityError:
            db.session.rollback()
            continue
        if capacity is not None and _joined(session_id, participant.id) > capacity:
            db.session.delete(participant)  # others got in at the same instant and took the last places
            db.session.commit()
            raise _full(capacity)
        return participant, token
    raise RuntimeError("Could not allocate a participant number")


def _next_number(session_id: int, gone: int) -> int:
    """The number the next participant gets: never one given before, even after people were
    removed or withdrew (`gone`, whose rows are deleted).

    The highest number comes from the (session, number) index. The participants are counted only
    when someone is gone: numbers all differ and start at 1, so the highest is at least their count
    anyway, and counting walks every participant of the session on each join (at 10,000 phones,
    a sixth of a join's time).
    """
    here = Participant.session_id == session_id
    if not gone:
        return (db.session.scalar(select(func.max(Participant.number)).where(here)) or 0) + 1
    highest, joined = db.session.execute(
        select(func.max(Participant.number), func.count(Participant.id)).where(here)
    ).one()
    return max(highest or 0, joined + gone) + 1


def give_consent(
    participant: Participant, consent: bool, profile: Any = None, consent_version: Any = None
) -> None:
    """Consent (and profile answers) from someone who came with a personal link made in advance."""
    session = db.session.get(LiveSession, participant.session_id)
    assert session is not None
    if session.state is SessionState.CLOSED:
        raise SessionClosedError()
    check_consent(session, consent, consent_version)
    participant.profile = check_profile(session, profile)
    participant.consent_at = utcnow()
    db.session.commit()


def _joined(session_id: int, up_to: int | None = None) -> int:
    """How many joined the session (those who joined before participant `up_to`, with it)."""
    query = select(func.count(Participant.id)).where(Participant.session_id == session_id)
    if up_to is not None:
        query = query.where(Participant.id <= up_to)
    return db.session.scalar(query) or 0


def _full(capacity: int) -> SessionFullError:
    people = "person" if capacity == 1 else "people"
    return SessionFullError(f"This session is full: it takes {capacity} {people}. Ask the facilitator.")


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
    if participant is None:  # another device of someone who came back with their resume code
        query = (
            select(Participant)
            .join(ParticipantKey, ParticipantKey.participant_id == Participant.id)
            .where(ParticipantKey.token_hash == hash_token(token))
        )
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

    @property
    def id(self) -> int: ...

    @property
    def session_id(self) -> int: ...


def _check_item(item: SessionItem, state: SessionState) -> None:
    """Raise why an item takes no answers now; lock it first when its countdown ran out (keeping
    `locks_at`: the countdown's timer tells the room, services/sessions.expire_countdowns)."""
    status, locks_at = item.status, item.locks_at
    expired = locks_at is not None and locks_at <= utcnow()
    if state is SessionState.LIVE and status is ItemStatus.OPEN and expired:
        db.session.execute(
            update(SessionItem).where(SessionItem.id == item.id).values(status=ItemStatus.LOCKED)
        )
        db.session.execute(revision_bump({item.session_id}))
        db.session.commit()
        status = ItemStatus.LOCKED
    rating_writer.check_item(state, status)  # the one rule, shared with the rating writer


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
    _check_item(item, row.state)
    return item


def resent_after_lock(participant: ParticipantRef, skill_id: Any, error: DomainError) -> SessionItem:
    """The item of an answer refused with `error`, when the refusal is a lock or the session's end:
    the caller acknowledges a resend of the text stored before it (the phone's ack was lost, the
    answer was not) and re-raises `error` otherwise."""
    if not isinstance(error, (ItemLockedError, SessionClosedError)):
        raise error
    item = db.session.scalar(
        select(SessionItem).filter_by(session_id=participant.session_id, skill_id=_skill_id(skill_id))
    )
    if item is None:
        raise error
    return item


def parse_value(raw: Any) -> int | None:
    """An integer scale point, or None for "can't judge"."""
    if raw == CANT_JUDGE:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise BadPayloadError(f"value must be an integer or {CANT_JUDGE!r}.")
    return raw


def parse_seq(raw: Any) -> int | None:
    """The phone's sequence number: absent, or an integer from 0 to 2**63 - 1."""
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw < 2**63:
        raise BadPayloadError("seq must be a whole number from 0 to 2**63 - 1.")
    return raw


def answer_language(value: Any) -> str:
    """The language a phone says it showed (a rating) or was set to (a comment): a language code
    of up to 8 letters, lower case; anything else is recorded as unknown ("")."""
    if not isinstance(value, str):
        return ""
    code = value.strip().lower().replace("_", "-")
    return code if 2 <= len(code) <= 8 and all(part.isalpha() for part in code.split("-")) else ""


def record_rating(participant: ParticipantRef, payload: Any) -> RecordedRating:
    """Upsert one answer keyed by (participant, skill, criterion, round), in the phone's order.

    The payload is parsed here; the group-commit writer (services/rating_writer.py) checks it
    against the session's state, writes it with one INSERT ... ON CONFLICT DO UPDATE (a retried
    or raced submission updates the row, never duplicates it; a lower `seq` than stored loses)
    and returns only once it is committed.
    """
    if not isinstance(payload, Mapping):
        raise BadPayloadError("Send an object with skill_id, criterion_id and value.")
    criterion_id = payload.get("criterion_id")
    if not isinstance(criterion_id, int) or isinstance(criterion_id, bool):
        raise BadPayloadError("criterion_id must be an integer.")
    write = RatingWrite(
        participant_id=participant.id,
        session_id=participant.session_id,
        skill_id=_skill_id(payload.get("skill_id")),
        criterion_id=criterion_id,
        value=parse_value(payload.get("value")),
        seq=parse_seq(payload.get("seq")),
        reason=payload.get("reason"),
        language=answer_language(payload.get("language")),
    )
    return rating_writer.writer().write(write)


def _off_the_wall(session_id: int, comment_id: int) -> None:
    """A wall that shows only this comment (deleted, or rewritten and so no longer starred) shows
    its skill's starred comments instead, rather than pointing at nothing."""
    session = db.session.get(LiveSession, session_id)
    wall = (session.wall if session is not None else None) or {}
    if session is not None and wall.get("comment_id") == comment_id:
        session.wall = {"skill_id": wall["skill_id"], "comment_id": None}


@dataclass(frozen=True)
class RecordedComment:
    """The comment now stored (None: deleted), whether a starred one was deleted or rewritten,
    so that it left the projector's comment wall, and whether anything changed at all (a resend
    of the stored words, or deleting none, tells the dashboards nothing new)."""

    comment: Comment | None
    left_wall: bool = False
    changed: bool = True


def record_comment(participant: ParticipantRef, payload: Any, max_length: int) -> RecordedComment:
    """Upsert the participant's comment on a skill; empty text deletes it."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("text"), str):
        raise BadPayloadError("Send an object with skill_id and text.")
    text = payload["text"].strip()
    if len(text) > max_length:
        raise CommentTooLongError(_("Comments are limited to %(max)s characters.", max=max_length))
    try:
        item, locked = _writable_item(participant, payload.get("skill_id")), None
    except DomainError as refused:
        item, locked = resent_after_lock(participant, payload.get("skill_id"), refused), refused
    comment = db.session.scalar(
        select(Comment).filter_by(participant_id=participant.id, skill_id=item.skill_id)
    )
    if (comment.text if comment else "") == text:
        # The stored words again (a retry, also after the lock), or deleting none: nothing changes
        return RecordedComment(comment, changed=False)
    if locked is not None:
        raise locked
    starred = comment is not None and comment.state is CommentState.STARRED
    if not text:
        assert comment is not None  # empty text differs from the stored words: there are some
        if starred:  # it may be on the wall: that wall is older now
            db.session.execute(revision_bump({participant.session_id}))
            _off_the_wall(participant.session_id, comment.id)
        db.session.delete(comment)
        db.session.commit()
        return RecordedComment(None, left_wall=starred)
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
    else:
        comment.text, comment.updated_at, comment.language = text, now, language
        if starred:
            # The facilitator starred other words: the new ones wait for a look before the room
            # sees them (the wall shows starred comments only). Hidden stays hidden.
            comment.state = CommentState.VISIBLE
            db.session.execute(revision_bump({participant.session_id}))
            _off_the_wall(participant.session_id, comment.id)
    db.session.commit()
    return RecordedComment(comment, left_wall=starred)  # a starred comment rewritten is visible now


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
    with live_tally.person_write(participant.session_id) as change:  # the tally's people follow
        number = db.session.scalar(
            update(Participant)
            .where(Participant.id == participant.id)
            .values(online=online, last_seen_at=utcnow())
            .returning(Participant.number),
            execution_options={live_tally.KNOWN: True},
        )
        if number is not None:  # else removed meanwhile: the removal dropped the tallies
            change.written(participant.id, number, online)
        commit_keeping_loaded()


def commit_keeping_loaded() -> None:
    """Commit without expiring the objects loaded: the caller reads them again at once (the joined
    participant's number, the connected one's session), and each would be a query per phone for
    rows this commit just wrote or read. Two to three statements of the 17 a phone needs to join,
    connect and sync."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
