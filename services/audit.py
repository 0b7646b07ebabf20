"""The audit log: record facilitators' and admins' actions, and read them back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from domain.workbook_log import LogRow, details
from models import AuditEntry, LiveSession, User, db
from services.payloads import left_out


def record(
    actor: User | None,
    action: str,
    session_code: str | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    by: str | None = None,
) -> AuditEntry:
    """Note one action of `actor` (None: the command line, or who `by` names, such as "respondent").

    Commits, so it survives a later error.

    Entries name accounts by e-mail and participants by pseudonym only: never a token or address.
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else by or "command line",
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


def log_rows(sessions: Sequence[LiveSession]) -> tuple[LogRow, ...]:
    """The workbook's Log sheet: who is left out of the figures, then each session's log, oldest first."""
    rows = [LogRow(s.code, None, "", "left_out_of_figures", "", left_out(s)) for s in sessions if left_out(s)]
    codes = [s.code for s in sessions]
    query = select(AuditEntry).where(AuditEntry.session_code.in_(codes)).order_by(AuditEntry.id)
    for e in db.session.scalars(query):
        rows.append(LogRow(e.session_code or "", e.at, e.actor, e.action, e.target, details(e.detail)))
    return tuple(rows)
