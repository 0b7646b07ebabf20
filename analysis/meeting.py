"""Meeting-level figures of one criterion: S-CVI, alpha, ICC(2,1), ICC(2,k), AC2 and r_wg(J).

One function for the results page and the workbook, so they cannot disagree. Input is a
table with one row per item (skill) and one column per rater, holding each rater's rating
in the item's current round; None marks a missing rating ("can't judge" or no answer).
Missing data follow analysis.missing; the rule is stated in docs/methodology.md section 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from analysis.agreement import rwg_j
from analysis.content_validity import scale_cvi
from analysis.gwet import gwet_ac2
from analysis.missing import Cell, complete_block, is_missing
from analysis.reliability import icc, krippendorff_alpha
from analysis.rule import Measure, as_measure, scale_bands
from analysis.text import N_

CVI_MEASURES = (Measure.RELEVANCE, Measure.CLARITY)
NO_VARIATION = N_("no variation: every rating is the same")
PARADOX_ALPHA = 0.667  # Krippendorff's lowest level for tentative conclusions
PARADOX_AGREEMENT = 0.80  # AC2 at or above: the panel agrees
PARADOX = N_(
    "High agreement, low reliability coefficient: almost every rating is the same, so alpha "
    "and ICC have little variation between skills to work with and read low (the paradox of "
    "chance-corrected coefficients under skewed prevalence; Feinstein & Cicchetti 1990). "
    "Read AC2 and r_wg(J), which measure agreement directly."
)


@dataclass(frozen=True)
class MeetingFigures:
    """Figures over the items of one criterion, with the N behind each and why one is empty.

    items: items in the table; unrated: items without a valid rating (left out of every
    figure); raters: raters with at least one valid rating; ratings: valid ratings.
    S-CVI/Ave and /UA (Polit & Beck 2006) only for relevance and clarity. alpha:
    Krippendorff's alpha, ordinal (Krippendorff 2011), over every valid rating.
    icc_21, icc_2k: Shrout & Fleiss (1979) ICC(2,1) and ICC(2,k) on the complete table of
    icc_items x icc_raters (analysis.missing). *_note says why a figure is empty.
    ac2, ac2_se: Gwet's AC2 with quadratic weights over the whole scale (Gwet 2014), every
    valid rating. rwg_j: James, Demaree & Wolf (1984) r_wg(J) against a uniform null over
    the rated skills. paradox: a plain sentence when agreement is high (AC2 >= .80) while
    alpha < .667 or ICC(2,1) < .40 — not an unreliable panel.
    """

    measure: str
    items: int
    unrated: int
    raters: int
    ratings: int
    s_cvi_ave: float | None
    s_cvi_ua: float | None
    alpha: float | None
    alpha_note: str
    icc_21: float | None
    icc_2k: float | None
    icc_items: int
    icc_raters: int
    icc_note: str
    ac2: float | None = None
    ac2_se: float | None = None
    rwg_j: float | None = None
    paradox: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def meeting_figures(
    table: Sequence[Sequence[Cell]], *, measure: Measure | str, scale_min: int, scale_max: int
) -> MeetingFigures:
    """Figures of one criterion over the items of one meeting (or pooled meetings)."""
    m = as_measure(measure)
    width = len(table[0]) if table else 0
    if any(len(row) != width for row in table):
        raise ValueError("every item needs one entry per rater (use None for missing)")
    valid = [[float(v) for v in row if v is not None and not is_missing(v)] for row in table]
    rated = [i for i, vs in enumerate(valid) if vs]
    raters = [c for c in range(width) if any(not is_missing(row[c]) for row in table)]
    ave = ua = None
    if m in CVI_MEASURES:
        agree_from, _ = scale_bands(m, scale_min, scale_max)
        ave, ua = scale_cvi((sum(1 for v in vs if v >= agree_from), len(vs)) for vs in valid)
    by_rater = [[row[c] for row in table] for c in raters]
    alpha, alpha_note = _alpha(by_rater, valid)
    icc_21, icc_2k, n_items, n_raters, icc_note = _icc([[row[c] for c in raters] for row in table])
    points = list(range(scale_min, scale_max + 1))
    ac2 = gwet_ac2([[row[c] for c in raters] for row in table], points) if raters else None
    rwg = rwg_j([vs for vs in valid if vs], len(points))
    low = (alpha is not None and alpha < PARADOX_ALPHA) or (icc_21 is not None and icc_21 < 0.40)
    paradox = PARADOX if ac2 is not None and ac2.value >= PARADOX_AGREEMENT and low else ""
    return MeetingFigures(
        measure=m.value,
        items=len(table),
        unrated=len(table) - len(rated),
        raters=len(raters),
        ratings=sum(len(vs) for vs in valid),
        s_cvi_ave=ave,
        s_cvi_ua=ua,
        alpha=alpha,
        alpha_note=alpha_note,
        icc_21=icc_21,
        icc_2k=icc_2k,
        icc_items=n_items,
        icc_raters=n_raters,
        icc_note=icc_note,
        ac2=None if ac2 is None else ac2.value,
        ac2_se=None if ac2 is None or ac2.se != ac2.se else ac2.se,
        rwg_j=rwg,
        paradox=paradox,
    )


def _alpha(by_rater: list[list[Cell]], valid: list[list[float]]) -> tuple[float | None, str]:
    """Alpha compares disagreement within items to disagreement across them: with fewer
    than two items rated by two people it is 0 or undefined, never informative."""
    if sum(1 for vs in valid if len(vs) >= 2) < 2:
        return None, N_("needs 2 skills rated by 2 people")
    if len({v for vs in valid for v in vs}) == 1:
        return None, NO_VARIATION
    value = krippendorff_alpha(by_rater, level="ordinal")
    return value, "" if value is not None else NO_VARIATION


def _icc(table: list[list[Cell]]) -> tuple[float | None, float | None, int, int, str]:
    rows, cols = complete_block(table) if table and table[0] else ([], [])
    if len(rows) < 2 or len(cols) < 2:
        return None, None, len(rows), len(cols), N_("needs 2 skills rated by the same 2 people")
    block = [[table[r][c] for c in cols] for r in rows]
    if len({v for row in block for v in row}) == 1:
        return None, None, len(rows), len(cols), NO_VARIATION
    icc_21, icc_2k = icc(block, form="2,1"), icc(block, form="2,k")
    note = "" if icc_21 is not None and icc_2k is not None else N_("not estimable on this table")
    return icc_21, icc_2k, len(rows), len(cols), note
