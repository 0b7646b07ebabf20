"""Pooled list-question figures across workshops on the same framework: one panel of everyone.

Workshops may ask question N with different settings. What can still be pooled depends on the
kind (docs/methodology.md, section 15):

- **pick k of n**: how often a skill is picked depends on k (and on exactly / at most) and on the
  skills it competed with, so only workshops with the same k, the same rule and the same skill
  list are pooled. A different share rule is not a different answer: the first workshop's rule
  marks the pooled ✓, and the note says so.
- **rank**: a ranking cut after its first places is still a ranking of the top places, so
  rankings of the same list to different depths are pooled as top-k of the smallest k. A complete
  ranking of a longer list, restricted to the skills every workshop ranked, is a complete ranking
  of those (the person's order among them is kept), so complete rankings of different lists pool
  over the common skills; a top-k of different lists does not (the order among the common skills
  is not known beyond each top k).
- **points**: answers to different budgets are compared as shares of the budget: each person's
  points are rescaled to 100. Points over different lists are not pooled (what a skill gets
  depends on which others could get them).

Every choice is written down: pooled questions carry `notes`, and `not_pooled` lists what was
left apart and why, for the comparison page and the merged workbook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.text import Text
from domain.kinds import KINDS
from domain.kinds.export import (
    ListExport,
    ListQuestionInfo,
    NotPooled,
    PoolNote,
    pooled_columns,
    write_priorities,
)
from domain.workbook_xlsx import Column, SheetRows

SEPARATOR = " + "
POINTS_SCALE = 100  # points are pooled as points per 100 of each person's budget


def N_(message: str) -> str:
    """Mark a message for translation; the page translates it when it shows the note."""
    return message


Answer = Mapping[str, Any]


@dataclass(frozen=True)
class _Plan:
    """How one group of sessions' answers to one question is pooled."""

    asked: Sequence[ListQuestionInfo]
    params: Mapping[str, Any]
    notes: tuple[PoolNote, ...] = ()
    keep: frozenset[str] | None = None  # skill codes pooled over (None: all of them)
    adapt: Callable[[ListQuestionInfo, Answer], Answer] = field(default=lambda _q, value: value)


Outcome = _Plan | NotPooled


def _joined(asked: Sequence[ListQuestionInfo]) -> str:
    return SEPARATOR.join(q.session_code for q in asked)


def _codes(export: ListExport, q: ListQuestionInfo) -> frozenset[str]:
    return frozenset(code for _i, code, _n in export.skills.get(q.session_code, ()))


def _each(asked: Sequence[ListQuestionInfo], show: Callable[[ListQuestionInfo], Any]) -> str:
    """Each session's value, language-neutral ("A: 8, B: 5"): it goes into translated sentences."""
    return ", ".join(f"{q.session_code}: {show(q)}" for q in asked)


def _split(
    asked: Sequence[ListQuestionInfo], key: Callable[[ListQuestionInfo], Any]
) -> list[list[ListQuestionInfo]]:
    groups: dict[Any, list[ListQuestionInfo]] = defaultdict(list)
    for q in asked:
        groups[key(q)].append(q)
    return list(groups.values())


def _lists_differ(asked: Sequence[ListQuestionInfo], export: ListExport, why: str) -> NotPooled:
    common = frozenset.intersection(*(_codes(export, q) for q in asked))
    sizes = _each(asked, lambda q: len(_codes(export, q)))
    return NotPooled(asked[0].number, _joined(asked), PoolNote(why, {"sizes": sizes, "common": len(common)}))


