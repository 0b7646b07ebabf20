"""The Open answers sheet: what people wrote to a session's open questions about each item."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.text import N_
from domain.export_data import OpenAnswerRow
from domain.open_questions import OPEN_QUESTIONS
from domain.workbook_layout import Layout
from domain.workbook_report import short_name
from domain.workbook_xlsx import Column, SheetRows

SHEET = "Open answers"
OPEN_CODES: list[tuple[object, str]] = [(q.key, q.label) for q in OPEN_QUESTIONS.values()]


def open_columns(lead: list[Column]) -> list[Column]:
    """Session, session name and item first (as in Comments), then the answer."""
    return [
        *lead,
        Column("pseudonym", 11, N_("Author's pseudonym within the session.")),
        Column("question", 10, N_("The open question answered (see the value codes below).")),
        Column("round", 7, N_("Round the answer was given in (1 = first).")),
        Column("text", 80, N_("The answer, verbatim (stored as text, never as a formula)."), wrap=True),
        Column("written_utc", 19, N_("When the answer was first written. Date and time in UTC.")),
        Column("changed_utc", 19, N_("When the answer was last changed. Date and time in UTC.")),
        Column(
            "accepted_version",
            10,
            N_(
                "For a suggested wording the facilitator accepted: the version of the item list it went "
                "into; empty otherwise."
            ),
        ),
    ]


def asks_open_questions(layout: Layout) -> bool:
    return any(s.open_questions for s in layout.sessions)


def write_open_answers(sheet: SheetRows, answers: Iterable[OpenAnswerRow], layout: Layout) -> None:
    names = {(s.code, k.code): k.name for s in layout.sessions for k in s.skills}
    places = {s.code: short_name(s) for s in layout.sessions}
    for a in answers:
        sheet.append(
            [
                a.session_code,
                places.get(a.session_code),
                a.skill_code,
                names.get((a.session_code, a.skill_code)),
                a.pseudonym,
                a.question,
                a.round,
                a.text,
                a.created_at,
                a.updated_at,
                a.accepted_version,
            ]
        )
