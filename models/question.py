"""Questions over a session's whole item list (pick, rank, points) and their answers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.errors import InvalidStateError
from models.base import db, utcnow
from models.participant import Participant


class QuestionStatus(enum.StrEnum):
    PENDING = "pending"
    OPEN = "open"
    LOCKED = "locked"


class Question(db.Model):  # type: ignore[name-defined,misc]
    """One list question of a session; `kind` names its unit in domain.kinds, `params` its settings."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The prompt in other languages: {lang: {"prompt": ...}}
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    status: Mapped[QuestionStatus] = mapped_column(
        Enum(QuestionStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=QuestionStatus.PENDING,
    )
    on_screen: Mapped[bool] = mapped_column(default=False)  # phones and projector show it
    revealed: Mapped[bool] = mapped_column(default=False)
    round: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime | None]
    answers: Mapped[list[Answer]] = relationship(back_populates="question", cascade="all, delete-orphan")

    def open(self) -> None:
        self.status = QuestionStatus.OPEN
        self.on_screen = True
        self.opened_at = utcnow()

    def lock(self, locked: bool = True) -> None:
        if self.status is QuestionStatus.PENDING:
            raise InvalidStateError("Open the question before locking it.")
        self.status = QuestionStatus.LOCKED if locked else QuestionStatus.OPEN

    def reveal(self, revealed: bool = True) -> None:
        """Results are revealed once people can vote: before, there is nothing to show, and a
        reveal set in advance would put every vote on the projector as it came in."""
        if revealed and self.status is QuestionStatus.PENDING:
            raise InvalidStateError(
                "Nobody can have voted yet: show the question on the phones before revealing its results."
            )
        self.revealed = revealed

    def start_round(self) -> None:
        """A re-vote: earlier answers are kept under their round, results hidden again."""
        if self.status is QuestionStatus.PENDING:
            raise InvalidStateError("Open the question before starting a new round.")
        self.round += 1
        self.revealed = False
        self.open()


class Answer(db.Model):  # type: ignore[name-defined,misc]
    """One person's whole answer to a list question in a round; the key makes retries updates."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("participant_id", "question_id", "round"),
        # A question's results (every push of its answers) read its round: without this, the whole
        # table, every session's answers (bench/README.md, issue 16).
        Index("ix_answers_question_round", "question_id", "round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    round: Mapped[int] = mapped_column(default=1)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
    question: Mapped[Question] = relationship(back_populates="answers")
    participant: Mapped[Participant] = relationship()
