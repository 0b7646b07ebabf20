"""Answers to a session's open questions about an item, and where an accepted wording went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.framework import FrameworkVersion, Skill
from models.participant import Participant


class OpenAnswer(db.Model):  # type: ignore[name-defined,misc]
    """One person's text for one open question on one item in one round; retries update it."""

    __tablename__ = "open_answers"
    __table_args__ = (UniqueConstraint("participant_id", "skill_id", "question", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    question: Mapped[str] = mapped_column(String(20))  # domain.open_questions key
    round: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Provenance: the item-list version a facilitator accepted this wording into.
    accepted_version_id: Mapped[int | None] = mapped_column(ForeignKey("framework_versions.id"))
    accepted_at: Mapped[datetime | None]
    participant: Mapped[Participant] = relationship()
    skill: Mapped[Skill] = relationship()
    accepted_version: Mapped[FrameworkVersion | None] = relationship()
