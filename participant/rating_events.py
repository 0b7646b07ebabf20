"""`submit_rating`, the hot path: registered straight on python-socketio, without a request context.

Flask-SocketIO builds a Flask request context for every event (and opens the session cookie
again); for the one event a room of phones sends thousands of times that was a third of the
server's time. This handler needs only the app (for the database and the writer) and the socket
id, kept from connect in participant/events.py. Same payload, acks and errors as documented in
docs/protocol.md; the events of one connection still run one after another.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask

from core.acks import acked
from core.extensions import socketio
from core.live import FACILITATOR_NS, PARTICIPANT_NS, batcher, facilitator_room
from domain.errors import UnknownParticipantError
from participant.events import Connected, _connected
from services import participation, rounds


@acked
def rate(payload: Any = None, *, participant: Connected | None) -> dict[str, Any]:
    if participant is None:
        raise UnknownParticipantError()
    rating = participation.record_rating(participant, payload)
    if rating.superseded:  # a later answer from this phone is stored: nothing changed
        return {**rating_ack(rating), "superseded": True}
    if rating.repeated:  # a resend of the stored answer: nothing changed, nothing to push
        answer = rating_ack(rating)
        return answer if rating.reason is None else {**answer, "reason": rating.reason}
    batcher.mark(rating.session_id, rating.skill_id)
    answer = rating_ack(rating)
    if rating.reason is not None or rating.reason_asked:  # like a comment, marked as a round reason
        # reason None: the answer changed to one without a reason, which clears the earlier one
        reason = {**answer, "participant": participant.pseudonym, "reason": rating.reason,
                  "hidden": rating.reason_hidden, "changed": rating.reason_changed}  # fmt: skip
        if rating.reason_unhidden:
            rounds.note_hidden_reason_rewritten(
                rating.session_id, participant.pseudonym, rating.skill_id, rating.round
            )
        room = facilitator_room(rating.session_id)
        socketio.emit("reason_recorded", reason, to=room, namespace=FACILITATOR_NS)
    if rating.reason is not None:
        answer["reason"] = rating.reason
    return answer


def rating_ack(rating: participation.RecordedRating) -> dict[str, Any]:
    return {
        "skill_id": rating.skill_id,
        "criterion_id": rating.criterion_id,
        "value": participation.CANT_JUDGE if rating.value is None else rating.value,
        "round": rating.round,
    }


@lru_cache(maxsize=64)
def parsed_locale(tag: str) -> Locale:
    """Babel's Locale for a language tag, parsed once: parsing it per rating cost ~0.08 ms."""
    return Locale.parse(tag)


def install(app: Flask) -> None:
    """Register `submit_rating` on the app's Socket.IO server (call after socketio.init_app)."""

    def submit_rating(sid: str, *args: Any) -> dict[str, Any]:
        with app.app_context():
            connected = _connected.get(sid)
            # Refusals speak the phone's language, read at connect (core/i18n.py needs a request).
            locale = parsed_locale(connected.locale if connected else "en")
            return rate(*args, participant=connected, locale=locale)

    socketio.server.on("submit_rating", submit_rating, namespace=PARTICIPANT_NS)
