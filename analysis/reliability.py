"""Reliability across raters: Krippendorff's alpha and Shrout & Fleiss intraclass correlations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from analysis.descriptive import Number
from analysis.missing import complete_block

LEVELS = ("nominal", "ordinal", "interval", "ratio")
ICC_FORMS = ("1,1", "2,1", "3,1", "1,k", "2,k", "3,k")

FloatArray = npt.NDArray[np.float64]


def _as_table(data: Sequence[Sequence[Number | None]], what: str) -> FloatArray:
    """Rectangular float array with NaN for None; ValueError for ragged or non-numeric data."""
    widths = {len(row) for row in data}
    if len(widths) > 1:
        raise ValueError(f"every rater needs one entry per {what} (use None for missing)")
    try:
        table = np.array(data, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("ratings must be numbers or None") from None
    if np.isinf(table).any():
        raise ValueError("ratings must be finite")
    return table.reshape(len(data), widths.pop() if widths else 0)


def _value_counts(data: Sequence[Sequence[Number | None]]) -> tuple[FloatArray, list[float]]:
    """Units x values matrix of how many raters gave each value to each unit."""
    table = _as_table(data, "unit")
    present = ~np.isnan(table)
    domain = np.unique(table[present])
    n_units = table.shape[1]
    units = np.broadcast_to(np.arange(n_units), table.shape)[present]
    codes = np.searchsorted(domain, table[present])
    flat = np.bincount(units * len(domain) + codes, minlength=n_units * len(domain))
    return flat.reshape(n_units, len(domain)).astype(float), [float(v) for v in domain]


def _distance(level: str, domain: list[float], marginals: FloatArray) -> FloatArray:
    """Squared difference function delta^2_ck (Krippendorff 2011)."""
    values = np.asarray(domain)
    c, k = np.meshgrid(values, values, indexing="ij")
    if level == "nominal":
        return np.asarray(c != k, dtype=float)
    if level == "interval":
        return np.asarray((c - k) ** 2, dtype=float)
    if level == "ratio":
        total = c + k
        safe = np.where(total == 0, 1.0, total)
        return np.asarray(np.where(total == 0, 0.0, ((c - k) / safe) ** 2), dtype=float)
    cum = np.concatenate(([0.0], np.cumsum(marginals)))
    i, j = np.meshgrid(np.arange(len(domain)), np.arange(len(domain)), indexing="ij")
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    between = cum[hi + 1] - cum[lo]
    return np.asarray((between - (marginals[i] + marginals[j]) / 2) ** 2, dtype=float)


def krippendorff_alpha(data: Sequence[Sequence[Number | None]], level: str = "ordinal") -> float | None:
    """Krippendorff's alpha = 1 - D_o / D_e from the coincidence matrix (Krippendorff
    2011, "Computing Krippendorff's Alpha-Reliability", Annenberg working paper).

    `data` has one inner sequence per rater over the same units; None (or NaN) marks a
    missing rating. Units rated by fewer than two raters are not pairable and drop out.
    Levels: nominal, ordinal, interval, ratio. None when alpha is undefined: no pairable
    unit, or every pairable value is the same (D_e = 0).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    counts, domain = _value_counts(data)
    if not domain:
        return None
    m_u = counts.sum(axis=1)
    pairable = m_u >= 2
    counts, m_u = counts[pairable], m_u[pairable]
    if counts.shape[0] == 0:
        return None
    weights = 1.0 / (m_u - 1)
    coincidences = (counts * weights[:, None]).T @ counts - np.diag(weights @ counts)
    n_c = coincidences.sum(axis=1)
    n = float(n_c.sum())
    delta = _distance(level, domain, n_c)
    d_o = float((coincidences * delta).sum())
    d_e = float((np.outer(n_c, n_c) * delta).sum())
    if d_e == 0:
        return None
    return 1 - (n - 1) * d_o / d_e


def _anova_mean_squares(x: FloatArray) -> tuple[float, float, float, float]:
    """(BMS, WMS, JMS, EMS) of a complete targets x judges table (Shrout & Fleiss 1979)."""
    n, k = x.shape
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    ss_rows = float(k * ((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = float(n * ((x.mean(axis=0) - grand) ** 2).sum())
    ss_error = ss_total - ss_rows - ss_cols
    bms = ss_rows / (n - 1)
    wms = (ss_cols + ss_error) / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = ss_error / ((n - 1) * (k - 1))
    return bms, wms, jms, ems


def icc(ratings: Sequence[Sequence[Number | None]], form: str = "2,k") -> float | None:
    """Intraclass correlation in the six forms of Shrout & Fleiss (1979, Psychol Bull
    86:420): "1,1", "2,1", "3,1" (single rater) and "1,k", "2,k", "3,k"
    (mean of the k raters).

    `ratings` has one row per target (e.g. skill) and one column per rater. Missing
    ratings (None, NaN) follow the one rule of analysis.missing: the formula runs on the
    complete table complete_block finds (leaving out the target or rater with the largest
    share missing, one at a time). None with fewer than 2 targets or 2 raters left, or
    when the formula's denominator is not positive (every rating equal; or, for ICC(2,k)
    on tiny tables, judge variance far below the error variance, where the estimate would
    leave [-1, 1]).
    """
    if form not in ICC_FORMS:
        raise ValueError(f"unknown ICC form {form!r}; use one of {', '.join(ICC_FORMS)}")
    width = len(ratings[0]) if ratings else 0
    if any(len(row) != width for row in ratings):
        raise ValueError("every target needs one rating per rater (use None for missing)")
    keep_rows, keep_cols = complete_block(ratings)
    if len(keep_rows) < 2 or len(keep_cols) < 2:
        return None
    cells = [[ratings[r][c] for c in keep_cols] for r in keep_rows]
    x: FloatArray = np.array([[float(v) for v in row if v is not None] for row in cells], dtype=np.float64)
    n, k = x.shape
    bms, wms, jms, ems = _anova_mean_squares(x)
    numerator, denominator = {
        "1,1": (bms - wms, bms + (k - 1) * wms),
        "2,1": (bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "3,1": (bms - ems, bms + (k - 1) * ems),
        "1,k": (bms - wms, bms),
        "2,k": (bms - ems, bms + (jms - ems) / n),
        "3,k": (bms - ems, bms),
    }[form]
    if denominator <= 1e-12:
        return None
    return float(numerator / denominator)
