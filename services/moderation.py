"""What facilitators decide: comment moderation, the projector's comment wall, per-skill decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.errors import (
    BadPayloadError,
    InvalidStateError,
    SessionClosedError,
    UnknownItemError,
    ValidationError,
)
from models import Comment, CommentState, Decision, LiveSession, SessionState, User, db, utcnow
from services.sessions import find_item

ACTIONS = ("keep", "revise", "discuss", "remove", "undecided")


def _comment(session: LiveSession, comment_id: Any) -> Comment:
    if not isinstance(comment_id, int) or isinstance(comment_id, bool):
        raise BadPayloadError("comment_id must be an integer.")
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.session_id != session.id:
        raise UnknownItemError("This session has no such comment.")
    return comment


def moderate_comment(session: LiveSession, comment_id: Any, state: Any) -> Comment:
    """Star, hide or show a comment; a single comment taken off its star leaves the projector."""
    if state not in {s.value for s in CommentState}:
        raise BadPayloadError("Send comment_id and a state: visible, hidden or starred.")
    comment = _comment(session, comment_id)
    comment.state = CommentState(state)
    if session.wall is not None:  # what the wall shows may change: a newer wall, a newer revision
        session.bump_revision()
    if comment.state is not CommentState.STARRED and (session.wall or {}).get("comment_id") == comment.id:
        session.wall = None
    db.session.commit()
    return comment


def show_wall(session: LiveSession, skill_id: int, comment_id: Any = None) -> dict[str, Any]:
    """Put a skill's starred comments on the projector, or only one of them (`comment_id`)."""
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Comments go on the projector while the session is live.")
    find_item(session, skill_id)
    if comment_id is not None:
        comment = _comment(session, comment_id)
        if comment.skill_id != skill_id:
            raise ValidationError("That comment is about another skill.")
        if comment.state is not CommentState.STARRED:
            raise ValidationError("Star a comment before putting it on the projector.")
    session.wall = {"skill_id": skill_id, "comment_id": comment_id}
    db.session.commit()
    return wall(session)


def clear_wall(session: LiveSession) -> dict[str, Any]:
    """Take comments off the projector: it shows the skill and its results again."""
    session.wall = None
    db.session.commit()
    return wall(session)


def wall_of(session_id: int, skill_id: int) -> dict[str, Any] | None:
    """The wall, when it shows this skill's comments (one was deleted: it leaves at once); else None."""
    session = db.session.get(LiveSession, session_id)
    if session is None or (session.wall or {}).get("skill_id") != skill_id:
        return None
    return wall(session)


def wall(session: LiveSession) -> dict[str, Any]:
    """What the comment wall shows now: starred comments only, so hidden ones never reach the room.

    No pseudonyms: the room sees what was said, not who said it. `revision` is the session's, read
    with the wall's setting and before its comments: a client ignores a wall older than its own.
    """
    spec = session.wall or {}
    skill_id, comment_id, revision = spec.get("skill_id"), spec.get("comment_id"), session.revision
    if skill_id is None:
        return {"skill_id": None, "comment_id": None, "comments": [], "revision": revision}
    query = (
        select(Comment)
        .where(Comment.session_id == session.id, Comment.skill_id == skill_id)
        .where(Comment.state == CommentState.STARRED)
        .order_by(Comment.created_at, Comment.id)
    )
    if comment_id is not None:
        query = query.where(Comment.id == comment_id)
    shown = [{"id": c.id, "text": c.text} for c in db.session.scalars(query)]
    return {"skill_id": skill_id, "comment_id": comment_id, "comments": shown, "revision": revision}


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
        raise ValidationError("Choose one of: %(actions)s.", actions=", ".join(ACTIONS))
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
