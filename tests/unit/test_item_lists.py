"""Item lists beyond skills: guides and questionnaires read from files, and a body's paragraphs."""

from __future__ import annotations

import pytest

from domain.example_guide import SECTIONS
from domain.framework_file import (
    FrameworkDraft,
    FrameworkFileError,
    SkillDraft,
    framework_to_csv,
    framework_to_xlsx,
    parse_framework_file,
)
from domain.item_lists import kind_of, paragraphs
from tests.unit.test_framework_file import xlsx


def test_a_guide_file_names_its_kind_and_keeps_each_sections_paragraphs():
    rows = [["code", "title", "text"], *[[c, t, body] for c, t, body in SECTIONS]]
    data = xlsx({"Sections": rows, "Framework": [["name", "Programme guide"], ["kind", "guide"]]})
    draft = parse_framework_file("guide.xlsx", data)
    assert draft.kind == "guide" and draft.name == "Programme guide"
    assert [s.code for s in draft.skills] == [c for c, _t, _b in SECTIONS]
    assert draft.skills[0].body == SECTIONS[0][2] and draft.skills[0].definition == ""
    assert paragraphs(draft.skills[0].body) == SECTIONS[0][2].split("\n\n")


def test_a_body_column_makes_a_guide_and_the_round_trip_keeps_kind_and_text():
    draft = FrameworkDraft("Guide", (SkillDraft("S1", "Intro", "", "", body="One.\n\nTwo."),), "guide")
    assert parse_framework_file("Guide.xlsx", framework_to_xlsx(draft)) == draft
    assert parse_framework_file("Guide.csv", framework_to_csv(draft)) == draft  # no kind row: the body says


def test_a_guide_section_without_text_is_located_and_nothing_is_returned():
    data = xlsx({"Sections": [["code", "name", "body"], ["S1", "Intro", "Text."], ["S2", "Money", ""]]})
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file("guide.xlsx", data)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "C")
    assert "every section needs a body" in problem.message


def test_a_questionnaire_needs_only_code_and_wording_and_an_unknown_kind_is_refused():
    rows = [["code", "question"], ["Q1", "I can explain my research to a company."]]
    draft = parse_framework_file("q.csv", "\n".join(",".join(r) for r in rows).encode(), kind="questionnaire")
    assert draft.kind == "questionnaire" and draft.skills[0].name.startswith("I can explain")
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file("q.xlsx", xlsx({"Items": rows, "Framework": [["kind", "poll"]]}))
    assert any('Unknown kind of list "poll"' in p.message and p.column == "B" for p in caught.value.problems)
    # The same file read as skills misses the skills' columns.
    with pytest.raises(FrameworkFileError):
        parse_framework_file("q.csv", "\n".join(",".join(r) for r in rows).encode(), kind="skills")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("One line.", ["One line."]),
        ("First\nline wrapped.\n\n  \n\nSecond.", ["First line wrapped.", "Second."]),
        ("A\r\n\r\nB", ["A", "B"]),
    ],
)
def test_paragraphs_split_at_blank_lines(text, expected):
    assert paragraphs(text) == expected


def test_kinds_have_nouns_and_unknown_ones_raise():
    assert kind_of(None).noun == "skill" and kind_of("Guide").plural == "sections"
    with pytest.raises(ValueError, match="skills, guide, questionnaire"):
        kind_of("poll")
