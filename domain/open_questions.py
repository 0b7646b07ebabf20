"""Open questions a session may ask about each item, beside its rating criteria."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OpenQuestion:
    key: str
    label: str  # the question as phones show it
    suggests_wording: bool = False  # an answer is a new text the facilitator may accept into the list


OPEN_QUESTIONS: dict[str, OpenQuestion] = {
    q.key: q
    for q in (
        OpenQuestion("missing", "What is missing?"),
        OpenQuestion("unclear", "What is unclear?"),
        OpenQuestion("wording", "Suggest a better wording", suggests_wording=True),
    )
}
MAX_LENGTH = 10_000  # a suggested wording may replace a whole guide section


def check_open_questions(keys: Sequence[str]) -> list[str]:
    """The keys in registry order, without repeats; ValueError names an unknown one."""
    unknown = [k for k in keys if k not in OPEN_QUESTIONS]
    if unknown:
        raise ValueError(f"Unknown open questions: {', '.join(unknown)}.")
    return [k for k in OPEN_QUESTIONS if k in set(keys)]
