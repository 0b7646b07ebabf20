"""Content validity: CVR with exact critical values, I-CVI, k*, S-CVI, against published tables."""

import pytest
from scipy import stats

from analysis import (
    chance_agreement,
    cvr,
    cvr_critical,
    cvr_p_value,
    cvr_significant,
    icvi_passes,
    icvi_threshold,
    item_cvi,
    kappa_band,
    modified_kappa,
    scale_cvi,
)


def test_cvr_formula():
    assert cvr(9, 10) == pytest.approx(0.8)
    assert cvr(5, 10) == 0.0
    assert cvr(0, 10) == -1.0
    assert cvr(10, 10) == 1.0
    assert cvr(0, 0) is None


def test_cvr_critical_examples_from_methodology_notes():
    # N = 10 needs 9 essential (CVR .80); 8 of 10 is not enough, exact p = .0547
    # (/work/shared/METHODOLOGY.md, after Ayre & Scally 2014). Ayre & Scally's own table
    # could not be read here; these follow from the exact binomial definition.
    assert cvr_critical(10) == 9
    assert cvr_p_value(8, 10) == pytest.approx(56 / 1024)
    assert round(cvr_p_value(8, 10), 4) == 0.0547
    assert cvr_significant(8, 10) is False
    assert cvr_significant(9, 10) is True
    # Pooled 4 meetings x 10: CVR needs 26 of 40 (METHODOLOGY.md).
    assert cvr_critical(40) == 26


def test_cvr_not_testable_with_four_or_fewer():
    for n in range(0, 5):
        assert cvr_critical(n) is None
        assert cvr_significant(n, n) is None
    assert cvr_critical(5) == 5  # 1/32 = .031 <= .05


def test_cvr_critical_is_the_smallest_k_with_tail_at_most_alpha():
    for n in range(5, 61):
        k = cvr_critical(n)
        assert k is not None
        assert stats.binom.sf(k - 1, n, 0.5) <= 0.05
        assert stats.binom.sf(k - 2, n, 0.5) > 0.05


def test_cvr_critical_other_alpha():
    assert cvr_critical(10, alpha=0.01) == 10  # P(X >= 9) = 11/1024 = .0107 > .01
    with pytest.raises(ValueError, match="alpha"):
        cvr_critical(10, alpha=0)


def test_count_validation():
    with pytest.raises(ValueError, match="cannot exceed"):
        cvr(11, 10)
    with pytest.raises(ValueError, match="negative"):
        item_cvi(-1, 10)


# Zamanzadeh-style table in BMC Health Serv Res 2017 17:537, Table 10 (relevance, clarity,
# meaningfulness and completeness columns): N experts, A rating 3-4, I-CVI, p_c, k*.
BMC_2017_TABLE_10 = [
    (10, 10, 1.00, 0.001, 1.00),
    (10, 9, 0.90, 0.010, 0.90),
    (10, 8, 0.80, 0.044, 0.79),
    (10, 7, 0.70, 0.117, 0.66),
    (9, 7, 0.78, 0.070, 0.76),
    (9, 6, 0.67, 0.164, 0.60),
    (9, 8, 0.89, 0.018, 0.89),
]


@pytest.mark.parametrize(("n", "a", "icvi", "pc", "kstar"), BMC_2017_TABLE_10)
def test_icvi_pc_kstar_against_bmc_health_serv_res_2017_table_10(n, a, icvi, pc, kstar):
    assert round(item_cvi(a, n), 2) == icvi
    assert round(chance_agreement(a, n), 3) == pc
    assert round(modified_kappa(a, n), 2) == kstar


def test_kappa_bands_cicchetti_sparrow():
    # BMC 2017 Table 10 marks k* = .66 and .60 as "good" (***), .76-1.00 "excellent" (****).
    assert kappa_band(modified_kappa(7, 10)) == "good"
    assert kappa_band(modified_kappa(6, 9)) == "good"
    assert kappa_band(modified_kappa(7, 9)) == "excellent"
    assert kappa_band(0.39) == "poor"
    assert kappa_band(0.40) == "fair"
    assert kappa_band(0.59) == "fair"
    assert kappa_band(0.74) == "good"
    assert kappa_band(0.75) == "excellent"
    assert kappa_band(-0.2) == "poor"
    assert kappa_band(None) is None


