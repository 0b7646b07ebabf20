"""Pushing live changes: batched results, session updates and countdown locks."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from core.extensions import socketio
from core.shared_pushes import shared_pushes
from models import LiveSession, Pacing, Question, db
from services import live_tally
from services import results as results_service
from services.payloads import finished_count, progress_payload, session_payload
from services.sessions import expire_countdowns

FACILITATOR_NS = "/facilitator"
PUSH_SHARE = 0.1  # at most this share of the process's time goes to results pushes (pause_after)
PARTICIPANT_NS = "/participant"


def facilitator_room(session_id: int) -> str:
    return f"facilitators:{session_id}"


def projector_room(session_id: int) -> str:
    return f"projector:{session_id}"


def participant_room(session_id: int) -> str:
    return f"participants:{session_id}"


def person_room(participant_id: int) -> str:
    """One participant's phone (or phones), so that removing them reaches every process."""
    return f"participant:{participant_id}"


class ResultsBatcher:
    """Collects what changed per session and pushes it at most every `interval` seconds.

    Forty phones answering one skill at once cause one recomputation and one message per
    interval, not forty; a thousand phones reconnecting after a Wi-Fi blip cause one presence
    update per interval, not two thousand.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._dirty: dict[int, set[int]] = {}  # session id -> skills whose results changed
        self._presence: set[int] = set()  # sessions whose joined/connected counts changed
        self._questions: dict[int, set[int]] = {}  # session id -> list questions with new answers
        self._pause: dict[int, float] = {}  # session id -> least wait before its next push (pause_after)

    def mark(self, session_id: int, skill_id: int) -> None:
        self._schedule(session_id, skill_id)

    def mark_presence(self, session_id: int) -> None:
        self._schedule(session_id, None)

    def mark_question(self, session_id: int, question_id: int) -> None:
        self._schedule(session_id, None, question_id)

    def _schedule(self, session_id: int, skill_id: int | None, question_id: int | None = None) -> None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        interval = app.config["SB_RESULTS_INTERVAL"]
        presence = skill_id is None and question_id is None
        if interval <= 0:
            _flush(
                session_id,
                set() if skill_id is None else {skill_id},
                presence,
                set() if question_id is None else {question_id},
            )
            return
        with self._lock:
            pending = session_id in self._dirty
            skills = self._dirty.setdefault(session_id, set())
            if presence:
                self._presence.add(session_id)
            elif skill_id is not None:
                skills.add(skill_id)
            if question_id is not None:
                self._questions.setdefault(session_id, set()).add(question_id)
        if not pending:
            socketio.start_background_task(self._flush_later, app, session_id, interval)

    def _flush_later(self, app: Flask, session_id: int, interval: float) -> None:
        socketio.sleep(max(interval, self._pause.pop(session_id, 0.0)))
        with self._lock:
            skills = self._dirty.pop(session_id, set())
            presence = session_id in self._presence
            self._presence.discard(session_id)
            questions = self._questions.pop(session_id, set())
        started = time.thread_time()  # the push's CPU: on a busy machine its wall time is not its cost
        with app.app_context():
            shared = shared_pushes(app)  # several processes: one push per session per interval
            if shared is None:
                _flush(session_id, skills, presence, questions)
            else:
                shared.flush(session_id, skills, presence, questions, _flush)
            db.session.remove()
        self._pause[session_id] = pause_after(time.thread_time() - started)


def pause_after(took: float) -> float:
    """The least wait before a session's next push, so that pushes use at most a tenth of the core.

    A push for 40 phones takes a few milliseconds and the interval decides; for thousands of phones
    (a summary of thousands of answers per criterion) the dashboard hears less often instead of
    taking time from the phones' acks. The figures it gets are still complete.
    """
    return took * (1 / PUSH_SHARE - 1)


def _flush(session_id: int, skills: set[int], presence: bool, questions: set[int] | None = None) -> None:
    if presence or questions:  # completion counts list answers too
        push_presence(session_id)
    if skills:
        push_results(session_id, skills)
    if questions:
        from core.live_questions import push_question_results  # it imports this module

        for question_id in sorted(questions):
            question = db.session.get(Question, question_id)
            if question is not None:
                push_question_results(question)


batcher = ResultsBatcher()


def push_results(session_id: int, skill_ids: set[int]) -> None:
    """Send fresh results to facilitators; counts to the projector; revealed results to the room."""
    session = db.session.get(LiveSession, session_id)
    if session is None or not skill_ids:
        return
    tally = live_tally.for_session(session_id)  # the answers in memory, kept by the rating writer
    joined = results_service.participant_count(session_id, tally)
    items = results_service.item_results(session, skill_ids, tally, joined)
    completion = results_service.completion(session, tally)
    payload = {"items": items, "participants": joined, "completion": completion}
    socketio.emit("results_updated", payload, to=facilitator_room(session_id), namespace=FACILITATOR_NS)
    progress: dict[str, Any] = {"items": progress_payload(items), "participants": joined}
    if session.pacing is Pacing.SELF:  # the room follows everyone's way through the skills
        progress["finished"] = finished_count(completion)
    socketio.emit("progress_updated", progress, to=projector_room(session_id), namespace=FACILITATOR_NS)
    revealed = {i.skill_id for i in session.items if i.revealed}
    public = [i for i in items if i["skill_id"] in revealed]
    if public:
        socketio.emit(
            "results_revealed", {"items": public}, to=projector_room(session_id), namespace=FACILITATOR_NS
        )
        socketio.emit(
            "results_revealed", {"items": public}, to=participant_room(session_id), namespace=PARTICIPANT_NS
        )


def push_session(session: LiveSession, texts: bool = False) -> None:
    """Tell everyone in the session what changed (state, current skill, item statuses); `texts`
    after a set-up edit, which may change them (otherwise they came with each `sync`)."""
    payload: dict[str, Any] = session_payload(session, texts=texts)
    payload["participants"] = results_service.participant_count(session.id)
    for room, ns in (
        (facilitator_room(session.id), FACILITATOR_NS),
        (projector_room(session.id), FACILITATOR_NS),
        (participant_room(session.id), PARTICIPANT_NS),
    ):
        socketio.emit("session_updated", payload, to=room, namespace=ns)


def push_wall(session_id: int, wall: dict[str, Any]) -> None:
    """The comment wall changed: the projector shows it, other dashboards follow."""
    for room in (projector_room(session_id), facilitator_room(session_id)):
        socketio.emit("wall_updated", wall, to=room, namespace=FACILITATOR_NS)


def push_presence(session_id: int) -> None:
    """Joined and connected counts to the projector (self-paced: and how many finished); with who
    is who to the dashboard."""
    counts = results_service.presence(session_id)
    session = db.session.get(LiveSession, session_id)
    payload: dict[str, Any] = dict(counts)
    room: dict[str, Any] = dict(counts)
    if session is not None:
        tally = live_tally.for_session(session_id)
        payload["completion"] = results_service.completion(session, tally)
        if session.pacing is Pacing.SELF:
            room["finished"] = finished_count(payload["completion"])
    socketio.emit("presence", room, to=projector_room(session_id), namespace=FACILITATOR_NS)
    socketio.emit("presence", payload, to=facilitator_room(session_id), namespace=FACILITATOR_NS)


def schedule_countdown(session: LiveSession) -> None:
    """Lock items whose countdown runs out, and tell everybody, without waiting for a vote: a timer
    per deadline (a skill's countdown may still run when the next skill opens with its own)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    waiting = app.extensions.setdefault("sb_countdowns", set())  # (session, deadline) timed here
    for deadline in {i.locks_at for i in session.items if i.locks_at is not None}:
        if (session.id, deadline) not in waiting:
            waiting.add((session.id, deadline))
            delay = max((deadline - datetime.now(UTC)).total_seconds(), 0) + 0.05
            socketio.start_background_task(_expire_later, app, session.id, delay, deadline)


def _expire_later(app: Flask, session_id: int, delay: float, deadline: datetime | None = None) -> None:
    socketio.sleep(delay)
    app.extensions.get("sb_countdowns", set()).discard((session_id, deadline))
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        if session is not None and expire_countdowns(session):
            push_session(session)
        db.session.remove()


def push_erasure(session: LiveSession, erased: Any, pseudonyms: list[str], reason: str) -> None:
    """Someone's answers left the session: every figure, list and count follows, live.

    Every skill's results are sent again (removing a person changes "not answered" everywhere);
    dashboards re-sync (comments, completion); the comment wall drops a deleted comment.
    """
    from core.live_questions import push_question_results
    from services import moderation

    push_session(session)
    push_presence(session.id)
    push_results(session.id, {item.skill_id for item in session.items})
    for question in db.session.scalars(select(Question).where(Question.session_id == session.id)):
        push_question_results(question)
    socketio.emit(
        "participant_removed",
        {"participants": pseudonyms, "reason": reason, "left_out": session_payload(session)["left_out"]},
        to=facilitator_room(session.id),
        namespace=FACILITATOR_NS,
    )
    if session.wall is not None and erased.comment_ids:
        push_wall(session.id, moderation.wall(session))


def tell_removed(participant_id: int, message: str) -> None:
    """Tell a removed participant's phones why they stopped working (they then disconnect)."""
    socketio.emit(
        "participant_removed", {"message": message}, to=person_room(participant_id), namespace=PARTICIPANT_NS
    )
