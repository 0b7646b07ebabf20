"""Facilitator Socket.IO events for list questions: open, lock, reveal, re-vote, back to skills."""

from __future__ import annotations

from typing import Any

from flask import url_for

from core.acks import acked
from core.extensions import socketio
from core.live import FACILITATOR_NS
from core.live_questions import push_question_results, push_questions
from domain.kinds import kind_names
from facilitator import bp
from facilitator.events import _flag, _log, _session, _user, is_projector
from facilitator.question_form import describe_question
from services import prioritisation


@bp.context_processor
def question_kinds() -> dict[str, Any]:
    """Templates include one partial and one script per registered kind."""
    return {
        "question_kinds": kind_names(),
        "list_questions_of": lambda session: prioritisation.questions_of(session.id),
        "describe_question": describe_question,
    }


@socketio.on("sync_questions", namespace=FACILITATOR_NS)
@acked
def sync_questions(payload: Any = None) -> dict[str, Any]:
    session = _session(payload, watching=True)
    return {
        # the session's state: this panel's socket may connect after a set_state it never heard;
        # its revision, read before the questions, also dates them (a questions_updated may overtake)
        "state": session.state,
        "revision": session.revision,
        "questions": [prioritisation.question_payload(q) for q in prioritisation.questions_of(session.id)],
        "items": prioritisation.items_payload(session.id),
        # the room sees only what was revealed, as for the skills' results
        "results": prioritisation.all_results(session.id, revealed_only=is_projector()),
    }


@socketio.on("open_question", namespace=FACILITATOR_NS)
@acked
def open_question(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    question = prioritisation.open_question(session, payload.get("question_id"))
    _log(session, "question_opened", f"question {question.position + 1}")
    push_questions(session)
    return prioritisation.question_payload(question)


@socketio.on("lock_question", namespace=FACILITATOR_NS)
@acked
def lock_question(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    locked = _flag(payload, "locked")
    question = prioritisation.lock_question(session, payload.get("question_id"), locked)
    _log(session, "question_locked" if locked else "question_unlocked", f"question {question.position + 1}")
    push_questions(session)
    return prioritisation.question_payload(question)


@socketio.on("reveal_question", namespace=FACILITATOR_NS)
@acked
def reveal_question(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    revealed = _flag(payload, "revealed")
    question = prioritisation.reveal_question(session, payload.get("question_id"), revealed)
    _log(session, "question_revealed" if revealed else "question_hidden", f"question {question.position + 1}")
    push_questions(session)
    if question.revealed:
        push_question_results(question)
    return prioritisation.question_payload(question)


@socketio.on("revote_question", namespace=FACILITATOR_NS)
@acked
def revote_question(payload: Any = None) -> dict[str, Any]:
    session = _session(payload)
    question = prioritisation.revote_question(session, payload.get("question_id"))
    _log(session, "question_revote", f"question {question.position + 1}", round=question.round)
    push_questions(session)
    push_question_results(question)
    return prioritisation.question_payload(question)


@socketio.on("clear_question", namespace=FACILITATOR_NS)
@acked
def clear_question(payload: Any = None) -> dict[str, Any]:
    """Back to the skills: no list question on the phones and projector."""
    session = _session(payload)
    prioritisation.clear_screen(session)
    push_questions(session)
    return {}


@socketio.on("make_framework", namespace=FACILITATOR_NS)
@acked
def make_framework(payload: Any = None) -> dict[str, Any]:
    """The chosen skills (the top k, edited) become a new framework, with its provenance."""
    session = _session(payload)
    version = prioritisation.make_framework(
        session, payload.get("question_id"), payload.get("skill_ids"), _user()
    )
    _log(session, "framework_made", version.framework.name, skills=len(version.skills))
    return {
        "framework_id": version.framework_id,
        "name": version.framework.name,
        "version": version.number,
        "skills": len(version.skills),
        "url": url_for("facilitator.framework_edit", framework_id=version.framework_id),
    }
