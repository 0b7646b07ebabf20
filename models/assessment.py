"""Self-assessments: a publication of a framework version, its respondents and their answers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.errors import InvalidStateError, Word
from models.base import db, utcnow
from models.framework import FrameworkVersion, Skill
from models.user import User


class AssessmentState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


TRANSITIONS = {
    AssessmentState.DRAFT: {AssessmentState.OPEN},
    AssessmentState.OPEN: {AssessmentState.CLOSED},
    AssessmentState.CLOSED: {AssessmentState.OPEN},
}


class Assessment(db.Model):  # type: ignore[name-defined,misc]
    """A published questionnaire; its questions freeze once anyone has answered."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[AssessmentState] = mapped_column(
        Enum(AssessmentState, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=AssessmentState.DRAFT,
    )
    include_importance: Mapped[bool] = mapped_column(default=True)
    # {question: {"*" or skill code: [five anchors]}}; missing keys fall back to the defaults
    anchors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {skill code: {"text": str, "links": [{"label", "url"}]}}: "how to develop it"
    guidance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    profile_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Days after a respondent's last answer until `flask purge` unlinks them from it (GDPR).
    retention_days: Mapped[int] = mapped_column(default=180, server_default="180")
    withdrawn_respondents: Mapped[int] = mapped_column(default=0, server_default="0")  # left out

    owner: Mapped[User] = relationship()
    framework_version: Mapped[FrameworkVersion] = relationship()
    respondents: Mapped[list[AssessmentRespondent]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    def move_to(self, target: AssessmentState) -> None:
        if target not in TRANSITIONS[self.state]:
            raise InvalidStateError(
                "A %(state)s self-assessment cannot become %(target)s.",
                state=Word(self.state.value),
                target=Word(target.value),
            )
        self.state = target


class AssessmentRespondent(db.Model):  # type: ignore[name-defined,misc]
    """One person taking a self-assessment, known only by the hash of their personal code."""

    __tablename__ = "assessment_respondents"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="respondents")
    rounds: Mapped[list[AssessmentRound]] = relationship(
        back_populates="respondent", order_by="AssessmentRound.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> AssessmentRound:
        return self.rounds[-1]


class AssessmentRound(db.Model):  # type: ignore[name-defined,misc]
    """One take of the questionnaire: round 2 is the retake that shows the change."""

    __tablename__ = "assessment_rounds"
    __table_args__ = (UniqueConstraint("respondent_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("assessment_respondents.id"))
    number: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    respondent: Mapped[AssessmentRespondent] = relationship(back_populates="rounds")


class AssessmentAnswer(db.Model):  # type: ignore[name-defined,misc]
    """One answer, keyed like every answer: (respondent, item, question, round)."""

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("respondent_id", "skill_id", "question", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("assessment_respondents.id"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    question: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(default=1)
    value: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    skill: Mapped[Skill] = relationship()