def _plan_pick(asked: Sequence[ListQuestionInfo], export: ListExport) -> list[Outcome]:
    def rule(q: ListQuestionInfo) -> str:
        return f"{'=' if q.params.get('exact', True) else '≤'} {q.params['k']}"

    groups = _split(asked, rule)
    out: list[Outcome] = []
    if len(groups) > 1:
        why = N_(
            "Different numbers to pick (%(rules)s): how often a skill is picked depends on how many "
            "each person may pick, so only meetings that asked for the same number are pooled."
        )
        out.append(NotPooled(asked[0].number, _joined(asked), PoolNote(why, {"rules": _each(asked, rule)})))
    for group in (g for g in groups if len(g) > 1):
        if len({_codes(export, q) for q in group}) > 1:
            why = N_(
                "The skill lists differ (skills: %(sizes)s; %(common)s in common), and a "
                "skill's share of picks depends on the skills it competed with."
            )
            out.append(_lists_differ(group, export, why))
            continue
        notes: tuple[PoolNote, ...] = ()
        shares = {q.params.get("threshold") for q in group}
        if len(shares) > 1:
            text = N_(
                "The share rule differs (%(rules)s): the pooled ✓ uses %(first)s%%, the first meeting's."
            )
            values = {"rules": _each(group, lambda q: f"{q.params.get('threshold')}%"),
                      "first": group[0].params.get("threshold")}  # fmt: skip
            notes = (PoolNote(text, values),)
        out.append(_Plan(group, group[0].params, notes))
    return out


def _plan_rank(asked: Sequence[ListQuestionInfo], export: ListExport) -> list[Outcome]:
    lists = [_codes(export, q) for q in asked]
    depth = min(q.params["k"] for q in asked)
    if len(set(lists)) == 1:
        if all(q.params["k"] == depth for q in asked):
            return [_Plan(asked, asked[0].params)]
        text = N_("Ranked to different depths (%(depths)s): every ranking is cut to its first %(k)s places.")
        note = PoolNote(text, {"depths": _each(asked, lambda q: q.params["k"]), "k": depth})
        return [
            _Plan(
                asked, {"k": depth}, (note,), adapt=lambda _q, v: {"order": list(v.get("order", []))[:depth]}
            )
        ]
    common = frozenset.intersection(*lists)
    complete = all(q.params["k"] >= len(codes) for q, codes in zip(asked, lists, strict=True))
    if not complete or len(common) < 2:
        why = N_(
            "The skill lists differ (skills: %(sizes)s; %(common)s in common) and not every "
            "ranking is complete, so a person's order among the common skills is not known."
        )
        return [_lists_differ(asked, export, why)]
    left = sorted(frozenset.union(*lists) - common)
    text = N_(
        "The skill lists differ: pooled over the %(common)s skills every meeting ranked, each "
        "person's order among them kept; left out: %(left)s."
    )
    note = PoolNote(text, {"common": len(common), "left": ", ".join(left)})
    ids = {
        q.session_code: {i for i, code, _n in export.skills[q.session_code] if code in common} for q in asked
    }

    def among_common(q: ListQuestionInfo, value: Answer) -> Answer:
        return {"order": [i for i in value.get("order", []) if i in ids[q.session_code]]}

    return [_Plan(asked, {"k": len(common)}, (note,), keep=common, adapt=among_common)]


def _plan_points(asked: Sequence[ListQuestionInfo], export: ListExport) -> list[Outcome]:
    if len({_codes(export, q) for q in asked}) > 1:
        why = N_(
            "The skill lists differ (skills: %(sizes)s; %(common)s in common), and the "
            "points a skill gets depend on which others could get them."
        )
        return [_lists_differ(asked, export, why)]
    budgets = {q.params["budget"] for q in asked}
    if len(budgets) == 1:
        return [_Plan(asked, asked[0].params)]
    text = N_("Budgets differ (%(budgets)s): each person's points are rescaled to a budget of %(scale)s.")
    note = PoolNote(text, {"budgets": _each(asked, lambda q: q.params["budget"]), "scale": POINTS_SCALE})

    def rescaled(q: ListQuestionInfo, value: Answer) -> Answer:
        factor = POINTS_SCALE / q.params["budget"]
        return {"points": {k: p * factor for k, p in value.get("points", {}).items()}}

    return [_Plan(asked, {"budget": POINTS_SCALE}, (note,), adapt=rescaled)]


PLANS: dict[str, Callable[[Sequence[ListQuestionInfo], ListExport], list[Outcome]]] = {
    "pick": _plan_pick,
    "rank": _plan_rank,
    "points": _plan_points,
}


