"""Issue 14: a workbook in the exporting person's language. Every sheet title and column header
is a translation from that language's catalog (checked against the catalog itself, not a hand
list), each column keeps its stable name in the Codebook, and long headers stay readable."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

import pytest
from babel.messages.pofile import read_po

from core import i18n
from core.config import ROOT
from core.i18n import translator
from domain.workbook_labels import MAX_TITLE, sheet_title
from tests.fixtures.export_factories import codebook_sheet, column_names, export, make_comment, records
from tests.unit.test_workbook import merged_data, one_session_data


@pytest.fixture(autouse=True, scope="module")
def compiled_catalogs():
    """The catalogs as the app compiles them at start (no app is made here)."""
    i18n.compile_catalogs()
    i18n._catalogs.clear()


@cache
def catalog(lang: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The language's translations: plain ones, and those with parameters as patterns."""
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        strings = [m.string for m in read_po(fh) if m.id and isinstance(m.string, str) and m.string]
    plain = frozenset(strings)
    patterns = tuple(  # words around the parameters, not a bare "%(a)s: %(b)s" that fits anything
        re.compile(re.sub(r"%\\\(\w+\\\)s", ".+", re.escape(s)), re.S)
        for s in strings
        if "%(" in s and re.search(r"[^\W\d_]{2}", re.sub(r"%\(\w+\)s", "", s))
    )
    return plain, patterns


def is_translation(text: str, lang: str) -> bool:
    plain, patterns = catalog(lang)
    return text in plain or any(p.fullmatch(text) for p in patterns)


def exported(lang: str, data):
    return export(replace(data, translate=translator(lang)))


def untranslated_headers(wb, lang: str) -> list[tuple[str, str]]:
    """(sheet, header) for every tab title and header that is no translation in `lang`; a
    profile question's column is headed by the question as the facilitator wrote it (data)."""
    found = []
    for ws in wb.worksheets:
        if not is_translation(ws.title, lang):
            found.append((ws.title, ""))
        names = column_names(wb, ws.title)
        for cell in ws[1]:
            name = str(names.get(cell.value, ""))
            if name.startswith("profile_") or (
                ws.sheet_properties.codeName == "Matrix" and ": " in cell.value
            ):
                continue  # the facilitator's question; a skill code with the criterion's own label
            if not is_translation(str(cell.value), lang):
                found.append((ws.title, cell.value))
    return found


@pytest.mark.parametrize("lang", ["pl", "fi"])
@pytest.mark.parametrize("which", ["one session", "merged"])
def test_every_sheet_title_and_header_is_in_the_exporters_language(lang: str, which: str) -> None:
    data = one_session_data()[0] if which == "one session" else merged_data()[0]
    wb = exported(lang, data)
    assert untranslated_headers(wb, lang) == []
    english = exported("en", data)
    assert untranslated_headers(english, lang)  # the check itself tells English from Polish
    assert len(wb.sheetnames) == len(english.sheetnames)
    for ws, same in zip(wb.worksheets, english.worksheets, strict=True):
        # the sheet's code name stays the English code: scripts and macros find it in any language
        assert ws.sheet_properties.codeName == same.sheet_properties.codeName
        assert ws.title != same.title or ws.title in ("Matrix",)


NOTES = ("rounds", "profiles", "privacy", "times", "quantiles", "rounding", "cvr_independence",
         "missing_data", "content", "labels_language", "languages_ratings", "languages_comments")  # fmt: skip


@pytest.mark.parametrize("lang", ["pl", "fi"])
@pytest.mark.parametrize("which", ["one session", "merged"])
def test_the_about_notes_and_the_meanings_of_codes_are_in_the_exporters_language(
    lang: str, which: str
) -> None:
    data = one_session_data()[0] if which == "one session" else merged_data()[0]
    wb = exported(lang, replace(data, language=lang))
    about = {
        r["field"]: r["value"]
        for r in records(next(ws for ws in wb.worksheets if ws.sheet_properties.codeName == "About"))
    }
    assert [(k, about[k]) for k in NOTES if k in about and not is_translation(about[k], lang)] == []
    assert set(NOTES) - {"languages_comments"} <= set(about)
    assert f"({lang})" in about["labels_language"]
    meanings = [r for r in records(codebook_sheet(wb)) if r["code"] is not None and r["column"] != "value"]
    assert (
        meanings
        and [r["code_meaning"] for r in meanings if not is_translation(r["code_meaning"], lang)] == []
    )


@pytest.mark.parametrize("lang", ["pl", "fi"])
def test_the_codebook_names_every_column_in_any_language(lang: str) -> None:
    data, _, ratings = one_session_data()
    wb, english = exported(lang, data), exported("en", one_session_data()[0])
    codebook = codebook_sheet(wb)
    assert codebook.title == translator(lang)("Codebook")
    # Read by the Codebook, the Polish and the English workbooks hold the same rows under the same names.
    for ws, same in zip(wb.worksheets, english.worksheets, strict=True):
        if ws is codebook:
            continue
        mine, theirs = records(ws), records(same)
        assert [list(r) for r in mine] == [list(r) for r in theirs], ws.title
    rows = records(codebook)
    sheets = {r["sheet"]: r["label"] for r in rows if not r["column"]}
    assert (
        sheets["Ratings"]
        == wb.sheetnames[[s.sheet_properties.codeName for s in wb.worksheets].index("Ratings")]
    )
    ratings_sheet = next(ws for ws in wb.worksheets if ws.sheet_properties.codeName == "Ratings")
    assert [r["value"] for r in records(ratings_sheet)] == [r.value for r in ratings]


