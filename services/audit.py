"""The audit log: record facilitators' and admins' actions, and read them back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import AuditEntry, User, db


def record(
    actor: User | None,
    action: str,
    session_code: str | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Note one action of `actor` (None: the command line). Commits, so it survives a later error.

    Entries name accounts by e-mail and participants by pseudonym only: never a token or address.
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else "command line",
        action=action,
        session_code=session_code,
        target=str(target)[:200],
        detail=detail or {},
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def entries(
    session_code: str | None = None, limit: int | None = 500, before: int | None = None
) -> list[AuditEntry]:
    """The latest entries first; of one session when `session_code` is given."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if session_code is not None:
        query = query.where(AuditEntry.session_code == session_code)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))
