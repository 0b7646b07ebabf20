"""Framework files: parsing, every kind of problem with its location, round trips, template."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypedDict, Unpack

import pytest
from openpyxl import Workbook, load_workbook

from domain.errors import DomainError
from domain.framework_file import (
    FrameworkDraft,
    FrameworkFileError,
    Problem,
    SkillDraft,
    framework_template_xlsx,
    framework_to_csv,
    framework_to_xlsx,
    parse_framework_file,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = ["code", "name", "definition", "cluster"]


def xlsx(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with these sheets (in order) and rows, as an upload would bring it."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def skill_row(code: str = "COM", **overrides: str) -> list[object]:
    row = {"name": "Communication", "definition": "Explains clearly.", "cluster": "People"}
    row.update(overrides)
    return [code, row["name"], row["definition"], row["cluster"]]


class Limits(TypedDict, total=False):
    max_bytes: int
    max_rows: int


def problems_of(filename: str, data: bytes, **limits: Unpack[Limits]) -> list[Problem]:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file(filename, data, **limits)
    assert caught.value.code == "invalid_framework_file"
    return caught.value.problems


def test_template_is_a_valid_framework_with_instructions_first():
    data = framework_template_xlsx()
    draft = parse_framework_file("framework_template.xlsx", data)
    assert [s.code for s in draft.skills] == ["COM", "NEG"]
    assert draft.name == "KT professionals' soft skills (example)"
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Instructions", "Skills", "Framework"]
    explained = {row[0] for row in wb["Instructions"].iter_rows(min_row=2, values_only=True)}
    assert {"code", "name", "definition", "cluster", "name_<lang>"} <= explained


def unicode_draft() -> FrameworkDraft:
    return FrameworkDraft(
        "Umiejętności miękkie ąęłńóśźż 😀",
        (
            SkillDraft("KOM-1", "Komunikacja", "Wyjaśnia jasno.\nDruga linia.", "Interpersonalne",
                       {"name_pl": "Komunikacja", "definition_it": "Spiega: àèé",
                        "cluster_fi": "Vuorovaikutus", "source": "ESCO"}),
            SkillDraft("neg.2", "=Negotiation", "-starts with a minus", "+plus",
                       {"notes": "@mention", "name_fi": "Neuvottelu äö"}),
            SkillDraft("A_3", "Empathy", "Understands others.", "People"),
        ),
    )  # fmt: skip


def test_xlsx_round_trip_keeps_every_field_extra_column_and_character():
    draft = unicode_draft()
    assert parse_framework_file("anything.xlsx", framework_to_xlsx(draft)) == draft


def test_csv_round_trip_takes_the_name_from_the_file_name():
    draft = unicode_draft()
    data = framework_to_csv(draft)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = parse_framework_file("Soft skills v2.csv", data)
    assert parsed.skills == draft.skills
    assert parsed.name == "Soft skills v2"


def test_csv_with_semicolons_bom_aliases_and_odd_header_spacing():
    data = (FIXTURES / "framework_semicolon_bom.csv").read_bytes()
    draft = parse_framework_file(r"C:\fakepath\Ramy kompetencji.csv", data)
    assert draft.name == "Ramy kompetencji"
    assert draft.skills[0] == SkillDraft(
        "KOM", "Komunikacja", "Przekazuje informacje jasno; sprawdza zrozumienie.",
        "Interpersonalne", {"name_en": "Communication"},
    )  # fmt: skip
    assert [s.code for s in draft.skills] == ["KOM", "NEG"]


def test_skills_sheet_is_preferred_and_framework_sheet_gives_the_name():
    data = xlsx({
        "Instructions": [["column", "meaning"], ["code", "short id"]],
        "Other": [HEADER, skill_row("X1")],
        "Skills": [HEADER, skill_row("COM")],
        "Framework": [["field", "value"], ["name", "My framework"]],
    })  # fmt: skip
    draft = parse_framework_file("file.xlsx", data)
    assert draft == FrameworkDraft("My framework", (SkillDraft("COM", *skill_row()[1:]),))


def test_without_skills_sheet_the_first_sheet_with_the_header_is_read():
    data = xlsx({"Read me": [["Notes"], ["hello"]], "Data": [HEADER, skill_row("COM")]})
    draft = parse_framework_file("ESSC framework.xlsx", data)
    assert draft.name == "ESSC framework"
    assert [s.code for s in draft.skills] == ["COM"]


def test_numbers_become_text_and_blank_rows_keep_excel_row_numbers():
    data = xlsx({"Skills": [HEADER, [1, "One", "Def", "C"], [], [], [2.5, "Two", "", "C"]]})
    (problem,) = problems_of("f.xlsx", data)
    assert problem == Problem("Skills", 5, "C", '"definition" is empty: every skill needs a definition.')


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("f.pdf", b"%PDF-1.4", 'Unsupported file type ".pdf"'),
        ("f.xlsx", (FIXTURES / "not_a_spreadsheet.pdf").read_bytes(), "not an Excel workbook"),
        ("f.xlsx", bytes(range(256)) * 4, "not an Excel workbook"),
        ("f.xlsx", b"PK\x03\x04 broken zip", "not an Excel workbook"),
        ("f.csv", bytes(range(256)) * 4, "not a text file"),
        ("f.csv", "code;name\nKOM;Łódź".encode("cp1250"), "not UTF-8"),
        ("f.csv", b"PK\x03\x04" + b"x" * 20, "upload it as .xlsx"),
        ("f.csv", b"", "empty"),
        ("f.csv", b"a,b\n", "No sheet has a header row"),
    ],
)
def test_files_that_are_not_framework_spreadsheets_are_refused(filename, data, expected):
    (problem,) = problems_of(filename, data)
    assert expected in problem.message
    assert (problem.row, problem.column) == (None, None)


def test_an_xlsx_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    (problem,) = problems_of("f.xlsx", buffer.getvalue())
    assert "could not be read as an Excel workbook" in problem.message


def test_too_large_and_too_many_rows():
    data = xlsx({"Skills": [HEADER, *(skill_row(f"S{i}") for i in range(5))]})
    (big,) = problems_of("f.xlsx", data, max_bytes=100)
    assert "the limit is 100." in big.message
    (many,) = problems_of("f.xlsx", data, max_rows=3)
    assert many == Problem("Skills", None, None, "More than 3 skills.")


def test_header_problems_are_located_and_list_what_is_allowed():
    data = xlsx({"Skills": [["Code", "Skill Name", "Colour", "name", "definition_xx_too_long"],
                            ["COM", "Communication", "red", "dup", "x"]]})  # fmt: skip
    problems = problems_of("f.xlsx", data)
    by_column = {p.column: p for p in problems}
    assert by_column["C"].row == 1 and by_column["C"].sheet == "Skills"
    assert 'Unknown column "Colour"' in by_column["C"].message
    assert "Allowed: code, name, definition, cluster, source, notes" in by_column["C"].message
    assert 'Column "name" repeats column B (name)' in by_column["D"].message
    assert 'Unknown column "definition_xx_too_long"' in by_column["E"].message
    missing = [p.message for p in problems if p.column is None]
    assert missing == [
        'Missing required column "definition" (also accepted: description, skill_definition).',
        'Missing required column "cluster" (also accepted: group, category, domain, skill_cluster).',
    ]


def test_every_cell_problem_is_reported_at_once_and_nothing_is_returned():
    data = xlsx({"Skills": [
        [*HEADER, "name_pl", None],
        skill_row("COM"),                                   # row 2: fine
        skill_row("com", name=""),                          # row 3: duplicate code, empty name
        skill_row("bad code!", definition="   "),           # row 4: invalid code, empty definition
        skill_row("X" * 21),                                # row 5: code too long
        skill_row("LONG", name="n" * 121, definition="d" * 1001),  # row 6: both too long
        [*skill_row("TR"), "p" * 121, "stray"],              # row 7: translation too long, no header
        [None, "No code", "Def", None],                     # row 8: code and cluster missing
    ]})  # fmt: skip
    problems = problems_of("f.xlsx", data)
    located = {(p.row, p.column): p.message for p in problems}
    assert all(p.sheet == "Skills" for p in problems)
    assert located == {
        (3, "A"): 'Code "com" is used twice (ignoring case): first in row 2.',
        (3, "B"): '"name" is empty: every skill needs a name.',
        (4, "A"): 'Code "bad code!" is not valid: use 1-20 letters, digits, "-", "_" or ".".',
        (4, "C"): '"definition" is empty: every skill needs a definition.',
        (5, "A"): f'Code "{"X" * 21}" is not valid: use 1-20 letters, digits, "-", "_" or ".".',
        (6, "B"): '"name" has 121 characters; the limit is 120.',
        (6, "C"): '"definition" has 1001 characters; the limit is 1000.',
        (7, "E"): '"name_pl" has 121 characters; the limit is 120.',
        (7, "F"): "This column has values but no header.",
        (8, "A"): '"code" is empty: every skill needs a code.',
        (8, "D"): '"cluster" is empty: every skill needs a cluster.',
    }
    assert str(problems[0]) == "Skills!A3: " + located[(3, "A")]


def test_csv_problems_have_no_sheet_but_excel_rows_and_letters():
    data = b"code,name,definition,cluster\nA,B,C,D\nA,B,,D\n"
    problems = problems_of("f.csv", data)
    assert [(p.sheet, p.row, p.column) for p in problems] == [(None, 3, "A"), (None, 3, "C")]


def test_framework_name_too_long_is_a_problem():
    data = xlsx({"Skills": [HEADER, skill_row()], "Framework": [["name", "x" * 121]]})
    assert problems_of("f.xlsx", data) == [
        Problem("Framework", 1, "B", "The framework name is longer than 120 characters.")
    ]


def test_problem_list_is_capped_with_a_summary():
    rows = [HEADER, *([None, None, None, None, "x"] for _ in range(300))]
    problems = problems_of("f.xlsx", xlsx({"Skills": rows}))
    assert len(problems) == 201
    assert problems[-1].message.startswith("... and ")


def test_error_is_a_domain_error_with_a_stable_code():
    error = FrameworkFileError([Problem(None, None, None, "x")])
    assert isinstance(error, DomainError)
    assert error.to_ack()["error"] == "invalid_framework_file"


def test_skill_extra_is_read_only():
    skill = SkillDraft("A", "B", "C", "D", {"source": "x"})
    with pytest.raises(TypeError):
        skill.extra["source"] = "y"  # type: ignore[index]


def test_formula_cells_are_problems_with_their_sheet_row_and_column():
    data = xlsx({
        "Skills": [HEADER, skill_row("COM"),
                   ["NEG", "Negotiation", '=CONCAT("Reaches ", "agreement")', "People"],
                   ["=LOWER(\"TEA\")", "Teamwork", "Works with others.", "People"]],
        "Framework": [["field", "value"], ["name", '=UPPER("x")']],
    })  # fmt: skip
    problems = problems_of("f.xlsx", data)
    where = [(p.sheet, p.row, p.column) for p in problems]
    assert ("Skills", 3, "C") in where and ("Skills", 4, "A") in where and ("Framework", 2, "B") in where
    assert all("formula" in p.message for p in problems)  # not also "empty"
    assert len(problems) == 3


def test_a_literal_text_starting_with_equals_is_not_a_formula():
    wb = Workbook()
    ws = wb.active
    ws.title = "Skills"
    ws.append(HEADER)
    ws.append(skill_row("COM", definition="x"))
    ws["C2"].value, ws["C2"].data_type = "= explains clearly", "s"  # typed as text ('= ...)
    out = io.BytesIO()
    wb.save(out)
    draft = parse_framework_file("f.xlsx", out.getvalue())
    assert draft.skills[0].definition == "= explains clearly"


def test_a_wrongly_named_sheet_is_an_error_listing_the_sheets_found():
    data = xlsx({"Skils": [["code", "naem"]], "Notes": [["hello"]]})
    (problem,) = problems_of("f.xlsx", data)
    assert (
        'none is named "Skills"' in problem.message and 'Sheets found: "Skils", "Notes".' in problem.message
    )
    data = xlsx({"Sheet1": [HEADER, skill_row("COM")]})
    (problem,) = problems_of("f.xlsx", data, sheet_name="Skills")
    assert problem.message == 'There is no sheet "Skills". Sheets found: "Sheet1".'


def test_with_two_candidate_sheets_the_draft_says_which_it_read_and_another_can_be_chosen():
    data = xlsx({"Draft": [HEADER, skill_row("OLD")], "Final": [HEADER, skill_row("NEW")]})
    draft = parse_framework_file("f.xlsx", data)
    assert (draft.sheet, draft.candidates, draft.ambiguous) == ("Draft", ("Draft", "Final"), True)
    chosen = parse_framework_file("f.xlsx", data, sheet_name="final")
    assert chosen.sheet == "Final" and [s.code for s in chosen.skills] == ["NEW"] and not chosen.ambiguous
    named = xlsx({"Skills": [HEADER, skill_row("A")], "Copy": [HEADER, skill_row("B")]})
    assert not parse_framework_file("f.xlsx", named).ambiguous  # "Skills" settles it
