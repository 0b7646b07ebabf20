"""What facilitators decide: comment moderation and per-skill decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.errors import BadPayloadError, SessionClosedError, UnknownItemError, ValidationError
from models import Comment, CommentState, Decision, LiveSession, SessionState, User, db, utcnow
from services.sessions import find_item

ACTIONS = ("keep", "revise", "discuss", "remove", "undecided")


def moderate_comment(session: LiveSession, comment_id: Any, state: Any) -> Comment:
    if not isinstance(comment_id, int) or state not in {s.value for s in CommentState}:
        raise BadPayloadError("Send comment_id and a state: visible, hidden or starred.")
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.session_id != session.id:
        raise UnknownItemError("This session has no such comment.")
    comment.state = CommentState(state)
    db.session.commit()
    return comment


def decision_payload(decision: Decision) -> dict[str, Any]:
    return {
        "skill_id": decision.skill_id,
        "action": decision.action,
        "reason": decision.reason,
        "decided_by": decision.decided_by.label,
        "decided_at": decision.decided_at.isoformat(),
    }


def record_decision(
    session: LiveSession, user: User, skill_id: int, action: Any, reason: Any
) -> dict[str, Any]:
    """Record (or change) the decision on a skill; a reason is required except for 'undecided'."""
    if session.state is SessionState.CLOSED:
        raise SessionClosedError()
    find_item(session, skill_id)
    if action not in ACTIONS:
        raise ValidationError(f"Choose one of: {', '.join(ACTIONS)}.")
    if not isinstance(reason, str) or len(reason) > 2000:
        raise BadPayloadError("reason must be text of at most 2000 characters.")
    if action != "undecided" and not reason.strip():
        raise ValidationError("Give a reason for the decision.")
    decision = db.session.scalar(select(Decision).filter_by(session_id=session.id, skill_id=skill_id))
    if decision is None:
        decision = Decision(session_id=session.id, skill_id=skill_id, action=action)
        db.session.add(decision)
    decision.action, decision.reason = action, reason.strip()
    decision.decided_by_id, decision.decided_at = user.id, utcnow()
    db.session.commit()
    return decision_payload(decision)


def decisions(session: LiveSession) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Decision).where(Decision.session_id == session.id))
    return [decision_payload(d) for d in rows]
