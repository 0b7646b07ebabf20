"""Prioritisation statistics: Kendall's W with ties, pick shares, rank and points summaries."""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.descriptive import Number


@dataclass(frozen=True)
class KendallResult:
    """Kendall's W_t for m judges ranking n objects, with its chi-square test."""

    w: float | None
    chi2: float | None
    df: int
    p_value: float | None
    n_judges: int
    n_objects: int


def kendalls_w(rankings: Sequence[Sequence[Number | None]]) -> KendallResult:
    """Kendall's coefficient of concordance with tie correction (Kendall & Babington
    Smith 1939; Legendre 2005, J Agric Biol Environ Stat 10:226):

    W_t = 12 S / (m^2 (n^3 - n) - m sum T_j), T_j = sum (t^3 - t) over tie groups of
    judge j, S = sum (R_i - mean R)^2; chi2 = m (n - 1) W_t on n - 1 df, which is
    Friedman's test statistic. The p-value is the chi-square approximation, rough with
    fewer than about 8 objects.

    One inner sequence per judge, giving each object's rank or score in the same object
    order; scores are ranked with ties averaged. Objects with a missing entry (None/NaN)
    are dropped for every judge. W, chi2 and p are None with fewer than 2 judges or
    objects, or when every judge ties every object.
    """
    width = len(rankings[0]) if rankings else 0
    for row in rankings:
        if len(row) != width:
            raise ValueError("every judge needs one entry per object (use None for missing)")
    keep = [
        i
        for i in range(width)
        if all(r[i] is not None and not math.isnan(float(r[i])) for r in rankings)  # type: ignore[arg-type]
    ]
    m, n = len(rankings), len(keep)
    if m < 2 or n < 2:
        return KendallResult(None, None, max(n - 1, 0), None, m, n)
    from scipy import stats  # here, not at the top: 0.3 s of every server start and CLI command

    table = np.asarray([[float(r[i]) for i in keep] for r in rankings])  # type: ignore[arg-type]
    ranks = np.vstack([stats.rankdata(row) for row in table])
    ties = 0.0
    for row in table:
        _, group_sizes = np.unique(row, return_counts=True)
        ties += float((group_sizes**3 - group_sizes).sum())
    totals = ranks.sum(axis=0)
    s = float(((totals - totals.mean()) ** 2).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        return KendallResult(None, None, n - 1, None, m, n)
    w = 12 * s / denominator
    chi2 = m * (n - 1) * w
    p_value = float(stats.chi2.sf(chi2, n - 1))
    return KendallResult(w, chi2, n - 1, p_value, m, n)


Z95 = 1.959963984540054  # the 0.975 quantile of the standard normal


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson's score interval for a proportion (Wilson 1927, JASA 22:209; method 3 of
    Newcombe 1998, Stat Med 17:857, whose Table I gives the examples the tests use):

    (2np + z^2 +- z sqrt(z^2 + 4np(1 - p))) / (2(n + z^2)), p = successes / n.
    Unlike the Wald interval it stays inside [0, 1] and is not degenerate at 0 or n.
    (None, None) when n = 0.
    """
    if n <= 0:
        return None, None
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    p = successes / n
    centre = 2 * n * p + z * z
    spread = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    denominator = 2 * (n + z * z)
    return max((centre - spread) / denominator, 0.0), min((centre + spread) / denominator, 1.0)


@dataclass(frozen=True)
class PickShare:
    """How many of n respondents picked an item, the share and its Wilson 95% interval."""

    item: Hashable
    count: int
    n: int
    share: float | None
    ci_low: float | None
    ci_high: float | None


def pick_shares(choices: Sequence[Collection[Hashable]], items: Sequence[Hashable]) -> list[PickShare]:
    """Per item, in the given order: the count and share of the respondents who picked it.

    `choices` holds one collection of picked items per respondent; items outside `items`
    are ignored. With no respondents every share is None.
    """
    n = len(choices)
    counts = dict.fromkeys(items, 0)
    for chosen in choices:
        for item in set(chosen):
            if item in counts:
                counts[item] += 1
    out = []
    for item in items:
        low, high = wilson_interval(counts[item], n)
        out.append(PickShare(item, counts[item], n, counts[item] / n if n else None, low, high))
    return out


def complete_ranks(order: Sequence[Hashable], items: Sequence[Hashable]) -> list[float]:
    """One person's rank of every item: 1, 2, ... for the ranked ones (best first); the
    items left out share the mean of the remaining ranks, as ties (Kendall 1948, ch. 3:
    tied ranks are averaged), so a top-k ranking of n items is a complete ranking with
    one tie group of n - k.
    """
    given = {item: position for position, item in enumerate(order, start=1) if item in set(items)}
    rest = len(items) - len(given)
    shared = (len(given) + 1 + len(items)) / 2 if rest else 0.0
    return [float(given[item]) if item in given else shared for item in items]


def borda_scores(table: Sequence[Sequence[float]], n_items: int) -> list[float]:
    """Borda count (de Borda 1781; Saari 1995, Basic Geometry of Voting): each person gives
    an item n - r points for rank r, so the first gets n - 1 and the last 0; tied items get
    the mean of their positions' points. One row per person, one column per item.
    """
    if not table:
        return [0.0] * n_items
    return [float(sum(n_items - row[i] for row in table)) for i in range(n_items)]


@dataclass(frozen=True)
class RankStat:
    """One item's place in a set of rankings: mean and median rank (1 = best) and Borda score."""

    item: Hashable
    n: int
    n_ranked: int
    mean_rank: float | None
    median_rank: float | None
    borda: float


def rank_summary(
    orders: Sequence[Sequence[Hashable]], items: Sequence[Hashable]
) -> tuple[list[RankStat], KendallResult]:
    """Per item (in the given order) the rank statistics, and the panel's Kendall's W.

    `orders` holds one list per person, best first; unranked items tie at the bottom
    (complete_ranks). W is corrected for those ties (kendalls_w).
    """
    table = [complete_ranks(order, items) for order in orders]
    borda = borda_scores(table, len(items))
    stats_ = []
    for i, item in enumerate(items):
        column = [row[i] for row in table]
        ranked = sum(1 for order in orders if item in order)
        stats_.append(
            RankStat(
                item,
                len(table),
                ranked,
                float(np.mean(column)) if column else None,
                float(np.median(column)) if column else None,
                borda[i],
            )
        )
    return stats_, kendalls_w(table)


@dataclass(frozen=True)
class PointsStat:
    """One item's points: total, mean per person (0 where none given) and share of all points."""

    item: Hashable
    n: int
    n_given: int
    total: float
    mean: float | None
    share: float | None


def points_summary(
    allocations: Sequence[Mapping[Any, Number]], items: Sequence[Hashable]
) -> tuple[list[PointsStat], KendallResult]:
    """Per item (in the given order) the points statistics, and Kendall's W on the points
    read as scores (ties corrected: items given equal points, usually 0, are tied)."""
    table = [[float(a.get(item, 0)) for item in items] for a in allocations]
    grand = sum(sum(row) for row in table)
    out = []
    for i, item in enumerate(items):
        column = [row[i] for row in table]
        total = float(sum(column))
        out.append(
            PointsStat(
                item,
                len(table),
                sum(1 for v in column if v > 0),
                total,
                total / len(table) if table else None,
                total / grand if grand else None,
            )
        )
    return out, kendalls_w([[-v for v in row] for row in table])
