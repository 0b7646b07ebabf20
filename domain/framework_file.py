"""Framework files: parse and validate an uploaded .xlsx/.csv skills list, write one back.

Layout: one row per skill under a header row (the sheet's first non-blank row) with the
required columns code, name, definition, cluster and the optional columns source, notes,
name_<lang> and definition_<lang> (translations, e.g. name_pl). In a workbook the skills
come from the sheet named "Skills", else from the first sheet whose header has the
required columns (a caller may name the sheet; the draft says which sheet it read and which
others qualified, so a preview or the CLI can say so or ask). Without a "Skills" sheet and
without a complete candidate, a workbook of several sheets is refused with the list of the
sheets found. A formula cell is a problem at its sheet, row and column: its cached value may
be stale or missing, so it is never imported. The framework's name comes from the sheet
"Framework" (a row whose first cell is "name", the name in the next cell); without it, or in a
CSV file, from the file name without its extension.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PureWindowsPath
from types import MappingProxyType

from openpyxl.utils import get_column_letter

from analysis.text import N_, Text
from domain.errors import DomainError
from domain.item_lists import KINDS, ItemListKind, kind_of
from domain.workbook_framework import (
    ALIASES,
    ALLOWED,
    CODE_PATTERN,
    CORE,
    FRAMEWORK_SHEET,
    KIND_KEYS,
    NAME_KEYS,
    REQUIRED,
    SKILLS_SHEET,
    canonical_column,
    limit_of,
    normalize_header,
    skill_table,
    template_tables,
    unescape_csv,
    write_csv,
    write_xlsx,
)
from domain.workbook_read import RawSheet, UnreadableFileError, read_upload

MAX_PROBLEMS = 200  # more are summarised in one last problem


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as Excel shows it (row 1 = header, column "C")."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        sheet = f"{self.sheet}!" if self.sheet else ""
        where = f"{sheet}{self.column or ''}{self.row or ''}"
        return f"{where}: {self.message}" if where else self.message


class FrameworkFileError(DomainError):
    """The framework file has problems; `problems` lists all of them."""

    code = "invalid_framework_file"
    http_status = 422

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"The framework file has {count} problem{'s' * (count != 1)}.")


@dataclass(frozen=True)
class SkillDraft:
    """A skill read from a file; `extra` holds the non-empty optional columns (read-only)."""

    code: str
    name: str
    definition: str
    cluster: str
    extra: Mapping[str, str] = field(default_factory=dict)
    body: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))


@dataclass(frozen=True)
class FrameworkDraft:
    """A validated framework, ready to be stored as a new framework version.

    `sheet` is the sheet the skills were read from (None for CSV) and `candidates` every
    sheet whose header has the required columns, so a caller can say which one it read."""

    name: str
    skills: tuple[SkillDraft, ...]
    kind: str = "skills"  # domain.item_lists
    sheet: str | None = field(default=None, compare=False)
    candidates: tuple[str, ...] = field(default=(), compare=False)
    chosen: bool = field(default=True, compare=False)  # False: first of several candidates, guessed

    @property
    def ambiguous(self) -> bool:
        """Several sheets could hold the skills and none was named or chosen."""
        return not self.chosen and len(self.candidates) > 1


def parse_framework_file(
    filename: str,
    data: bytes,
    *,
    max_bytes: int = 5_000_000,
    max_rows: int = 2000,
    kind: str | None = None,
    sheet_name: str | None = None,
) -> FrameworkDraft:
    """Read and validate a whole item-list file; raise FrameworkFileError listing every
    problem, so nothing partial is ever returned. `sheet_name` picks the items sheet of a
    workbook (an error listing the sheets found when there is no such sheet).

    The kind of list is `kind` when given, else the Framework sheet's "kind" row, else a guide
    when the file has a body column, else a skills framework.
    """
    stem, _, ext = PureWindowsPath(filename).name.rpartition(".")
    try:
        sheets = read_upload(ext.lower(), data, max_bytes=max_bytes, limit=max_rows + 1)
    except UnreadableFileError as exc:
        raise _fail(exc.args[0]) from None  # the text itself: translatable where shown
    sheet = _named_sheet(sheets, sheet_name) if sheet_name else _skills_sheet(sheets)
    problems: list[Problem] = []
    _formula_problems(sheets, sheet, problems)
    formula_cells = {(p.sheet, p.row, p.column) for p in problems}
    spec = _list_kind(kind, sheets, sheet, problems)
    skills = _skills(sheet, max_rows, problems, spec)
    # a formula cell reads as empty: say "formula" once, not also "empty"
    problems[len(formula_cells) :] = [
        p for p in problems[len(formula_cells) :] if (p.sheet, p.row, p.column) not in formula_cells
    ]
    name = _framework_name(sheets, problems) or stem.strip() or "Imported framework"
    if problems:
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            problems[MAX_PROBLEMS:] = [
                Problem(None, None, None, N_("... and %(num)s more problems.", num=rest))
            ]
        raise FrameworkFileError(problems)
    candidates = tuple(s.name for s in sheets if s.name is not None and _qualifies(s))
    chosen = bool(sheet_name) or (sheet.name or "").strip().lower() == SKILLS_SHEET.lower()
    return FrameworkDraft(name, tuple(skills), spec.key, sheet.name, candidates, chosen)


def _list_kind(
    given: str | None, sheets: list[RawSheet], items: RawSheet, problems: list[Problem]
) -> ItemListKind:
    written: str | None = given
    where: tuple[str | None, int] | None = None
    for sheet in sheets:
        if written is None and (sheet.name or "").strip().lower() == FRAMEWORK_SHEET.lower():
            for number, cells in sheet.rows:
                if normalize_header(cells[0]) in KIND_KEYS and len(cells) > 1:
                    written, where = cells[1], (sheet.name, number)
    if written:
        try:
            return kind_of(written)
        except ValueError:
            message = N_(
                'Unknown kind of list "%(kind)s": use %(kinds)s.', kind=written, kinds=", ".join(KINDS)
            )
            sheet_name, row = where or (None, None)
            problems.append(Problem(sheet_name, row, "B" if where else None, message))
            return KINDS["skills"]
    has_body = any(canonical_column(h) == "body" for h in _header(items))
    return KINDS["guide" if has_body else "skills"]


def _qualifies(sheet: RawSheet) -> bool:
    """The header has every required column of some kind of list (skills, guide, questionnaire)."""
    keys = {canonical_column(h) for h in _header(sheet)}
    return any(set(kind.required) <= keys for kind in KINDS.values())


def _score(sheet: RawSheet) -> int:
    return sum(canonical_column(h) in REQUIRED for h in _header(sheet))


def _sheet_list(sheets: list[RawSheet]) -> str:
    return ", ".join(f'"{s.name}"' for s in sheets if s.name is not None)


def _named_sheet(sheets: list[RawSheet], name: str) -> RawSheet:
    for sheet in sheets:
        if (sheet.name or "").strip().casefold() == name.strip().casefold():
            return sheet
    found = _sheet_list(sheets)
    if not found:
        raise _fail(N_('There is no sheet "%(name)s". Sheets found: none (a CSV file).', name=name))
    raise _fail(N_('There is no sheet "%(name)s". Sheets found: %(names)s.', name=name, names=found))


def _formula_problems(sheets: list[RawSheet], skills: RawSheet, problems: list[Problem]) -> None:
    """A formula is never imported: its cached value may be stale, absent or its text."""
    for sheet in sheets:
        if sheet is not skills and (sheet.name or "").strip().lower() != FRAMEWORK_SHEET.lower():
            continue
        for row, column in sheet.formulas:
            message = N_("This cell holds a formula; type the value itself (formulas are not imported).")
            problems.append(Problem(sheet.name, row, _letter(column), message))


def _fail(message: str) -> FrameworkFileError:
    return FrameworkFileError([Problem(None, None, None, message)])


def _header(sheet: RawSheet) -> tuple[str, ...]:
    return sheet.rows[0][1] if sheet.rows else ()


def _skills_sheet(sheets: list[RawSheet]) -> RawSheet:
    for sheet in sheets:
        if (sheet.name or "").strip().lower() == SKILLS_SHEET.lower():
            return sheet
    qualified = [s for s in sheets if _qualifies(s)]
    if qualified:
        best = max(_score(s) for s in qualified)
        return next(s for s in qualified if _score(s) == best)
    if len(sheets) == 1 and _score(sheets[0]) > 0:
        return sheets[0]  # the only sheet: report what it lacks
    names = _sheet_list(sheets)
    if not names:  # a CSV file
        raise _fail(N_("No sheet has a header row with the columns code, name, definition, cluster."))
    raise _fail(
        N_(
            "No sheet has a header row with the columns code, name, definition, cluster, and none is "
            'named "%(sheet)s". Sheets found: %(names)s. Rename the skills sheet "%(sheet)s".',
            sheet=SKILLS_SHEET,
            names=names,
        )
    )


def _columns(
    sheet: RawSheet, problems: list[Problem], required: tuple[str, ...]
) -> dict[int, tuple[str, str]]:
    """Column index -> (canonical key, header as written); reports header problems."""
    columns: dict[int, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    header_row = sheet.rows[0][0] if sheet.rows else 1
    for i, text in enumerate(_header(sheet)):
        if not text:
            continue
        key = canonical_column(text)
        letter = _letter(i)
        if key is None:
            message = N_('Unknown column "%(column)s". Allowed: %(allowed)s.', column=text, allowed=ALLOWED)
            problems.append(Problem(sheet.name, header_row, letter, message))
        elif key in seen:
            problems.append(
                Problem(
                    sheet.name, header_row, letter,
                    N_('Column "%(column)s" repeats column %(first)s (%(key)s).',
                       column=text, first=_letter(seen[key]), key=key),
                )
            )  # fmt: skip
        else:
            seen[key] = i
            columns[i] = (key, text)
    for key in required:
        if key not in seen:
            also = ", ".join(a for a, k in ALIASES.items() if k == key)
            problems.append(
                Problem(
                    sheet.name, header_row, None,
                    N_('Missing required column "%(key)s" (also accepted: %(also)s).', key=key, also=also),
                )
            )  # fmt: skip
    return columns


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _skills(sheet: RawSheet, max_rows: int, problems: list[Problem], spec: ItemListKind) -> list[SkillDraft]:
    columns = _columns(sheet, problems, spec.required)
    where = {key: (i, text) for i, (key, text) in columns.items()}
    header = _header(sheet)
    if sheet.truncated:
        problems.append(Problem(sheet.name, None, None, N_("More than %(num)s skills.", num=max_rows)))
    if len(sheet.rows) < 2:
        problems.append(Problem(sheet.name, None, None, N_("No skills below the header row.")))
    first_row: dict[str, int] = {}
    headless: set[int] = set()
    skills: list[SkillDraft] = []
    for number, cells in sheet.rows[1:]:
        values: dict[str, str] = {}
        for i, text in enumerate(cells):
            if text and i in columns:
                values[columns[i][0]] = unescape_csv(text) if sheet.name is None else text
            elif text and i not in headless and (i >= len(header) or not header[i]):
                headless.add(i)
                problems.append(
                    Problem(sheet.name, number, _letter(i), N_("This column has values but no header."))
                )
        before = len(problems)
        _check_row(sheet.name, number, values, where, first_row, problems, spec)
        if len(problems) == before and all(key in values for key in spec.required):
            core = {key: values.pop(key, "") for key in CORE}
            skills.append(SkillDraft(**core, extra=values))
    return skills


def _check_row(
    sheet: str | None,
    number: int,
    values: dict[str, str],
    where: dict[str, tuple[int, str]],
    first_row: dict[str, int],
    problems: list[Problem],
    spec: ItemListKind,
) -> None:
    found: list[tuple[int, str]] = []

    def report(key: str, message: str) -> None:
        found.append((where[key][0], message))

    for key in spec.required:
        if key in where and not values.get(key):
            noun = Text(spec.noun, {})  # "skill", "section": translated where shown
            report(
                key,
                N_(
                    '"%(column)s" is empty: every %(noun)s needs a %(key)s.',
                    column=where[key][1],
                    noun=noun,
                    key=key,
                ),
            )
    code = values.get("code", "")
    if code and not CODE_PATTERN.fullmatch(code):
        report(
            "code", N_('Code "%(code)s" is not valid: use 1-20 letters, digits, "-", "_" or ".".', code=code)
        )
    elif code and code.casefold() in first_row:
        first = first_row[code.casefold()]
        report(
            "code",
            N_(
                'Code "%(code)s" is used twice (ignoring case): first in row %(first)s.',
                code=code,
                first=first,
            ),
        )
    elif code:
        first_row[code.casefold()] = number
    for key, text in values.items():
        limit = limit_of(key)
        if key != "code" and len(text) > limit:
            report(
                key,
                N_('"%(column)s" has %(num)s characters; the limit is %(limit)s.',
                   column=where[key][1], num=len(text), limit=limit),
            )  # fmt: skip
    for index, message in sorted(found, key=lambda f: f[0]):
        problems.append(Problem(sheet, number, _letter(index), message))


def _framework_name(sheets: list[RawSheet], problems: list[Problem]) -> str:
    for sheet in sheets:
        if (sheet.name or "").strip().lower() != FRAMEWORK_SHEET.lower():
            continue
        for number, cells in sheet.rows:
            if normalize_header(cells[0]) in NAME_KEYS and len(cells) > 1:
                if len(cells[1]) > limit_of("name"):
                    message = N_(
                        "The framework name is longer than %(num)s characters.", num=limit_of("name")
                    )
                    problems.append(Problem(sheet.name, number, "B", message))
                return cells[1]
    return ""


def framework_to_xlsx(draft: FrameworkDraft) -> bytes:
    """The framework as a workbook that parse_framework_file reads back to an equal draft."""
    headers, rows = skill_table(draft.skills)
    fields = [("name", draft.name), *([("kind", draft.kind)] if draft.kind != "skills" else [])]
    name_sheet = (FRAMEWORK_SHEET, ("field", "value"), fields)
    return write_xlsx([(SKILLS_SHEET, headers, rows), name_sheet])


def framework_to_csv(draft: FrameworkDraft) -> bytes:
    """The skills as CSV UTF-8; the name is not in the file (import takes the file name)."""
    return write_csv(*skill_table(draft.skills))


def framework_template_xlsx() -> bytes:
    """A workbook to fill in: Instructions, Skills with two example rows, Framework (name)."""
    return write_xlsx(template_tables())
