"""Streaming .xlsx writer: openpyxl builds the package, data rows are serialised here.

openpyxl's write-only mode spends 7-10 microseconds per cell here (with or without lxml):
a 192,000-row Ratings sheet alone took 21 s, too slow for a merged export of ~3 million
cells. So openpyxl writes each sheet's frame (frozen header row, column widths,
autofilter, charts, styles, workbook parts) and this module serialises the data rows
straight to XML in a temporary file (2 s for the same sheet), then splices them into the
frame's sheet part while copying the zip. Every string becomes an inline string
(`t="inlineStr"`): this writer cannot emit a formula at all.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import Outline, PageSetupProperties

from analysis.text import Text
from domain.workbook_labels import LABELS, SHEETS, code_name, sheet_title

EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576  # header included
TRUNCATION_MARK = " [... truncated: longer than Excel's 32,767-character cell limit]"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
DECIMAL_FORMAT = "0.00"  # two decimals: what the cut-offs are read on (methodology, rounding)
PERCENT_FORMAT = "0%"
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMATS = {"decimal": DECIMAL_FORMAT, "percent": PERCENT_FORMAT}
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (1900 date system)
_EPOCH_UTC = _EPOCH.replace(tzinfo=UTC)  # aware datetimes are counted in UTC
# Characters XML 1.0 forbids, plus lone surrogates (not encodable as UTF-8).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def clean_text(text: str) -> str:
    """Text Excel can hold: XML-illegal characters removed, cut to Excel's cell limit."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)
    if len(text) > EXCEL_MAX_CHARS // 2 and _utf16_len(text) > EXCEL_MAX_CHARS:
        keep = EXCEL_MAX_CHARS - len(TRUNCATION_MARK)
        while _utf16_len(text[:keep]) > EXCEL_MAX_CHARS - len(TRUNCATION_MARK):
            keep -= 1
        text = text[:keep] + TRUNCATION_MARK
    return text


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a slight overestimate)."""
    per_line = max(1, int(width) - 2)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _utf16_len(text: str) -> int:
    """Excel counts UTF-16 code units: an emoji takes two of the 32,767."""
    return len(text.encode("utf-16-le")) // 2


def _plain(value: object) -> str | int | float | datetime | date:
    """Subclasses (StrEnum, IntEnum, bool...) as the base type the writer handles."""
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime):
        return datetime.combine(value.date(), value.timetz())
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    return str(value)


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header, width in characters and meaning (for a codebook).

    `number`: "decimal" (two decimals) or "percent" for a share stored as 0-1; every number
    of the column gets that one format ("" = integers as they are, other floats two decimals).
    `wrap`: long text wraps inside the column's width (so it prints). `label`: a readable
    header, shown instead of `header`, which stays the column's machine-readable name (the
    Codebook maps one to the other); by default the one workbook_labels.LABELS gives the name.
    Label and doc may be analysis.text.Text: the builder writes them in its reader's language."""

    header: str
    width: float = 12
    doc: str = ""
    number: str = ""
    wrap: bool = False
    label: str = ""

    @property
    def title(self) -> str:
        """What the header row shows."""
        return self.label or self.header


