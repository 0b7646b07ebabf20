"""Kendall's W with tie correction against R irr and scipy's Friedman test."""

import pytest
from scipy import stats

from analysis import kendalls_w

# R irr's `anxiety` data (20 subjects x 3 raters), read from pyirr's data/anxiety.csv.
# irr::kendall(anxiety, correct = TRUE) gives Wt = 0.54, Chisq(19) = 30.8, p = 0.0429
# (pyirr tests/test_kendall.py, a port of the irr example).
ANXIETY = [
    [3, 3, 2], [3, 6, 1], [3, 4, 4], [4, 6, 4], [5, 2, 3], [5, 4, 2], [2, 2, 1],
    [3, 4, 6], [5, 3, 1], [2, 3, 1], [2, 2, 1], [6, 3, 2], [1, 3, 3], [5, 3, 3],
    [2, 2, 1], [2, 2, 1], [1, 1, 3], [2, 3, 3], [4, 3, 2], [3, 4, 2],
]  # fmt: skip
JUDGES = [list(col) for col in zip(*ANXIETY, strict=True)]  # one sequence per judge


def test_irr_anxiety_example():
    r = kendalls_w(JUDGES)
    assert round(r.w, 2) == 0.54
    assert round(r.chi2, 1) == 30.8
    assert r.df == 19
    assert round(r.p_value, 4) == 0.0429
    assert (r.n_judges, r.n_objects) == (3, 20)


def test_chi2_equals_friedman():
    r = kendalls_w(JUDGES)
    friedman = stats.friedmanchisquare(*ANXIETY)  # one argument per object, judges as blocks
    assert r.chi2 == pytest.approx(friedman.statistic)
    assert r.p_value == pytest.approx(friedman.pvalue)


def test_perfect_and_reversed_agreement():
    assert kendalls_w([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]).w == pytest.approx(1.0)
    assert kendalls_w([[1, 2, 3, 4], [4, 3, 2, 1]]).w == pytest.approx(0.0)


def test_scores_are_ranked_with_ties_averaged():
    assert kendalls_w([[10, 20, 30], [1, 5, 9]]).w == pytest.approx(1.0)


def test_total_on_degenerate_input():
    assert kendalls_w([]).w is None
    assert kendalls_w([[1, 2, 3]]).w is None  # one judge
    assert kendalls_w([[1], [1]]).w is None  # one object
    assert kendalls_w([[2, 2, 2], [5, 5, 5]]).w is None  # every judge ties everything
    r = kendalls_w([[1, 2, None, 3], [1, 2, 3, 3]])  # object 3 dropped for everyone
    assert r.n_objects == 3


def test_ragged_input_is_rejected():
    with pytest.raises(ValueError, match="one entry per object"):
        kendalls_w([[1, 2, 3], [1, 2]])
