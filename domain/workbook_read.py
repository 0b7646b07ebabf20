"""Reading uploaded spreadsheets (.xlsx, .csv) into plain rows of text, defensively."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.etree.ElementTree import iterparse

from openpyxl import load_workbook

from analysis.text import N_, Num

MAX_COLUMNS = 100  # data further right is refused: a framework file has about ten columns
MAX_CELLS = 200_000  # cells per sheet (even empty, styled ones): 2,000 rows of 100 columns
MAX_BLANK_RUN = 1_000  # a sheet ends after this many blank rows in a row
EXPANSION_LIMIT = 20  # an .xlsx may unpack to at most 20x the upload limit
_NEWLINES = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

Row = tuple[int, tuple[str, ...]]  # (row number as Excel shows it, cell texts)


class UnreadableFileError(Exception):
    """The bytes are not a spreadsheet this module can read; the message says why."""


@dataclass(frozen=True)
class RawSheet:
    """The non-blank rows of one sheet (name None for a CSV file), at most `limit` of them."""

    name: str | None
    rows: tuple[Row, ...]
    truncated: bool = False  # more non-blank rows followed
    formulas: tuple[tuple[int, int], ...] = ()  # (row number, column index) of formula cells


def cell_text(value: object) -> str:
    """A cell as the user sees it: stripped text, integers without '.0', newlines as \\n."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = _NEWLINES.sub("\n", str(value))
    return _CONTROL.sub("", text).strip()


def _non_blank(rows: Iterable[Iterable[object]], limit: int) -> tuple[tuple[Row, ...], bool]:
    out: list[Row] = []
    blank_run = 0
    for number, values in enumerate(rows, 1):
        texts = [cell_text(v) for v in values]
        while texts and not texts[-1]:
            texts.pop()
        if not texts:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(out) == limit:
            return tuple(out), True
        out.append((number, tuple(texts)))
    return tuple(out), False


def read_upload(ext: str, data: bytes, *, max_bytes: int, limit: int) -> list[RawSheet]:
    """The sheets of an uploaded .xlsx or .csv file (`ext` without the dot, lower case)."""
    if len(data) > max_bytes:
        raise UnreadableFileError(
            N_(
                "The file is %(size)s bytes; the limit is %(limit)s.",
                size=Num(len(data), ","),
                limit=Num(max_bytes, ","),
            )
        )
    if not data.strip():
        raise UnreadableFileError(N_("The file is empty."))
    if ext == "csv":
        if data.startswith(b"PK\x03\x04"):
            raise UnreadableFileError(N_("This is an Excel workbook: upload it as .xlsx."))
        return [read_csv(data, limit)]
    if ext == "xlsx":
        return read_xlsx(data, limit, max_bytes)
    raise UnreadableFileError(
        N_('Unsupported file type ".%(ext)s": upload an Excel workbook (.xlsx) or a CSV file.', ext=ext)
    )


