"""Charts sheet: a small table of headline figures per skill and native Excel bar charts on it.

The table holds, per skill, the median on each criterion and the count of each scale
point (the pooled figures in a merged export). Charts reference the table's ranges, so
they stay live if a user filters or edits it: one clustered bar chart of medians, and
one 100%-stacked bar chart of the answer distribution per criterion.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter, quote_sheetname

from analysis import ItemSummary
from domain.export_data import CriterionInfo
from domain.workbook_layout import Layout
from domain.workbook_xlsx import Column, SheetRows, XlsxBuilder

ROW_CM = 0.53  # default row height (15 pt) in centimetres
Ranger = Callable[..., Reference]  # (first_col, last_col, first_row=1) -> data range


def chart_columns(layout: Layout) -> list[Column]:
    source = "pooled over sessions" if layout.merged else "of the session"
    return [
        Column("skill_code", 11, "Skill code (chart categories)."),
        Column("skill_name", 28, "Skill name."),
        *(
            Column(f"median_{c.key}", 10, f"Median of {c.label}, final round, {source}.")
            for c in layout.criteria
        ),
        *(
            Column(f"{c.key}_{p}", 8, f"Valid ratings of {p} on {c.label}, {source}.")
            for c in layout.criteria
            for p in range(c.scale_min, c.scale_max + 1)
        ),
    ]


def write_charts(
    book: XlsxBuilder,
    sheet: SheetRows,
    layout: Layout,
    headline: dict[tuple[str, str], ItemSummary | None],
) -> None:
    """Write the table (one row per skill) and add the charts that plot it."""
    for skill in layout.skills:
        medians: list[float | None] = []
        counts: list[int | None] = []
        for c in layout.criteria:
            s = headline.get((skill.code, c.key))
            medians.append(s.median if s else None)
            if s is not None and (s.scale_min, s.scale_max) == (c.scale_min, c.scale_max):
                counts += s.counts
            else:
                counts += [None] * (c.scale_max - c.scale_min + 1)
        sheet.append([skill.code, skill.name, *medians, *counts])
    if not layout.skills or not layout.criteria:
        return
    n = len(layout.skills)
    ref = _ranger(sheet.name, n)
    height = max(7.5, 0.5 * n + 3)
    anchor_col = get_column_letter(len(sheet.columns) + 2)
    charts = [_median_chart(layout, ref, height)]
    col = 3 + len(layout.criteria)
    for c in layout.criteria:
        points = c.scale_max - c.scale_min + 1
        charts.append(_distribution_chart(c, ref, col, points, height))
        col += points
    row = 2
    for chart in charts:
        book.add_chart(sheet, chart, f"{anchor_col}{row}")
        row += ceil(height / ROW_CM) + 2


def _ranger(sheet_name: str, n: int) -> Ranger:
    def ref(first_col: int, last_col: int, first_row: int = 1) -> Reference:
        a, b = get_column_letter(first_col), get_column_letter(last_col)
        return Reference(range_string=f"{quote_sheetname(sheet_name)}!${a}${first_row}:${b}${n + 1}")

    return ref


def _bar_chart(title: str, height: float) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: skill codes stay readable
    chart.title = title
    chart.height, chart.width = height, 18
    chart.x_axis.delete = False  # openpyxl 3.1 otherwise hides both axes in Excel
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first skill at the top, as in the table
    chart.y_axis.crosses = "max"  # and the value axis below the bars, not above
    return chart


def _median_chart(layout: Layout, ref: Ranger, height: float) -> BarChart:
    chart = _bar_chart("Median per skill and criterion", height)
    chart.grouping = "clustered"
    chart.add_data(ref(3, 2 + len(layout.criteria)), titles_from_data=True)
    chart.set_categories(ref(1, 1, first_row=2))
    chart.y_axis.title = "median"
    for series, c in zip(chart.series, layout.criteria, strict=True):
        series.tx = SeriesLabel(v=c.label)
    return chart


def _distribution_chart(c: CriterionInfo, ref: Ranger, col: int, points: int, height: float) -> BarChart:
    chart = _bar_chart(f"Answers per skill: {c.label}", height)
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.add_data(ref(col, col + points - 1), titles_from_data=True)
    chart.set_categories(ref(1, 1, first_row=2))
    for series, p in zip(chart.series, range(c.scale_min, c.scale_max + 1), strict=True):
        anchor = c.anchors[p - c.scale_min] if len(c.anchors) == points else ""
        series.tx = SeriesLabel(v=f"{p} {anchor}".strip())
    return chart
