"""Suggested action per skill and the disagreement score used to sort the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.rule import Measure
from analysis.summary import MIN_CONSENSUS_N, ItemSummary
from analysis.text import N_, Num, measure_name
from analysis.threshold import meets_threshold

ACTIONS = ("keep", "revise", "discuss", "remove_candidate", "clarify", "undecided")
LABELS = {
    "keep": N_("Keep"),
    "revise": N_("Keep and revise the definition"),
    "discuss": N_("Discuss and re-vote"),
    "remove_candidate": N_("Candidate for removal"),
    "clarify": N_("No one could judge: clarify the definition"),
    "undecided": N_("Undecided: too few ratings"),
}
CONSENSUS_NAMES = {
    "consensus": N_("consensus"),
    "no_consensus": N_("no consensus"),
    "consensus_against": N_("consensus against"),
    "too_few": N_("too few"),
}
# Measures that say whether a skill belongs; clarity only says whether its wording works.
PRIMARY = (Measure.RELEVANCE, Measure.IMPORTANCE, Measure.ESSENTIALITY, Measure.APPROPRIATENESS)
ICVI_ELIMINATE = 0.70  # below: often read as "eliminate" (Zamanzadeh et al. 2015); here a candidate


@dataclass(frozen=True)
class SuggestedAction:
    """A suggestion for the facilitator, never a decision: statistics suggest, people decide."""

    action: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS[self.action]

    def to_dict(self) -> dict[str, object]:
        return {"action": self.action, "label": self.label, "reasons": list(self.reasons)}


def _verdict(s: ItemSummary) -> tuple[str, str]:
    """('keep' | 'against' | 'open', reason) for one primary measure with n >= 3."""
    name, detail = measure_name(s.measure), s.consensus_detail
    if s.consensus == "consensus_against":
        return "against", N_("%(measure)s: consensus against (%(detail)s)", measure=name, detail=detail)
    if s.i_cvi is not None and s.n >= MIN_CONSENSUS_N and not meets_threshold(s.i_cvi, ICVI_ELIMINATE):
        return "against", N_(
            "%(measure)s: I-CVI %(value)s below %(cutoff)s",
            measure=name,
            value=Num(s.i_cvi, ".2f"),
            cutoff=Num(ICVI_ELIMINATE, ".2f"),
        )
    if s.consensus != "consensus":
        return "open", N_("%(measure)s: no consensus (%(detail)s)", measure=name, detail=detail)
    if s.i_cvi_passes is False:
        return "open", N_(
            "%(measure)s: consensus, but I-CVI %(value)s misses the panel cut-off",
            measure=name,
            value=Num(s.i_cvi or 0.0, ".2f"),
        )
    if s.cvr_significant is False:
        return "open", N_(
            "%(measure)s: consensus, but CVR %(value)s is not significant",
            measure=name,
            value=Num(s.cvr or 0.0, ".2f"),
        )
    return "keep", N_("%(measure)s: consensus (%(detail)s)", measure=name, detail=detail)


def suggest_action(summaries: Mapping[str, ItemSummary]) -> SuggestedAction:
    """Suggested action for one skill from its summaries keyed by measure.

    Rule (documented in docs/methodology.md):
    0. any criterion (clarity included) answered only "can't judge" (answers, none valid)
       -> "clarify" (no one could judge: clarify the definition);
    then over the primary measures (relevance, importance, essentiality, appropriateness)
    with at least 3 valid ratings:
    1. none -> "undecided";
    2. a measure "against" (consensus against, or I-CVI < .70) and none supports keeping
       -> "remove_candidate"; against and support mixed -> "discuss";
    3. any measure without consensus, or with consensus that misses the I-CVI cut-off or
       CVR significance -> "discuss" (discuss and re-vote);
    4. all support keeping: clarity with n >= 3 below its I-CVI cut-off or without
       consensus -> "revise" (keep and revise the definition), else "keep".
    Never "drop": a person decides, with the comments beside the numbers.
    """
    by_measure = {str(Measure(k).value): s for k, s in summaries.items()}
    unjudged = [s for s in by_measure.values() if s.n == 0 and s.n_abstain > 0]
    if unjudged:
        nobody = tuple(
            N_(
                '%(measure)s: no one could judge (%(n)s "can\'t judge")',
                measure=measure_name(s.measure),
                n=s.n_abstain,
            )
            for s in unjudged
        )
        return SuggestedAction("clarify", nobody)
    primary = [
        by_measure[m.value]
        for m in PRIMARY
        if m.value in by_measure and by_measure[m.value].n >= MIN_CONSENSUS_N
    ]
    if not primary:
        return SuggestedAction("undecided", (N_("fewer than 3 valid ratings on every criterion"),))
    verdicts = [_verdict(s) for s in primary]
    kinds = {kind for kind, _ in verdicts}
    reasons = tuple(reason for _, reason in verdicts)
    if "against" in kinds:
        return SuggestedAction("discuss" if "keep" in kinds else "remove_candidate", reasons)
    if "open" in kinds:
        return SuggestedAction("discuss", reasons)
    clarity = by_measure.get(Measure.CLARITY.value)
    if clarity is not None and clarity.n >= MIN_CONSENSUS_N:
        if clarity.i_cvi_passes is False or clarity.consensus != "consensus":
            why = N_(
                "%(measure)s: %(verdict)s (%(detail)s)",
                measure=measure_name("clarity"),
                verdict=CONSENSUS_NAMES.get(clarity.consensus, clarity.consensus.replace("_", " ")),
                detail=clarity.consensus_detail,
            )
            return SuggestedAction("revise", (*reasons, why))
    return SuggestedAction("keep", reasons)


def disagreement_score(summary: ItemSummary) -> float:
    """Sort key for "most disagreement first" (higher = more disagreement), in [0, 1.0001].

    IQR divided by the scale range (scale_max - scale_min), rounded to 3 decimals; ties are
    broken by 1 - max(pct_agree, pct_disagree) scaled into the 4th decimal, so among equal
    IQRs the item with the weakest majority in either direction comes first. 0.0 with
    fewer than 2 valid ratings.
    """
    if summary.n < 2 or summary.iqr is None:
        return 0.0
    spread = round(summary.iqr / (summary.scale_max - summary.scale_min), 3)
    majority = max(summary.pct_agree or 0.0, summary.pct_disagree or 0.0)
    return spread + (1 - majority) / 10_000
