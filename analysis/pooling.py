"""Across groups and rounds: privacy-safe segment breakdowns, pooled meetings, re-vote change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.summary import ItemSummary, summarize

PRIVACY_MIN_RATERS = 3
STABLE_NET_CHANGE = 0.15


def _valid_count(values: Sequence[int | None]) -> int:
    return sum(1 for v in values if v is not None)


def complementary_suppression(
    valid: Mapping[str, int],
    answers: Mapping[str, int],
    *,
    min_raters: int = PRIVACY_MIN_RATERS,
    unlisted: int = 0,
) -> set[str]:
    """The segments to withhold so that none can be recovered from the total and the others.

    Primary suppression: a segment with an answer but fewer than `min_raters` valid ratings.
    When a breakdown also shows its total (the "ALL" row, the session row), total minus the
    shown segments gives the sum of the withheld ones; so, secondary (complementary)
    suppression: while the withheld segments, with the `unlisted` valid ratings of the total
    that belong to no segment, hold fewer than `min_raters` valid ratings, or fewer than two
    groups with a valid rating, the shown segment with the fewest valid ratings (segments
    with none last; then fewest answers, then first listed) is withheld too. What the
    subtraction gives is then a mix of at least two groups and `min_raters` ratings, never
    one segment, unless every segment is withheld (the total is all there is to see).
    `answers` counts each segment's answers, "can't judge" included.
    """
    order = list(valid)
    hidden = {k for k in order if answers.get(k, 0) > 0 and valid[k] < min_raters}

    def exposed() -> bool:
        if not hidden or len(hidden) == len(order):
            return False
        groups = sum(1 for k in hidden if valid[k] > 0) + (1 if unlisted > 0 else 0)
        return groups < 2 or sum(valid[k] for k in hidden) + unlisted < min_raters

    while exposed():
        shown = [k for k in order if k not in hidden]
        hidden.add(min(shown, key=lambda k: (valid[k] == 0, valid[k], answers.get(k, 0), order.index(k))))
    return hidden


def segment_breakdown(
    values_by_segment: Mapping[str, Sequence[int | None]],
    *,
    min_raters: int = PRIVACY_MIN_RATERS,
    complementary: bool = True,
    unlisted: int = 0,
    **summarize_kwargs: Any,
) -> dict[str, ItemSummary | None]:
    """Summary per segment (sector, country, ...), None where suppressed for privacy.

    A segment with fewer than `min_raters` valid ratings (abstentions do not count) is
    suppressed: with ten people per meeting a small cell can single someone out. With
    `complementary` (the default) more segments are withheld until no withheld one can be
    recovered by subtracting the shown ones from the total (complementary_suppression;
    `unlisted` = valid ratings of the total in no segment). Without it, the old rule: a
    segment is withheld when it has fewer than `min_raters` valid ratings, empty ones too.
    Use the same suppression on screen and in exports.
    """
    if min_raters < 1:
        raise ValueError(f"min_raters ({min_raters}) must be at least 1")
    summaries = {segment: summarize(values, **summarize_kwargs)  # validates even suppressed cells
                 for segment, values in values_by_segment.items()}  # fmt: skip
    valid = {segment: _valid_count(values) for segment, values in values_by_segment.items()}
    if complementary:
        answers = {segment: len(values) for segment, values in values_by_segment.items()}
        hidden = complementary_suppression(valid, answers, min_raters=min_raters, unlisted=unlisted)
    else:
        hidden = {segment for segment, n in valid.items() if n < min_raters}
    return {segment: None if segment in hidden else summary for segment, summary in summaries.items()}


@dataclass(frozen=True)
class PoolComparison:
    """Pooled summary over meetings, each meeting's own summary, and whether they disagree."""

    pooled: ItemSummary
    sessions: dict[str, ItemSummary]
    disagree: bool
    classifications: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pooled": self.pooled.to_dict(),
            "sessions": {k: s.to_dict() for k, s in self.sessions.items()},
            "disagree": self.disagree,
            "classifications": dict(self.classifications),
        }


def pool_compare(per_session: Mapping[str, Sequence[int | None]], **summarize_kwargs: Any) -> PoolComparison:
    """Pool the ratings of several meetings on the same item version and compare.

    `disagree` is True when at least two meetings with 3 or more valid ratings reach
    different consensus classifications ("consensus", "consensus_against",
    "no_consensus"); meetings that are "too_few" do not count. Pool only ratings of the
    same definition text, or say plainly that the wording differed.
    """
    sessions = {name: summarize(values, **summarize_kwargs) for name, values in per_session.items()}
    pooled_values = [v for values in per_session.values() for v in values]
    pooled = summarize(pooled_values, **summarize_kwargs)
    classifications = {name: s.consensus for name, s in sessions.items()}
    decided = {c for c in classifications.values() if c != "too_few"}
    return PoolComparison(pooled, sessions, len(decided) > 1, classifications)


@dataclass(frozen=True)
class RoundChange:
    """Change between two rating rounds of one item for the experts who rated both."""

    n_paired: int
    n_unchanged: int
    share_unchanged: float | None
    net_change: float | None
    stable: bool | None


def round_change(before: Mapping[str, int | None], after: Mapping[str, int | None]) -> RoundChange:
    """Stability between rounds (Scheibe, Skutsch & Schofer 1975, in Linstone & Turoff,
    The Delphi Method): over the experts with a valid rating in both rounds,
    net change = (sum over scale points |f_after - f_before|) / 2 / n, the share of
    experts who would have to move to turn one distribution into the other (individual
    moves that cancel out do not count); "stable" when net change < 15%.
    share_unchanged = share of those experts giving the same rating twice.
    All None (stable None) when nobody rated both rounds.
    """
    paired: list[tuple[int, int]] = []
    for key, b in before.items():
        a = after.get(key)
        if b is not None and a is not None:
            paired.append((b, a))
    n = len(paired)
    if n == 0:
        return RoundChange(0, 0, None, None, None)
    unchanged = sum(1 for b, a in paired if a == b)
    f_before = Counter(b for b, _ in paired)
    f_after = Counter(a for _, a in paired)
    moved = sum(abs(f_after[p] - f_before[p]) for p in set(f_before) | set(f_after)) / 2
    net = moved / n
    return RoundChange(n, unchanged, unchanged / n, net, net < STABLE_NET_CHANGE)
