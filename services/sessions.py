"""Sessions: prepare, move through the lifecycle, and pace the items."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from analysis import ConsensusRule
from domain import built_in_words
from domain.errors import (
    InvalidStateError,
    NotAuthorizedError,
    SessionNotFoundError,
    UnknownItemError,
    ValidationError,
)
from domain.joincode import generate_code, normalize_code
from domain.open_questions import check_open_questions
from domain.rounds import RoundSettings
from domain.scales import PRESETS, preset_for
from models import (
    Criterion,
    Framework,
    ItemStatus,
    LiveSession,
    Pacing,
    Role,
    SessionItem,
    SessionState,
    User,
    db,
    revision_bump,
    utcnow,
)
from services import custom_criteria, frameworks, session_texts
from services.prioritisation import QuestionSpec, check_questions, questions_of, set_questions

DEFAULT_CONSENT = built_in_words.DEFAULT_CONSENT


@dataclass
class SessionInput:
    title: str
    framework_id: int
    criteria: list[str]
    pacing: str = "facilitator"
    date: date | None = None
    place: str = ""
    country: str = ""
    language: str = ""
    second_language: str = ""
    capacity: int | None = None
    retention_days: int = 180
    consent_text: str = DEFAULT_CONSENT
    profile_questions: list[dict[str, Any]] = field(default_factory=session_texts.default_profile)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # {lang: {"title", "consent"}}
    countdown_seconds: int | None = None
    rule: dict[str, Any] = field(default_factory=dict)
    round_settings: dict[str, Any] = field(default_factory=dict)  # domain.rounds.RoundSettings
    questions: list[QuestionSpec] = field(default_factory=list)  # pick, rank, points over the list
    open_questions: list[str] = field(default_factory=list)  # asked about each item: domain.open_questions
    custom_criteria: list[dict[str, Any]] = field(default_factory=list)  # services.custom_criteria rows


MEETING_FIELDS = frozenset(
    {"title", "date", "place", "country", "language", "second_language", "capacity", "retention_days"}
)
LIVE_FIELDS = MEETING_FIELDS | {"consent_text", "texts", "countdown_seconds"}
SETUP_FIELDS = LIVE_FIELDS | {
    "criteria",
    "custom_criteria",
    "pacing",
    "profile_questions",
    "rule",
    "round_settings",
    "questions",
    "open_questions",
}


def editable_fields(session: LiveSession) -> frozenset[str]:
    """What the set-up may still change: all before voting, less once it starts, the description once closed.

    The framework never changes: the session's items are the skills of one version.
    """
    if session.is_editable:
        return SETUP_FIELDS
    if session.state is SessionState.LIVE:
        return LIVE_FIELDS
    return MEETING_FIELDS


def session_input(session: LiveSession) -> SessionInput:
    """The session's set-up as the input that would create it."""
    return SessionInput(
        title=session.title,
        framework_id=session.framework_version.framework_id,
        criteria=[c.key for c in session.criteria if not custom_criteria.is_custom(c.key)],
        custom_criteria=custom_criteria.as_rows(session.criteria),
        pacing=session.pacing.value,
        date=session.date,
        place=session.place,
        country=session.country,
        language=session.language,
        second_language=session.second_language,
        capacity=session.capacity,
        retention_days=session.retention_days,
        consent_text=session.consent_text,
        profile_questions=list(session.profile_questions),
        texts=dict(session.texts or {}),
        countdown_seconds=session.countdown_seconds,
        rule=dict(session.rule or {}),
        round_settings=dict(session.round_settings or {}),
        questions=[
            QuestionSpec(q.kind, q.prompt, dict(q.params), dict(q.texts or {}))
            for q in questions_of(session.id)
        ],
        open_questions=list(session.open_questions or []),
    )


def get_session(code: str) -> LiveSession:
    session = db.session.scalar(select(LiveSession).where(LiveSession.code == normalize_code(code)))
    if session is None:
        raise SessionNotFoundError()
    return session


def get_session_for(user: User, code: str) -> LiveSession:
    """Load a session its facilitator (or an admin or coordinator) may run."""
    session = get_session(code)
    if session.facilitator_id != user.id and user.role not in (Role.ADMIN, Role.COORDINATOR):
        raise NotAuthorizedError(_("This session belongs to another facilitator."))
    return session


def list_sessions(user: User) -> list[LiveSession]:
    query = select(LiveSession).order_by(LiveSession.created_at.desc())
    if user.role is Role.FACILITATOR:
        query = query.where(LiveSession.facilitator_id == user.id)
    return list(db.session.scalars(query))


