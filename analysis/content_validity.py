"""Content validity: Lawshe's CVR with exact critical values, I-CVI, modified kappa, S-CVI."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache

from analysis.text import N_
from analysis.threshold import icvi_threshold, meets_threshold


def _check_counts(k: int, n: int, what: str) -> None:
    if n < 0 or k < 0:
        raise ValueError(f"counts must not be negative (got {what}={k}, n_rated={n})")
    if k > n:
        raise ValueError(f"{what} ({k}) cannot exceed n_rated ({n})")


def cvr(n_essential: int, n_rated: int) -> float | None:
    """Lawshe's (1975, Pers Psychol 28:563) content validity ratio (n_e - N/2) / (N/2).

    Ranges from -1 (nobody says "essential") to +1 (everybody does); 0 means half.
    None when nobody rated the item (N = 0).
    """
    _check_counts(n_essential, n_rated, "n_essential")
    if n_rated == 0:
        return None
    half = n_rated / 2
    return (n_essential - half) / half


def _upper_tail_numerator(k: int, n: int) -> int:
    """2^N * P(X >= k) for X ~ Binomial(N, 1/2), as an exact integer."""
    return sum(math.comb(n, j) for j in range(max(k, 0), n + 1))


def cvr_p_value(n_essential: int, n_rated: int) -> float | None:
    """Exact one-tailed p = P(X >= n_e), X ~ Binomial(N, .5) (Ayre & Scally 2014,
    Meas Eval Couns Dev 47:79). None for N = 0. Example: 8 of 10 gives p = .0547."""
    _check_counts(n_essential, n_rated, "n_essential")
    if n_rated == 0:
        return None
    return _upper_tail_numerator(n_essential, n_rated) / (1 << n_rated)


def cvr_critical(n_rated: int, alpha: float = 0.05) -> int | None:
    """Smallest count k of "essential" ratings with P(X >= k) <= alpha, X ~ Bin(N, .5).

    Exact one-tailed binomial critical value (Ayre & Scally 2014, Meas Eval Couns Dev
    47:79), computed in exact integer arithmetic. Compare counts, not rounded
    CVRs. None when no count can be significant (N <= 4 at alpha = .05: "not testable").
    N = 10 needs 9; N = 40 needs 26.
    """
    if n_rated < 0:
        raise ValueError(f"n_rated ({n_rated}) must not be negative")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha ({alpha}) must lie strictly between 0 and 1")
    return _critical(n_rated, alpha)


@lru_cache(maxsize=4096)
def _critical(n_rated: int, alpha: float) -> int | None:
    """Walk down from k = N, adding C(N, k) to the upper tail until it exceeds alpha * 2^N.

    One pass of N/2 steps at most with exact integers (pooled panels reach 1,500 raters).
    """
    limit = Fraction(alpha) * (1 << n_rated)
    tail, term = 0, 1  # term = C(N, k), starting at k = N
    for k in range(n_rated, -1, -1):
        tail += term
        if tail > limit:
            return k + 1 if k < n_rated else None
        term = term * k // (n_rated - k + 1)
    return 0


def cvr_significant(n_essential: int, n_rated: int, alpha: float = 0.05) -> bool | None:
    """True when n_e reaches the exact critical count; None when the panel is too small
    for any result to be significant ("not testable", never a pass or a fail)."""
    _check_counts(n_essential, n_rated, "n_essential")
    critical = cvr_critical(n_rated, alpha)
    if critical is None:
        return None
    return n_essential >= critical


def item_cvi(n_relevant: int, n_rated: int) -> float | None:
    """Item-level content validity index A / N (Lynn 1986, Nurs Res 35:382).

    A = experts rating the item 3 or 4 on the 4-point relevance scale, N = experts who
    rated this item (N may differ between items). None when N = 0.
    """
    _check_counts(n_relevant, n_rated, "n_relevant")
    if n_rated == 0:
        return None
    return n_relevant / n_rated


def chance_agreement(n_relevant: int, n_rated: int) -> float | None:
    """p_c = C(N, A) * 0.5^N, the probability of exactly A agreements on relevance by
    chance (Polit, Beck & Owen 2007, Res Nurs Health 30:459). None when N = 0."""
    _check_counts(n_relevant, n_rated, "n_relevant")
    if n_rated == 0:
        return None
    return math.comb(n_rated, n_relevant) / (1 << n_rated)


def modified_kappa(n_relevant: int, n_rated: int) -> float | None:
    """Modified kappa k* = (I-CVI - p_c) / (1 - p_c) (Polit, Beck & Owen 2007,
    Res Nurs Health 30:459). Show it beside the I-CVI, never instead: k* can look
    acceptable for items the I-CVI rule rejects. None when N = 0."""
    i_cvi = item_cvi(n_relevant, n_rated)
    p_c = chance_agreement(n_relevant, n_rated)
    if i_cvi is None or p_c is None or p_c >= 1:
        return None
    return (i_cvi - p_c) / (1 - p_c)


def kappa_band(k: float | None) -> str | None:
    """Cicchetti & Sparrow (1981) bands as used by Polit, Beck & Owen (2007):
    < .40 poor, .40-.59 fair, .60-.74 good, > .74 excellent, read on k* rounded half-up
    to two decimals (the value shown): .743 (12 of 16) shows as .74 and is "good"; .745
    shows as .75 and is "excellent". None for None."""
    if k is None:
        return None
    if meets_threshold(k, 0.75):
        return N_("excellent")
    if meets_threshold(k, 0.60):
        return N_("good")
    if meets_threshold(k, 0.40):
        return N_("fair")
    return N_("poor")


def icvi_passes(n_relevant: int, n_rated: int) -> bool | None:
    """Whether the I-CVI meets the panel-size cut-off (3-5 experts: 1.00, 6-8: .83,
    9+: .78; Lynn 1986; Polit & Beck 2006), with half-up rounding to two decimals.
    None with fewer than 3 experts ("too few")."""
    threshold = icvi_threshold(n_rated)
    i_cvi = item_cvi(n_relevant, n_rated)
    if threshold is None or i_cvi is None:
        return None
    return meets_threshold(i_cvi, threshold)


def scale_cvi(items: Iterable[tuple[int, int]]) -> tuple[float | None, float | None]:
    """(S-CVI/Ave, S-CVI/UA) from (n_relevant, n_rated) pairs (Polit & Beck 2006,
    Res Nurs Health 29:489). Ave = mean of the I-CVIs (target >= .90); UA = share of
    items every rater called relevant (target >= .80). Items nobody rated are skipped;
    if none remain the result is (None, None)."""
    icvis: list[float] = []
    for n_relevant, n_rated in items:
        value = item_cvi(n_relevant, n_rated)
        if value is not None:
            icvis.append(value)
    if not icvis:
        return None, None
    ave = math.fsum(icvis) / len(icvis)
    ua = sum(1 for v in icvis if v == 1.0) / len(icvis)
    return ave, ua
