"""Scale reliability: alpha, omega, item-total and floor/ceiling against published figures and packages."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scale_reliability import (
    cronbach_alpha,
    floor_ceiling,
    item_total_correlations,
    mcdonald_omega,
    one_factor_loadings,
    scale_report,
)

# Shrout & Fleiss (1979), Psychol Bull 86:420, Table 2: 6 targets x 4 judges. Read with the
# judges as items, alpha is their ICC(3,k), published in Table 4 as .91.
SF1979 = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def test_alpha_reproduces_shrout_fleiss_icc_3k():
    assert round(cronbach_alpha(SF1979), 2) == 0.91


def test_alpha_by_hand_on_a_small_table():
    data = [[3, 4, 3], [2, 3, 4], [4, 4, 5], [3, 2, 3], [4, 4, 4]]
    items = np.var(np.array(data), axis=0, ddof=1).sum()  # 0.7 + 0.8 + 0.7
    total = np.var(np.array(data).sum(axis=1), ddof=1)  # totals 10, 9, 13, 8, 12
    assert items == pytest.approx(2.2) and total == pytest.approx(4.3)
    assert cronbach_alpha(data) == pytest.approx(1.5 * (1 - 2.2 / 4.3))


def test_missing_answers_drop_the_respondent_and_small_tables_give_none():
    assert cronbach_alpha([*SF1979, [1, None, 3, 4]]) == cronbach_alpha(SF1979)
    assert cronbach_alpha([[1, 2]]) is None  # one respondent
    assert cronbach_alpha([[1], [2], [3]]) is None  # one item
    assert cronbach_alpha([[3, 3], [3, 3], [3, 3]]) is None  # no variance
    assert mcdonald_omega([[1, 2], [2, 3], [3, 5]]) is None  # two items: not identified
    assert mcdonald_omega([]) is None and cronbach_alpha([]) is None


def _with_correlation(target: np.ndarray, n: int = 40, seed: int = 7) -> np.ndarray:
    """Data whose sample correlation matrix is exactly `target` (whitened noise, then Cholesky)."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(size=(n, len(target)))
    raw -= raw.mean(axis=0)
    white = raw @ np.linalg.inv(np.linalg.cholesky(np.cov(raw, rowvar=False))).T
    return white @ np.linalg.cholesky(target).T + 3


def test_omega_recovers_a_known_one_factor_model():
    """With R = ll' + diag(1 - l^2) exactly, omega is (sum l)^2 / ((sum l)^2 + sum(1 - l^2))."""
    loadings = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    target = np.outer(loadings, loadings)
    np.fill_diagonal(target, 1.0)
    data = _with_correlation(target).tolist()
    assert one_factor_loadings(np.array(data)) == pytest.approx(loadings, abs=1e-6)
    expected = loadings.sum() ** 2 / (loadings.sum() ** 2 + np.sum(1 - loadings**2))
    assert mcdonald_omega(data) == pytest.approx(expected, abs=1e-6)  # 0.7438
    assert round(expected, 4) == 0.7438  # 3.0^2 / (9 + 3.1)


# Published standardised loadings and composite reliability (omega from one factor, standardised
# items): PMC7385228, Table 8 ("Reliability of the first-order three-factor model"),
# https://pmc.ncbi.nlm.nih.gov/articles/PMC7385228/table/T8. Data with the correlation matrix
# those loadings imply (r_ij = l_i l_j) must give the loadings back and the published CR.
PUBLISHED_CR = [
    ("Volume", [0.858, 0.905, 0.888], 0.9146),
    ("Uniqueness", [0.850, 0.875, 0.851], 0.8939),
    ("Consistency", [0.815, 0.837, 0.845, 0.850], 0.9033),
]


def _implied(loadings: list[float]) -> list[list[float]]:
    target = np.outer(loadings, loadings)
    np.fill_diagonal(target, 1.0)
    return _with_correlation(target, n=60).tolist()


@pytest.mark.parametrize(("scale", "loadings", "cr"), PUBLISHED_CR)
def test_omega_reproduces_published_composite_reliability(scale, loadings, cr):
    data = _implied(loadings)
    assert one_factor_loadings(np.array(data)) == pytest.approx(loadings, abs=1e-6)
    assert round(mcdonald_omega(data), 4) == cr, scale


