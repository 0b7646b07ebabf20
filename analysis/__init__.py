"""Sounding Board's pure statistics engine: content validity, consensus, agreement, reliability.

Imports nothing of the application; methodologists can use it from notebooks. Every
function names its source in its docstring; docs/methodology.md explains each statistic.
"""

from analysis.agreement import ad_cutoff, ad_median, rwg, rwg_j, uniform_variance
from analysis.consensus import RandUclaResult, comet_consensus, rand_ucla
from analysis.content_validity import (
    chance_agreement,
    cvr,
    cvr_critical,
    cvr_p_value,
    cvr_significant,
    icvi_passes,
    item_cvi,
    kappa_band,
    modified_kappa,
    scale_cvi,
)
from analysis.decision import SuggestedAction, disagreement_score, suggest_action
from analysis.descriptive import cv, mean, median, percentile, quartiles, sd
from analysis.gwet import GwetResult, gwet_ac2
from analysis.meeting import MeetingFigures, meeting_figures
from analysis.missing import complete_block
from analysis.pooling import (
    PoolComparison,
    RoundChange,
    complementary_suppression,
    pool_compare,
    round_change,
    segment_breakdown,
)
from analysis.ranking import (
    KendallResult,
    PickShare,
    PointsStat,
    RankStat,
    borda_scores,
    complete_ranks,
    kendalls_w,
    pick_shares,
    points_summary,
    rank_summary,
    wilson_interval,
)
from analysis.reliability import icc, krippendorff_alpha
from analysis.rule import ConsensusRule, Measure
from analysis.summary import ItemSummary, summarize
from analysis.threshold import icvi_threshold, meets_threshold, round_half_up

__all__ = [
    "ConsensusRule",
    "GwetResult",
    "ItemSummary",
    "KendallResult",
    "MeetingFigures",
    "Measure",
    "PickShare",
    "PointsStat",
    "PoolComparison",
    "RankStat",
    "RandUclaResult",
    "RoundChange",
    "SuggestedAction",
    "ad_cutoff",
    "ad_median",
    "borda_scores",
    "chance_agreement",
    "comet_consensus",
    "complete_block",
    "complete_ranks",
    "cv",
    "cvr",
    "cvr_critical",
    "cvr_p_value",
    "cvr_significant",
    "disagreement_score",
    "gwet_ac2",
    "icc",
    "icvi_passes",
    "icvi_threshold",
    "item_cvi",
    "kappa_band",
    "kendalls_w",
    "krippendorff_alpha",
    "mean",
    "median",
    "meeting_figures",
    "meets_threshold",
    "modified_kappa",
    "percentile",
    "pick_shares",
    "points_summary",
    "pool_compare",
    "quartiles",
    "rand_ucla",
    "rank_summary",
    "round_change",
    "round_half_up",
    "rwg",
    "rwg_j",
    "scale_cvi",
    "sd",
    "complementary_suppression",
    "segment_breakdown",
    "suggest_action",
    "summarize",
    "uniform_variance",
    "wilson_interval",
]