def _check(data: SessionInput) -> Framework:
    problems = []
    if not data.title.strip():
        problems.append(_("The session needs a title."))
    customs = custom_criteria.clean(data.custom_criteria, problems)
    if not data.criteria and not customs and not data.questions and not data.open_questions:
        problems.append(_("Choose at least one criterion, open question or list question."))
    try:
        check_open_questions(data.open_questions)
    except ValueError as exc:
        problems.append(str(exc))
    unknown = [c for c in data.criteria if c not in PRESETS]
    if unknown:
        problems.append(f"Unknown criteria: {', '.join(unknown)}.")
    if data.pacing not in {p.value for p in Pacing}:
        problems.append("Pacing must be 'facilitator' or 'self'.")
    if data.capacity is not None and not 1 <= data.capacity <= 10000:
        problems.append(_("The capacity must be between 1 and 10000 people, or empty for no limit."))
    if not 1 <= data.retention_days <= 3650:
        problems.append(_("Keep the participants' data between 1 and 3650 days."))
    if data.countdown_seconds is not None and not 5 <= data.countdown_seconds <= 3600:
        problems.append(_("The countdown must be between 5 and 3600 seconds."))
    try:
        ConsensusRule.from_dict(data.rule)
    except (ValueError, TypeError) as exc:
        problems.append(f"Consensus rule: {exc}")
    try:
        RoundSettings.from_dict(data.round_settings)
    except (ValueError, TypeError) as exc:
        problems.append(f"Rounds: {exc}.")
    framework = db.session.get(Framework, data.framework_id)
    if framework is None:
        problems.append(_("Choose a framework."))
    if framework is not None:
        try:
            check_questions(data.questions, len(framework.latest.skills))
        except ValidationError as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationError(" ".join(problems))
    assert framework is not None
    return framework


def create_session(facilitator: User, data: SessionInput) -> LiveSession:
    """Create a draft session on the framework's latest version with a fresh join code."""
    framework = _check(data)
    frameworks.check_use(facilitator, framework)
    version = framework.latest
    session = LiveSession(
        title=data.title.strip()[:200],
        date=data.date,
        place=data.place.strip(),
        country=data.country.strip(),
        language=data.language.strip(),
        second_language=data.second_language.strip(),
        capacity=data.capacity,
        retention_days=data.retention_days,
        facilitator=facilitator,
        framework_version=version,
        pacing=Pacing(data.pacing),
        consent_text=data.consent_text,
        profile_questions=session_texts.clean_profile(
            data.profile_questions, session_texts.default_profile()
        ),
        texts=session_texts.clean(data.texts, data.consent_text),
        countdown_seconds=data.countdown_seconds,
        rule=ConsensusRule.from_dict(data.rule).to_dict(),
        round_settings=RoundSettings.from_dict(data.round_settings).to_dict(),
        open_questions=check_open_questions(data.open_questions),
    )
    _set_criteria(session, data.criteria, data.custom_criteria)
    session.items = [SessionItem(skill=skill) for skill in version.skills]
    for _attempt in range(10):
        session.code = generate_code()
        db.session.add(session)
        try:
            db.session.commit()
        except IntegrityError:  # join code taken: draw another
            db.session.rollback()
            continue
        set_questions(session, data.questions)
        return session
    raise RuntimeError("Could not draw a free join code")


def _criterion(key: str, position: int, kind: str) -> Criterion:
    """The preset `key`, worded for the session's kind of list (skills, sections, items)."""
    p = preset_for(key, kind)
    return Criterion(
        key=p.key,
        label=p.label,
        question=p.question,
        measure=p.measure,
        scale_min=p.scale_min,
        scale_max=p.scale_max,
        anchors=list(p.anchors),
        position=position,
    )


def update_session(session: LiveSession, data: SessionInput) -> None:
    """Change a session's set-up; fields outside `editable_fields(session)` keep their value."""
    allowed = editable_fields(session)
    current = session_input(session)
    consent_before, profile_before = session.consent_text, session.profile_questions
    data = replace(current, **{f: getattr(data, f) for f in allowed}, framework_id=current.framework_id)
    _check(data)
    session.title, session.date, session.place = data.title.strip()[:200], data.date, data.place.strip()
    session.country, session.language = data.country.strip(), data.language.strip()
    session.second_language = data.second_language.strip()
    session.capacity, session.retention_days = data.capacity, data.retention_days
    session.consent_text, session.countdown_seconds = data.consent_text, data.countdown_seconds
    session.pacing = Pacing(data.pacing)
    session.profile_questions = session_texts.clean_profile(data.profile_questions, profile_before)
    session.texts = session_texts.clean(data.texts, data.consent_text, consent_before)
    session.rule = ConsensusRule.from_dict(data.rule).to_dict()
    session.round_settings = RoundSettings.from_dict(data.round_settings).to_dict()
    session.open_questions = check_open_questions(data.open_questions)
    _set_criteria(session, data.criteria, data.custom_criteria)
    db.session.commit()
    if session.is_editable:
        set_questions(session, data.questions)


