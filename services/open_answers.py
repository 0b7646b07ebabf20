"""Open answers about items ("What is missing?", a better wording), and accepting a wording.

An accepted wording goes into the item list's next version: the latest version is changed when no
session has used it yet, else a new version is made (as the editor does). Both the answer (which
version took it) and the version (which answers it took) keep the link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from domain.errors import BadPayloadError, CommentTooLongError, DomainError, UnknownItemError, ValidationError
from domain.item_lists import kind_of
from domain.open_questions import MAX_LENGTH, OPEN_QUESTIONS
from models import FrameworkVersion, LiveSession, OpenAnswer, db, utcnow
from services import frameworks
from services.participation import ParticipantRef, _writable_item, resent_after_lock


@dataclass(frozen=True)
class SavedOpenAnswer:
    skill_id: int
    question: str
    round: int
    text: str
    id: int | None  # None: the text was emptied and the answer deleted


def record_open_answer(participant: ParticipantRef, payload: Any) -> SavedOpenAnswer:
    """Upsert one answer keyed by (participant, item, question, round); empty text deletes it."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("text"), str):
        raise BadPayloadError(_("Send an object with skill_id, question and text."))
    key = payload.get("question")
    session = db.session.get(LiveSession, participant.session_id)
    if session is None or key not in (session.open_questions or []):
        raise BadPayloadError(_("This session does not ask that open question."))
    text = payload["text"].strip()
    if len(text) > MAX_LENGTH:
        raise CommentTooLongError(_("Answers are limited to %(max)s characters.", max=MAX_LENGTH))
    try:
        item = _writable_item(participant, payload.get("skill_id"))
        locked = None
    except DomainError as refused:
        item, locked = resent_after_lock(participant, payload.get("skill_id"), refused), refused
    where = {
        "participant_id": participant.id,
        "skill_id": item.skill_id,
        "question": key,
        "round": item.round,
    }
    answer = db.session.scalar(select(OpenAnswer).filter_by(**where))
    if locked is not None:  # a resend of the text stored before the lock is acknowledged as stored
        if (answer.text if answer else "") != text:
            raise locked
        return SavedOpenAnswer(item.skill_id, key, item.round, text, answer.id if answer else None)
    if not text:
        if answer is not None and answer.accepted_version_id is None:
            db.session.delete(answer)
            db.session.commit()
        return SavedOpenAnswer(item.skill_id, key, item.round, "", None)
    now = utcnow()
    if answer is None:
        answer = OpenAnswer(
            session_id=participant.session_id, text=text, created_at=now, updated_at=now, **where
        )
        db.session.add(answer)
    elif answer.text != text:
        answer.text, answer.updated_at = text, now
    db.session.commit()
    return SavedOpenAnswer(item.skill_id, key, item.round, answer.text, answer.id)


def my_open_answers(participant: ParticipantRef, session: LiveSession) -> dict[str, dict[str, str]]:
    """skill id -> question -> the participant's text, in each item's current round."""
    rounds = {item.skill_id: item.round for item in session.items}
    mine: dict[str, dict[str, str]] = {}
    for a in db.session.scalars(select(OpenAnswer).where(OpenAnswer.participant_id == participant.id)):
        if rounds.get(a.skill_id) == a.round:
            mine.setdefault(str(a.skill_id), {})[a.question] = a.text
    return mine


def answer_payload(answer: OpenAnswer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "skill_id": answer.skill_id,
        "question": answer.question,
        "round": answer.round,
        "participant": answer.participant.pseudonym,
        "text": answer.text,
        "updated_at": answer.updated_at.isoformat(),
        "accepted_version": answer.accepted_version.number if answer.accepted_version else None,
    }


def open_answers_by_item(session: LiveSession) -> dict[int, list[OpenAnswer]]:
    """Every open answer of the session, per item, newest round first, then by pseudonym."""
    rows = db.session.scalars(
        select(OpenAnswer).where(OpenAnswer.session_id == session.id).order_by(OpenAnswer.round.desc())
    )
    grouped: dict[int, list[OpenAnswer]] = {}
    for answer in sorted(rows, key=lambda a: (-a.round, a.question, a.participant.number)):
        grouped.setdefault(answer.skill_id, []).append(answer)
    return grouped


def accept_wording(session: LiveSession, answer_id: int, text: str | None = None) -> FrameworkVersion:
    """Put a suggested wording (as given, or as the facilitator edited it) into the next version."""
    answer = db.session.get(OpenAnswer, answer_id)
    if answer is None or answer.session_id != session.id:
        raise UnknownItemError(_("This session has no such answer."))
    if not OPEN_QUESTIONS[answer.question].suggests_wording:
        raise ValidationError(_("Only a suggested wording can be accepted into the list."))
    wording = (answer.text if text is None else text).strip()
    if not wording:
        raise ValidationError(_("The wording to accept is empty."))
    framework = session.framework_version.framework
    field = kind_of(framework.kind).wording_field
    items = frameworks.skill_inputs(framework.latest)
    code = answer.skill.code
    if not any(i.code == code for i in items):
        raise UnknownItemError(
            _("The list's latest version has no item %(code)s; it was removed.", code=code)
        )
    changed = [frameworks.replace_field(i, field, wording) if i.code == code else i for i in items]
    version = frameworks.save_skills(framework, changed)
    provenance = dict(version.provenance or {})
    accepted = [*provenance.get("accepted", [])]
    accepted.append(
        {
            "answer_id": answer.id,
            "session": session.code,
            "participant": answer.participant.pseudonym,
            "round": answer.round,
            "item": code,
            "field": field,
            "from_version": session.framework_version.number,
            "at": utcnow().isoformat(),
        }
    )
    version.provenance = {**provenance, "accepted": accepted}
    answer.accepted_version_id, answer.accepted_at = version.id, utcnow()
    db.session.commit()
    return version
