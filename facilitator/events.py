"""Facilitator Socket.IO namespace: run the session (state, items, reveal, moderation, decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from flask import session as flask_session
from flask_socketio import ConnectionRefusedError, join_room

from core import socket_rooms
from core.acks import acked, unknown_event
from core.extensions import socketio
from core.live import (
    FACILITATOR_NS,
    facilitator_room,
    projector_room,
    push_results,
    push_session,
    push_wall,
    schedule_countdown,
)
from core.removal import announce
from core.security import user_room
from domain.errors import BadPayloadError, DomainError, NotAuthorizedError
from models import LiveSession, Pacing, User
from services import audit, erasure, moderation, results, rounds, sessions, users
from services.payloads import finished_count, left_out, progress_payload, session_payload


def _user() -> User:
    """The signed-in user of this connection, read from its own copy of the login session.

    Not flask_login.current_user: that is cached in `g`, which a handler may share with
    whatever app context is already active.
    """
    user = users.user_for_login_id(flask_session.get("_user_id"))  # None once signed out
    if user is None:
        raise NotAuthorizedError("Sign in again.")
    return user


@dataclass(frozen=True)
class Opened:
    """What a connection was opened for: one session, as its dashboard or its projector."""

    session_id: int
    projector: bool
    user_id: int


# sid -> what it was opened for; connections are sticky to one process, so a local map works.
_opened: dict[str, Opened] = {}


def _session(payload: Any, *, watching: bool = False) -> LiveSession:
    """The session a command is about: the one this connection was opened for, by its user.

    A projector connection only watches (`sync`, `sync_questions`): every other command is refused.
    """
    user = _user()
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), str):
        raise BadPayloadError("Send an object with the session code.")
    session = sessions.get_session_for(user, payload["code"])
    opened = _opened.get(request.sid)  # type: ignore[attr-defined]
    if opened is None or opened.session_id != session.id:
        raise NotAuthorizedError("This connection was opened for another session: open that session's page.")
    if opened.projector and not watching:
        raise NotAuthorizedError("The projector only shows the session; run it from the dashboard.")
    return session


def is_projector() -> bool:
    opened = _opened.get(request.sid)  # type: ignore[attr-defined]
    return opened is not None and opened.projector


def _flag(payload: dict[str, Any], key: str) -> bool:
    """An optional true/false field (true when absent): anything but a JSON boolean is refused."""
    value = payload.get(key, True)
    if not isinstance(value, bool):
        raise BadPayloadError(f"{key} must be true or false.")
    return value


def _log(session: LiveSession, action: str, target: str = "", /, **detail: Any) -> None:
    """Note the signed-in user's action on the session in the audit log."""
    audit.record(_user(), action, session.code, target, detail)


def _skill_id(payload: dict[str, Any]) -> int:
    skill_id = payload.get("skill_id")
    if not isinstance(skill_id, int) or isinstance(skill_id, bool):
        raise BadPayloadError("skill_id must be an integer.")
    return skill_id


@socketio.on("connect", namespace=FACILITATOR_NS)
def connect(auth: Any = None) -> None:
    try:
        user = _user()
        if not isinstance(auth, dict) or not isinstance(auth.get("code"), str):
            raise BadPayloadError('Connect with auth = {"code": CODE}.')
        session = sessions.get_session_for(user, auth["code"])
        view = auth.get("view", "dashboard")
        if view not in ("dashboard", "projector"):
            raise BadPayloadError('view must be "dashboard" or "projector".')
    except DomainError as exc:  # the client's connect_error gets `data` = the ack (docs/protocol.md)
        raise ConnectionRefusedError(exc.message, exc.to_ack()) from None
    _opened[request.sid] = Opened(session.id, view == "projector", user.id)  # type: ignore[attr-defined]
    join_room(user_room(user.id))  # so that signing out can close this socket, in any process
    socket_rooms.remember(request.sid, FACILITATOR_NS, user_room(user.id))  # type: ignore[attr-defined]
    join_room(projector_room(session.id) if view == "projector" else facilitator_room(session.id))


