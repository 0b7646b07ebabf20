"""List questions (pick, rank, points): set up, pace, answer as idempotent upserts, summarise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from core.i18n import LANGUAGES, skill_texts
from domain import built_in_words
from domain.errors import (
    BadPayloadError,
    InvalidStateError,
    ItemLockedError,
    ItemNotOpenError,
    SessionClosedError,
    SessionNotLiveError,
    UnknownItemError,
    ValidationError,
)
from domain.kinds import dashboard_panels as panels_for
from domain.kinds import get_kind
from domain.kinds.export import ListExport, ListQuestionInfo
from models import (
    Answer,
    Framework,
    FrameworkVersion,
    LiveSession,
    Participant,
    Question,
    QuestionStatus,
    SessionItem,
    SessionState,
    Skill,
    User,
    db,
    utcnow,
)
from services import session_texts


@dataclass(frozen=True)
class QuestionSpec:
    """A list question as the session form describes it."""

    kind: str
    prompt: str
    params: dict[str, Any]
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # the prompt in other languages


def check_questions(specs: Sequence[QuestionSpec], n_items: int) -> list[QuestionSpec]:
    """Each spec with its kind's cleaned settings; a ValidationError naming the question otherwise."""
    clean = []
    for number, spec in enumerate(specs, start=1):
        kind = get_kind(spec.kind)
        try:
            params = kind.check_params(spec.params, n_items)
        except ValidationError as exc:
            raise ValidationError(
                "List question %(number)s: %(problem)s", number=number, problem=exc.message
            ) from None
        texts = {
            lang: {"prompt": str(t.get("prompt") or "").strip()[:500]}
            for lang, t in (spec.texts or {}).items()
            if lang in LANGUAGES and str((t or {}).get("prompt") or "").strip()
        }
        clean.append(QuestionSpec(kind.name, spec.prompt.strip()[:500], params, texts))
    return clean


def dashboard_panels(session: LiveSession) -> frozenset[str]:
    """The dashboard panels that apply to what the session asks (the kind registry decides)."""
    return panels_for(bool(session.criteria), (q.kind for q in questions_of(session.id)))


def questions_of(session_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.session_id == session_id).order_by(Question.position)
        )
    )


def set_questions(session: LiveSession, specs: Sequence[QuestionSpec]) -> None:
    """Replace the session's list questions while it is editable and nobody answered yet."""
    n_items = len(session.items)
    clean = check_questions(specs, n_items)
    current = questions_of(session.id)
    unchanged = [(q.kind, q.prompt, q.params, q.texts or {}) for q in current] == [
        (s.kind, s.prompt, s.params, s.texts) for s in clean
    ]
    if unchanged:
        return
    if not session.is_editable:
        raise InvalidStateError("List questions are fixed once voting starts.")
    for question in current:
        db.session.delete(question)
    db.session.flush()
    for position, spec in enumerate(clean):
        db.session.add(
            Question(
                session_id=session.id,
                position=position,
                kind=spec.kind,
                prompt=spec.prompt,
                params=spec.params,
                texts=spec.texts,
            )
        )
    db.session.commit()


def question_payload(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "kind": q.kind,
        "prompt": q.prompt,
        "i18n": session_texts.prompt_i18n(q),  # {lang: {"prompt"}}: each phone shows its own
        "params": dict(q.params),
        "status": q.status.value,
        "on_screen": q.on_screen,
        "revealed": q.revealed,
        "round": q.round,
    }


def questions_payload(session_id: int) -> dict[str, Any]:
    """The questions' states and the session's `revision`, read first: they are at least that new,
    so a client can tell a late reply from a newer broadcast (docs/protocol.md, section 6)."""
    revision = db.session.scalar(select(LiveSession.revision).where(LiveSession.id == session_id))
    return {"revision": revision, "questions": [question_payload(q) for q in questions_of(session_id)]}


def items_payload(session_id: int) -> list[dict[str, Any]]:
    """The session's items in list order, as the list questions show them, with the framework's
    translations (`i18n`, as a rating item has them) so that phones show them in their language."""
    rows = db.session.execute(
        select(Skill.id, Skill.code, Skill.name, Skill.cluster, Skill.definition, Skill.extra)
        .join(SessionItem, SessionItem.skill_id == Skill.id)
        .where(SessionItem.session_id == session_id)
        .order_by(Skill.position)
    )
    return [
        {
            "skill_id": i,
            "code": code,
            "name": name,
            "cluster": cluster,
            "definition": definition,
            "i18n": skill_texts(extra),
        }
        for i, code, name, cluster, definition, extra in rows
    ]


