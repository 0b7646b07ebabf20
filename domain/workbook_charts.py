"""Charts sheet: a small table of headline figures per skill and native Excel bar charts on it.

The table holds, per skill and criterion, a label with N ("COM (n 11, 1 can't judge)"), the
median, the count of each scale point and of "can't judge" (the pooled figures in a merged
export), and in a merged export the median per country. Charts reference the table's
ranges, so they stay live if a user filters or edits it, and sit below the table, one per
page when printed:

- per criterion, the medians on that criterion's own axis (never 1-4 and 1-9 on one axis);
- per criterion, the answers as stacked counts, not shares, so one rater does not look like
  twelve, with "can't judge" as a grey last segment and N in each bar's label; scale points
  take an ordered palette (light to dark), the legend gives each point's anchor once;
- merged export: per criterion, the median per country, one series per country.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter, quote_sheetname

from analysis import ItemSummary
from analysis.descriptive import median
from analysis.text import N_
from domain.export_data import CriterionInfo, SessionInfo
from domain.workbook_layout import Layout
from domain.workbook_tally import Tally
from domain.workbook_xlsx import Column, SheetRows, XlsxBuilder

ROW_CM = 0.53  # default row height (15 pt) in centimetres
CHAR_CM = 0.2  # a column width unit (one character) in centimetres, roughly
PAGE_CM = (27.0, 17.0)  # printable landscape A4, less margins and the repeated header row
CANT_JUDGE_COLOUR = "BFBFBF"
LIGHT, DARK = (0xDE, 0xEB, 0xF7), (0x08, 0x30, 0x6B)  # ordered (sequential) blues
Ranger = Callable[..., Reference]  # (first_col, last_col, first_row=2) -> data range


def countries(layout: Layout) -> list[str]:
    """The sessions' countries, in first-seen order (merged export only)."""
    if not layout.merged:
        return []
    return list(dict.fromkeys(s.country or "(no country)" for s in layout.sessions))


def chart_columns(layout: Layout) -> list[Column]:
    source = N_("pooled over sessions") if layout.merged else N_("of the session")
    columns = [
        Column("skill_code", 11, N_("Skill code.")),
        Column("skill_name", 28, N_("Skill name.")),
    ]
    for c in layout.criteria:
        columns += [
            Column(
                f"label_{c.key}",
                16,
                N_("Skill code with N on %(criterion)s (bar label of its charts).", criterion=c.label),
                label=N_("Bar label: %(criterion)s", criterion=c.label),
            ),
            Column(
                f"median_{c.key}",
                10,
                N_("Median of %(criterion)s, current round, %(source)s.", criterion=c.label, source=source),
                number="decimal",
                label=N_("Median: %(criterion)s", criterion=c.label),
            ),
            *(
                Column(
                    f"{c.key}_{p}",
                    8,
                    N_(
                        "Valid ratings of %(point)s on %(criterion)s, %(source)s.",
                        point=p,
                        criterion=c.label,
                        source=source,
                    ),
                    label=N_("%(criterion)s: ratings of %(point)s", criterion=c.label, point=p),
                )
                for p in _points(c)
            ),
            Column(
                f"{c.key}_cant_judge",
                9,
                N_('"Can\'t judge" answers on %(criterion)s, %(source)s.', criterion=c.label, source=source),
                label=N_("%(criterion)s: can't judge", criterion=c.label),
            ),
        ]
    for country in countries(layout):
        columns += [
            Column(f"median_{c.key}_{country}", 10,
                   N_("Median of %(criterion)s, sessions in %(country)s pooled.", criterion=c.label,
                      country=country),
                   number="decimal", label=N_("Median: %(criterion)s, %(country)s", criterion=c.label,
                                              country=country))
            for c in layout.criteria
        ]  # fmt: skip
    return columns


def _points(c: CriterionInfo) -> range:
    return range(c.scale_min, c.scale_max + 1)


def write_charts(
    book: XlsxBuilder,
    sheet: SheetRows,
    layout: Layout,
    headline: dict[tuple[str, str], ItemSummary | None],
    tally: Tally,
) -> None:
    """Write the table (one row per skill) and add the charts that plot it, below it."""
    by_country = countries(layout)
    for skill in layout.skills:
        row: list[object] = [skill.code, skill.name]
        for c in layout.criteria:
            s = headline.get((skill.code, c.key))
            same_scale = s is not None and (s.scale_min, s.scale_max) == (c.scale_min, c.scale_max)
            n = s.n if s else 0
            abstained = s.n_abstain if s else 0
            label = f"{skill.code} (n {n}" + (f", {abstained} can't judge)" if abstained else ")")
            counts = list(s.counts) if s is not None and same_scale else [None] * len(_points(c))
            row += [label, s.median if s else None, *counts, abstained if s else None]
        for country in by_country:
            for c in layout.criteria:
                row.append(_country_median(layout, tally, skill.code, c, country))
        sheet.append(row)
    if not layout.skills or not layout.criteria:
        return
    n = len(layout.skills)
    ref = _ranger(sheet.title, n)
    # The sheet prints one page wide, so the page is as wide as the table: each chart takes
    # the table's width and at most a page's height at that scale, and prints whole.
    width = max(PAGE_CM[0], sum(c.width for c in sheet.columns) * CHAR_CM)
    scale = width / PAGE_CM[0]
    height = min(PAGE_CM[1] * scale, max(7.5, 0.5 * n + 3) * scale)
    sheet.print_grid = False
    charts = []
    col = 3
    medians: dict[str, int] = {}
    for c in layout.criteria:
        points = len(_points(c))
        medians[c.key] = col + 1
        charts.append(_median_chart(c, ref, col, height, width))
        charts.append(_distribution_chart(c, ref, col, points, height, width))
        col += 3 + points
    for i, c in enumerate(layout.criteria):
        if by_country:
            first = col + i
            step = len(layout.criteria)
            label_column = medians[c.key] - 1
            charts.append(_country_chart(c, ref, (first, step), by_country, (height, width), label_column))
    rows_per_chart = ceil(height / ROW_CM) + 2
    chart_row = n + 3
    for chart in charts:
        book.add_chart(sheet, chart, f"A{chart_row}")
        chart_row += rows_per_chart
        book.breaks.setdefault(sheet.name, []).append(chart_row - 1)  # each chart prints on its own page