@socketio.on("disconnect", namespace=FACILITATOR_NS)
def disconnect(*_args: Any) -> None:
    opened = _opened.pop(request.sid, None)  # type: ignore[attr-defined]
    if opened is not None:
        socket_rooms.forget(request.sid, FACILITATOR_NS, user_room(opened.user_id))  # type: ignore[attr-defined]


@socketio.on("*", namespace=FACILITATOR_NS)
def unknown(event: str, *args: Any) -> dict[str, Any]:
    """Any other event is answered, not left to time out."""
    return unknown_event(event, *args)


@socketio.on("sync", namespace=FACILITATOR_NS)
@acked
def sync(payload: Any = None) -> dict[str, Any]:
    """The whole picture after (re)connecting: session, results, comments, completion."""
    session = _session(payload, watching=True)
    if is_projector():
        return _projector_picture(session)
    return {
        "session": session_payload(session),
        "results": results.item_results(session),
        "comments": results.comments(session),
        "reasons": rounds.reasons(session),
        **results.presence(session.id),
        "completion": results.completion(session),
        "decisions": moderation.decisions(session),
        "wall": moderation.wall(session),
    }


def _projector_picture(session: LiveSession) -> dict[str, Any]:
    """Only what the room may see: counts of answers, revealed results, the comment wall."""
    every = results.item_results(session)
    revealed = {i.skill_id for i in session.items if i.revealed}
    picture = {
        "session": session_payload(session),
        "results": [r for r in every if r["skill_id"] in revealed],
        "progress": progress_payload(every),
        **results.presence(session.id),
        "wall": moderation.wall(session),
    }
    if session.pacing is Pacing.SELF:  # how many finished, never who
        picture["finished"] = finished_count(results.completion(session))
    return picture


@socketio.on("set_state", namespace=FACILITATOR_NS)
@acked
def set_state(payload: Any = None) -> dict[str, Any]:
    session = sessions.set_state(_session(payload), str(payload.get("state")))
    _log(session, "session_state", session.state.value)
    push_session(session)
    return {"state": session.state.value}


