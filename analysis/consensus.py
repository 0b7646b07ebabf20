"""Consensus on 9-point scales: RAND/UCLA appropriateness (IPRAS) and COMET 70/15."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from analysis.descriptive import check_scale_values, percentile


def share_at_least(count: int, n: int, share: float) -> bool:
    """Exact test count / n >= share, with share read as the decimal it was written as
    (0.7 means seven tenths, not the nearest binary float). False when n = 0."""
    if n == 0:
        return False
    exact = as_decimal_fraction(share)
    if n < 0:
        return Fraction(count, n) >= exact
    return count * exact.denominator >= exact.numerator * n  # count / n >= p / q with n, q > 0


def share_below(count: int, n: int, share: float) -> bool:
    """Exact test count / n < share (see share_at_least). False when n = 0."""
    if n == 0:
        return False
    return not share_at_least(count, n, share)


@lru_cache(maxsize=256, typed=True)
def as_decimal_fraction(share: float) -> Fraction:
    """The share as the decimal it was written as (0.7 -> 7/10), read once per value: a dashboard
    push of 40 phones tested ~150 shares, and reading the text each time was a fifth of its
    statistics (bench/README.md)."""
    return Fraction(str(share))


@dataclass(frozen=True)
class RandUclaResult:
    """RAND/UCLA appropriateness classification of one item (Fitch et al. 2001)."""

    n: int
    median: float | None
    p30: float | None
    p70: float | None
    ipr: float | None
    ipras: float | None
    disagreement: bool
    classification: str  # "appropriate" | "inappropriate" | "uncertain"


IPRAS_CONSTANT = 2.35  # IPR needed for disagreement with perfect symmetry (Fitch et al. 2001)
ASYMMETRY_FACTOR = 1.5


def rand_ucla(values: Sequence[int | None]) -> RandUclaResult:
    """RAND/UCLA appropriateness method on a 1-9 scale (Fitch et al. 2001, RAND MR-1269,
    "interpercentile range adjusted for symmetry").

    IPR = P70 - P30; IPRAS = 2.35 + 1.5 * |5 - (P30 + P70) / 2|; disagreement when
    IPR > IPRAS. Percentiles use Hyndman & Fan type 7 (numpy "linear", Excel
    PERCENTILE.INC) like every other quantile here; the manual does not fix a method.
    (Some papers print the constant as 2.5; their worked numbers use 2.35.)

    Classification: "appropriate" = median >= 7 without disagreement; "inappropriate" =
    median <= 3 without disagreement; "uncertain" = any other median (including the
    half-point medians 3.5 and 6.5 of even panels) or any median with disagreement.
    None values are abstentions and are ignored. With no valid ratings all numbers are
    None and the classification is "uncertain".
    """
    valid, _ = check_scale_values(values, 1, 9)
    if not valid:
        return RandUclaResult(0, None, None, None, None, None, False, "uncertain")
    xs = sorted(valid)
    med = percentile(xs, 50)
    p30 = percentile(xs, 30)
    p70 = percentile(xs, 70)
    assert med is not None and p30 is not None and p70 is not None
    ipr = p70 - p30
    ipras = IPRAS_CONSTANT + ASYMMETRY_FACTOR * abs(5 - (p30 + p70) / 2)
    disagreement = ipr > ipras
    if disagreement:
        label = "uncertain"
    elif med >= 7:
        label = "appropriate"
    elif med <= 3:
        label = "inappropriate"
    else:
        label = "uncertain"
    return RandUclaResult(len(xs), med, p30, p70, ipr, ipras, disagreement, label)


def comet_consensus(values: Sequence[int | None]) -> str:
    """COMET 70/15 rule on a 1-9 scale (Williamson et al. 2017, Trials 18:280, COMET
    Handbook v1.0): "consensus in" when >= 70% score 7-9 and < 15% score 1-3;
    "consensus out" when >= 70% score 1-3 and < 15% score 7-9; otherwise
    "no consensus". Shares are exact fractions of the valid ratings (None =
    abstention, ignored); no valid ratings gives "no consensus"."""
    valid, _ = check_scale_values(values, 1, 9)
    n = len(valid)
    high = sum(1 for v in valid if v >= 7)
    low = sum(1 for v in valid if v <= 3)
    if share_at_least(high, n, 0.70) and share_below(low, n, 0.15):
        return "consensus in"
    if share_at_least(low, n, 0.70) and share_below(high, n, 0.15):
        return "consensus out"
    return "no consensus"