def test_long_finnish_headers_wrap_between_words_in_wide_enough_columns() -> None:
    wb = exported("fi", merged_data()[0])
    for ws in wb.worksheets:
        assert all(cell.alignment.wrap_text for cell in ws[1]), ws.title
        for cell in ws[1]:
            longest = max(len(word) for word in str(cell.value).split())
            assert ws.column_dimensions[cell.column_letter].width >= longest + 2, (ws.title, cell.value)


def test_data_stays_as_entered() -> None:
    data, _, _ = one_session_data()
    comment = make_comment("S1", "P02", "COM", "Clear, keep it.", language="en")
    wb = exported("pl", replace(data, comments=iter([comment])))
    comments = next(ws for ws in wb.worksheets if ws.sheet_properties.codeName == "Comments")
    (row,) = records(comments)
    assert row["text"] == "Clear, keep it." and row["state"] == "visible"  # a coded value stays a code


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Priorytety łącznie", "Priorytety łącznie"),
        ("a/b: c?", "a b  c"),
        ("'quoted'", "quoted"),
        ("x" * 40, "x" * MAX_TITLE),
    ],
)
def test_sheet_titles_follow_excels_rules(title: str, expected: str) -> None:
    assert sheet_title(title) == expected
    assert sheet_title(title, [expected]) != expected and len(sheet_title(title, [expected])) <= MAX_TITLE


@cache
def english_fragments(lang: str) -> frozenset[str]:
    """Pieces of English the catalog translates into `lang` (the words between parameters, 12
    characters or more): found in a cell, they are English left untranslated."""
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        ids = [m.id for m in read_po(fh) if m.id and isinstance(m.id, str) and m.string and m.string != m.id]
    pieces = (p.strip(" ;,.:()") for i in ids for p in re.split(r"%\(\w+\)s", i))
    return frozenset(p for p in pieces if len(p) >= 12)


@pytest.mark.parametrize("lang", ["pl", "fi"])
def test_the_report_speaks_the_exporters_language(lang: str) -> None:
    data = one_session_data()[0]
    wb = exported(lang, data)
    report = records(next(ws for ws in wb.worksheets if ws.sheet_properties.codeName == "Report"))
    criteria = {c.label for c in data.sessions[0].criteria}
    assert [
        r["Topic"] for r in report if r["Topic"] not in criteria and not is_translation(r["Topic"], lang)
    ] == []
    english = english_fragments(lang)
    left = [(r["Topic"], piece) for r in report for piece in english if piece in str(r["In words"])]
    assert left == []
    assert english & {piece for r in records(exported("en", data).worksheets[0]) for piece in english
                      if piece in str(r["In words"])}  # fmt: skip  # the check sees English


@pytest.mark.parametrize("lang", ["pl", "fi"])
def test_the_figures_sheet_says_how_and_why_in_the_exporters_language(lang: str) -> None:
    wb = exported(lang, merged_data()[0])
    figures = records(next(ws for ws in wb.worksheets if ws.sheet_properties.codeName == "Figures"))
    texts = [
        r[k] for r in figures for k in ("method", "note", "session_name") if r[k] and r["session"] == "ALL"
    ]
    texts += [r[k] for r in figures for k in ("method", "note") if r[k]]
    assert texts and [t for t in texts if not is_translation(t, lang)] == []


@pytest.mark.parametrize("lang", ["en", "it", "pl", "fi", "nl"])
def test_headers_and_titles_stay_unique_in_every_language(lang: str) -> None:
    """One label for one column in a sheet, one title for one sheet: the Codebook maps back."""
    wb = exported(lang, merged_data()[0])
    assert len(set(wb.sheetnames)) == len(wb.sheetnames)
    for ws in wb.worksheets:
        header = [cell.value for cell in ws[1]]
        assert len(set(header)) == len(header), (ws.title, header)


def codebook_meanings(wb) -> list[tuple[str, str, str]]:
    """(sheet, column, meaning) for every sheet's and column's own row of the Codebook (not the
    rows of coded values, which name the session's criteria and anchors: data)."""
    return [
        (r["sheet"], r["column"] or "", r["meaning"])
        for r in records(codebook_sheet(wb))
        if r["code"] is None and r["meaning"]
    ]


def untranslated(texts, lang: str) -> list:
    return [t for t in texts if not is_translation(str(t[-1]), lang)]


