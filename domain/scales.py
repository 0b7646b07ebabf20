"""Criterion presets: what each asks, its scale, anchor labels and what it measures."""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks a text for the catalogs (core/i18n.py translates presets where they are shown)."""
    return message


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
            N_("Relevance"),
            N_("How relevant is this skill to KT professionals?"),
            "relevance",
            1,
            4,
            (N_("Not relevant"), N_("Somewhat relevant"), N_("Quite relevant"), N_("Highly relevant")),
        ),
        CriterionPreset(
            "importance",
            N_("Importance"),
            N_("How important is this skill in your work?"),
            "importance",
            1,
            5,
            (
                N_("Not important"),
                N_("Slightly important"),
                N_("Moderately important"),
                N_("Very important"),
                N_("Extremely important"),
            ),
        ),
        CriterionPreset(
            "clarity",
            N_("Clarity of the definition"),
            N_("How clear is the definition?"),
            "clarity",
            1,
            4,
            (N_("Not clear"), N_("Somewhat clear"), N_("Quite clear"), N_("Very clear")),
        ),
        CriterionPreset(
            "essentiality",
            N_("Essential?"),
            N_("Is this skill essential for KT professionals?"),
            "essentiality",
            1,
            3,
            (N_("Not necessary"), N_("Useful but not essential"), N_("Essential")),
        ),
        CriterionPreset(
            "appropriateness",
            N_("Appropriateness (1-9)"),
            N_("How appropriate is this skill for the framework? (1 = not at all, 9 = fully)"),
            "appropriateness",
            1,
            9,
            (N_("1 Not at all"), "2", "3", "4", N_("5 Uncertain"), "6", "7", "8", N_("9 Fully")),
        ),
    )
}

DEFAULT_PRESETS = ("relevance", "clarity")
