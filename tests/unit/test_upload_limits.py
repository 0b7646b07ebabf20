"""Uploaded spreadsheets are bounded in rows, columns and cells, and refused fast with the limit named."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.framework_file import FrameworkFileError, parse_framework_file
from domain.workbook_read import MAX_CELLS, MAX_COLUMNS, UnreadableFileError, read_upload

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Skills" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}


def _xlsx(rows_xml: str) -> bytes:
    """A minimal .xlsx whose one sheet holds `rows_xml` (written by hand: openpyxl would take minutes)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_one_row_of_two_and_a_half_million_cells_is_refused_by_its_cell_count():
    data = _xlsx('<row r="1">' + "<c/>" * 2_500_000 + "</row>")
    assert len(data) < 400_000  # the attack: a small upload that unpacks to millions of cells
    with pytest.raises(UnreadableFileError, match=f"more than {MAX_CELLS:,} cells"):
        read_upload("xlsx", data, max_bytes=5_000_000, limit=2001)


def test_data_beyond_the_column_limit_is_refused_with_the_cell_named():
    header = _inline("A1", "code") + _inline("B1", "name") + _inline("CW1", "stray")
    data = _xlsx(f'<row r="1">{header}</row><row r="2">{_inline("A2", "C1")}{_inline("B2", "One")}</row>')
    with pytest.raises(FrameworkFileError) as refused:
        parse_framework_file("skills.xlsx", data)
    assert f"CW1 holds data beyond column {MAX_COLUMNS}" in str(refused.value.problems[0])


def test_empty_formatted_cells_far_right_are_no_problem():
    row = _inline("A1", "code") + _inline("B1", "name") + '<c r="ZZ1" s="1"/>'
    data = _xlsx(f'<row r="1">{row}</row>')
    sheets = read_upload("xlsx", data, max_bytes=5_000_000, limit=10)
    assert sheets[0].rows == ((1, ("code", "name")),)


def test_a_csv_of_millions_of_fields_is_refused():
    with pytest.raises(UnreadableFileError, match=f"more than {MAX_CELLS:,} fields"):
        read_upload("csv", b"code,name\n" + b"," * 2_500_000 + b"\n", max_bytes=5_000_000, limit=2001)


def test_a_csv_with_data_beyond_the_column_limit_is_refused():
    line = ",".join(["x"] * (MAX_COLUMNS + 1))
    with pytest.raises(UnreadableFileError, match=f"Line 2 has data beyond column {MAX_COLUMNS}"):
        read_upload("csv", f"code,name\n{line}\n".encode(), max_bytes=5_000_000, limit=2001)


def test_more_rows_than_a_framework_may_have_are_refused_with_the_limit():
    lines = "code,name\n" + "".join(f"S{i},Skill {i}\n" for i in range(2100))
    with pytest.raises(FrameworkFileError) as refused:
        parse_framework_file("skills.csv", lines.encode())
    assert "More than 2000 skills." in [p.message for p in refused.value.problems]