def _item_ids(session_id: int) -> list[int]:
    return [i["skill_id"] for i in items_payload(session_id)]


def get_question(session: LiveSession, question_id: Any) -> Question:
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise BadPayloadError("question_id must be an integer.")
    question = db.session.get(Question, question_id)
    if question is None or question.session_id != session.id:
        raise UnknownItemError("This session has no such question.")
    return question


# --- pacing (facilitator) ---------------------------------------------------------------


def open_question(session: LiveSession, question_id: Any) -> Question:
    """Open a question and put it on every phone and the projector (only one is on screen)."""
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Start the session before opening a question.")
    question = get_question(session, question_id)
    _take_off_screen(session.id)
    question.open()
    db.session.commit()
    return question


def lock_question(session: LiveSession, question_id: Any, locked: bool = True) -> Question:
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Only a live session's questions can be locked or unlocked.")
    question = get_question(session, question_id)
    question.lock(locked)
    db.session.commit()
    return question


def reveal_question(session: LiveSession, question_id: Any, revealed: bool = True) -> Question:
    question = get_question(session, question_id)
    question.reveal(revealed)
    db.session.commit()
    return question


def revote_question(session: LiveSession, question_id: Any) -> Question:
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Re-votes happen in a live session.")
    question = get_question(session, question_id)
    _take_off_screen(session.id)
    question.start_round()
    db.session.commit()
    return question


def clear_screen(session: LiveSession) -> None:
    """Take every list question off the phones and projector: back to the skills."""
    _take_off_screen(session.id)
    db.session.commit()


def _take_off_screen(session_id: int) -> None:
    """No list question on screen (only one is at a time); the caller commits."""
    for question in questions_of(session_id):
        question.on_screen = False


# --- answers (phones) -------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedAnswer:
    session_id: int
    question_id: int
    round: int
    value: dict[str, Any]


@lru_cache(maxsize=4)
def _upsert_answer(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (participant, question, round) DO UPDATE, for SQLite or PostgreSQL."""
    table = Answer.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = ("session_id", "participant_id", "question_id", "round", "value", "first_at", "last_at")
    statement = insert(table).values({c: bindparam(c, type_=table.c[c].type) for c in columns})
    return statement.on_conflict_do_update(
        index_elements=["participant_id", "question_id", "round"],
        set_={"value": statement.excluded.value, "last_at": statement.excluded.last_at},
    )


def _check_open(state: SessionState, question: Question) -> None:
    if state is SessionState.CLOSED:
        raise SessionClosedError()
    if state is not SessionState.LIVE:
        raise SessionNotLiveError()
    if question.status is QuestionStatus.LOCKED:
        raise ItemLockedError("This question is locked: answers can no longer change.")
    if question.status is not QuestionStatus.OPEN:
        raise ItemNotOpenError("This question is not open yet.")


def record_answer(participant: Any, payload: Any) -> RecordedAnswer:
    """Check an answer with its kind and upsert it keyed by (participant, question, round).

    A refused answer stores nothing; a retried one updates the same row.
    """
    if not isinstance(payload, Mapping):
        raise BadPayloadError("Send an object with question_id and value.")
    question_id = payload.get("question_id")
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise BadPayloadError("question_id must be an integer.")
    row = db.session.execute(
        select(Question, LiveSession.state)
        .join(LiveSession, Question.session_id == LiveSession.id)
        .where(Question.id == question_id, Question.session_id == participant.session_id)
    ).one_or_none()
    if row is None:
        raise UnknownItemError("This session has no such question.")
    question: Question = row.Question
    _check_open(row.state, question)
    value = get_kind(question.kind).check_answer(
        question.params, _item_ids(participant.session_id), payload.get("value")
    )
    now = utcnow()
    db.session.execute(
        _upsert_answer(db.session.get_bind().dialect.name),
        {
            "session_id": participant.session_id,
            "participant_id": participant.id,
            "question_id": question.id,
            "round": question.round,
            "value": value,
            "first_at": now,
            "last_at": now,
        },
    )
    db.session.commit()
    return RecordedAnswer(participant.session_id, question.id, question.round, value)


def my_answers(participant: Any) -> dict[str, Any]:
    """The participant's answers to the current round of each question, by question id."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.value)
        .join(Question, (Question.id == Answer.question_id) & (Question.round == Answer.round))
        .where(Answer.participant_id == participant.id)
    )
    return {str(qid): value for qid, value in rows}


# --- results ------------------------------------------------------------------------------


