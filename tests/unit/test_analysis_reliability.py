"""Krippendorff's alpha and ICC against published examples and the krippendorff package."""

import krippendorff
import numpy as np
import pytest

from analysis import icc, krippendorff_alpha

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, missing values. Published alphas as reproduced in the R irr package's
# kripp.alpha example (the "C" data) and in pyirr's tests/test_kripp_alpha.py (read here):
# nominal .743, ordinal .815, interval .849, ratio .797. The paper itself could not be read
# here; ordinal .815 and ratio .797 also appear in fast-krippendorff's tests.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Wikipedia "Krippendorff's alpha", computational example (3 coders, 15 units), as used in
# fast-krippendorff's tests: nominal .691358, interval .810845.
WIKI = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]


def _nan(data):
    return np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level, published):
    assert round(krippendorff_alpha(K2011, level), 3) == published


def test_wikipedia_example():
    assert round(krippendorff_alpha(WIKI, "nominal"), 6) == 0.691358
    assert round(krippendorff_alpha(WIKI, "interval"), 6) == 0.810845


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_matches_krippendorff_package_on_random_data(level):
    rng = np.random.default_rng(7)
    for _ in range(20):
        data = rng.integers(1, 6, size=(5, 30)).astype(float)
        data[rng.random(data.shape) < 0.2] = np.nan
        ours = krippendorff_alpha([[None if np.isnan(v) else int(v) for v in r] for r in data], level)
        theirs = krippendorff.alpha(data, level_of_measurement=level)
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_alpha_is_undefined_without_pairable_or_varying_values():
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([[1, None], [None, 2]]) is None  # no unit has two ratings
    assert krippendorff_alpha([[3, 3, 3], [3, 3, 3]]) is None  # D_e = 0
    assert krippendorff_alpha([[None, None], [None, None]]) is None


def test_alpha_perfect_agreement_and_nan_missing():
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "nominal") == 1.0
    assert krippendorff_alpha([[1, 2, float("nan")], [1, 2, 3]], "interval") == 1.0


def test_alpha_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha(K2011, "circular")
    with pytest.raises(ValueError, match="one entry per unit"):
        krippendorff_alpha([[1, 2], [1]])


# Shrout & Fleiss (1979), Psychol Bull 86:420, Table 2 data: 6 targets x 4 judges, as
# reproduced in R psych's tests/testthat/test_ICC.R (read here), which checks
# ICC(1,1)=.17, ICC(2,1)=.29, ICC(3,1)=.71, ICC(1,4)=.44, ICC(2,4)=.62, ICC(3,4)=.91.
SF1979 = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


@pytest.mark.parametrize(
    ("form", "published"),
    [("1,1", 0.17), ("2,1", 0.29), ("3,1", 0.71), ("1,k", 0.44), ("2,k", 0.62), ("3,k", 0.91)],
)
def test_icc_shrout_fleiss_table_2(form, published):
    assert round(icc(SF1979, form), 2) == published


def test_icc_is_total():
    assert icc([]) is None
    assert icc([[1, 2]]) is None  # one target
    assert icc([[1], [2]]) is None  # one rater
    assert icc([[3, 3], [3, 3]]) is None  # no variance: 0/0
    # Incomplete rows are dropped (complete cases).
    assert icc(SF1979 + [[1, None, 3, 4]], "3,k") == pytest.approx(icc(SF1979, "3,k"))


def test_icc_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown ICC form"):
        icc(SF1979, "2,2")
    with pytest.raises(ValueError, match="one rating per rater"):
        icc([[1, 2], [1]])
