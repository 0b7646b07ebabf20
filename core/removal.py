"""After people's answers left a session (removal, withdrawal): tell their phones, update everyone."""

from __future__ import annotations

from core.live import push_erasure, tell_removed
from models import LiveSession
from services.erasure import Erased

MESSAGES = {
    "removed": "The facilitator removed you from this session: your answers were deleted.",
    "withdrawn": "Your answers and comments were withdrawn and deleted.",
}


def announce(session: LiveSession, people: list[tuple[int, str]], erased: Erased, reason: str) -> None:
    """`people`: (participant id, pseudonym) of those erased, read before the erasure."""
    from participant.events import drop_participant  # the participant package imports core

    for participant_id, _pseudonym in people:
        tell_removed(participant_id, MESSAGES[reason])
        drop_participant(participant_id)
    push_erasure(session, erased, [pseudonym for _id, pseudonym in people], reason)
