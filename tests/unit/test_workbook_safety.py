"""Workbook safety: text is never a formula, odd characters never crash, limits are kept."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest

from domain.export_data import ParticipantRow, ProfileQuestion
from domain.workbook import write_workbook
from domain.workbook_xlsx import EXCEL_MAX_CHARS, TRUNCATION_MARK, clean_text
from tests.fixtures.export_factories import (
    T0,
    export,
    make_comment,
    make_data,
    make_session,
    make_skill,
    make_votes,
    records,
)

ATTACKS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def hostile_data():
    """Every participant-controlled text field, and skill texts, start like a formula."""
    skill = make_skill("COM", name="=SUM(1,2)", definition="-definition", cluster="+cluster")
    question = ProfileQuestion("sector", "Sector", tuple(ATTACKS))
    session = make_session(skills=(skill,), profile_questions=(question,))
    people = [ParticipantRow("S1", f"={i}", {"sector": attack}, T0, None) for i, attack in enumerate(ATTACKS)]
    votes = make_votes("S1", "COM", "relevance", [3] * len(ATTACKS))
    ratings = [v.__class__(**{**v.__dict__, "pseudonym": f"={i}"}) for i, v in enumerate(votes)]
    comments = [make_comment("S1", f"={i}", "COM", text) for i, text in enumerate(ATTACKS)]
    return replace(make_data([session], people, ratings, comments), full_profiles=True)


def workbook_bytes(data) -> bytes:
    out = io.BytesIO()
    write_workbook(data, out)
    return out.getvalue()


def test_text_that_looks_like_a_formula_is_stored_as_text_verbatim():
    wb = export(hostile_data())
    comments = wb["Comments"]
    assert [c.value for c in comments["F"][1:]] == ATTACKS
    assert all(c.data_type == "s" and c.quotePrefix for c in comments["F"][1:])
    assert [r["profile_sector"] for r in records(wb["Participants"])] == ATTACKS
    ratings = records(wb["Ratings"])
    assert [r["pseudonym"] for r in ratings] == [f"={i}" for i in range(len(ATTACKS))]
    assert {r["skill_name"] for r in ratings} == {"=SUM(1,2)"}
    about = [r["value"] for r in records(wb["About"])]
    assert "=SUM(1,2) [+cluster]: -definition" in about
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)


def test_no_sheet_contains_a_formula_element():
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(hostile_data()))) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert not re.search(rb"<f[ >/]", archive.read(name)), name


def test_unicode_long_and_illegal_text_survives_without_crashing():
    texts = [
        "Zażółć gęślą jaźń ĄĘŁŃÓŚŹŻ · Hyvää päivää äö · perché è così 😀👍🏽",
        "x" * 40_000,
        "😀" * 20_000,  # 40,000 UTF-16 units: must not be cut inside a pair
        "bell\x07 nul\x00 vt\x0b esc\x1b kept \ufffe end",
        "lone \ud800 surrogate",
        " spaces around \n and lines ",
        "y" * EXCEL_MAX_CHARS,
    ]
    comments = [make_comment("S1", "P01", "COM", text) for text in texts]
    values = [r["text"] for r in records(export(make_data([make_session()], comments=comments))["Comments"])]
    assert values[0] == texts[0]
    assert values[1] == "x" * (EXCEL_MAX_CHARS - len(TRUNCATION_MARK)) + TRUNCATION_MARK
    assert values[2].endswith(TRUNCATION_MARK)
    assert len(values[2].encode("utf-16-le")) // 2 <= EXCEL_MAX_CHARS
    assert set(values[2].removesuffix(TRUNCATION_MARK)) == {"😀"}
    assert values[3] == "bell nul vt esc kept  end"
    assert values[4] == "lone \ufffd surrogate"
    assert values[5] == texts[5]
    assert values[6] == texts[6]  # exactly at the limit: untouched


@pytest.mark.parametrize(
    ("text", "expected"),
    [("plain", "plain"), ("tab\tand\nnewline\r", "tab\tand\nnewline\r"), ("\x01\x02", "")],
)
def test_clean_text_keeps_legal_whitespace(text, expected):
    assert clean_text(text) == expected


def test_sources_are_read_once_so_generators_work():
    session = make_session()
    participants = (p for p in [ParticipantRow("S1", "P01", {"sector": "public"}, T0, T0)])
    ratings = (r for r in make_votes("S1", "COM", "relevance", [4]))
    comments = (c for c in [make_comment("S1", "P01", "COM", "ok")])
    wb = export(make_data([session], participants, ratings, comments))
    assert records(wb["Matrix"])[0]["COM_relevance"] == 4
    assert records(wb["Summary"])[0]["answered"] == 1


def libreoffice() -> str:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice is not installed")
    return binary


def test_libreoffice_reads_formula_like_text_as_text(tmp_path):
    binary = libreoffice()
    source = tmp_path / "export.xlsx"
    source.write_bytes(workbook_bytes(hostile_data()))
    # comma, double quote, UTF-8, from line 1; last token -1 = every sheet to its own file
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [binary, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", csv_filter, "--outdir", str(tmp_path / "csv"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with open(tmp_path / "csv" / "export-Comments.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["Text"] for r in rows] == ATTACKS  # headed by readable labels (the Codebook names them)
    assert rows[0]["Pseudonym"] == "=0" and rows[0]["Skill"] == "=SUM(1,2)"
    with open(tmp_path / "csv" / "export-Ratings.csv", encoding="utf-8", newline="") as fh:
        ratings = list(csv.DictReader(fh))
    assert (ratings[0]["First given (UTC)"], ratings[0]["Last changed (UTC)"]) == (
        "2026-05-04 09:31:00",
        "2026-05-04 09:31:01",
    )


def test_rows_beyond_excels_limit_are_left_out_and_reported(monkeypatch):
    monkeypatch.setattr("domain.workbook_xlsx.EXCEL_MAX_ROWS", 51)  # header + 50 rows
    ratings = make_votes("S1", "COM", "relevance", [4, 3, 2, 1] * 15)
    wb = export(make_data([make_session()], ratings=ratings))
    assert wb["Ratings"].max_row == 51
    about = {r["field"]: r["value"] for r in records(wb["About"])}
    assert about["truncated"] == "Ratings: 10 rows beyond Excel's row limit were left out"
    assert records(wb["Summary"])[0]["answered"] == 60  # statistics still use every rating
