"""Within-group agreement: rwg and rwg(J) (James, Demaree & Wolf 1984), AD from the median."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.descriptive import Number, median, valid_values, variance


def uniform_variance(n_options: int) -> float:
    """Variance of a uniform null distribution over A options, (A^2 - 1) / 12
    (James, Demaree & Wolf 1984, J Appl Psychol 69:85): 2.0 for A = 5, 4.0 for A = 7."""
    if n_options < 2:
        raise ValueError(f"n_options ({n_options}) must be at least 2")
    return (n_options**2 - 1) / 12


def rwg(values: Sequence[Number | None], n_options: int) -> float | None:
    """Single-item within-group agreement rwg = 1 - s^2 / sigma_EU^2 (James, Demaree &
    Wolf 1984, J Appl Psychol 69:85), s^2 the sample variance (n - 1), sigma_EU^2 =
    (A^2 - 1) / 12. Values below 0 (more spread than random answering) are truncated to
    0. None for fewer than 2 valid values. Supporting evidence, not a keep/drop rule."""
    return rwg_from_variance(variance(valid_values(values)), n_options)


def rwg_from_variance(var: float | None, n_options: int) -> float | None:
    """rwg from an already computed sample variance (see rwg); None for None."""
    expected = uniform_variance(n_options)
    if var is None:
        return None
    return max(0.0, 1 - var / expected)


def rwg_j(items: Sequence[Sequence[Number | None]], n_options: int) -> float | None:
    """Multi-item agreement rwg(J) = J(1 - m/s) / (J(1 - m/s) + m/s) (James, Demaree &
    Wolf 1984), m = mean of the item variances, s = (A^2 - 1) / 12, J = items.

    Items with fewer than 2 valid values are skipped; None when none remain. When the
    mean variance exceeds the null variance the value is set to 0 (Lindell, Brandt &
    Whitney 1999, Appl Psychol Meas, discuss this out-of-range case)."""
    expected = uniform_variance(n_options)
    variances = [v for v in (variance(valid_values(item)) for item in items) if v is not None]
    if not variances:
        return None
    j = len(variances)
    ratio = sum(variances) / j / expected
    if ratio >= 1:
        return 0.0
    return j * (1 - ratio) / (j * (1 - ratio) + ratio)


def ad_median(values: Sequence[Number | None]) -> float | None:
    """Average deviation from the median, AD_Md = sum |x - Md| / N (Burke, Finkelstein &
    Dusig 1999, Organ Res Methods 2:49). None for no valid values. Burke & Dunlap (2002)
    suggest agreement when AD <= A / 6 (see ad_cutoff)."""
    xs = valid_values(values)
    md = median(xs)
    if md is None:
        return None
    return sum(abs(x - md) for x in xs) / len(xs)


def ad_cutoff(n_options: int) -> float:
    """Practical cut-off A / 6 for AD_Md (Burke & Dunlap 2002, Organ Res Methods 5:159)."""
    if n_options < 2:
        raise ValueError(f"n_options ({n_options}) must be at least 2")
    return n_options / 6
