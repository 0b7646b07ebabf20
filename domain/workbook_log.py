"""The workbook's Log sheet: who left out of the figures, and the session's audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis.text import N_
from domain.workbook_xlsx import Column, XlsxBuilder

LOG_COLUMNS = (
    Column("session", 10, N_("Join code of the session.")),
    Column("at", 20, N_("When (UTC).")),
    Column("who", 28, N_("The account that acted (its e-mail), or 'command line'.")),
    Column(
        "action",
        22,
        N_(
            "What was done: session_state, item_opened, item_locked, results_revealed, revote, "
            "comment_hidden, comment_starred, reason_hidden (kept from the panel's feedback), "
            "reason_shown, decision, session_exported, participant_removed, "
            "session_purged, ... The first rows say who is left out of every figure."
        ),
    ),
    Column("on", 22, N_("What it was done to: a skill code, a pseudonym, a state, a comment.")),
    Column("details", 50, N_("More about it, as key: value pairs.")),
)


@dataclass(frozen=True)
class LogRow:
    session_code: str
    at: datetime | None
    who: str
    action: str
    on: str
    details: str


def details(detail: dict[str, Any]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in detail.items())


def write_log(book: XlsxBuilder, rows: Sequence[LogRow]) -> None:
    """Add the Log sheet (only when there is something to log, so older workbooks stay as they were)."""
    if not rows:
        return
    sheet = book.add_sheet("Log", LOG_COLUMNS)
    for row in rows:
        sheet.append([row.session_code, row.at, row.who, row.action, row.on, row.details])
