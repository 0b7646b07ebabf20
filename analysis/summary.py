"""Item summary for the live dashboard and exports: one item, one criterion, one round."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from analysis import content_validity as cv_
from analysis import descriptive as d
from analysis.agreement import ad_median, rwg_from_variance
from analysis.consensus import comet_consensus, rand_ucla, share_at_least
from analysis.rule import ConsensusRule, Measure, as_measure, scale_bands
from analysis.text import N_, Num
from analysis.threshold import icvi_threshold, round_half_up

MIN_CONSENSUS_N = 3  # fewer valid ratings: consensus "too_few"
SMALL_PANEL_N = 6  # fewer: I-CVI must be 1.00 and each rater moves shares by >= 17 points
MANY_ABSTAIN_SHARE = 0.2  # "can't judge" from at least this share of answers
NOT_INTERPRETABLE = N_("not interpretable at this N")
RAND_NAMES = {
    "appropriate": N_("appropriate"),
    "uncertain": N_("uncertain"),
    "inappropriate": N_("inappropriate"),
}
COMET_NAMES = {
    "consensus in": N_("consensus in"),
    "consensus out": N_("consensus out"),
    "no consensus": N_("no consensus"),
}  # k* band with fewer than 3 valid ratings


@dataclass(frozen=True)
class ItemSummary:
    """Statistics of one item on one criterion. Shares are 0-1; None where undefined.

    consensus: "consensus" (agreement in the top band per the rule), "consensus_against"
    (agreement in the bottom band), "no_consensus", or "too_few" (fewer than 3 valid
    ratings). Flags: "small_panel" (n < 6), "many_abstentions" (>= 20% can't judge),
    "below_cvi_threshold" (relevance), "revise_wording" (clarity), "cvr_not_testable",
    "cvr_not_significant" (essentiality), "panel_disagreement" (9-point IPR > IPRAS),
    "polarised" (>= 30% in both the top and the bottom band).
    """

    measure: str
    scale_min: int
    scale_max: int
    n: int
    n_abstain: int
    counts: tuple[int, ...]
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    mean: float | None
    sd: float | None
    cv: float | None
    pct_agree: float | None
    pct_disagree: float | None
    i_cvi: float | None
    i_cvi_threshold: float | None
    i_cvi_passes: bool | None
    k_star: float | None
    k_band: str | None
    cvr: float | None
    cvr_critical: int | None
    cvr_testable: bool | None
    cvr_significant: bool | None
    rwg: float | None
    ad_median: float | None
    consensus: str
    consensus_detail: str
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe plain values: floats rounded to 4 decimals, tuples as lists."""
        # The field names are read once (_FIELDS): `fields()` on every call was half the cost of
        # a dashboard push's summaries (30 a push at 40 phones, bench/README.md).
        out: dict[str, Any] = {}
        for name in _FIELDS:
            value = getattr(self, name)
            if isinstance(value, float):
                value = round(value, 4)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


_FIELDS = tuple(f.name for f in fields(ItemSummary))


def summarize(
    values: Sequence[int | None],
    *,
    scale_min: int,
    scale_max: int,
    measure: Measure | str,
    rule: ConsensusRule | None = None,
) -> ItemSummary:
    """Summarise one item's ratings: one entry per participant who answered, None for
    "can't judge" (excluded from every statistic, counted in n_abstain).

    k_star is rounded half-up to two decimals and k_band read on that value; with fewer
    than 3 valid ratings k_band is "not interpretable at this N".

    Sources: quartiles Hyndman & Fan type 7; I-CVI Lynn 1986 with Polit & Beck 2006
    cut-offs; k* Polit, Beck & Owen 2007; CVR Lawshe 1975 with exact critical values of
    Ayre & Scally 2014; rwg James, Demaree & Wolf 1984; AD Burke et al. 1999; consensus
    per the session's ConsensusRule (Diamond et al. 2014), COMET 70/15 or RAND/UCLA
    (Fitch et al. 2001) on 9-point scales. Raises ValueError only for an unknown measure,
    a scale the measure is not defined on, or a rating outside the scale.
    """
    rule = rule or ConsensusRule()
    m = as_measure(measure)
    agree_from, disagree_to = scale_bands(m, scale_min, scale_max)
    valid, n_abstain = d.check_scale_values(values, scale_min, scale_max)
    n = len(valid)
    n_agree = sum(1 for v in valid if v >= agree_from)
    n_disagree = sum(1 for v in valid if v <= disagree_to)
    q1, med, q3 = d.quartiles(valid)
    var = d.variance(valid)
    mean = d.mean(valid)
    sd = None if var is None else math.sqrt(var)
    iqr = None if q1 is None or q3 is None else q3 - q1
    content = _content_validity(m, n, n_agree, rule)
    consensus, detail, nine_disagreement = _consensus(
        scale_max - scale_min + 1, valid, n_agree, n_disagree, iqr, rule, m
    )
    flags = _flags(m, n, n_abstain, n_agree, n_disagree, content, nine_disagreement)
    return ItemSummary(
        measure=m.value,
        scale_min=scale_min,
        scale_max=scale_max,
        n=n,
        n_abstain=n_abstain,
        counts=d.counts(valid, scale_min, scale_max),
        median=med,
        q1=q1,
        q3=q3,
        iqr=iqr,
        mean=mean,
        sd=sd,
        cv=None if sd is None or not mean else sd / mean,
        pct_agree=n_agree / n if n else None,
        pct_disagree=n_disagree / n if n else None,
        rwg=rwg_from_variance(var, scale_max - scale_min + 1),
        ad_median=ad_median(valid),
        consensus=consensus,
        consensus_detail=detail,
        flags=flags,
        **content,
    )


def _content_validity(m: Measure, n: int, n_agree: int, rule: ConsensusRule) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(
        (
            "i_cvi",
            "i_cvi_threshold",
            "i_cvi_passes",
            "k_star",
            "k_band",
            "cvr",
            "cvr_critical",
            "cvr_testable",
            "cvr_significant",
        )
    )
    if m in (Measure.RELEVANCE, Measure.CLARITY):
        # k* is reported to two decimals, half-up, and its band read on that reported value:
        # one rounding rule, so a k* shown as .74 is never called excellent (Polit et al.
        # 2007 report k* to two decimals).
        exact = cv_.modified_kappa(n_agree, n)
        k_star = None if exact is None else round_half_up(exact, 2)
        out.update(
            i_cvi=cv_.item_cvi(n_agree, n),
            i_cvi_threshold=icvi_threshold(n),
            i_cvi_passes=cv_.icvi_passes(n_agree, n),
            k_star=k_star,
            k_band=cv_.kappa_band(k_star) if n >= MIN_CONSENSUS_N else (NOT_INTERPRETABLE if n else None),
        )
    elif m is Measure.ESSENTIALITY:
        critical = cv_.cvr_critical(n, rule.alpha)
        out.update(
            cvr=cv_.cvr(n_agree, n),
            cvr_critical=critical,
            cvr_testable=critical is not None,
            cvr_significant=cv_.cvr_significant(n_agree, n, rule.alpha),
        )
    return out


def _consensus(
    points: int,
    valid: list[int],
    n_agree: int,
    n_disagree: int,
    iqr: float | None,
    rule: ConsensusRule,
    measure: Measure,
) -> tuple[str, str, bool]:
    """(classification, human detail, RAND/UCLA disagreement on a 9-point scale)."""
    n = len(valid)
    nine = points == 9
    ram = rand_ucla(valid) if nine else None
    disagreement = bool(ram and ram.disagreement)
    if n < MIN_CONSENSUS_N:
        detail = N_("%(n)s valid rating(s); at least %(least)s needed", n=n, least=MIN_CONSENSUS_N)
        return "too_few", detail, disagreement
    if ram is not None and rule.ninepoint_for(measure) == "rand_ucla":
        label = {"appropriate": "consensus", "inappropriate": "consensus_against"}.get(
            ram.classification, "no_consensus"
        )
        detail = N_(
            "RAND/UCLA: median %(median)s, IPR %(ipr)s vs IPRAS %(ipras)s -> %(result)s",
            median=Num(ram.median or 0.0),  # never None with n >= 3
            ipr=Num(ram.ipr or 0.0, ".2f"),
            ipras=Num(ram.ipras or 0.0, ".2f"),
            result=RAND_NAMES.get(ram.classification, ram.classification),
        )
        return label, detail, disagreement
    if nine:
        comet = comet_consensus(valid)
        label = {"consensus in": "consensus", "consensus out": "consensus_against"}.get(comet, "no_consensus")
        detail = N_(
            "COMET 70/15: %(agree)s/%(n)s score 7-9, %(disagree)s/%(n)s score 1-3 -> %(result)s",
            agree=n_agree,
            disagree=n_disagree,
            n=n,
            result=COMET_NAMES.get(comet, comet),
        )
        return label, detail, disagreement
    iqr_ok = rule.iqr_max is None or (iqr is not None and iqr <= rule.iqr_max + 1e-9)
    agree = share_at_least(n_agree, n, rule.agree_pct)
    against = share_at_least(n_disagree, n, rule.agree_pct)
    shares = {"agree": n_agree, "disagree": n_disagree, "n": n, "needs": Num(rule.agree_pct, ".0%")}
    if rule.iqr_max is None or iqr is None:
        detail = N_("%(agree)s/%(n)s agree, %(disagree)s/%(n)s disagree (needs %(needs)s)", **shares)
    else:
        detail = N_(
            "%(agree)s/%(n)s agree, %(disagree)s/%(n)s disagree (needs %(needs)s), IQR %(iqr)s (max %(max)s)",
            **shares,
            iqr=Num(iqr),
            max=Num(rule.iqr_max),
        )
    if agree and not against and iqr_ok:
        return "consensus", detail, disagreement
    if against and not agree and iqr_ok:
        return "consensus_against", detail, disagreement
    return "no_consensus", detail, disagreement


def _flags(
    m: Measure,
    n: int,
    n_abstain: int,
    n_agree: int,
    n_disagree: int,
    content: dict[str, Any],
    nine_disagreement: bool,
) -> tuple[str, ...]:
    flags: list[str] = []
    if n < SMALL_PANEL_N:
        flags.append("small_panel")
    if share_at_least(n_abstain, n + n_abstain, MANY_ABSTAIN_SHARE):
        flags.append("many_abstentions")
    if content["i_cvi_passes"] is False:
        flags.append("revise_wording" if m is Measure.CLARITY else "below_cvi_threshold")
    if m is Measure.ESSENTIALITY and n > 0:
        if content["cvr_testable"] is False:
            flags.append("cvr_not_testable")
        elif content["cvr_significant"] is False:
            flags.append("cvr_not_significant")
    if nine_disagreement:
        flags.append("panel_disagreement")
    if n and share_at_least(n_agree, n, 0.3) and share_at_least(n_disagree, n, 0.3):
        flags.append("polarised")
    return tuple(flags)
