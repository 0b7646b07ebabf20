"""Participant Socket.IO namespace: sync, submit_rating, submit_comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_babel import get_locale
from flask_socketio import ConnectionRefusedError, join_room

from core import socket_rooms
from core.acks import acked, unknown_event
from core.extensions import socketio
from core.live import (
    FACILITATOR_NS,
    PARTICIPANT_NS,
    batcher,
    facilitator_room,
    participant_room,
    person_room,
    push_session,
    push_wall,
)
from domain.errors import DomainError, UnknownParticipantError
from domain.joincode import normalize_code
from models import LiveSession, Participant, db
from services import feedback, moderation, open_answers, participation, results, review
from services.payloads import session_payload


@dataclass(frozen=True)
class Connected:
    """Who is behind a connection, kept from connect so the hot path need not load it."""

    id: int
    session_id: int
    number: int
    locale: str = "en"  # the phone's language at connect: the hot path has no request to ask

    @property
    def pseudonym(self) -> str:
        return f"P{self.number:02d}"


# sid -> participant, and open connections per participant (a phone may briefly hold two
# while it reconnects). Socket.IO connections are sticky to one process, so local maps work.
_connected: dict[str, Connected] = {}
_open: dict[int, int] = {}


def forget_connections() -> None:
    """Drop this process's connection maps (tests start each app with a fresh database)."""
    _connected.clear()
    _open.clear()


def _participant() -> Connected:
    participant = _connected.get(request.sid)  # type: ignore[attr-defined]
    if participant is None:
        raise UnknownParticipantError()
    return participant


@socketio.on("connect", namespace=PARTICIPANT_NS)
def connect(auth: Any = None) -> None:
    token = auth.get("token") if isinstance(auth, dict) else None
    code = auth.get("code") if isinstance(auth, dict) else None
    try:
        participant = participation.authenticate(
            token, normalize_code(code) if isinstance(code, str) else None
        )
    except DomainError as exc:  # the client's connect_error gets `data` = the ack (docs/protocol.md)
        raise ConnectionRefusedError(exc.message, exc.to_ack()) from None
    locale = str(get_locale() or "en")
    _connected[request.sid] = Connected(participant.id, participant.session_id, participant.number, locale)  # type: ignore[attr-defined]
    join_room(participant_room(participant.session_id))
    join_room(person_room(participant.id))  # so that removing them reaches this phone
    socket_rooms.remember(request.sid, PARTICIPANT_NS, person_room(participant.id))  # type: ignore[attr-defined]
    _open[participant.id] = _open.get(participant.id, 0) + 1
    participation.set_online(participant, True)
    batcher.mark_presence(participant.session_id)


@socketio.on("disconnect", namespace=PARTICIPANT_NS)
def disconnect(*_args: Any) -> None:
    connected = _connected.pop(request.sid, None)  # type: ignore[attr-defined]
    if connected is None:
        return
    participant_id = connected.id
    socket_rooms.forget(request.sid, PARTICIPANT_NS, person_room(participant_id))  # type: ignore[attr-defined]
    _open[participant_id] = _open.get(participant_id, 1) - 1
    if _open[participant_id] <= 0:
        del _open[participant_id]
        participant = db.session.get(Participant, participant_id)
        if participant is not None:
            participation.set_online(participant, False)
            batcher.mark_presence(participant.session_id)


@socketio.on("*", namespace=PARTICIPANT_NS)
def unknown(event: str, *args: Any) -> dict[str, Any]:
    """Any other event (a facilitator command sent here, a typo) is answered, not left to time out."""
    return unknown_event(event, *args)


@socketio.on("sync", namespace=PARTICIPANT_NS)
@acked
def sync(_payload: Any = None) -> dict[str, Any]:
    """All a phone needs after (re)connecting: session (with round feedback), my answers, results."""
    participant = _participant()
    session = db.session.get(LiveSession, participant.session_id)
    assert session is not None
    if session.is_review and review.advance(session):  # a date came: everyone hears of it
        push_session(session)
    revealed = [i.skill_id for i in session.items if i.revealed]
    state = session_payload(session)
    previous = feedback.own_previous(participant.id, session)
    for item in state["items"]:  # personal, so only here: a broadcast carries the group's part
        item["previous"] = previous.get(item["skill_id"])
    return {
        "session": state,
        "me": {"participant": participant.pseudonym},
        "answers": participation.my_answers(participant, session),
        "open_answers": open_answers.my_open_answers(participant, session),
        "results": results.item_results(session, revealed) if revealed else [],
        "max_comment_length": current_app.config["SB_MAX_COMMENT_LENGTH"],
    }


@socketio.on("submit_comment", namespace=PARTICIPANT_NS)
@acked
def submit_comment(payload: Any = None) -> dict[str, Any]:
    participant = _participant()
    recorded = participation.record_comment(participant, payload, current_app.config["SB_MAX_COMMENT_LENGTH"])
    comment = recorded.comment
    skill_id = payload["skill_id"]
    if recorded.changed:  # a resend of the stored words is acknowledged, but tells nobody anything
        socketio.emit(
            "comment_updated",
            {
                "skill_id": skill_id,
                "participant": participant.pseudonym,
                "comment": results.comment_payload(comment, participant.number) if comment else None,
            },
            to=facilitator_room(participant.session_id),
            namespace=FACILITATOR_NS,
        )
    wall = moderation.wall_of(participant.session_id, skill_id) if recorded.left_wall else None
    if wall is not None:  # a deleted or edited starred comment leaves the projector's wall at once
        push_wall(participant.session_id, wall)
    return {"skill_id": skill_id, "text": comment.text if comment else ""}


@socketio.on("submit_open_answer", namespace=PARTICIPANT_NS)
@acked
def submit_open_answer(payload: Any = None) -> dict[str, Any]:
    """An answer to one of the session's open questions about an item; empty text withdraws it."""
    participant = _participant()
    saved = open_answers.record_open_answer(participant, payload)
    socketio.emit(
        "open_answer_updated",
        {
            "id": saved.id,
            "skill_id": saved.skill_id,
            "question": saved.question,
            "round": saved.round,
            "participant": participant.pseudonym,
            "text": saved.text,
        },
        to=facilitator_room(participant.session_id),
        namespace=FACILITATOR_NS,
    )
    return {"skill_id": saved.skill_id, "question": saved.question, "round": saved.round, "text": saved.text}


def drop_participant(participant_id: int) -> None:
    """Close a removed participant's connections at once, in this process and in the others.

    They heard `participant_removed` first (core/removal.py); their next connect is refused.
    """
    for sid, connected in list(_connected.items()):
        if connected.id == participant_id:
            _connected.pop(sid, None)  # gone already: the disconnect handler has no one to mark offline
    _open.pop(participant_id, None)
    socket_rooms.close(PARTICIPANT_NS, person_room(participant_id))
