"""The framework file layout: its columns, limits and template, and writing it as .xlsx/.csv."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from domain import example_framework
from domain.item_lists import BODY_LIMIT
from domain.workbook_xlsx import FORMULA_PREFIXES, Column, XlsxBuilder

REQUIRED = ("code", "name", "definition", "cluster")  # a skills framework's; other kinds: item_lists
CORE = (*REQUIRED, "body")  # an item's own fields; the other columns go to its `extra`
OPTIONAL = ("source", "notes")
ALIASES = {
    "skill_code": "code", "id": "code", "skill_id": "code",
    "skill": "name", "skill_name": "name", "title": "name",
    "description": "definition", "skill_definition": "definition",
    "group": "cluster", "category": "cluster", "domain": "cluster", "skill_cluster": "cluster",
    "text": "body", "section_text": "body", "content": "body", "paragraphs": "body",
    "question": "name",
    "reference": "source", "note": "notes", "comment": "notes", "comments": "notes",
}  # fmt: skip
LIMITS = {"code": 20, "name": 120, "cluster": 120, "definition": 1000, "source": 1000}
LIMITS["notes"] = 1000
LIMITS["body"] = BODY_LIMIT
CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,20}")
TRANSLATION = re.compile(r"(name|definition|cluster)_([a-z]{2,3}(?:_[a-z0-9]{2,4})?)")
ALLOWED = ", ".join(
    (*REQUIRED, *OPTIONAL, "body", "name_<lang>", "definition_<lang>", "cluster_<lang> (e.g. name_pl)")
)
SKILLS_SHEET, FRAMEWORK_SHEET = "Skills", "Framework"
NAME_KEYS = ("name", "framework", "framework_name")  # first cell of the name row
KIND_KEYS = ("kind", "type", "list_kind")  # first cell of the row naming the kind of list
WIDTHS = {"code": 10, "name": 30, "definition": 80, "cluster": 20}
Table = tuple[str, Sequence[str], Sequence[Sequence[object]]]  # (sheet, headers, rows)


def normalize_header(header: str) -> str:
    """'Skill Name (EN) *' -> 'skill_name': lower case, no notes in brackets, no stars."""
    header = re.sub(r"\(.*?\)|\*", "", header).strip().lower()
    return re.sub(r"[\s\-]+", "_", header)


def canonical_column(header: str) -> str | None:
    """The column key a header means (aliases resolved), or None for an unknown column."""
    key = normalize_header(header)
    key = ALIASES.get(key, key)
    if key in CORE or key in OPTIONAL or TRANSLATION.fullmatch(key):
        return key
    return None


def limit_of(key: str) -> int:
    """Longest allowed text for a column; a translation has its original's limit."""
    match = TRANSLATION.fullmatch(key)
    return LIMITS[match.group(1) if match else key]


def extra_columns(extras: Sequence[Mapping[str, str]]) -> list[str]:
    """Optional columns in file order: source, notes, then name/definition per language."""
    keys = {key for extra in extras for key in extra}
    langs = sorted({m.group(2) for key in keys if (m := TRANSLATION.fullmatch(key))})
    ordered = [
        *OPTIONAL,
        *(f"{base}_{lang}" for lang in langs for base in ("name", "definition", "cluster")),
    ]
    known = [key for key in ordered if key in keys]
    return known + sorted(keys - set(known))


class SkillLike(Protocol):
    """What skill_table reads from a skill (framework_file.SkillDraft)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def definition(self) -> str: ...
    @property
    def cluster(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def extra(self) -> Mapping[str, str]: ...


def skill_table(skills: Sequence[SkillLike]) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a Skills sheet: required columns, body when used, then the optional ones used."""
    extra = extra_columns([skill.extra for skill in skills])
    body = ["body"] if any(s.body for s in skills) else []
    rows = [
        [
            s.code,
            s.name,
            s.definition,
            s.cluster,
            *([s.body] * len(body)),
            *(s.extra.get(k, "") for k in extra),
        ]
        for s in skills
    ]
    return [*REQUIRED, *body, *extra], rows


def write_xlsx(tables: Sequence[Table]) -> bytes:
    """Sheets with a bold frozen header; every text cell is stored as text."""
    out = io.BytesIO()
    with XlsxBuilder() as book:
        for title, headers, rows in tables:
            sheet = book.add_sheet(title, [Column(h, WIDTHS.get(h, 40)) for h in headers])
            for row in rows:
                sheet.append(row)
        book.save(out)
    return out.getvalue()


def write_csv(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """CSV UTF-8 with BOM, comma-separated (Excel's "CSV UTF-8"). A cell a spreadsheet would
    take for a formula gets a leading apostrophe (OWASP), removed again on import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["'" + v if v.startswith(FORMULA_PREFIXES) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def unescape_csv(text: str) -> str:
    """Undo write_csv's apostrophe in front of a formula-like cell."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


INSTRUCTIONS = (
    ("code", "yes", "Short identifier; matches the skill across meetings. Letters, digits, "
     '"-", "_", "." only; unique, ignoring case.', 20, "COM"),
    ("name", "yes", "The skill's name as participants see it.", 120, "Communication"),
    ("definition", "yes", "What the skill means; participants rate this text.", 1000, ""),
    ("cluster", "yes", "Group of related skills.", 120, "Interpersonal"),
    ("body", "no", "A guide section's text: paragraphs separated by a blank line (required in a "
     "guide; aliases text, content).", BODY_LIMIT, ""),
    ("source", "no", "Where the skill or its definition comes from.", 1000, ""),
    ("notes", "no", "Notes for coordinators; not shown to participants.", 1000, ""),
    ("name_<lang>", "no", "Translated name; <lang> is a language code: name_pl, name_it.", 120,
     "Komunikacja"),
    ("definition_<lang>", "no", "Translated definition, e.g. definition_fi.", 1000, ""),
    ("cluster_<lang>", "no", "Translated cluster name, e.g. cluster_nl.", 120, ""),
    ("Skills sheet", "", "One row per skill under the header row (the first non-empty row). "
     "Column names ignore case and spaces; other columns are refused.", "", ""),
    ("Framework sheet", "", 'The framework\'s name beside "name"; without it, the file name. '
     'Beside "kind": skills, guide or questionnaire (without it: guide when there is a body column, '
     "else skills). A guide needs code, name and body; a questionnaire code and name.", 120, ""),
    ("File", "", "Excel .xlsx, or CSV in UTF-8 separated by commas or semicolons. "
     "At most 2,000 skills and 5 MB.", "", ""),
)  # fmt: skip


def template_tables() -> list[Table]:
    """Instructions, Skills with two examples from the example framework, and Framework."""
    examples = [
        (code, name, definition, cluster, "", "")
        for code, name, cluster, definition in example_framework.SKILLS[:2]
    ]
    return [
        ("Instructions", ("column", "required", "what it holds", "limit", "example"), INSTRUCTIONS),
        (SKILLS_SHEET, (*REQUIRED, *OPTIONAL), examples),
        (FRAMEWORK_SHEET, ("field", "value"), [("name", example_framework.NAME)]),
    ]
