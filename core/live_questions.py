"""Pushing list-question changes: what is on screen, live results, and revealed results."""

from __future__ import annotations

from core.extensions import socketio
from core.live import FACILITATOR_NS, PARTICIPANT_NS, facilitator_room, participant_room, projector_room
from models import LiveSession, Question
from services import prioritisation


def push_questions(session: LiveSession) -> None:
    """Every room learns the questions' states (status, on screen, revealed, round), with the
    session's `revision`: a client ignores a state older than the one it shows."""
    payload = prioritisation.questions_payload(session.id)
    for room, ns in (
        (facilitator_room(session.id), FACILITATOR_NS),
        (projector_room(session.id), FACILITATOR_NS),
        (participant_room(session.id), PARTICIPANT_NS),
    ):
        socketio.emit("questions_updated", payload, to=room, namespace=ns)


def push_question_results(question: Question) -> None:
    """Fresh results to facilitators; to the projector and phones only once revealed."""
    result = prioritisation.question_results(question)
    session_id = question.session_id
    socketio.emit("question_results", result, to=facilitator_room(session_id), namespace=FACILITATOR_NS)
    if question.revealed:
        socketio.emit(
            "question_results_revealed", result, to=projector_room(session_id), namespace=FACILITATOR_NS
        )
        socketio.emit(
            "question_results_revealed", result, to=participant_room(session_id), namespace=PARTICIPANT_NS
        )