def _set_criteria(session: LiveSession, keys: list[str], customs: list[dict[str, Any]]) -> None:
    """Keep the criteria still chosen, drop the others, add the new ones, in the order given
    (presets, then the session's own).

    Replacing every row would insert a kept key's new row before deleting its old one (UNIQUE).
    """
    kept = {c.key: c for c in session.criteria}
    kind = session.framework_version.framework.kind
    chosen = [kept.get(key) or _criterion(key, position, kind) for position, key in enumerate(keys)]
    for fields in custom_criteria.clean(customs, []):
        mine = kept.get(fields["key"]) or Criterion(position=0)
        chosen.append(custom_criteria.apply(mine, fields))
    for position, criterion in enumerate(chosen):
        criterion.position = position
    session.criteria = chosen


def set_state(session: LiveSession, target: str) -> LiveSession:
    """Move the session to `target`; going live opens every item when self-paced."""
    try:
        state = SessionState(target)
    except ValueError:
        raise InvalidStateError("Unknown state %(state)r.", state=target) from None
    session.move_to(state)
    if state is SessionState.LIVE and session.pacing is Pacing.SELF:
        for item in session.items:
            item.status = ItemStatus.OPEN
            item.opened_at = utcnow()
    if state is SessionState.CLOSED:
        for item in session.items:
            item.status = ItemStatus.LOCKED
            item.locks_at = None
    db.session.commit()
    return session


def find_item(session: LiveSession, skill_id: int) -> SessionItem:
    for item in session.items:
        if item.skill_id == skill_id:
            return item
    raise UnknownItemError()


def open_item(session: LiveSession, skill_id: int) -> SessionItem:
    """Open a skill for answers and make it the current one (facilitator-paced)."""
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Start the session before opening a skill.")
    item = find_item(session, skill_id)
    item.status = ItemStatus.OPEN
    item.opened_at = utcnow()
    seconds = session.countdown_seconds
    item.locks_at = utcnow() + timedelta(seconds=seconds) if seconds else None
    session.current_skill_id = skill_id
    db.session.commit()
    return item


def lock_item(session: LiveSession, skill_id: int, locked: bool = True) -> SessionItem:
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Only a live session's skills can be locked or unlocked.")
    item = find_item(session, skill_id)
    item.lock(locked)
    db.session.commit()
    return item


def reveal_item(session: LiveSession, skill_id: int, revealed: bool = True) -> SessionItem:
    item = find_item(session, skill_id)
    item.reveal(revealed)
    db.session.commit()
    return item


def revote_item(session: LiveSession, skill_id: int) -> SessionItem:
    """Start a new round for a skill: earlier answers are kept, results hidden again."""
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("Re-votes happen in a live session.")
    item = find_item(session, skill_id)
    if item.status is ItemStatus.PENDING:
        # Nobody answered this round (never shown, or left waiting by a new round): another round
        # would leave an empty one behind and put the skill on the phones unannounced.
        raise InvalidStateError(
            "Nobody is answering this skill yet: show it on the phones before starting a new round."
        )
    item.round += 1
    item.revealed = False
    db.session.commit()
    return open_item(session, skill_id)


def lost_countdowns(grace: float = 5.0) -> list[LiveSession]:
    """Live sessions with a countdown that ran out more than `grace` seconds ago and is not yet
    told: its timer was lost (the server restarted while it ran). Younger ones are their timer's."""
    due = select(SessionItem.session_id).where(SessionItem.locks_at <= utcnow() - timedelta(seconds=grace))
    query = select(LiveSession).where(LiveSession.state == SessionState.LIVE, LiveSession.id.in_(due))
    return list(db.session.scalars(query))


def expire_countdowns(session: LiveSession) -> list[SessionItem]:
    """Lock open items whose countdown has run out; return those the room must now be told of.

    A late answer or comment may have locked an item first (services/rating_writer.py, a Core
    UPDATE on the answer path): it leaves `locks_at`, so that the item is still found here and
    told, once, whichever process or path locked it. Clearing it is the change that is told, by
    the one UPDATE that finds the deadline still set: two processes' timers (or a timer and the
    ticker) waking together each read it set, and only one of them clears it.
    """
    if session.state is not SessionState.LIVE:
        return []
    now = utcnow()
    expired = {
        i.id: i
        for i in session.items
        if i.status is not ItemStatus.PENDING and i.locks_at is not None and i.locks_at <= now
    }
    if not expired:
        return []
    cleared = set(
        db.session.scalars(
            update(SessionItem)
            .where(
                SessionItem.id.in_(expired), SessionItem.locks_at.is_not(None), SessionItem.locks_at <= now
            )
            .values(status=ItemStatus.LOCKED, locks_at=None)
            .returning(SessionItem.id),
            execution_options={"synchronize_session": False},
        )
    )
    if cleared:
        db.session.execute(revision_bump({session.id}))
    db.session.commit()  # the objects are read again from the database: another process may have locked
    return [item for item_id, item in expired.items() if item_id in cleared]
