"""Pseudonymous participants and what they submit: ratings and comments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow


class CommentState(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"
    STARRED = "starred"


class Participant(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    number: Mapped[int]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_at: Mapped[datetime | None]
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    online: Mapped[bool] = mapped_column(default=False, server_default=false())  # a socket is connected
    # A review over days: the short code that brings the person back on any device (hashed),
    # and when they last opened the app (to say what changed since).
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_visit_at: Mapped[datetime | None]

    @property
    def pseudonym(self) -> str:
        return f"P{self.number:02d}"


class Rating(db.Model):  # type: ignore[name-defined,misc]
    """One answer; the unique key makes a retried submission an update, never a duplicate."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("participant_id", "skill_id", "criterion_id", "round"),
        Index("ix_ratings_session_skill", "session_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    round: Mapped[int] = mapped_column(default=1)
    value: Mapped[int | None]  # None means "can't judge": an abstention, not a missing answer
    reason: Mapped[str | None] = mapped_column(Text)  # why, when the round's reason rule asks
    # Kept from the reasons fed back to the panel by the facilitator (who still reads it).
    reason_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Its author rewrote it after the facilitator hid it: shown again, unjudged until hidden or shown.
    reason_changed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The language the skill was shown in on the phone ("en" = the framework's own texts; "" before i18n).
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    seq: Mapped[int | None] = mapped_column(BigInteger)  # the phone's sequence number: highest wins
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()


class Comment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("participant_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    text: Mapped[str] = mapped_column(Text)
    # The language of the phone's interface when it was written ("" before i18n).
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    state: Mapped[CommentState] = mapped_column(
        Enum(CommentState, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=CommentState.VISIBLE,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()


class ParticipantKey(db.Model):  # type: ignore[name-defined,misc]
    """Another device's token for a participant who came back with their resume code."""

    __tablename__ = "participant_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()