@socketio.on("open_item", namespace=FACILITATOR_NS)
@acked
def open_item(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    item = sessions.open_item(session, _skill_id(payload))
    _log(session, "item_opened", item.skill.code, round=item.round)
    push_session(session)
    if session.wall is not None:  # moving on takes the comments of the last skill off the screen
        push_wall(session.id, moderation.clear_wall(session))
    schedule_countdown(session)
    return {"skill_id": item.skill_id}


@socketio.on("lock_item", namespace=FACILITATOR_NS)
@acked
def lock_item(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    item = sessions.lock_item(session, _skill_id(payload), _flag(payload, "locked"))
    _log(session, "item_locked" if item.status.value == "locked" else "item_unlocked", item.skill.code)
    push_session(session)
    return {"skill_id": item.skill_id, "status": item.status.value}


@socketio.on("reveal_item", namespace=FACILITATOR_NS)
@acked
def reveal_item(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    item = sessions.reveal_item(session, _skill_id(payload), _flag(payload, "revealed"))
    _log(session, "results_revealed" if item.revealed else "results_hidden", item.skill.code)
    push_session(session)
    if item.revealed:
        push_results(session.id, {item.skill_id})
    return {"skill_id": item.skill_id, "revealed": item.revealed}


@socketio.on("revote_item", namespace=FACILITATOR_NS)
@acked
def revote_item(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    item = sessions.revote_item(session, _skill_id(payload))
    _log(session, "revote", item.skill.code, round=item.round)
    push_session(session)
    push_results(session.id, {item.skill_id})
    schedule_countdown(session)
    return {"skill_id": item.skill_id, "round": item.round}


@socketio.on("start_round", namespace=FACILITATOR_NS)
@acked
def start_round(payload: Any = None) -> dict[str, Any]:
    """A new round for the whole session: every item (`scope` "all") or those not yet stopped ("unmet")."""
    session = _session(payload)
    scope = payload.get("scope", "all")
    if scope not in ("all", "unmet"):
        raise BadPayloadError("scope must be 'all' or 'unmet'.")
    chosen = rounds.unmet_skill_ids(session) if scope == "unmet" else None
    started = rounds.start_session_round(session, _user(), chosen)
    _log(session, "round_started", f"round {started.number}", scope=scope, items=len(started.skill_ids))
    push_session(session)
    push_results(session.id, set(started.skill_ids))
    schedule_countdown(session)
    return {"round": started.number, "skill_ids": started.skill_ids}


@socketio.on("hide_reason", namespace=FACILITATOR_NS)
@acked
def hide_reason(payload: Any = None) -> dict[str, Any]:
    """Keep a round reason from the panel's feedback (`hidden` true), or give it back (false)."""
    session = _session(payload)
    hidden = payload.get("hidden")
    if not isinstance(hidden, bool):
        raise BadPayloadError("hidden must be true or false.")
    reason = rounds.set_reason_hidden(
        session, payload.get("participant"), payload.get("skill_id"), payload.get("criterion_id"),
        payload.get("round"), hidden,
    )  # fmt: skip
    _log(
        session,
        "reason_hidden" if hidden else "reason_shown",
        reason["participant"],
        skill_id=reason["skill_id"],
    )
    socketio.emit("reason_recorded", reason, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    push_session(session)  # phones' feedback changes
    return reason


@socketio.on("moderate_comment", namespace=FACILITATOR_NS)
@acked
def moderate_comment(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    walled = session.wall is not None
    comment = moderation.moderate_comment(session, payload.get("comment_id"), payload.get("state"))
    _log(session, f"comment_{comment.state.value}", f"comment {comment.id}", skill_id=comment.skill_id)
    socketio.emit(
        "comment_moderated",
        {"comment_id": comment.id, "state": comment.state.value},
        to=facilitator_room(session.id),
        namespace=FACILITATOR_NS,
    )
    if walled:  # a starred comment joins the wall; a hidden or unstarred one leaves it, at once
        push_wall(session.id, moderation.wall(session))
    return {"comment_id": comment.id, "state": comment.state.value}


@socketio.on("show_wall", namespace=FACILITATOR_NS)
@acked
def show_wall(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    wall = moderation.show_wall(session, _skill_id(payload), payload.get("comment_id"))
    _log(session, "wall_shown", "", skill_id=wall.get("skill_id"), comment_id=wall.get("comment_id"))
    push_wall(session.id, wall)
    return wall


@socketio.on("clear_wall", namespace=FACILITATOR_NS)
@acked
def clear_wall(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    wall = moderation.clear_wall(session)
    _log(session, "wall_cleared")
    push_wall(session.id, wall)
    return wall


@socketio.on("record_decision", namespace=FACILITATOR_NS)
@acked
def record_decision(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    decision = moderation.record_decision(
        session, _user(), _skill_id(payload), payload.get("action"), payload.get("reason", "")
    )
    _log(
        session,
        "decision",
        sessions.find_item(session, decision["skill_id"]).skill.code,
        action=decision.get("action"),
        reason=decision.get("reason"),
    )
    socketio.emit("decision_recorded", decision, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    return decision


@socketio.on("remove_participant", namespace=FACILITATOR_NS)
@acked
def remove_participant(payload: Any = None) -> dict[str, Any]:
    """Take a participant out: their answers and comments are deleted and leave every figure."""
    session = _session(payload)
    person = erasure.find_participant(session, payload.get("participant"))
    who = (person.id, person.pseudonym)
    erased = erasure.remove_participant(session, person.pseudonym)
    _log(session, "participant_removed", who[1], **erased.summary())
    announce(session, [who], erased, "removed")
    return {"participant": who[1], **erased.summary(), "left_out": left_out(session)}
