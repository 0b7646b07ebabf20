"""Delphi round settings: what phones are fed back, when a reason is asked, when rounds may stop.

Pure values and rules; the session stores `RoundSettings.to_dict()` and fixes it when voting
starts, like the consensus rule. docs/methodology.md ("Rounds: reasons and stopping") names
the sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FEEDBACK_PARTS = ("distribution", "median", "iqr")
REASON_RULES = ("none", "away_from_median", "outside_iqr")
MAX_ROUNDS_LIMIT = 10
REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class RoundSettings:
    """How a session runs its rounds.

    feedback: what phones see of the previous round (any of distribution, median, iqr).
    reason: "none"; "away_from_median" (a reason when the new answer is further from the
        previous round's median than one's own previous answer was); "outside_iqr" (a reason
        when the new answer lies outside the previous round's interquartile range).
    stop_consensus, stop_stability, max_rounds: the stopping rule; an item meets it when any
        chosen condition holds (consensus in its current round; stable answers between its
        last two rounds; max_rounds rounds held). None chosen: no stopping rule.
    """

    feedback: tuple[str, ...] = FEEDBACK_PARTS
    reason: str = "none"
    stop_consensus: bool = False
    stop_stability: bool = False
    max_rounds: int | None = None

    def __post_init__(self) -> None:
        unknown = [p for p in self.feedback if p not in FEEDBACK_PARTS]
        if unknown:
            raise ValueError(f"unknown feedback part {unknown[0]!r}; use {', '.join(FEEDBACK_PARTS)}")
        if not self.feedback:
            raise ValueError("choose at least one part of the group's result to show")
        if self.reason not in REASON_RULES:
            raise ValueError(f"unknown reason rule {self.reason!r}; use {', '.join(REASON_RULES)}")
        if self.reason == "away_from_median" and "median" not in self.feedback:
            raise ValueError("a reason for moving away from the median needs the median shown")
        if self.reason == "outside_iqr" and "iqr" not in self.feedback:
            raise ValueError("a reason for answers outside the IQR needs the IQR shown")
        if self.max_rounds is not None and not 2 <= self.max_rounds <= MAX_ROUNDS_LIMIT:
            raise ValueError(f"the largest number of rounds must be between 2 and {MAX_ROUNDS_LIMIT}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RoundSettings:
        data = data or {}
        feedback = data.get("feedback", FEEDBACK_PARTS)
        if isinstance(feedback, str) or not isinstance(feedback, Iterable):
            raise TypeError("feedback must be a list")
        max_rounds = data.get("max_rounds")
        if max_rounds is not None and (not isinstance(max_rounds, int) or isinstance(max_rounds, bool)):
            raise TypeError("max_rounds must be a whole number")
        ordered = tuple(p for p in FEEDBACK_PARTS if p in set(feedback))
        extra = [p for p in feedback if p not in FEEDBACK_PARTS]
        return cls(
            feedback=ordered + tuple(extra),
            reason=str(data.get("reason", "none")),
            stop_consensus=bool(data.get("stop_consensus", False)),
            stop_stability=bool(data.get("stop_stability", False)),
            max_rounds=max_rounds,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "feedback": list(self.feedback),
            "reason": self.reason,
            "stop_consensus": self.stop_consensus,
            "stop_stability": self.stop_stability,
            "max_rounds": self.max_rounds,
        }

    @property
    def has_stopping_rule(self) -> bool:
        return self.stop_consensus or self.stop_stability or self.max_rounds is not None


def needs_reason(
    rule: str,
    value: int | None,
    previous: int | None,
    median: float | None,
    q1: float | None,
    q3: float | None,
) -> bool:
    """Whether an answer of a round >= 2 must come with a reason, given the previous round.

    "Can't judge" never needs one, nor does anything when the previous round had no answer
    on the scale. "away_from_median" needs one's own previous answer on the scale: moving
    further from the group's median than one was (|value - median| > |previous - median|).
    "outside_iqr": value < Q1 or value > Q3 (Helmer's rule: those outside the quartiles say why).
    """
    if rule == "none" or value is None:
        return False
    if rule == "away_from_median":
        if median is None or previous is None:
            return False
        return abs(value - median) > abs(previous - median)
    if rule == "outside_iqr":
        if q1 is None or q3 is None:
            return False
        return value < q1 or value > q3
    raise ValueError(f"unknown reason rule {rule!r}")


def stopping_reasons(
    settings: RoundSettings, consensus: bool, stable: bool | None, rounds_held: int
) -> list[str]:
    """Which chosen stopping conditions an item meets: "consensus", "stability", "max_rounds".

    `consensus`: every criterion reached consensus (for or against) in the item's current
    round; `stable`: every criterion's answers were stable between its last two rounds (None
    before a second round); `rounds_held`: the item's current round.
    """
    met = []
    if settings.stop_consensus and consensus:
        met.append("consensus")
    if settings.stop_stability and stable:
        met.append("stability")
    if settings.max_rounds is not None and rounds_held >= settings.max_rounds:
        met.append("max_rounds")
    return met
