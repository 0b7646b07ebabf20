"""Meeting-level figures and the one missing-data rule (analysis.meeting, analysis.missing)."""

import warnings

import numpy as np
import pytest

from analysis import complete_block, gwet_ac2, icc, krippendorff_alpha, meeting_figures
from analysis.meeting import NO_VARIATION

# Shrout & Fleiss (1979) Table 2: 6 targets x 4 judges; ICC(2,1) = .29, ICC(2,4) = .62.
SF1979 = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
REL = {"measure": "relevance", "scale_min": 1, "scale_max": 4}


def test_icc_21_and_2k_reproduce_shrout_fleiss():
    f = meeting_figures(SF1979, measure="importance", scale_min=1, scale_max=10)
    assert (round(f.icc_21, 2), round(f.icc_2k, 2)) == (0.29, 0.62)
    assert (f.icc_items, f.icc_raters, f.items, f.raters, f.ratings) == (6, 4, 6, 4, 24)


def test_one_skill_nobody_rated_does_not_blank_icc():
    table = [*SF1979, [None, None, None, None]]
    f = meeting_figures(table, measure="importance", scale_min=1, scale_max=10)
    assert f.icc_2k == pytest.approx(icc(SF1979, "2,k"))
    assert (f.unrated, f.icc_items, f.icc_raters) == (1, 6, 4)


def test_a_rater_who_skipped_one_skill_is_left_out_not_the_skill():
    table = [row[:] for row in SF1979]
    table[0][3] = None  # judge 4 skipped target 1: 1/6 of judge 4 missing vs 1/4 of target 1
    rows, cols = complete_block(table)
    assert (rows, cols) == ([1, 2, 3, 4, 5], [0, 1, 2, 3])  # the target goes: 25% > 17%
    table = [row + [row[0]] for row in SF1979]  # a fifth judge...
    for r in range(3):
        table[r][4] = None  # ...who rated only half the targets: the judge goes
    assert complete_block(table) == ([0, 1, 2, 3, 4, 5], [0, 1, 2, 3])


def test_alpha_uses_every_rating_and_the_same_table():
    table = [[4, 4, 3, None], [2, 1, None, 2], [None, None, None, None], [3, 4, 4, 3]]
    f = meeting_figures(table, **REL)
    by_rater = [[row[c] for row in table] for c in range(4)]
    assert f.alpha == pytest.approx(krippendorff_alpha(by_rater, "ordinal"))
    assert f.unrated == 1 and f.raters == 4 and f.ratings == 10


def test_s_cvi_leaves_out_unrated_items_and_counts_them():
    table = [[4, 3, 4], [4, 1, 2], [None, None, None], [3, 4, 4]]
    f = meeting_figures(table, **REL)
    assert f.s_cvi_ave == pytest.approx((1 + 1 / 3 + 1) / 3)
    assert f.s_cvi_ua == pytest.approx(2 / 3)
    assert f.unrated == 1
    assert meeting_figures(table, measure="importance", scale_min=1, scale_max=5).s_cvi_ave is None


def test_every_rating_equal_gives_no_variation_as_the_reason():
    f = meeting_figures([[4, 4, 4], [4, 4, 4], [4, None, 4]], **REL)
    assert (f.alpha, f.alpha_note) == (None, NO_VARIATION)
    assert (f.icc_2k, f.icc_note) == (None, NO_VARIATION)
    assert f.s_cvi_ave == 1.0


def test_too_little_data_says_what_is_needed():
    f = meeting_figures([[4, 3], [None, None]], **REL)
    assert f.alpha is None and "2 skills rated by 2 people" in f.alpha_note
    assert f.icc_2k is None and "2 skills" in f.icc_note
    empty = meeting_figures([], **REL)
    assert (empty.items, empty.raters, empty.s_cvi_ave, empty.alpha) == (0, 0, None, None)


# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.: 12 subjects, 4 raters, 5
# categories, with gaps; AC1 = 0.7754, SE 0.1429, p_a .8182, p_e .1903, as reproduced in
# the irrCAC packages' documentation (R cac.raw4raters; Python irrCAC.datasets.raw_4raters).
GWET_4RATERS = [
    [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, None, 3, None],
]  # fmt: skip


