"""Internal consistency of a multi-item scale: Cronbach's alpha, McDonald's omega, item-total, floor/ceiling.

Rows are respondents, columns are the items of one scale (e.g. the mastery ratings of a
cluster's skills). A respondent with any missing item is left out (listwise deletion), so
that every figure describes the same people; `n` says how many remained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
FLOOR_CEILING_LIMIT = 0.15  # Terwee et al. 2007: more than 15% at the extreme is an effect


def complete_rows(data: Sequence[Sequence[float | None]]) -> FloatArray:
    """The respondents who answered every item, as a float array (respondents x items)."""
    rows = [row for row in data if all(v is not None for v in row)]
    if not rows:
        return np.empty((0, len(data[0]) if data else 0))
    return np.array(rows, dtype=float)


def cronbach_alpha(data: Sequence[Sequence[float | None]]) -> float | None:
    """Cronbach (1951), Psychometrika 16:297: k/(k-1) * (1 - sum of item variances / variance of the sum).

    Sample variances (n - 1). None with fewer than two items or respondents, or no variance in the sum.
    Equals Shrout & Fleiss's ICC(3,k) when the items are read as judges (Table 4: .91)."""
    table = complete_rows(data)
    n, k = table.shape
    if n < 2 or k < 2:
        return None
    total = float(np.var(table.sum(axis=1), ddof=1))
    if total == 0:
        return None
    return k / (k - 1) * (1 - float(np.var(table, axis=0, ddof=1).sum()) / total)


def one_factor_loadings(table: FloatArray, iterations: int = 500, tol: float = 1e-9) -> FloatArray | None:
    """Standardised loadings of one common factor, by unweighted least squares (minres).

    Iterated principal-axis factoring of the correlation matrix converges to the ULS
    (minres) solution (Harman 1976, Modern Factor Analysis, ch. 8), the default of R psych's
    omega and of factor_analyzer. Communalities start at the squared multiple correlations
    and are kept below 1 (a Heywood case would otherwise give a negative uniqueness)."""
    if table.shape[0] < 3 or table.shape[1] < 3 or np.any(np.var(table, axis=0) == 0):
        return None
    corr: FloatArray = np.asarray(np.corrcoef(table, rowvar=False), dtype=float)
    try:
        h2 = 1 - 1 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        h2 = np.max(np.abs(corr - np.eye(len(corr))), axis=0)
    loadings = np.sqrt(np.clip(h2, 0, None))
    for _ in range(iterations):
        reduced = corr.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        new = np.clip(loadings**2, 0, 0.995)
        if np.max(np.abs(new - h2)) < tol:
            break
        h2 = new
    return loadings if loadings.sum() >= 0 else -loadings


def mcdonald_omega(data: Sequence[Sequence[float | None]]) -> float | None:
    """McDonald's omega total (McDonald 1999, Test Theory, eq. 6.20b) from one factor:
    (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses), standardised items.

    Needs three items or more (a one-factor model of two items is not identified) and
    three complete respondents; None otherwise."""
    loadings = one_factor_loadings(complete_rows(data))
    if loadings is None:
        return None
    common = float(loadings.sum()) ** 2
    unique = float(np.sum(1 - loadings**2))
    return common / (common + unique)


def item_total_correlations(data: Sequence[Sequence[float | None]]) -> list[float | None]:
    """Corrected item-total correlation: each item against the sum of the other items (Pearson).

    None for an item (or a rest score) without variance. Below .30 usually flags an item that
    does not measure what the others measure (Nunnally & Bernstein 1994, p. 305)."""
    table = complete_rows(data)
    n, k = table.shape
    result: list[float | None] = []
    for i in range(k):
        item, rest = table[:, i], np.delete(table, i, axis=1).sum(axis=1)
        if n < 3 or k < 2 or np.var(item) == 0 or np.var(rest) == 0:
            result.append(None)
        else:
            result.append(float(np.corrcoef(item, rest)[0, 1]))
    return result


@dataclass(frozen=True)
class FloorCeiling:
    n: int
    floor: float | None  # share at the lowest possible score
    ceiling: float | None  # share at the highest possible score

    @property
    def has_floor_effect(self) -> bool:
        return self.floor is not None and self.floor > FLOOR_CEILING_LIMIT

    @property
    def has_ceiling_effect(self) -> bool:
        return self.ceiling is not None and self.ceiling > FLOOR_CEILING_LIMIT


def floor_ceiling(scores: Sequence[float | None], lowest: float, highest: float) -> FloorCeiling:
    """Shares of respondents at the lowest and highest possible score (Terwee et al. 2007,
    J Clin Epidemiol 60:34: an effect when more than 15% are there)."""
    present = [s for s in scores if s is not None]
    if not present:
        return FloorCeiling(0, None, None)
    n = len(present)
    return FloorCeiling(
        n, sum(1 for s in present if s <= lowest) / n, sum(1 for s in present if s >= highest) / n
    )


@dataclass(frozen=True)
class ScaleReport:
    n: int  # complete respondents
    k: int  # items
    alpha: float | None
    omega: float | None
    item_total: tuple[float | None, ...]
    item_floor_ceiling: tuple[FloorCeiling, ...]
    scale_floor_ceiling: FloorCeiling


def scale_report(data: Sequence[Sequence[float | None]], lowest: int = 1, highest: int = 5) -> ScaleReport:
    """Every figure above for one scale; the scale score is the mean of its items."""
    table = complete_rows(data)
    n, k = table.shape
    items = tuple(floor_ceiling(list(table[:, i]), lowest, highest) for i in range(k))
    means = list(table.mean(axis=1)) if n else []
    return ScaleReport(
        n,
        k,
        cronbach_alpha(data),
        mcdonald_omega(data),
        tuple(item_total_correlations(data)),
        items,
        floor_ceiling(means, lowest, highest),
    )
