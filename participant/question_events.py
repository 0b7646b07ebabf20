"""Participant Socket.IO events for list questions: sync_questions, submit_answer."""

from __future__ import annotations

from typing import Any

from core.acks import acked
from core.extensions import socketio
from core.live import PARTICIPANT_NS, batcher
from domain.kinds import kind_names
from participant import bp
from participant.events import _participant
from services import feedback, prioritisation


@bp.context_processor
def question_kinds() -> dict[str, Any]:
    """Templates include one partial and one script per registered kind."""
    return {"question_kinds": kind_names()}


@socketio.on("sync_questions", namespace=PARTICIPANT_NS)
@acked
def sync_questions(_payload: Any = None) -> dict[str, Any]:
    """The questions, the items they ask about, my answers, the revealed results and, from round 2
    on, my answer and the group's result of the round before (`previous`)."""
    participant = _participant()
    return {
        **prioritisation.questions_payload(participant.session_id),  # with the session's revision
        "items": prioritisation.items_payload(participant.session_id),
        "answers": prioritisation.my_answers(participant),
        "results": prioritisation.all_results(participant.session_id, revealed_only=True),
        "previous": feedback.list_feedback(participant.id, participant.session_id),
    }


@socketio.on("submit_answer", namespace=PARTICIPANT_NS)
@acked
def submit_answer(payload: Any = None) -> dict[str, Any]:
    participant = _participant()
    answer = prioritisation.record_answer(participant, payload)
    batcher.mark_question(participant.session_id, answer.question_id)  # one recomputation per interval
    return {"question_id": answer.question_id, "round": answer.round, "value": answer.value}
