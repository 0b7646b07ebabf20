"""rwg, rwg(J) and AD_Md (James, Demaree & Wolf 1984; Burke et al. 1999)."""

import pytest

from analysis import ad_cutoff, ad_median, rwg, rwg_j, uniform_variance


def test_uniform_null_variance():
    # (A^2 - 1) / 12: 2.0 for 5 options, 4.0 for 7 options (James, Demaree & Wolf 1984).
    assert uniform_variance(5) == 2.0
    assert uniform_variance(7) == 4.0
    with pytest.raises(ValueError, match="at least 2"):
        uniform_variance(1)


def test_rwg_by_hand():
    # values 4,4,5,5: s^2 = 1/3, A = 5 -> 1 - (1/3)/2 = 5/6
    assert rwg([4, 4, 5, 5], 5) == pytest.approx(5 / 6)
    assert rwg([3, 3, 3], 5) == 1.0
    assert rwg([1, 5, 1, 5], 5) == 0.0  # s^2 = 16/3 > 2: truncated at 0
    assert rwg([4], 5) is None and rwg([], 5) is None
    assert rwg([4, None, 5], 5) == pytest.approx(1 - 0.5 / 2)


def test_rwg_j_by_hand():
    items = [[4, 4, 5, 5], [4, 4, 5, 5]]  # mean variance 1/3, J = 2, ratio 1/6
    expected = 2 * (5 / 6) / (2 * (5 / 6) + 1 / 6)
    assert rwg_j(items, 5) == pytest.approx(expected)
    assert rwg_j([[1, 5, 1, 5]], 5) == 0.0
    assert rwg_j([[1], []], 5) is None
    # rwg(J) with one item equals rwg
    assert rwg_j([[4, 4, 5, 5]], 5) == pytest.approx(rwg([4, 4, 5, 5], 5))


def test_ad_median():
    assert ad_median([1, 2, 3, 4, 5]) == pytest.approx(6 / 5)
    assert ad_median([3, 3, None]) == 0.0
    assert ad_median([]) is None
    assert ad_cutoff(5) == pytest.approx(5 / 6)
