"""The audit log: who did what, and when, to a session, a framework or an account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """One facilitator's or admin's action. Names no participant beyond a pseudonym, and no address."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254))  # the account's e-mail then, or "command line"
    action: Mapped[str] = mapped_column(String(40))
    session_code: Mapped[str | None] = mapped_column(String(12), index=True)  # kept if the session goes
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