@pytest.mark.parametrize("lang", ["pl", "fi"])
@pytest.mark.parametrize("which", ["one session", "merged"])
def test_every_column_description_of_the_codebook_is_in_the_exporters_language(lang: str, which: str) -> None:
    data = one_session_data()[0] if which == "one session" else merged_data()[0]
    meanings = codebook_meanings(exported(lang, data))
    assert len(meanings) > 60 and untranslated(meanings, lang) == []
    english = codebook_meanings(exported("en", data))
    assert len(untranslated(english, lang)) > 60  # the check tells an English description apart


@pytest.mark.parametrize("lang", ["pl", "fi"])
def test_the_consensus_rule_and_what_does_not_match_are_in_the_exporters_language(lang: str) -> None:
    data = merged_data()[0]
    about = records(
        next(ws for ws in exported(lang, data).worksheets if ws.sheet_properties.codeName == "About")
    )
    rules = [(r["field"], r["value"]) for r in about if r["field"] in ("consensus_rule", "pooled_rule")]
    criteria = [(r["field"], r["value"]) for r in about if r["field"].startswith(("criterion.", "profile."))]
    assert criteria and untranslated(criteria, lang) == []  # "measures", "scale", "options" too
    matching = [
        (r["field"], r["value"])
        for r in about
        if r["session"] == "ALL" and not r["field"].startswith("skill.")
    ]
    assert len(rules) == len(data.sessions) + 1 and matching
    assert untranslated(rules, lang) == [] and untranslated(matching, lang) == []
    assert [f for f, _ in matching if not is_translation(f, lang)] == []
    assert "75" in rules[0][1] and ("IQR" in rules[0][1])  # the rule's figures and terms stay
    english = records(exported("en", data).worksheets[1])
    assert untranslated([(r["field"], r["value"]) for r in english if r["field"] == "consensus_rule"], lang)


def assessment_book():
    from datetime import UTC, datetime

    from domain.assessment import QUESTIONS, SkillRef
    from domain.assessment_summary import Response, aggregate
    from domain.workbook_assessment import AssessmentBook

    questions = (QUESTIONS["mastery"], QUESTIONS["use"], QUESTIONS["importance"])
    skills = (SkillRef("COM", "Communication", "Social"), SkillRef("TEA", "Teamwork", "Social"),
              SkillRef("DIG", "Digital literacy", "Technical"))  # fmt: skip
    profile = ({"key": "sector", "label": "Sector", "options": ["School", "Industry"]},)
    when = datetime(2026, 11, 30, 9, tzinfo=UTC)
    responses = tuple(
        Response(n, {"sector": "School" if n % 2 else "Industry"}, when, 1,
                 {(s.code, q.key): 1 + (n + i) % 5 for i, s in enumerate(skills) for q in questions})
        for n in range(1, 9)
    )  # fmt: skip
    return AssessmentBook("Skills check", "SC1", 1, "Example v1", "test", questions, skills, profile,
                          responses, aggregate(questions, skills, responses, profile))  # fmt: skip


def assessment_workbook(lang: str):
    from io import BytesIO

    from openpyxl import load_workbook

    from domain.workbook_assessment import write_assessment_workbook

    out = BytesIO()
    write_assessment_workbook(assessment_book(), out, translator(lang))
    return load_workbook(BytesIO(out.getvalue()))


@pytest.mark.parametrize("lang", ["pl", "fi"])
def test_the_self_assessment_workbook_describes_itself_in_the_exporters_language(lang: str) -> None:
    wb = assessment_workbook(lang)
    meanings = codebook_meanings(wb)
    about_sheet = next(ws for ws in wb.worksheets if ws.sheet_properties.codeName == "About")
    about = [(r["field"], r["value"]) for r in records(about_sheet)]
    notes = [(f, v) for f, v in about if f in ("takes", "privacy", "times")]
    assert len(meanings) > 40 and len(notes) == 3
    assert untranslated(meanings, lang) == [] and untranslated(notes, lang) == []
    suppressed = [
        r["code_meaning"] for r in records(codebook_sheet(wb)) if r["column"] == "answer" and r["code"]
    ]
    assert suppressed and untranslated([(s,) for s in suppressed], lang) == []
    english = assessment_workbook("en")
    assert len(untranslated(codebook_meanings(english), lang)) > 40


@pytest.mark.parametrize("lang", ["pl", "it", "fi", "nl"])
def test_the_reports_numbers_are_written_the_exporters_way(lang: str) -> None:
    """The Report's sentences wrote "I-CVI 0.67" and "IQR 1.5" with a point in Polish, beside the
    suggested action's "I-CVI 0,67" in the same workbook: every number is the reader's way."""
    data = one_session_data()[0]
    words = [str(r["In words"]) for r in records(exported(lang, data).worksheets[0])]
    assert [w for w in words if re.search(r"\d\.\d", w)] == []
    assert any(re.search(r"\d,\d", w) for w in words)  # there are decimals to check
    english = [str(r["In words"]) for r in records(exported("en", one_session_data()[0]).worksheets[0])]
    assert any(re.search(r"\d\.\d", w) for w in english) and not any(re.search(r"\d,\d", w) for w in english)