def test_omega_equals_alpha_for_parallel_items():
    """Equal loadings and standardised items: omega and standardised alpha coincide (McDonald 1999)."""
    target = np.full((4, 4), 0.49)
    np.fill_diagonal(target, 1.0)
    data = _with_correlation(target).tolist()
    assert mcdonald_omega(data) == pytest.approx(cronbach_alpha(data), abs=1e-6)


def test_corrected_item_total_correlation():
    data = np.array(SF1979, dtype=float)
    ours = item_total_correlations(SF1979)
    for i in range(4):
        rest = np.delete(data, i, axis=1).sum(axis=1)
        assert ours[i] == pytest.approx(np.corrcoef(data[:, i], rest)[0, 1])
    assert item_total_correlations([[3, 1], [3, 2], [3, 3]])[0] is None  # constant item


@pytest.mark.parametrize(
    ("scores", "floor", "ceiling", "effects"),
    [
        ([1, 1, 2, 3, 5, 5, 5, 4, 4, 4], 0.2, 0.3, (True, True)),
        ([2, 3, 4, 3, 2, 3, 4, 3], 0.0, 0.0, (False, False)),
        ([1, 2, 3, 4, 5, 2, 3], 1 / 7, 1 / 7, (False, False)),  # 14.3%: not over 15%
        ([None, 5], 0.0, 1.0, (False, True)),
    ],
)
def test_floor_and_ceiling_over_fifteen_percent(scores, floor, ceiling, effects):
    result = floor_ceiling(scores, 1, 5)
    assert result.floor == pytest.approx(floor) and result.ceiling == pytest.approx(ceiling)
    assert (result.has_floor_effect, result.has_ceiling_effect) == effects
    assert floor_ceiling([None], 1, 5).floor is None


def test_scale_report_gathers_the_figures():
    report = scale_report(SF1979, 1, 10)
    assert (report.n, report.k) == (6, 4) and round(report.alpha, 2) == 0.91
    assert report.omega is not None and len(report.item_total) == 4
    assert report.item_floor_ceiling[1].floor == pytest.approx(2 / 6)
    assert scale_report([]).n == 0


def _random_scale(seed: int, n: int = 30, k: int = 5) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    values = np.clip(
        np.rint(3 + trait * rng.uniform(0.5, 1.2, size=k) + rng.normal(scale=0.8, size=(n, k))), 1, 5
    )
    return values.tolist()


@pytest.mark.parametrize("seed", range(5))
def test_alpha_matches_pingouin(seed):
    import pandas as pd
    import pingouin  # a test dependency: an established implementation to agree with

    data = _random_scale(seed)
    theirs, _ = pingouin.cronbach_alpha(data=pd.DataFrame(data))
    assert cronbach_alpha(data) == pytest.approx(theirs, abs=1e-9)


def _factor_analyzer_omega(data, monkeypatch) -> float:
    import factor_analyzer  # a test dependency: minres, as R psych's omega uses
    from factor_analyzer import factor_analyzer as module
    from sklearn.utils import check_array

    def renamed(*args, force_all_finite=True, **kwargs):
        # factor_analyzer 0.5.1 still passes scikit-learn's pre-1.6 keyword name
        return check_array(*args, ensure_all_finite=force_all_finite, **kwargs)

    monkeypatch.setattr(module, "check_array", renamed)
    fa = factor_analyzer.FactorAnalyzer(n_factors=1, rotation=None, method="minres")
    fa.fit(np.array(data))
    loadings = np.abs(fa.loadings_[:, 0])
    return float(loadings.sum() ** 2 / (loadings.sum() ** 2 + np.sum(1 - loadings**2)))


@pytest.mark.parametrize("seed", range(5))
def test_omega_matches_factor_analyzer_minres(seed, monkeypatch):
    data = _random_scale(seed)
    assert mcdonald_omega(data) == pytest.approx(_factor_analyzer_omega(data, monkeypatch), abs=1e-3)


@pytest.mark.parametrize(("scale", "loadings", "cr"), PUBLISHED_CR)
def test_factor_analyzer_agrees_on_the_published_scales(scale, loadings, cr, monkeypatch):
    assert round(_factor_analyzer_omega(_implied(loadings), monkeypatch), 4) == cr, scale