class SheetRows:
    """The data rows of one sheet, serialised to a temporary XML file as they arrive.

    `name` is the sheet's stable code (its code name in the file), `title` the tab's text in
    the reader's language. A text cell given as analysis.text.Text is written translated."""

    def __init__(self, builder: XlsxBuilder, name: str, columns: Sequence[Column], freeze: str):
        self.name = name
        taken = [str(s.title) for s in builder.sheets]
        self.title: str = sheet_title(str(builder.translate(SHEETS.get(name, name))), taken)
        self.columns = tuple(builder.labelled(c) for c in columns)
        self._translate = builder.translate
        self.freeze = freeze
        self.count = 0
        self.dropped = 0
        self.outlined = False
        self.print_grid = True
        self._styles = builder.styles
        self._texts: dict[tuple[int, str], str] = {}
        self._letters = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        self._numbers = [builder.styles[c.number] if c.number else 0 for c in self.columns]
        self._wraps = [c.wrap for c in self.columns]
        self.path = builder.tmpdir / f"rows{len(builder.sheets)}.xml"
        self._file: IO[str] = open(self.path, "w", encoding="utf-8", buffering=1 << 20)  # noqa: SIM115

    def append(self, values: Sequence[Any], level: int = 0) -> None:
        """Add one row; None and "" leave the cell empty, bools are written as 1/0.

        `level` > 0 puts the row in an outline group (collapsible under the row above it).
        Rows beyond Excel's limit are counted in `dropped` instead of making a broken file."""
        if self.count + 1 >= EXCEL_MAX_ROWS:
            self.dropped += 1
            return
        row = str(self.count + 2)
        parts = [f'<row r="{row}">']
        cell = self._cell
        lines = 1
        for i, value in enumerate(values[: len(self._letters)]):
            if type(value) is Text:  # a note or a state word: in the reader's language
                value = str(self._translate(value))
            if value is not None and value != "":
                parts.append(cell(self._letters[i] + row, value, i))
                if self._wraps[i] and type(value) is str:
                    lines = max(lines, _lines(value, self.columns[i].width))
        attrs = f' outlineLevel="{level}"' if level else ""
        self.outlined = self.outlined or bool(level)
        if lines > 1:  # wrapped text: no program fits row heights on opening, so say it here
            attrs += f' ht="{min(409, 15 * lines)}" customHeight="1"'
        if attrs:
            parts[0] = f'<row r="{row}"{attrs}>'
        parts.append("</row>")
        self._file.write("".join(parts))
        self.count += 1

    def _cell(self, ref: str, value: Any, column: int) -> str:
        kind = type(value)
        if kind is str:
            wrap = self._wraps[column]
            tail = self._texts.get((wrap, value))
            if tail is None:
                tail = self._text_tail(value, wrap)
                if len(value) <= 64 and len(self._texts) < 100_000:
                    self._texts[(wrap, value)] = tail  # codes, names, answers repeat on every row
            return f'<c r="{ref}"{tail}'
        if kind is int:
            style = self._numbers[column]
            styled = f' s="{style}"' if style else ""
            return f'<c r="{ref}"{styled}><v>{value}</v></c>'
        if kind is datetime:
            serial = (value - (_EPOCH_UTC if value.tzinfo else _EPOCH)).total_seconds() / 86_400
            return f'<c r="{ref}" s="{self._styles["datetime"]}"><v>{serial!r}</v></c>'
        if kind is float:
            if not math.isfinite(value):
                return ""
            style = self._numbers[column] or self._styles["decimal"]
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        if kind is date:
            serial = (value - _EPOCH.date()).days
            return f'<c r="{ref}" s="{self._styles["date"]}"><v>{serial}</v></c>'
        return self._cell(ref, _plain(value), column)

    def _text_tail(self, value: str, wrap: bool) -> str:
        """The part of a text cell after its reference: always an inline string."""
        text = clean_text(value)
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        quoted = text.startswith(FORMULA_PREFIXES)
        name = ("quoted_wrap" if quoted else "wrap") if wrap else ("quoted" if quoted else "")
        style = f' s="{self._styles[name]}"' if name else ""
        if "&" in text or "<" in text or ">" in text or "\r" in text:
            text = text.translate(_ESCAPES)
        return f'{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


