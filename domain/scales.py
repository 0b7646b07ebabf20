"""Criterion presets: what each asks, its scale, anchor labels and what it measures."""

from __future__ import annotations

from dataclasses import dataclass, replace


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

# The presets speak of skills; a guide's sections and a questionnaire's items are asked about in
# their own words (domain/item_lists.py kinds). (kind, preset key) -> (label or None, question).
KIND_WORDING: dict[tuple[str, str], tuple[str | None, str]] = {
    ("guide", "relevance"): (None, N_("How relevant is this section of the guide to its readers?")),
    ("guide", "importance"): (None, N_("How important is this section of the guide?")),
    ("guide", "clarity"): (N_("Clarity of the section"), N_("How clear is this section?")),
    ("guide", "essentiality"): (None, N_("Is this section essential to the guide?")),
    ("guide", "appropriateness"): (
        None,
        N_("How appropriate is this section for the guide? (1 = not at all, 9 = fully)"),
    ),
    ("questionnaire", "relevance"): (
        None,
        N_("How relevant is this item to what the questionnaire measures?"),
    ),
    ("questionnaire", "importance"): (None, N_("How important is this item in the questionnaire?")),
    ("questionnaire", "clarity"): (
        N_("Clarity of the wording"),
        N_("How clear is the wording of this item?"),
    ),
    ("questionnaire", "essentiality"): (None, N_("Is this item essential to the questionnaire?")),
    ("questionnaire", "appropriateness"): (
        None,
        N_("How appropriate is this item for the questionnaire? (1 = not at all, 9 = fully)"),
    ),
}


def preset_for(key: str, kind: str = "skills") -> CriterionPreset:
    """The preset `key` worded for a list of `kind` (a guide asks about sections, not skills)."""
    preset = PRESETS[key]
    label, question = KIND_WORDING.get((kind, key), (None, preset.question))
    return replace(preset, label=label or preset.label, question=question)


def preset_wordings(key: str) -> list[CriterionPreset]:
    """Every kind's wording of the preset `key` (the skills wording first); [] for an unknown key."""
    if key not in PRESETS:
        return []
    kinds = ["skills", *sorted({k for k, p in KIND_WORDING if p == key})]
    return [preset_for(key, kind) for kind in kinds]
