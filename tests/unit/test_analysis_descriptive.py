"""Descriptive statistics: quartile method, SD, CV, counts, threshold rounding."""

import math

import numpy as np
import pytest

from analysis import cv, mean, median, meets_threshold, percentile, quartiles, round_half_up, sd
from analysis.descriptive import check_scale_values, counts


def test_quartiles_type7_gives_iqr_one_on_the_methodology_example():
    # /work/shared/METHODOLOGY.md: 1,1,4,4,4,4,5,5,5,5 -> IQR 1.0 (type 7), 1.75 (type 6).
    q1, med, q3 = quartiles([1, 1, 4, 4, 4, 4, 5, 5, 5, 5])
    assert (q1, med, q3) == (4.0, 4.0, 5.0)
    assert q3 - q1 == pytest.approx(1.0)


def test_type6_would_give_a_different_iqr_on_the_same_data():
    data = [1, 1, 4, 4, 4, 4, 5, 5, 5, 5]
    q1, q3 = np.percentile(data, [25, 75], method="weibull")  # Hyndman & Fan type 6
    assert q3 - q1 == pytest.approx(1.75)
    assert q3 - q1 != pytest.approx(quartiles(data)[2] - quartiles(data)[0])  # type: ignore[operator]


def test_percentile_matches_numpy_linear():
    data = [7, 3, 9, 9, 1, 5, 8]
    for p in (0, 10, 25, 30, 50, 70, 75, 90, 100):
        assert percentile(data, p) == pytest.approx(np.percentile(data, p, method="linear"))


def test_empty_and_single_values_are_total():
    assert quartiles([]) == (None, None, None)
    assert median([]) is None and mean([]) is None and sd([]) is None and cv([]) is None
    assert quartiles([4]) == (4.0, 4.0, 4.0)
    assert sd([4]) is None and cv([4]) is None


def test_sd_uses_n_minus_one_and_cv_is_sd_over_mean():
    assert sd([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(math.sqrt(32 / 7))
    assert cv([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(math.sqrt(32 / 7) / 5)
    assert sd([3, 3, 3]) == 0.0
    assert cv([0, 0]) is None  # mean 0: undefined


def test_percentile_rejects_out_of_range_p():
    with pytest.raises(ValueError, match="outside 0-100"):
        percentile([1, 2], 101)


def test_counts_and_scale_checks():
    valid, abstain = check_scale_values([1, None, 4, 4, None], 1, 4)
    assert valid == [1, 4, 4] and abstain == 2
    assert counts(valid, 1, 4) == (1, 0, 0, 2)
    with pytest.raises(ValueError, match="outside the scale 1-4"):
        check_scale_values([5], 1, 4)
    with pytest.raises(ValueError, match="not an integer"):
        check_scale_values([2.5], 1, 4)
    with pytest.raises(ValueError, match="not an integer"):
        check_scale_values([True], 1, 4)
    with pytest.raises(ValueError, match="greater than scale_min"):
        check_scale_values([1], 4, 4)


@pytest.mark.parametrize(
    ("value", "threshold", "passes"),
    [
        (7 / 9, 0.78, True),  # .78 is 7/9 rounded; published tables treat 7 of 9 as passing
        (8 / 10, 0.78, True),
        (7 / 10, 0.78, False),
        (31 / 40, 0.78, True),  # .775 rounds half-up to .78: passes (house rule, pinned here)
        (5 / 6, 0.83, True),  # .8333 -> .83
        (0.7749, 0.78, False),
        (1.0, 1.0, True),
        (4 / 5, 1.0, False),
    ],
)
def test_threshold_rounding_rule(value, threshold, passes):
    assert meets_threshold(value, threshold) is passes


def test_strict_float_comparison_would_fail_seven_of_nine():
    assert not 7 / 9 >= 0.78  # the trap the rounding rule exists for


def test_round_half_up():
    assert round_half_up(0.775) == 0.78
    assert round_half_up(0.745) == 0.75
    assert round(0.745, 2) == 0.74  # Python's own round would not do
    assert round_half_up(1 / 6) == 0.17  # one published table prints 1/6 as .16 (truncated)
    assert round_half_up(-0.125) == -0.13
