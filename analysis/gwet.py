"""Gwet's AC1/AC2 agreement coefficient with its standard error, for raw ratings with gaps."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.missing import Cell, is_missing

WEIGHTS = ("identity", "quadratic", "ordinal")


@dataclass(frozen=True)
class GwetResult:
    """AC2 (AC1 with identity weights), its standard error, and the agreement behind it."""

    value: float
    se: float
    pa: float  # weighted percent agreement
    pe: float  # chance agreement
    units: int  # units with at least one rating


def weight_matrix(categories: Sequence[float], kind: str = "quadratic") -> np.ndarray:
    """Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed., ch. 3) weights:
    identity; quadratic w_kl = 1 - (x_k - x_l)^2 / (x_max - x_min)^2; ordinal
    w_kl = 1 - M_kl / M_max with M_kl = C(|k - l| + 1, 2) on the category ranks."""
    if kind not in WEIGHTS:
        raise ValueError(f"unknown weights {kind!r}; use one of {', '.join(WEIGHTS)}")
    x = np.asarray(categories, dtype=float)
    q = len(x)
    if kind == "identity" or q < 2:
        return np.eye(q)
    if kind == "quadratic":
        return np.asarray(1 - (x[:, None] - x[None, :]) ** 2 / (x.max() - x.min()) ** 2)
    ranks = np.arange(q)
    d = np.abs(ranks[:, None] - ranks[None, :])
    m = (d + 1) * d / 2
    return np.asarray(1 - m / m.max())


def gwet_ac2(
    table: Sequence[Sequence[Cell]], categories: Sequence[int], weights: str = "quadratic"
) -> GwetResult | None:
    """Gwet's AC2 (Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed., eqs. 3.x for
    several raters with missing ratings; Gwet 2008, Br J Math Stat Psychol 61:29).

    `table` has one row per unit (skill) and one column per rater; None is missing.
    `categories` are every point of the scale (not only the ones used): q = len(categories).
    p_a = mean over units with 2+ ratings of sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1)),
    r*_ik = sum_l w_kl r_il; pi_k = mean over rated units of r_ik / r_i;
    p_e = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k), T_w the sum of the weights;
    AC2 = (p_a - p_e) / (1 - p_e). Standard error from Gwet's linearised variance
    (infinite population, f = 0). None when no unit has two ratings.
    """
    cats = [float(c) for c in categories]
    index = {c: i for i, c in enumerate(cats)}
    rows = [[float(v) for v in row if v is not None and not is_missing(v)] for row in table]
    rows = [r for r in rows if r]
    q = len(cats)
    if not rows or q < 2:
        return None
    counts = np.zeros((len(rows), q))
    for i, row in enumerate(rows):
        for v in row:
            if v not in index:
                raise ValueError(f"rating {v:g} is not one of the categories {cats}")
            counts[i, index[v]] += 1
    w = weight_matrix(cats, weights)
    n = counts.shape[0]
    r_i = counts.sum(axis=1)
    paired = r_i >= 2
    n2 = int(paired.sum())
    if n2 == 0:
        return None
    weighted = counts @ w.T
    agree = (counts * (weighted - 1)).sum(axis=1)
    pa = float((agree[paired] / (r_i * (r_i - 1))[paired]).sum() / n2)
    pi = (counts / r_i[:, None]).mean(axis=0)
    factor = w.sum() / (q * (q - 1))
    pe = float(factor * (pi * (1 - pi)).sum())
    if pe >= 1:
        return None
    ac2 = (pa - pe) / (1 - pe)
    denominators = np.where(paired, r_i * (r_i - 1), 1)
    pa_i = np.where(paired, agree / denominators, 0.0)
    ac2_i = (n / n2) * (pa_i - pe * paired) / (1 - pe)
    pe_i = factor * (counts @ (1 - pi)) / r_i
    ac2_i_star = ac2_i - 2 * (1 - ac2) * (pe_i - pe) / (1 - pe)
    variance = float(((ac2_i_star - ac2) ** 2).sum() / (n * (n - 1))) if n > 1 else math.nan
    return GwetResult(float(ac2), math.sqrt(variance) if variance == variance else math.nan, pa, pe, n)
