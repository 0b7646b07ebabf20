"""List-question results for the results page (one session) and the comparison page (pooled)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from core.i18n import SOURCE
from domain.kinds.export import NotPooled
from domain.kinds.pooling import pool_lists
from domain.kinds.table import result_tables
from models import LiveSession
from services import session_texts
from services.prioritisation import items_payload, list_export, questions_of


def session_tables(session: LiveSession, lang: str = SOURCE) -> list[dict[str, Any]]:
    """Each list question's current round, as a table of figures per skill; the skills and
    prompts in `lang` where the framework and the session form have it (the workbook, from
    the same list_export, keeps the stored texts)."""
    export = list_export([session])
    if lang != SOURCE and export.questions:
        names = [
            (i["skill_id"], i["code"], (i["i18n"].get(lang) or {}).get("name") or i["name"])
            for i in items_payload(session.id)
        ]
        prompts = [session_texts.prompt(q, lang) for q in questions_of(session.id)]
        export = replace(
            export,
            skills={session.code: names},
            questions=tuple(replace(q, prompt=prompts[q.number - 1]) for q in export.questions),
        )
    return result_tables(export)


def pooled_tables(sessions: Sequence[LiveSession]) -> tuple[list[dict[str, Any]], tuple[NotPooled, ...]]:
    """List questions asked in two or more of these sessions, pooled over everyone who answered
    where their settings allow; and those left apart, each with its reason."""
    pooled = pool_lists(list_export(sessions))
    return result_tables(pooled), pooled.not_pooled