def _country_median(layout: Layout, tally: Tally, skill: str, c: CriterionInfo, country: str) -> float | None:
    values: list[int] = []
    for s in layout.sessions:
        if (s.country or "(no country)") != country or not _poolable(layout, s, skill, c):
            continue
        values += [v for v in tally.final(s.code, skill, c.key)[1].values() if v is not None]
    return median(values)


def _poolable(layout: Layout, s: SessionInfo, skill: str, c: CriterionInfo) -> bool:
    own = layout.session_skill(s, skill)
    return own is not None and layout.poolable(s, own, c)


def _ranger(sheet_name: str, n: int) -> Ranger:
    def ref(first_col: int, last_col: int, first_row: int = 2) -> Reference:
        a, b = get_column_letter(first_col), get_column_letter(last_col)
        return Reference(range_string=f"{quote_sheetname(sheet_name)}!${a}${first_row}:${b}${n + 1}")

    return ref


def _bar_chart(title: str, height: float, width: float) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: skill codes stay readable
    chart.title = title
    chart.height, chart.width = height, width
    chart.x_axis.delete = False  # openpyxl 3.1 otherwise hides both axes in Excel
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first skill at the top, as in the table
    chart.y_axis.crosses = "max"  # and the value axis below the bars, not above
    return chart


def _median_chart(c: CriterionInfo, ref: Ranger, col: int, height: float, width: float) -> BarChart:
    """Medians of one criterion on its own scale: the axis runs from its lowest to highest point."""
    chart = _bar_chart(f"Median per skill: {c.label} ({c.scale_min}-{c.scale_max})", height, width)
    chart.add_data(ref(col + 1, col + 1), titles_from_data=False)
    chart.set_categories(ref(col, col))
    chart.series[0].tx = SeriesLabel(v=f"median {c.label}")
    chart.series[0].graphicalProperties.solidFill = _shade(1.0)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = c.scale_min, c.scale_max
    chart.y_axis.majorUnit = 1
    chart.y_axis.title = f"median ({c.scale_min}-{c.scale_max})"
    chart.legend = None
    return chart


def _distribution_chart(
    c: CriterionInfo, ref: Ranger, col: int, points: int, height: float, width: float
) -> BarChart:
    """Counts per scale point (ordered palette) and can't judge (grey), stacked: bar length = N."""
    chart = _bar_chart(f"Answers per skill: {c.label} (number of people)", height, width)
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.add_data(ref(col + 2, col + 2 + points), titles_from_data=False)
    chart.set_categories(ref(col, col))
    for i, (series, p) in enumerate(zip(chart.series[:points], _points(c), strict=True)):
        anchor = c.anchors[p - c.scale_min] if len(c.anchors) == points else ""
        series.tx = SeriesLabel(v=anchor or str(p))  # the anchor once, no "1 1 ..."
        series.graphicalProperties.solidFill = _shade(i / max(1, points - 1))
        series.graphicalProperties.line.solidFill = _shade(i / max(1, points - 1))
    cant = chart.series[points]
    cant.tx = SeriesLabel(v="can't judge")
    cant.graphicalProperties.solidFill = CANT_JUDGE_COLOUR
    chart.y_axis.title = "people"
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    return chart


def _country_chart(
    c: CriterionInfo,
    ref: Ranger,
    columns: tuple[int, int],
    by_country: list[str],
    size: tuple[float, float],
    label: int,
) -> BarChart:
    """Medians per country, one series each, on the criterion's own scale."""
    first, step = columns
    chart = _bar_chart(f"Median per skill and country: {c.label} ({c.scale_min}-{c.scale_max})", *size)
    chart.grouping = "clustered"
    for i, country in enumerate(by_country):
        column = first + i * step
        chart.add_data(ref(column, column), titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=country)
    chart.set_categories(ref(label, label))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = c.scale_min, c.scale_max
    chart.y_axis.majorUnit = 1
    chart.y_axis.title = f"median ({c.scale_min}-{c.scale_max})"
    chart.legend.position = "b"
    return chart


def _shade(t: float) -> str:
    """A colour between LIGHT (t = 0) and DARK (t = 1): low scale points light, high ones dark."""
    t = 0.25 + 0.75 * t  # the lightest point must still show on white
    return "".join(f"{round(a + (b - a) * t):02X}" for a, b in zip(LIGHT, DARK, strict=True))