def test_kstar_can_be_positive_for_a_rejected_item():
    # 4 of 5 experts: I-CVI .80 fails the 3-5 expert cut-off of 1.00, yet k* is positive.
    assert icvi_passes(4, 5) is False
    assert modified_kappa(4, 5) > 0.7


def test_icvi_thresholds_by_panel_size():
    sizes = (0, 2, 3, 5, 6, 8, 9, 40)
    expected = (None, None, 1.0, 1.0, 0.83, 0.83, 0.78, 0.78)
    assert tuple(icvi_threshold(n) for n in sizes) == expected
    assert icvi_passes(2, 2) is None  # too few
    assert icvi_passes(5, 5) is True
    assert icvi_passes(5, 6) is True  # .833 -> .83
    assert icvi_passes(6, 8) is False  # .75
    assert icvi_passes(7, 9) is True
    assert icvi_passes(31, 40) is True  # .775 rounds half-up to .78
    assert icvi_passes(30, 40) is False


def test_scale_cvi_against_bmc_2017_table_10():
    # Relevance column: I-CVIs 10/10, 9/10, 7/10, 10/10, 10/10, 10/10 -> Ave .93, UA .67.
    ave, ua = scale_cvi([(10, 10), (9, 10), (7, 10), (10, 10), (10, 10), (10, 10)])
    assert round(ave, 2) == 0.93 and round(ua, 2) == 0.67
    # Clarity column: 10/10, 7/10, 7/9, 10/10, 10/10, 10/10 -> Ave .91, UA .67.
    ave, ua = scale_cvi([(10, 10), (7, 10), (7, 9), (10, 10), (10, 10), (10, 10)])
    assert round(ave, 2) == 0.91 and round(ua, 2) == 0.67
    # Meaningfulness: 8/10, 7/10, 6/9, 9/10, 8/10, 10/10 -> Ave .81; UA 1/6 printed as .16
    # (truncated) in the table: we report .17.
    ave, ua = scale_cvi([(8, 10), (7, 10), (6, 9), (9, 10), (8, 10), (10, 10)])
    assert round(ave, 2) == 0.81 and round(ua, 2) == 0.17
    # Completeness: 8/10, 7/10, 7/9, 9/10, 9/10, 8/9 -> Ave .83, UA .00.
    ave, ua = scale_cvi([(8, 10), (7, 10), (7, 9), (9, 10), (9, 10), (8, 9)])
    assert round(ave, 2) == 0.83 and ua == 0.0


def test_scale_cvi_pmc7253559_table_4():
    # PMC7253559 Table 4: 12 items, 6 experts, two items 5/6: S-CVI/Ave .97, S-CVI/UA .83.
    items = [(6, 6)] * 10 + [(5, 6)] * 2
    ave, ua = scale_cvi(items)
    assert round(ave, 2) == 0.97 and round(ua, 2) == 0.83


def test_scale_cvi_skips_unrated_items_and_is_total():
    assert scale_cvi([]) == (None, None)
    assert scale_cvi([(0, 0), (0, 0)]) == (None, None)
    assert scale_cvi([(3, 3), (0, 0)]) == (1.0, 1.0)


def test_cvr_critical_matches_the_definition_and_scales_to_pooled_panels():
    """Smallest k with P(X >= k) <= alpha, checked by brute force; pooled panels of 1,500 raters."""
    from scipy.stats import binom

    for alpha in (0.05, 0.01):
        for n in range(0, 120):
            expected = next((k for k in range(n + 1) if binom.sf(k - 1, n, 0.5) <= alpha * (1 + 1e-12)), None)
            assert cvr_critical(n, alpha) == expected, (n, alpha)
    k = cvr_critical(1520)
    assert k is not None and binom.sf(k - 1, 1520, 0.5) <= 0.05 < binom.sf(k - 2, 1520, 0.5)
