"""Descriptive statistics of one item's ratings: counts, quantiles, mean, SD, CV."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real

Number = int | float


def valid_values(values: Iterable[Number | None]) -> list[float]:
    """Drop missing entries (None or NaN); return the rest as floats, in input order."""
    out: list[float] = []
    for v in values:
        if v is None:
            continue
        if type(v) is int:  # fast path for the common case
            out.append(float(v))
            continue
        if isinstance(v, bool) or not isinstance(v, Real):
            raise ValueError(f"rating {v!r} is not a number")
        f = float(v)
        if math.isnan(f):
            continue
        if math.isinf(f):
            raise ValueError(f"rating {v!r} is not finite")
        out.append(f)
    return out


def check_scale_values(values: Iterable[int | None], scale_min: int, scale_max: int) -> tuple[list[int], int]:
    """Split ratings into valid integer ratings and a count of abstentions (None).

    Raises ValueError for a rating that is not an integer or lies outside the scale.
    """
    if scale_max <= scale_min:
        raise ValueError(f"scale_max ({scale_max}) must be greater than scale_min ({scale_min})")
    valid: list[int] = []
    abstain = 0
    for v in values:
        if v is None:
            abstain += 1
            continue
        if type(v) is int:  # fast path; the ABC check below is slow on 1,000 ratings
            if not scale_min <= v <= scale_max:
                raise ValueError(f"rating {v} is outside the scale {scale_min}-{scale_max}")
            valid.append(v)
            continue
        if isinstance(v, bool) or not isinstance(v, Integral):
            raise ValueError(f"rating {v!r} is not an integer scale point")
        iv = int(v)
        if not scale_min <= iv <= scale_max:
            raise ValueError(f"rating {iv} is outside the scale {scale_min}-{scale_max}")
        valid.append(iv)
    return valid, abstain


def counts(values: Iterable[int], scale_min: int, scale_max: int) -> tuple[int, ...]:
    """Number of ratings at each scale point, lowest point first."""
    tally = [0] * (scale_max - scale_min + 1)
    for v in values:
        tally[v - scale_min] += 1
    return tuple(tally)


def percentile(values: Sequence[Number], p: float) -> float | None:
    """Percentile p (0-100) by Hyndman & Fan (1996) type 7, linear interpolation.

    Type 7 is R's default, numpy's "linear" method and Excel's PERCENTILE.INC /
    QUARTILE.INC: h = (n - 1) * p / 100, interpolating between the neighbouring order
    statistics. Returns None for no values.
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0-100")
    xs = sorted(float(v) for v in values)
    if not xs:
        return None
    h = (len(xs) - 1) * p / 100
    lo = math.floor(h)
    if lo + 1 >= len(xs):
        return xs[-1]
    return xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])


def quartiles(values: Sequence[Number]) -> tuple[float | None, float | None, float | None]:
    """(Q1, median, Q3) by Hyndman & Fan (1996) type 7 (R default, Excel QUARTILE.INC).

    The quartile method matters on small panels: 1,1,4,4,4,4,5,5,5,5 gives IQR 1.0 with
    type 7 but 1.75 with type 6. Empty input gives (None, None, None).
    """
    xs = sorted(float(v) for v in values)
    return percentile(xs, 25), percentile(xs, 50), percentile(xs, 75)


def median(values: Sequence[Number]) -> float | None:
    """Sample median (type 7 at p = 50 equals the usual median); None for no values."""
    return percentile(values, 50)


def mean(values: Sequence[Number]) -> float | None:
    """Arithmetic mean; None for no values."""
    if not values:
        return None
    return math.fsum(float(v) for v in values) / len(values)


def variance(values: Sequence[Number]) -> float | None:
    """Sample variance with n - 1 in the denominator; None for fewer than 2 values."""
    n = len(values)
    if n < 2:
        return None
    m = math.fsum(float(v) for v in values) / n
    return math.fsum((float(v) - m) ** 2 for v in values) / (n - 1)


def sd(values: Sequence[Number]) -> float | None:
    """Sample standard deviation with n - 1 in the denominator; None for fewer than 2 values."""
    var = variance(values)
    return None if var is None else math.sqrt(var)


def cv(values: Sequence[Number]) -> float | None:
    """Coefficient of variation SD / mean; None when the SD is undefined or the mean is 0."""
    s, m = sd(values), mean(values)
    if s is None or m is None or m == 0:
        return None
    return s / m