def read_csv(data: bytes, limit: int) -> RawSheet:
    """Rows of a UTF-8 CSV file (BOM optional), delimiter sniffed among , ; and tab."""
    if b"\x00" in data:
        raise UnreadableFileError(N_("This is not a text file, so it cannot be a CSV file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            N_(
                "The file is not UTF-8 text (byte %(byte)s). In Excel, save it as "
                '"CSV UTF-8 (Comma delimited)".',
                byte=exc.start + 1,
            )
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows, truncated = _non_blank(_bounded_csv_rows(reader), limit)
    except csv.Error as exc:
        message = N_(
            "The CSV file is malformed near line %(line)s: %(error)s.", line=reader.line_num, error=str(exc)
        )
        raise UnreadableFileError(message) from None
    return RawSheet(None, rows, truncated)


def _bounded_csv_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """CSV rows, refusing data beyond MAX_COLUMNS and more than MAX_CELLS fields in all."""
    cells = 0
    for row in reader:
        cells += len(row)
        if cells > MAX_CELLS:
            raise UnreadableFileError(
                N_(
                    "The file has more than %(limit)s fields; a framework file may have at most %(limit)s.",
                    limit=Num(MAX_CELLS, ","),
                )
            )
        if len(row) > MAX_COLUMNS and any(field.strip() for field in row[MAX_COLUMNS:]):
            raise UnreadableFileError(
                N_(
                    "Line %(line)s has data beyond column %(limit)s; a framework file may use at most "
                    "%(limit)s columns.",
                    line=reader.line_num,  # type: ignore[attr-defined]
                    limit=MAX_COLUMNS,
                )
            )
        yield row[:MAX_COLUMNS]


def read_xlsx(data: bytes, limit: int, max_bytes: int) -> list[RawSheet]:
    """Rows of every worksheet of an .xlsx file. A formula cell reads as empty and is listed
    in the sheet's `formulas`: its cached result may be stale or missing, so the caller
    reports it instead of importing a value nobody typed."""
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableFileError(N_("This file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFileError(N_("This file is not an Excel workbook (.xlsx).")) from None
    if unpacked > EXPANSION_LIMIT * max_bytes:
        raise UnreadableFileError(N_("The workbook unpacks to far more data than a framework needs."))
    try:
        _check_xlsx_extent(data)
        return list(_xlsx_sheets(data, limit))
    except UnreadableFileError:
        raise
    except Exception as exc:  # openpyxl fails in many ways on damaged or foreign files
        raise UnreadableFileError(
            N_("This file could not be read as an Excel workbook (.xlsx): %(error)s.", error=str(exc))
        ) from None


def _column_number(reference: str) -> int:
    """'CW12' -> 101; 0 when the reference has no letters."""
    number = 0
    for char in reference:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
    return number


def _check_xlsx_extent(data: bytes) -> None:
    """Refuse a workbook with too many cells or data too far right, before openpyxl reads it.

    openpyxl parses a whole row before it yields the first cell, so a 0.3 MB file holding one
    row of 2.5 million cells would take half a minute; counting the cells' tags as they stream
    by stops at the limit in a fraction of a second.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for name in sheets:
            cells = 0
            with archive.open(name) as part:
                for _event, element in iterparse(part, events=("end",)):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "c":
                        cells += 1
                        if cells > MAX_CELLS:
                            raise UnreadableFileError(
                                N_(
                                    "A sheet has more than %(limit)s cells (counting empty formatted "
                                    "ones); a framework file may have at most %(limit)s. Copy the "
                                    "skills into a new workbook.",
                                    limit=Num(MAX_CELLS, ","),
                                )
                            )
                        reference = element.get("r", "")
                        if len(element) and _column_number(reference) > MAX_COLUMNS:
                            raise UnreadableFileError(
                                N_(
                                    "Cell %(cell)s holds data beyond column %(limit)s (CV); a "
                                    "framework file may use at most %(limit)s columns.",
                                    cell=reference,
                                    limit=MAX_COLUMNS,
                                )
                            )
                    if tag in ("c", "row"):
                        element.clear()


def _xlsx_sheets(data: bytes, limit: int) -> Iterator[RawSheet]:
    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation, extensions): irrelevant here
        warnings.simplefilter("ignore", UserWarning)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            for ws in workbook.worksheets:
                ws.reset_dimensions()  # some writers record a wrong used range
                formulas: list[tuple[int, int]] = []
                values = _without_formulas(ws.iter_rows(max_col=MAX_COLUMNS), formulas)
                rows, truncated = _non_blank(values, limit)
                yield RawSheet(ws.title, rows, truncated, tuple(formulas))
        finally:
            workbook.close()


def _without_formulas(
    rows: Iterable[Iterable[object]], found: list[tuple[int, int]]
) -> Iterator[list[object]]:
    """Cell values row by row, a formula cell as None, its (row, column index) added to `found`."""
    for number, cells in enumerate(rows, 1):
        values: list[object] = []
        for i, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                found.append((number, i))
                values.append(None)
            else:
                values.append(getattr(cell, "value", None))
        yield values