def _pool(plan: _Plan, export: ListExport) -> tuple[ListQuestionInfo, list[tuple[int, str, str]]]:
    """One pooled question: skills matched by code, each person once, the kind's own summary."""
    first, kind = plan.asked[0], KINDS[plan.asked[0].kind]
    codes: dict[str, tuple[int, str]] = {}  # skill code -> (pooled id, name), first seen order
    for q in plan.asked:
        for _, code, name in export.skills.get(q.session_code, ()):
            if plan.keep is None or code in plan.keep:
                codes.setdefault(code, (len(codes) + 1, name))
    values = []
    for q in plan.asked:
        ids = {i: codes[code][0] for i, code, _ in export.skills.get(q.session_code, ()) if code in codes}
        values += [
            kind.remap(plan.adapt(q, value), ids)
            for (session, _, n), value in export.answers.items()
            if session == q.session_code and n == first.number
        ]
    result = kind.summarize(plan.params, [i for i, _ in codes.values()], values)
    pooled = replace(
        first,
        session_code=_joined(plan.asked),
        params=plan.params,
        round=None,
        result=result,
        notes=plan.notes,
    )
    return pooled, [(i, code, name) for code, (i, name) in codes.items()]


def pool_lists(export: ListExport) -> ListExport:
    """Each list question asked in two or more sessions, pooled over all their answers where it can be.

    Questions are matched by number, skills by code; every person counts once, whichever
    workshop they sat in, and the kind's own summary is computed on the pooled answers (picks and
    shares with Wilson intervals, Borda and mean ranks, points; Kendall's W over the whole pooled
    panel). Each pooled question's `session_code` joins its sessions with " + ", its `round` is
    None (each session's current round) and its `notes` say how settings that differ were
    reconciled; `not_pooled` says what was left apart and why (see the module docstring).
    """
    by_number: dict[int, list[ListQuestionInfo]] = defaultdict(list)
    for q in export.questions:
        by_number[q.number].append(q)
    questions, skills, apart = [], {}, []
    for number, asked in sorted(by_number.items()):
        if len({q.session_code for q in asked}) < 2:
            continue
        forms = _split(asked, lambda q: q.kind)
        if len(forms) > 1:
            why = N_("Asked in different forms (%(forms)s): only answers to the same form are pooled.")
            apart.append(
                NotPooled(number, _joined(asked), PoolNote(why, {"forms": _each(asked, lambda q: q.kind)}))
            )
        for group in (g for g in forms if len(g) > 1):
            for outcome in PLANS[group[0].kind](group, export):
                if isinstance(outcome, NotPooled):
                    apart.append(outcome)
                    continue
                pooled, pooled_skills = _pool(outcome, export)
                questions.append(pooled)
                skills[pooled.session_code] = pooled_skills
    return ListExport(tuple(questions), {}, skills, tuple(apart))


POOLED_SHEET = "Pooled priorities"
NOTE, NOT_POOLED = N_("Note: %(note)s"), N_("Not pooled: %(note)s")


def pooled_sheet(export: ListExport) -> dict[str, list[Column]]:
    """The pooled sheet's columns when list questions come from two or more sessions, else none."""
    return {POOLED_SHEET: pooled_columns()} if len(export.skills) >= 2 else {}


def write_pooled(sheets: Mapping[str, SheetRows], export: ListExport) -> None:
    """Fill the pooled sheet, if the workbook has one: the Priorities rows of each pooled question,
    then a line per note (how differing settings were reconciled) and per question not pooled."""
    if POOLED_SHEET not in sheets:
        return
    sheet, pooled = sheets[POOLED_SHEET], pool_lists(export)
    write_priorities(sheet, pooled)
    blank = [None] * (len(sheet.columns) - 4)
    for q in pooled.questions:
        for note in q.notes:
            sheet.append([q.session_code, q.number, q.kind, Text(NOTE, {"note": note.as_text()}), *blank])
    for apart in pooled.not_pooled:
        why = Text(NOT_POOLED, {"note": apart.reason.as_text()})
        sheet.append([apart.sessions, apart.number, None, why, *blank])