def question_results(question: Question) -> dict[str, Any]:
    """The kind's summary of the current round, with how many answered of how many joined."""
    return round_results(question, question.round)


def round_results(question: Question, round_: int) -> dict[str, Any]:
    """The kind's summary of one round of a question, with how many answered of how many joined."""
    values = list(
        db.session.scalars(
            select(Answer.value).where(Answer.question_id == question.id, Answer.round == round_)
        )
    )
    summary = get_kind(question.kind).summarize(question.params, _item_ids(question.session_id), values)
    joined = db.session.scalar(
        select(func.count(Participant.id)).where(Participant.session_id == question.session_id)
    )
    return {"question_id": question.id, "round": round_, "joined": joined or 0, **summary}


def all_results(session_id: int, revealed_only: bool = False) -> list[dict[str, Any]]:
    return [question_results(q) for q in questions_of(session_id) if q.revealed or not revealed_only]


# --- the demo --------------------------------------------------------------------------------

DEMO_TITLE = built_in_words.WORKSHOP_TITLE
DEMO_QUESTIONS = (  # the catalogs have their prompts in every shipped language
    QuestionSpec("pick", built_in_words.PICK_PROMPT, {"k": 3, "exact": True}),
    QuestionSpec("rank", built_in_words.RANK_PROMPT, {"k": 3}),
    QuestionSpec("points", built_in_words.POINTS_PROMPT, {"budget": 100}),
)


# --- using the result ------------------------------------------------------------------------


def make_framework(
    session: LiveSession, question_id: Any, skill_ids: Any, owner: User | None = None
) -> FrameworkVersion:
    """A new framework holding the chosen skills, in the order given; returns its first version.

    The facilitator starts from the question's top k and may edit the choice; the version's
    provenance names the workshop, the question and its figures for the chosen skills. It is a
    framework of its own, not a new version of the session's: the long list stays the latest
    version that the next validation meeting picks.
    """
    question = get_question(session, question_id)
    if not isinstance(skill_ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in skill_ids
    ):
        raise BadPayloadError("skill_ids must be a list of skill ids.")
    if not skill_ids or len(set(skill_ids)) != len(skill_ids):
        raise ValidationError("Choose at least one skill, each once.")
    skills = {s.id: s for s in session.framework_version.skills}
    if any(i not in skills for i in skill_ids):
        raise UnknownItemError("This session has no such skill.")
    result = question_results(question)
    figures = {entry["skill_id"]: entry for entry in result["items"]}
    source = session.framework_version.framework
    framework = Framework(
        name=f"{source.name} — top {len(skill_ids)} ({session.title})"[:200],
        kind=source.kind,
        owner=owner or session.facilitator,  # whoever made it (a coordinator may run the session)
    )
    version = FrameworkVersion(
        framework=framework,
        number=1,
        provenance={
            "from_framework": source.name,
            "source": "prioritisation workshop",
            "session": session.code,
            "session_title": session.title,
            "from_version": session.framework_version.number,
            "question": question.prompt,
            "kind": question.kind,
            "params": dict(question.params),
            "round": question.round,
            "n": result["n"],
            "agreement": result.get("agreement"),
            "chosen": [{"code": skills[i].code, **figures.get(i, {})} for i in skill_ids],
            "made_at": utcnow().isoformat(),
        },
    )
    version.skills = [
        Skill(
            code=skills[i].code,
            name=skills[i].name,
            definition=skills[i].definition,
            body=skills[i].body,
            cluster=skills[i].cluster,
            extra=dict(skills[i].extra),
            position=position,
        )
        for position, i in enumerate(skill_ids)
    ]
    db.session.add(version)
    db.session.commit()
    return version


def list_export(sessions: Sequence[LiveSession]) -> ListExport:
    """The list questions of these sessions for the workbook: current rounds, results, answers."""
    questions, answers, skills = [], {}, {}
    for session in sessions:
        listed = questions_of(session.id)
        if not listed:
            continue
        skills[session.code] = [(i["skill_id"], i["code"], i["name"]) for i in items_payload(session.id)]
        for number, q in enumerate(listed, start=1):
            questions.append(
                ListQuestionInfo(
                    session.code, number, q.kind, q.prompt, dict(q.params), q.round, question_results(q)
                )
            )
            rows = db.session.execute(
                select(Participant.number, Answer.value)
                .join(Participant, Participant.id == Answer.participant_id)
                .where(Answer.question_id == q.id, Answer.round == q.round)
            )
            for person, value in rows:
                answers[(session.code, f"P{person:02d}", number)] = value
    return ListExport(tuple(questions), answers, skills)
