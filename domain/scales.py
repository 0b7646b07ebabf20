"""Criterion presets: what each asks, its scale, anchor labels and what it measures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionPreset:
    key: str
    label: str
    question: str
    measure: str  # relevance / importance / clarity / essentiality / appropriateness
    scale_min: int
    scale_max: int
    anchors: tuple[str, ...]  # one label per scale point, lowest first


PRESETS: dict[str, CriterionPreset] = {
    p.key: p
    for p in (
        CriterionPreset(
            "relevance",
            "Relevance",
            "How relevant is this skill to KT professionals?",
            "relevance",
            1,
            4,
            ("Not relevant", "Somewhat relevant", "Quite relevant", "Highly relevant"),
        ),
        CriterionPreset(
            "importance",
            "Importance",
            "How important is this skill in your work?",
            "importance",
            1,
            5,
            (
                "Not important",
                "Slightly important",
                "Moderately important",
                "Very important",
                "Extremely important",
            ),
        ),
        CriterionPreset(
            "clarity",
            "Clarity of the definition",
            "How clear is the definition?",
            "clarity",
            1,
            4,
            ("Not clear", "Somewhat clear", "Quite clear", "Very clear"),
        ),
        CriterionPreset(
            "essentiality",
            "Essential?",
            "Is this skill essential for KT professionals?",
            "essentiality",
            1,
            3,
            ("Not necessary", "Useful but not essential", "Essential"),
        ),
        CriterionPreset(
            "appropriateness",
            "Appropriateness (1-9)",
            "How appropriate is this skill for the framework? (1 = not at all, 9 = fully)",
            "appropriateness",
            1,
            9,
            ("1 Not at all", "2", "3", "4", "5 Uncertain", "6", "7", "8", "9 Fully"),
        ),
    )
}

DEFAULT_PRESETS = ("relevance", "clarity")
