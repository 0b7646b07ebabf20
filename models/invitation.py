"""E-mail addresses of people invited to a review: kept apart from answers, deleted at closing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class Invitation(db.Model):  # type: ignore[name-defined,misc]
    """One address and the participant slot it was sent; no answer ever refers to it."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("session_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    email: Mapped[str] = mapped_column(String(254))
    # The personal link holds the resume code, which is stored hashed only: the link is mailed
    # when the slot is made and for reminders the coordinator asks for a fresh code.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class Reminder(db.Model):  # type: ignore[name-defined,misc]
    """A reminder the facilitator set for a time: mailed to those invited who have not finished."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    due_at: Mapped[datetime]
    # The address phones use, as the facilitator's page knew it: the ticker has no request.
    base_url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]  # taken by one process (then mailed); None while waiting
    sent_count: Mapped[int | None]
    failed: Mapped[str | None] = mapped_column(String(2000))  # the addresses a mail could not reach