def test_gwet_ac1_reproduces_the_handbook_example():
    r = gwet_ac2(GWET_4RATERS, [1, 2, 3, 4, 5], "identity")
    assert (round(r.value, 4), round(r.se, 4), round(r.pa, 4), round(r.pe, 4)) == (
        0.7754,
        0.1429,
        0.8182,
        0.1903,
    )


@pytest.mark.parametrize("weights", ["identity", "quadratic", "ordinal"])
def test_gwet_ac2_matches_the_irrcac_package(weights):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # irrCAC and pandas warn about their own internals
        import pandas as pd
        from irrCAC.raw import CAC

        rng = np.random.default_rng(3)
        for data in [GWET_4RATERS, *(_random_table(rng) for _ in range(10))]:
            frame = pd.DataFrame([[np.nan if v is None else v for v in row] for row in data])
            theirs = CAC(frame, weights=weights, categories=[1, 2, 3, 4, 5], digits=12).gwet()["est"]
            ours = gwet_ac2(data, [1, 2, 3, 4, 5], weights)
            assert ours.value == pytest.approx(theirs["coefficient_value"], abs=1e-9)
            assert ours.se == pytest.approx(theirs["se"], abs=1e-9)


def _random_table(rng):
    table = rng.integers(1, 6, size=(12, 5)).tolist()
    for row in table:
        for c in range(5):
            if rng.random() < 0.2:
                row[c] = None
    return table


def test_high_agreement_is_not_called_unreliable():
    # 18 of 20 ratings are "4": alpha and ICC read low, AC2 and r_wg(J) high; say why.
    table = [[4, 4, 4, 4], [4, 4, 4, 4], [4, 3, 4, 4], [4, 4, 4, 3], [4, 4, 4, 4]]
    f = meeting_figures(table, **REL)
    assert f.alpha is not None and f.alpha < 0.1
    assert f.ac2 > 0.9 and f.rwg_j > 0.9
    assert "High agreement" in f.paradox
    spread = meeting_figures([[4, 4, 3], [1, 2, 1], [3, 4, 4], [2, 1, 2]], **REL)
    assert spread.paradox == "" and spread.alpha > 0.667


def _complete_block_by_recounting(table):
    """The rule as the methodology states it, recounting every share at every step (the
    implementation before the missing counts were kept up to date)."""
    from analysis.missing import is_missing

    rows, cols = list(range(len(table))), list(range(len(table[0]) if table else 0))
    while rows and cols:
        worst = None  # (share missing, columns before rows, later before earlier, kind)
        for c in cols:
            share = sum(is_missing(table[r][c]) for r in rows) / len(rows)
            worst = max(worst or (share, 1, c, "col"), (share, 1, c, "col"))
        for r in rows:
            share = sum(is_missing(table[r][c]) for c in cols) / len(cols)
            worst = max(worst or (share, 0, r, "row"), (share, 0, r, "row"))
        if worst[0] == 0:
            break
        (cols if worst[3] == "col" else rows).remove(worst[2])
    return (rows, cols) if rows and cols else ([], [])


@pytest.mark.parametrize("seed", range(300))
def test_complete_block_chooses_exactly_as_recounting_does(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 13)), int(rng.integers(1, 13))
    p = rng.choice([0.0, 0.05, 0.2, 0.5, 0.9])
    table = [[None if rng.random() < p else (float("nan") if rng.random() < 0.02 else int(rng.integers(1, 5)))
              for _ in range(k)] for _ in range(n)]  # fmt: skip
    if seed % 7 == 0 and n > 1:
        table[0] = [None] * k  # a skill nobody rated
    if seed % 5 == 0:
        table = [row[: k // 2] + row for row in table]  # equal shares: the tie rule decides
    assert complete_block(table) == _complete_block_by_recounting(table)


def test_complete_block_at_pooled_size_matches_recounting():
    rng = np.random.default_rng(40)
    table = [[None if rng.random() < 0.05 else int(rng.integers(1, 5)) for _ in range(400)]
             for _ in range(40)]  # fmt: skip
    assert complete_block(table) == _complete_block_by_recounting(table)
