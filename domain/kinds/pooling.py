"""Pooled list-question figures across workshops on the same framework: one panel of everyone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.kinds import KINDS
from domain.kinds.export import ListExport, ListQuestionInfo, pooled_columns, write_priorities
from domain.workbook_xlsx import Column, SheetRows

SEPARATOR = " + "


def _settings(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """What must match to pool: k, exact, budget; the share rule is the session's own statement."""
    return tuple(sorted((k, v) for k, v in params.items() if k != "threshold"))


def pool_lists(export: ListExport) -> ListExport:
    """Each list question asked in two or more sessions, pooled over all their answers.

    Questions pool when they have the same number, kind and settings (k, exact, budget); skills
    are matched by code. Every person counts once, whichever workshop they sat in, and the
    kind's own summary is computed on the pooled answers (picks and shares with Wilson
    intervals, Borda and mean ranks, points; Kendall's W over the whole pooled panel) — the
    analogue of pooling ratings across meetings (docs/methodology.md, section 15). Each pooled
    question's `session_code` joins its sessions with " + "; its `round` is None (each session's
    current round). The result is a ListExport that the Priorities layout can write.
    """
    groups: dict[tuple[int, str, tuple[tuple[str, Any], ...]], list[ListQuestionInfo]] = defaultdict(list)
    for q in export.questions:
        groups[(q.number, q.kind, _settings(q.params))].append(q)
    questions, skills = [], {}
    for (number, kind_name, _), asked in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1])):
        if len({q.session_code for q in asked}) < 2:
            continue
        kind = KINDS[kind_name]
        codes: dict[str, tuple[int, str]] = {}  # skill code -> (pooled id, name), first seen order
        for q in asked:
            for _, code, name in export.skills.get(q.session_code, ()):
                codes.setdefault(code, (len(codes) + 1, name))
        values = []
        for q in asked:
            ids = {i: codes[code][0] for i, code, _ in export.skills.get(q.session_code, ())}
            values += [
                kind.remap(value, ids)
                for (session, _, n), value in export.answers.items()
                if session == q.session_code and n == number
            ]
        key = SEPARATOR.join(q.session_code for q in asked)
        pooled_ids = [i for i, _ in codes.values()]
        result = kind.summarize(asked[0].params, pooled_ids, values)
        questions.append(replace(asked[0], session_code=key, round=None, result=result))
        skills[key] = [(i, code, name) for code, (i, name) in codes.items()]
    return ListExport(tuple(questions), {}, skills)


POOLED_SHEET = "Pooled priorities"


def pooled_sheet(export: ListExport) -> dict[str, list[Column]]:
    """The pooled sheet's columns when list questions come from two or more sessions, else none."""
    return {POOLED_SHEET: pooled_columns()} if len(export.skills) >= 2 else {}


def write_pooled(sheets: Mapping[str, SheetRows], export: ListExport) -> None:
    """Fill the pooled sheet, if the workbook has one: the Priorities rows of each pooled question."""
    if POOLED_SHEET in sheets:
        write_priorities(sheets[POOLED_SHEET], pool_lists(export))
