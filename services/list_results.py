"""List-question results for the results page (one session) and the comparison page (pooled)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from core.i18n import SOURCE
from domain.kinds.export import ListExport, NotPooled
from domain.kinds.pooling import pool_lists
from domain.kinds.table import result_tables
from models import LiveSession
from services import session_texts
from services.payloads import item_in_language
from services.prioritisation import items_payload, list_export, questions_of


def session_tables(session: LiveSession, lang: str = SOURCE) -> list[dict[str, Any]]:
    """Each list question's current round, as a table of figures per skill; skills and prompts
    in `lang` where the framework and the session form have it (see in_language)."""
    return result_tables(in_language(list_export([session]), [session], lang))


def pooled_tables(
    sessions: Sequence[LiveSession], lang: str = SOURCE
) -> tuple[list[dict[str, Any]], tuple[NotPooled, ...]]:
    """List questions asked in two or more of these sessions, pooled over everyone who answered
    where their settings allow; and those left apart, each with its reason."""
    pooled = pool_lists(in_language(list_export(sessions), sessions, lang))
    return result_tables(pooled), pooled.not_pooled


def in_language(export: ListExport, sessions: Sequence[LiveSession], lang: str) -> ListExport:
    """The export's skills and prompts as a page in `lang` shows them: the framework's and the
    session form's translations, else as stored. Pages only: pooling matches skills by code and
    questions by number, and the workbook keeps the stored names coordinators merge on."""
    if lang == SOURCE or not export.questions:
        return export
    skills, prompts = {}, {}
    for session in sessions:
        if session.code not in export.skills:
            continue
        skills[session.code] = [
            (i["skill_id"], i["code"], item_in_language(i, lang)["name"]) for i in items_payload(session.id)
        ]
        for number, q in enumerate(questions_of(session.id), start=1):
            prompts[(session.code, number)] = session_texts.prompt(q, lang)
    asked = tuple(
        replace(q, prompt=prompts.get((q.session_code, q.number), q.prompt)) for q in export.questions
    )
    return replace(export, skills=skills, questions=asked)
