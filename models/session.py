"""A live session (one meeting or focus group): its criteria, per-skill items and decisions."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint, Update, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from domain.errors import InvalidStateError, Word
from models.base import db, utcnow
from models.framework import FrameworkVersion, Skill
from models.question import Question
from models.user import User


class SessionState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # lobby: people can join, nothing to rate yet
    LIVE = "live"
    CLOSED = "closed"


class Pacing(enum.StrEnum):
    FACILITATOR = "facilitator"
    SELF = "self"


class ItemStatus(enum.StrEnum):
    PENDING = "pending"
    OPEN = "open"
    LOCKED = "locked"


# state -> the states it may move to
TRANSITIONS = {
    SessionState.DRAFT: {SessionState.OPEN, SessionState.LIVE},
    SessionState.OPEN: {SessionState.LIVE, SessionState.CLOSED, SessionState.DRAFT},
    SessionState.LIVE: {SessionState.CLOSED},
    SessionState.CLOSED: set(),
}


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class LiveSession(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[str] = mapped_column(String(40), default="")
    # A second language the projector shows beside the session's (a shipped code, or "").
    second_language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    pacing: Mapped[Pacing] = mapped_column(_enum(Pacing), default=Pacing.FACILITATOR)
    state: Mapped[SessionState] = mapped_column(_enum(SessionState), default=SessionState.DRAFT)
    current_skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"))
    consent_text: Mapped[str] = mapped_column(Text, default="")
    # Each profile question: key, label, options (an answer stores the option as written here,
    # so that every language's answer pools together) and `texts` {lang: {label, options}}.
    profile_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The session's own words in other languages: {lang: {"title": ..., "consent": ...}}.
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Delphi rounds: feedback shown, reason rule, stopping rule (domain.rounds.RoundSettings)
    round_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # domain.open_questions keys asked about every item ("missing", "wording")
    open_questions: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    countdown_seconds: Mapped[int | None]
    # What the projector shows over the skill: {"skill_id", "comment_id"} (starred comments of a
    # skill, or one of them), or None. Content is looked up when shown, so hiding takes effect at once.
    wall: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # At most this many people may join (None: no limit).
    capacity: Mapped[int | None]
    # Days after closing until `flask purge` unlinks the answers from the participants (GDPR).
    retention_days: Mapped[int] = mapped_column(default=180, server_default="180")
    purged_at: Mapped[datetime | None]
    # People taken out with all their answers: by the facilitator, or at their own request.
    removed_participants: Mapped[int] = mapped_column(default=0, server_default="0")
    withdrawn_participants: Mapped[int] = mapped_column(default=0, server_default="0")
    # Grows with every change of what clients are shown (state, items, criteria, counts, list
    # questions): a client keeps the highest it has shown and ignores a state older than that
    # (docs/protocol.md).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    live_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # A review over days: open (live, self-paced) from one date to another; dates are shown and
    # entered in `timezone` (an IANA name) and stored in UTC. The current round may close at a
    # date, when the next opens for everyone (services/review.py).
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    open_from: Mapped[datetime | None]
    open_until: Mapped[datetime | None]
    round_closes_at: Mapped[datetime | None]
    round_opened_at: Mapped[datetime | None]

    facilitator: Mapped[User] = relationship()
    framework_version: Mapped[FrameworkVersion] = relationship()
    current_skill: Mapped[Skill | None] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="session", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    items: Mapped[list[SessionItem]] = relationship(back_populates="session", cascade="all, delete-orphan")

    def move_to(self, target: SessionState) -> None:
        """Change state, refusing transitions the lifecycle does not allow."""
        if target not in TRANSITIONS[self.state]:
            raise InvalidStateError(
                "A %(state)s session cannot become %(target)s.",
                state=Word(self.state.value),
                target=Word(target.value),
            )
        self.state = target
        now = utcnow()
        if target is SessionState.OPEN:
            self.opened_at = self.opened_at or now
        elif target is SessionState.LIVE:
            self.opened_at = self.opened_at or now
            self.live_at = self.live_at or now
        elif target is SessionState.CLOSED:
            self.closed_at = now

    def bump_revision(self) -> None:
        """Count a change in the database (revision = revision + 1, in this row's UPDATE), so that
        processes changing the session at once each get their own, larger number."""
        self.revision = LiveSession.revision + 1  # type: ignore[assignment]

    @property
    def is_editable(self) -> bool:
        """Criteria and rules are frozen once anybody may vote."""
        return self.state in (SessionState.DRAFT, SessionState.OPEN)

    @property
    def is_review(self) -> bool:
        """Runs over days (has a date to open or close), rather than within one meeting."""
        return self.open_from is not None or self.open_until is not None

    @property
    def offers_review(self) -> bool:
        """The review page applies: the session runs over days, or is self-paced and may be given
        dates (a facilitator-paced meeting is one sitting, led item by item)."""
        return self.is_review or (self.pacing is Pacing.SELF and self.state is not SessionState.CLOSED)

    @property
    def purge_due_at(self) -> datetime | None:
        """When the retention period ends (closed sessions only)."""
        return self.closed_at + timedelta(days=self.retention_days) if self.closed_at else None

    @property
    def accepts_joins(self) -> bool:
        return self.state in (SessionState.OPEN, SessionState.LIVE)


class Criterion(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("session_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(String(300), default="")
    measure: Mapped[str] = mapped_column(String(20))
    scale_min: Mapped[int]
    scale_max: Mapped[int]
    anchors: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int]
    # A custom criterion's own "can't judge" ("" = the catalog's) and its texts in other
    # languages: {"pl": {"label", "question", "anchors", "cant_judge"}} (presets come from the catalogs).
    cant_judge: Mapped[str] = mapped_column(String(60), default="", server_default="")
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    session: Mapped[LiveSession] = relationship(back_populates="criteria")

    def accepts(self, value: int) -> bool:
        return self.scale_min <= value <= self.scale_max


class SessionItem(db.Model):  # type: ignore[name-defined,misc]
    """One skill's state within a session: pending, open for answers, or locked."""

    __tablename__ = "session_items"
    __table_args__ = (UniqueConstraint("session_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus), default=ItemStatus.PENDING)
    revealed: Mapped[bool] = mapped_column(default=False)
    round: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime | None]
    locks_at: Mapped[datetime | None]
    session: Mapped[LiveSession] = relationship(back_populates="items")
    skill: Mapped[Skill] = relationship(lazy="joined")  # every view of an item shows its skill

    def lock(self, locked: bool = True) -> None:
        """A skill is locked (or unlocked) once it is on the phones: locked before, it would read
        "locked" with nobody having answered, and its empty results could be revealed; unlocked,
        it would be open without being shown. A skill is skipped by not showing it."""
        if self.status is ItemStatus.PENDING:
            raise InvalidStateError(
                "Nobody is answering this skill yet: show it on the phones before locking it."
            )
        self.status = ItemStatus.LOCKED if locked else ItemStatus.OPEN
        self.locks_at = None

    def reveal(self, revealed: bool = True) -> None:
        """Results are revealed once the skill is on the phones (shown, or every skill once a
        self-paced session is live): a reveal set in advance would put each vote of the round on
        the projector and phones as it came in. Hiding is always possible."""
        if revealed and self.status is ItemStatus.PENDING:
            raise InvalidStateError(
                "Nobody is answering this skill yet: results can be revealed once it is on the phones."
            )
        self.revealed = revealed


class SessionRound(db.Model):  # type: ignore[name-defined,misc]
    """A round started for several items at once (the whole session, or those not yet stopped)."""

    __tablename__ = "session_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    number: Mapped[int]  # the highest item round once started
    skill_ids: Mapped[list[int]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: started by schedule
    started_by: Mapped[User | None] = relationship()


class Decision(db.Model):  # type: ignore[name-defined,misc]
    """What the facilitator decided for a skill, with the reason; statistics only suggest."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("session_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[User] = relationship()


def revision_bump(session_ids: set[int]) -> Update:
    """The revision bump of sessions changed by a Core statement (no ORM object to mark)."""
    bumped = LiveSession.revision + 1
    return update(LiveSession).where(LiveSession.id.in_(session_ids)).values(revision=bumped)


@event.listens_for(Session, "before_flush")
def _bump_revisions(orm: Session, _context: Any, _instances: Any) -> None:
    """Every flush that changes a session, its items, its criteria or its list questions bumps the
    session's revision, once, in the same transaction: no path that changes what phones are shown
    can forget it. (A list question's state travels in `questions_updated` with this revision.)

    Core statements bypass this: they use `revision_bump` (countdown locks on the rating path).
    """
    changed: set[LiveSession] = set()
    for obj in chain(orm.dirty, orm.deleted, orm.new):
        if isinstance(obj, LiveSession):
            if obj in orm.dirty and orm.is_modified(obj):
                changed.add(obj)
        elif isinstance(obj, SessionItem | Criterion | Question):
            if obj in orm.dirty and not orm.is_modified(obj):
                continue
            session: LiveSession | None
            if not isinstance(obj, Question):
                session = obj.session
            elif obj.session_id is not None:  # no relationship: the handler has the session loaded
                session = orm.get(LiveSession, obj.session_id)
            else:
                continue
            if session is not None:
                changed.add(session)
    for session in changed:
        if session not in orm.new and session not in orm.deleted:
            session.bump_revision()
            # Not committed yet: nothing may be kept under this revision (services/feedback.py)
            orm.info.setdefault("revised", set()).add(session.id)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _revisions_settled(orm: Session) -> None:
    orm.info.pop("revised", None)


def is_revised_here(orm: Session, session_id: int) -> bool:
    """This transaction changed the session's revision and has not committed it: a value read now
    must not be kept under that revision, which a rollback would give to another change."""
    return session_id in orm.info.get("revised", ())
