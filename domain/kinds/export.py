"""List questions in the results workbook: the Rankings sheet (person x skill) and Priorities."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.text import N_, Text
from domain.kinds import KINDS
from domain.workbook_labels import LABELS
from domain.workbook_xlsx import Column, SheetRows


@dataclass(frozen=True)
class PoolNote:
    """A sentence about pooling: `text` is a message id (N_ in domain/kinds/pooling.py), `values` fill it."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return self.text % dict(self.values)

    def as_text(self) -> Text:
        """The note as a text the workbook writes in its reader's language."""
        return Text(self.text, dict(self.values))


@dataclass(frozen=True)
class NotPooled:
    """A list question of two or more sessions that was not pooled (or not all of it), and why."""

    number: int
    sessions: str  # the codes, joined by " + "
    reason: PoolNote


@dataclass(frozen=True)
class ListQuestionInfo:
    """One list question of one session, with its current round's result (a kind's summary)."""

    session_code: str
    number: int  # 1, 2, ... in the session's order; merged exports align questions by number
    kind: str
    prompt: str
    params: Mapping[str, Any]
    round: int | None  # None when pooled over sessions (each its current round)
    result: Mapping[str, Any]
    notes: tuple[PoolNote, ...] = ()  # pooled only: how the sessions' settings were reconciled


@dataclass(frozen=True)
class ListExport:
    """What the list-question sheets need; `skills` maps a session to its (id, code, name)."""

    questions: tuple[ListQuestionInfo, ...] = ()
    answers: Mapping[tuple[str, str, int], Mapping[str, Any]] = field(default_factory=dict)
    skills: Mapping[str, Sequence[tuple[int, str, str]]] = field(default_factory=dict)
    not_pooled: tuple[NotPooled, ...] = ()  # pooled only: what could not be pooled, and why


def _slots(export: ListExport) -> list[tuple[int, str]]:
    """(question number, kind) pairs in order: one group of Rankings columns each."""
    return sorted({(q.number, q.kind) for q in export.questions})


def rankings_columns(export: ListExport, lead: Sequence[Column]) -> list[Column]:
    cells = [
        Column(
            f"q{number}_{c.header}",
            11,
            N_(
                "List question %(number)s (%(kind)s, current round): %(meaning)s.",
                number=number,
                kind=kind,
                meaning=c.meaning,
            ),
            label=N_("Question %(number)s: %(column)s", number=number, column=LABELS.get(c.header, c.header)),
        )
        for number, kind in _slots(export)
        for c in KINDS[kind].columns
    ]
    skill = [Column("skill_code", 11, N_("Skill code.")), Column("skill_name", 28, N_("Skill name."))]
    return [*lead, *skill, *cells]


def pooled_columns() -> list[Column]:
    """The Priorities layout for figures pooled over workshops (domain/kinds/pooling.py)."""
    columns = priorities_columns()
    pooled = {
        "session": Column(
            "sessions", 16, N_("The sessions pooled, joined by ' + ' (same question number and kind).")
        ),
        "prompt": Column(
            "prompt",
            36,
            N_(
                "The question as phones showed it; on 'Note:' rows, how settings that differ between the "
                "sessions were reconciled; on 'Not pooled:' rows, what was left apart and why."
            ),
        ),
        "round": Column("round", 7, N_("Empty: each session's current round.")),
        "n": Column("n", 5, N_("People who answered, all pooled sessions together (each counts once).")),
    }
    return [pooled.get(c.header, c) for c in columns]


def priorities_columns() -> list[Column]:
    figures: dict[str, Text] = {}
    for kind in KINDS.values():
        for c in kind.summary_columns:
            before = figures.get(c.header)  # a column two kinds share says what it is for each
            figures[c.header] = (
                N_("For %(kind)s questions: %(meaning)s.", kind=kind.name, meaning=c.meaning)
                if before is None
                else N_(
                    "%(before)s For %(kind)s questions: %(meaning)s.",
                    before=before,
                    kind=kind.name,
                    meaning=c.meaning,
                )
            )
    return [
        Column("session", 10, N_("Session (meeting) code.")),
        Column("question", 9, N_("List question number in the session.")),
        Column("kind", 8, N_("pick, rank or points.")),
        Column("prompt", 36, N_("The question as phones showed it.")),
        Column("round", 7, N_("The question's current round, which these figures describe.")),
        Column("n", 5, N_("People who answered in that round.")),
        Column(
            "kendall_w", 10, N_("Kendall's W for the panel, tie-corrected (picks as 1/0, ranks, points).")
        ),
        Column("chi2", 8, N_("Chi-square for W: m (n - 1) W.")),
        Column("df", 5, N_("Degrees of freedom: skills - 1.")),
        Column("p", 8, N_("p-value of the chi-square test (approximation).")),
        Column("group_rank", 10, N_("The skill's place in the group's ranking (1 = first).")),
        Column("skill_code", 11, N_("Skill code.")),
        Column("skill_name", 28, N_("Skill name.")),
        *(Column(header, 10, meaning) for header, meaning in figures.items()),
    ]


def write_rankings(
    sheet: SheetRows, export: ListExport, people: Callable[[str], list[tuple[str, list[Any]]]]
) -> None:
    """One row per person and skill: each list question's cells (picked, rank, points)."""
    by_slot = {(q.session_code, q.number, q.kind): q for q in export.questions}
    for session_code, skills in export.skills.items():
        slots = [(n, k, by_slot.get((session_code, n, k))) for n, k in _slots(export)]
        for pseudonym, lead in people(session_code):
            for skill_id, code, name in skills:
                cells: list[Any] = []
                for number, kind, question in slots:
                    unit = KINDS[kind]
                    if question is None:
                        cells.extend([None] * len(unit.columns))
                        continue
                    value = export.answers.get((session_code, pseudonym, number))
                    cells.extend(unit.cells(question.params, value, skill_id))
                sheet.append([*lead, code, name, *cells])


def write_priorities(sheet: SheetRows, export: ListExport) -> None:
    """One row per question and skill, best first: the group's figures and the panel's W."""
    headers = [c.header for c in sheet.columns[13:]]
    for q in export.questions:
        names = {i: (code, name) for i, code, name in export.skills.get(q.session_code, ())}
        w = q.result.get("agreement") or {}
        for place, entry in enumerate(q.result.get("items", []), start=1):
            code, name = names.get(entry["skill_id"], ("", ""))
            head = [q.session_code, q.number, q.kind, q.prompt, q.round, q.result.get("n")]
            stats = [w.get("w"), w.get("chi2"), w.get("df"), w.get("p")]
            sheet.append([*head, *stats, place, code, name, *(entry.get(h) for h in headers)])
