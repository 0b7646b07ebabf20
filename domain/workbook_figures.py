"""Figures sheet: meeting-level figures per criterion, per session and pooled, with N and method.

The same function as the results page computes them (analysis.meeting_figures), on the same
current-round ratings, so the workbook and the app cannot disagree. One row per figure:
S-CVI/Ave and S-CVI/UA (relevance, clarity), Krippendorff's alpha (ordinal), ICC(2,1),
ICC(2,k), Gwet's AC2 with its SE and r_wg(J); when agreement is high but alpha or ICC read
low, their note says so in plain words (the paradox). Each row carries the numbers of
skills, raters and ratings behind it, the method, and why it is empty when it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from analysis import MeetingFigures, meeting_figures
from analysis.text import N_
from domain.export_data import CriterionInfo, SessionInfo
from domain.workbook_layout import Layout
from domain.workbook_summary import POOLED
from domain.workbook_tally import Tally
from domain.workbook_xlsx import Column, SheetRows

FIGURES_COLUMNS = [
    Column(
        "session",
        10,
        N_('Session code; "%(pooled)s" = pooled over the sessions (merged export).', pooled=POOLED),
    ),
    Column("session_name", 30, N_("The session's title, place and country.")),
    Column("criterion", 13, N_("Criterion key.")),
    Column("measure", 13, N_("What the criterion measures.")),
    Column("figure", 22, N_("The figure (see the value codes below).")),
    Column("value", 9, N_("Its value; empty when it cannot be computed (see note)."), number="decimal"),
    Column("se", 8, N_("Standard error of the value, where the method gives one (AC2)."), number="decimal"),
    Column("target", 22, N_("Usual reading or target, for orientation; not a pass/fail rule.")),
    Column("skills", 8, N_("Skills (units or targets) the figure uses.")),
    Column("unrated", 8, N_("Skills left out: no valid rating on this criterion in the current round.")),
    Column("raters", 8, N_("Participants (raters) the figure uses.")),
    Column("ratings", 8, N_("Valid ratings (can't judge excluded) the figure uses.")),
    Column("method", 50, N_("How it is computed, with its source."), wrap=True),
    Column("note", 40, N_("Why the figure is empty, when it is."), wrap=True),
]
FIGURE_CODES: list[tuple[object, str]] = [
    ("S-CVI/Ave", N_("mean of the skills' I-CVIs (Polit & Beck 2006)")),
    ("S-CVI/UA", N_("share of skills every rater called relevant (Polit & Beck 2006)")),
    ("alpha (ordinal)", N_("Krippendorff's alpha, ordinal level (Krippendorff 2011)")),
    ("ICC(2,1)", N_("reliability of one rater's rating (Shrout & Fleiss 1979)")),
    ("ICC(2,k)", N_("reliability of the mean rating of the k raters (Shrout & Fleiss 1979)")),
    ("AC2 (quadratic)", N_("Gwet's agreement coefficient, quadratic weights (Gwet 2014)")),
    ("r_wg(J)", N_("within-group agreement over the skills, uniform null (James, Demaree & Wolf 1984)")),
]


Row = tuple[str, float | None, float | None, str, int, int, str, str]
SCVI = "relevance", "clarity"
NEEDS_PAIR = N_("needs a skill rated by 2 people")


def _rows(f: MeetingFigures) -> Iterator[Row]:
    """(figure, value, se, target, skills, raters, method, note) for one criterion."""
    rated = f.items - f.unrated
    if f.measure in SCVI:
        note = "" if f.s_cvi_ave is not None else N_("no skill rated")
        ave, ua = N_("Mean of the rated skills' I-CVIs"), N_("Share of rated skills with I-CVI = 1")
        yield ("S-CVI/Ave", f.s_cvi_ave, None, ">= .90", rated, f.raters, ave, note)
        yield ("S-CVI/UA", f.s_cvi_ua, None, ">= .80", rated, f.raters, ua, note)
    yield (
        "alpha (ordinal)",
        f.alpha,
        None,
        ">= .80; >= .667 tentative",
        rated,
        f.raters,
        N_(
            "Krippendorff's alpha, ordinal (Krippendorff 2011); missing = can't judge or no answer; "
            "every valid rating used; skills = units, participants = raters"
        ),
        f.alpha_note or f.paradox,
    )
    for form, value in (("ICC(2,1)", f.icc_21), ("ICC(2,k)", f.icc_2k)):
        yield (
            form,
            value,
            None,
            "",
            f.icc_items,
            f.icc_raters,
            N_(
                "%(form)s, two-way random (Shrout & Fleiss 1979); missing = can't judge or no answer; "
                "complete table after leaving out the skill or rater with most missing",
                form=form,
            ),
            f.icc_note or f.paradox,
        )
    ac2_method = N_(
        "Gwet's AC2, quadratic weights over the whole scale (Gwet 2014, Handbook of "
        "Inter-Rater Reliability, 4th ed.); missing = can't judge or no answer; every valid rating used"
    )
    yield (
        "AC2 (quadratic)",
        f.ac2,
        f.ac2_se,
        ">= .80",
        rated,
        f.raters,
        ac2_method,
        "" if f.ac2 is not None else NEEDS_PAIR,
    )
    rwg_method = N_(
        "r_wg(J) against a uniform null (James, Demaree & Wolf 1984) from the mean of the "
        "skills' rating variances; skills with fewer than 2 ratings left out"
    )
    yield ("r_wg(J)", f.rwg_j, None, ">= .70", rated, f.raters, rwg_method,
           "" if f.rwg_j is not None else NEEDS_PAIR)  # fmt: skip


def _name(s: SessionInfo) -> str:
    return ", ".join(part for part in (s.title, s.place, s.country) if part)


def write_figures(sheet: SheetRows, layout: Layout, tally: Tally) -> None:
    """One block of rows per criterion and session, then the pooled block (merged export)."""
    for c in layout.criteria:
        for s in layout.sessions:
            own = layout.session_criterion(s, c.key)
            if own is None:
                continue
            skills = [k.code for k in layout.skills if layout.session_skill(s, k.code) is not None]
            table = _table([(s.code, k) for k in skills], tally, c.key)
            _write(sheet, s.code, _name(s), own, table)
        if layout.merged:
            pooled = [s.code for s in layout.sessions if layout.session_criterion(s, c.key) is not None]
            rows = [
                [(code, k.code) for code in pooled if layout.poolable(_session(layout, code), k, c)]
                for k in layout.skills
            ]
            _write(
                sheet,
                POOLED,
                N_("pooled over the sessions on the same scale"),
                c,
                _pooled(rows, tally, c.key),
            )


def _session(layout: Layout, code: str) -> SessionInfo:
    return next(s for s in layout.sessions if s.code == code)


def _table(items: list[tuple[str, str]], tally: Tally, key: str) -> list[list[int | None]]:
    votes = [tally.final(session, skill, key)[1] for session, skill in items]
    raters = sorted({p for v in votes for p in v})
    return [[v.get(p) for p in raters] for v in votes]


def _pooled(rows: list[list[tuple[str, str]]], tally: Tally, key: str) -> list[list[int | None]]:
    """Skills x (session, pseudonym): a rater is a person in one session."""
    votes = [
        {(code, p): value for code, skill in row for p, value in tally.final(code, skill, key)[1].items()}
        for row in rows
    ]
    raters = sorted({who for v in votes for who in v})
    return [[v.get(who) for who in raters] for v in votes]


def _write(sheet: SheetRows, code: str, name: str, c: CriterionInfo, table: list[list[int | None]]) -> None:
    try:
        f = meeting_figures(table, measure=c.measure, scale_min=c.scale_min, scale_max=c.scale_max)
    except ValueError as exc:  # e.g. a rating off the scale: report, do not stop the export
        sheet.append(
            [code, name, c.key, c.measure, "", None, "", None, None, None, None, "", f"not computed: {exc}"]
        )
        return
    for figure, value, se, target, skills, raters, method, note in _rows(f):
        row: list[Any] = [code, name, c.key, c.measure, figure, value, se, target, skills, f.unrated, raters,
                          f.ratings, method, note]  # fmt: skip
        sheet.append(row)