class XlsxBuilder:
    """Collects sheets (rows in temp files) and charts, then saves one .xlsx package.

    Use as a context manager; sheets appear in the order they were added and may be
    filled in any order.
    """

    def __init__(self, translate: Callable[[str], str] = str) -> None:
        self.translate = translate  # msgid or analysis.text.Text -> the reader's language
        self._tmp = tempfile.TemporaryDirectory(prefix="sb-xlsx-")
        self.tmpdir = Path(self._tmp.name)
        self.workbook = Workbook(write_only=True)
        self.sheets: list[SheetRows] = []
        self.charts: dict[str, list[tuple[Any, str]]] = {}
        self._header_font = Font(bold=True)
        self.styles = {
            "datetime": self._style_id(number_format=DATETIME_FORMAT),
            "date": self._style_id(number_format=DATE_FORMAT),
            "decimal": self._style_id(number_format=DECIMAL_FORMAT),
            "quoted": self._style_id(quotePrefix=True),
            "wrap": self._style_id(alignment=WRAP),
            "quoted_wrap": self._style_id(quotePrefix=True, alignment=WRAP),
            "percent": self._style_id(number_format=PERCENT_FORMAT),
        }
        self.breaks: dict[str, list[int]] = {}  # sheet name -> rows after which a page ends

    def __enter__(self) -> XlsxBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        for sheet in self.sheets:
            sheet.close()
        self._tmp.cleanup()

    def _style_id(self, **style: Any) -> int:
        """Register a cell style with the workbook; the id is its index in styles.xml."""
        cell = WriteOnlyCell(SimpleNamespace(parent=self.workbook))
        for key, value in style.items():
            setattr(cell, key, value)
        return int(cell.style_id)

    def labelled(self, column: Column) -> Column:
        """The column with its readable header and meaning in the reader's language, wide enough
        for the header's longest word (headers wrap between words, never inside one)."""
        label = column.label or LABELS.get(column.header, "")
        if not label:
            return replace(column, doc=self.text(column.doc))
        shown = str(self.translate(label))
        width = max(column.width, max(map(len, shown.split() or [""])) + 2)
        return replace(column, label=shown, doc=self.text(column.doc), width=width)

    def text(self, value: str) -> str:
        return str(self.translate(value)) if isinstance(value, Text) else value

    def add_sheet(self, name: str, columns: Sequence[Column], freeze: str = "A2") -> SheetRows:
        sheet = SheetRows(self, name, columns, freeze)
        self.sheets.append(sheet)
        return sheet

    def add_chart(self, sheet: SheetRows, chart: Any, anchor: str) -> None:
        self.charts.setdefault(sheet.name, []).append((chart, anchor))

    def save(self, out: BinaryIO | str) -> None:
        """Write the package: openpyxl frames, then rows spliced into each sheet part."""
        for sheet in self.sheets:
            sheet.close()
        frames = [(self._frame(sheet), sheet) for sheet in self.sheets]
        frame = BytesIO()
        self.workbook.save(frame)
        _splice(frame, {ws.path.lstrip("/"): rows for ws, rows in frames}, out)

    def _frame(self, sheet: SheetRows) -> Any:
        ws = self.workbook.create_sheet(sheet.title)
        ws.sheet_properties.codeName = code_name(sheet.name)
        for i, column in enumerate(sheet.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        ws.freeze_panes = sheet.freeze
        _print_setup(ws, sheet.freeze)
        ws.print_options.gridLines = sheet.print_grid
        if sheet.outlined:  # grouped rows follow the row that sums them up
            ws.sheet_format.outlineLevelRow = 1
            ws.sheet_properties.outlinePr = Outline(summaryBelow=False)
        for row in self.breaks.get(sheet.name, ()):
            ws.row_breaks.append(Break(id=row))
        if sheet.columns:
            last = get_column_letter(len(sheet.columns))
            ws.auto_filter.ref = f"A1:{last}{sheet.count + 1}"
        for chart, anchor in self.charts.get(sheet.name, ()):
            ws.add_chart(chart, anchor)
        labelled = any(c.label for c in sheet.columns)  # readable labels wrap within the column
        if labelled:
            lines = max(_lines(c.title, c.width) for c in sheet.columns)
            ws.row_dimensions[1].height = min(409, 15 * lines)
        ws.append([self._header_cell(ws, c.title, labelled) for c in sheet.columns])
        return ws

    def _header_cell(self, ws: Any, header: str, wrap: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=clean_text(header))
        cell.data_type = "s"
        cell.font = self._header_font
        if wrap:
            cell.alignment = WRAP
        return cell


def _print_setup(ws: Any, freeze: str) -> None:
    """Landscape A4, fit to the page width (as many pages down as needed), header row and
    frozen identifier columns repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.gridLines = True


def _splice(frame: BytesIO, parts: dict[str, SheetRows], out: BinaryIO | str) -> None:
    """Copy the frame package to `out`, inserting each sheet's rows before </sheetData>."""
    with (
        zipfile.ZipFile(frame) as src,
        # level 3: about 1.7x faster than the default 6 on a merged export, ~12% larger file
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            rows = parts.get(info.filename)
            if rows is None:
                dst.writestr(info, data)
                continue
            head, sep, tail = data.partition(b"</sheetData>")
            if not sep:
                raise RuntimeError(f"no sheetData in frame part {info.filename}")
            size = len(data) + rows.path.stat().st_size
            with dst.open(info.filename, "w", force_zip64=size > 2**31 - 2**20) as target:
                target.write(head)
                with open(rows.path, "rb") as fh:
                    shutil.copyfileobj(fh, target, 1 << 20)
                target.write(sep + tail)
