"""summarize() and ConsensusRule: the item summary the dashboard and exports use."""

import json

import pytest

from analysis import ConsensusRule, ItemSummary, Measure, summarize


def rel(values, **kw):
    return summarize(values, scale_min=1, scale_max=4, measure="relevance", **kw)


def test_zero_ratings_is_a_normal_case():
    s = rel([])
    assert s.n == 0 and s.n_abstain == 0 and s.counts == (0, 0, 0, 0)
    assert s.median is None and s.iqr is None and s.mean is None and s.sd is None
    assert s.pct_agree is None and s.i_cvi is None and s.k_star is None and s.rwg is None
    assert s.consensus == "too_few"


def test_all_abstained():
    s = rel([None, None, None])
    assert s.n == 0 and s.n_abstain == 3
    assert s.consensus == "too_few"
    assert "many_abstentions" in s.flags


def test_abstentions_are_excluded_from_every_statistic_but_counted():
    with_abstain = rel([4, 4, 3, None, None, 4, 4, 3, 4, 4, 4])
    without = rel([4, 4, 3, 4, 4, 3, 4, 4, 4])
    assert with_abstain.n == 9 and with_abstain.n_abstain == 2
    for field in ("median", "q1", "q3", "mean", "sd", "pct_agree", "i_cvi", "k_star", "rwg"):
        assert getattr(with_abstain, field) == getattr(without, field)
    assert with_abstain.consensus == without.consensus


def test_one_rating_and_all_equal():
    one = rel([4])
    assert one.n == 1 and one.median == 4.0 and one.sd is None and one.consensus == "too_few"
    same = rel([3, 3, 3, 3])
    assert same.sd == 0.0 and same.iqr == 0.0 and same.rwg == 1.0
    assert same.consensus == "consensus"


def test_relevance_fields():
    s = rel([4, 4, 3, 4, 2, 3, 4, 4, 3])  # 8 of 9 relevant
    assert s.counts == (0, 1, 3, 5)
    assert s.pct_agree == pytest.approx(8 / 9) and s.pct_disagree == pytest.approx(1 / 9)
    assert s.i_cvi == pytest.approx(8 / 9)
    assert s.i_cvi_threshold == 0.78 and s.i_cvi_passes is True
    assert round(s.k_star, 2) == 0.89 and s.k_band == "excellent"  # BMC 2017 Table 10: 8/9
    assert s.cvr is None and s.cvr_critical is None and s.cvr_testable is None
    assert s.consensus == "consensus"


def test_clarity_below_threshold_flags_revise_wording():
    s = summarize([4, 4, 3, 2, 2, 4, 3, 4, 1], scale_min=1, scale_max=4, measure=Measure.CLARITY)
    assert s.i_cvi == pytest.approx(6 / 9)
    assert s.i_cvi_passes is False
    assert "revise_wording" in s.flags


def test_relevance_below_threshold_flag():
    s = rel([4, 4, 4, 3, 2])  # 4 of 5: fails the 1.00 cut-off for 3-5 experts
    assert s.i_cvi_passes is False
    assert "below_cvi_threshold" in s.flags and "small_panel" in s.flags


def test_importance_consensus_rule_and_iqr():
    imp = dict(scale_min=1, scale_max=5, measure="importance")
    s = summarize([5, 5, 4, 4, 4, 5, 4, 5, 3, 4], **imp)
    assert s.pct_agree == pytest.approx(0.9) and s.iqr == 1.0
    assert s.consensus == "consensus"
    # METHODOLOGY.md: 1,1,4,4,4,4,5,5,5,5: 80% rate 4-5 and IQR 1.0 (type 7) -> consensus.
    assert summarize([1, 1, 4, 4, 4, 4, 5, 5, 5, 5], **imp).consensus == "consensus"
    wide = summarize([5, 5, 5, 5, 4, 4, 4, 4, 4, 1, 2, 3], **imp)  # 75% 4-5
    assert wide.iqr == 1.25 and wide.consensus == "no_consensus"
    loose = ConsensusRule(iqr_max=None)
    assert summarize([5, 5, 5, 5, 4, 4, 4, 4, 4, 1, 2, 3], rule=loose, **imp).consensus == ("consensus")
    against = summarize([1, 1, 2, 2, 1, 2, 1, 3], **imp)
    assert against.consensus == "consensus_against"


def test_consensus_threshold_is_exact_at_75_percent():
    imp = dict(scale_min=1, scale_max=5, measure="importance")
    assert summarize([4, 4, 4, 3], **imp).consensus == "consensus"  # 3/4 = 75%
    assert summarize([4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3], **imp).consensus == "no_consensus"


def test_essentiality_cvr_fields():
    ess = dict(scale_min=1, scale_max=3, measure="essentiality")
    s = summarize([3] * 9 + [2], **ess)
    assert s.cvr == pytest.approx(0.8) and s.cvr_critical == 9
    assert s.cvr_testable is True and s.cvr_significant is True
    s8 = summarize([3] * 8 + [2, 1], **ess)
    assert s8.cvr_significant is False and "cvr_not_significant" in s8.flags
    small = summarize([3, 3, 3, 3], **ess)
    assert small.cvr_testable is False and small.cvr_significant is None
    assert "cvr_not_testable" in small.flags
    assert s.i_cvi is None and s.k_star is None


def test_ninepoint_uses_comet_or_rand_ucla():
    app = dict(scale_min=1, scale_max=9, measure="appropriateness")
    values = [7, 8, 9, 7, 8, 9, 7, 5, 4, 2]  # 70% 7-9, 10% 1-3
    # appropriateness defaults to the RAND/UCLA rule (Fitch et al. 2001); COMET is an option
    assert summarize(values, **app).consensus == "consensus"
    assert "RAND/UCLA" in summarize(values, **app).consensus_detail
    comet = summarize(values, rule=ConsensusRule(ninepoint_method="comet"), **app)
    assert comet.consensus == "consensus" and "COMET" in comet.consensus_detail
    ram = summarize(values, rule=ConsensusRule(ninepoint_method="rand_ucla"), **app)
    assert ram.consensus == "consensus" and "RAND/UCLA" in ram.consensus_detail
    # where the two differ: 60% in 7-9 is no COMET consensus, but median 7 without
    # disagreement is "appropriate" under RAND/UCLA
    differ = [7, 7, 8, 8, 9, 9, 5, 5, 6, 6]
    assert summarize(differ, **app).consensus == "consensus"
    assert summarize(differ, rule=ConsensusRule(ninepoint_method="comet"), **app).consensus == "no_consensus"
    # 9-point importance keeps COMET 70/15 under the standard rule
    imp = summarize(values, scale_min=1, scale_max=9, measure="importance")
    assert "COMET" in imp.consensus_detail
    assert summarize([1, 2, 3, 1, 2, 3, 2], **app).consensus == "consensus_against"
    split = summarize([1, 1, 1, 1, 8, 8, 8, 9, 9, 9], **app)
    assert "panel_disagreement" in split.flags and "polarised" in split.flags


def test_importance_on_nine_points_uses_the_ninepoint_rule():
    s = summarize([7, 8, 9, 9, 8, 7, 7], scale_min=1, scale_max=9, measure="importance")
    assert s.pct_agree == 1.0 and s.consensus == "consensus"


def test_invalid_arguments_raise_value_error():
    with pytest.raises(ValueError, match="outside the scale"):
        rel([5])
    with pytest.raises(ValueError, match="unknown measure"):
        summarize([1], scale_min=1, scale_max=4, measure="beauty")
    with pytest.raises(ValueError, match="4-point scale"):
        summarize([1], scale_min=1, scale_max=5, measure="relevance")


def test_to_dict_is_json_safe_and_rounded():
    d = rel([4, 4, 3, None, 2, 3, 4]).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["mean"] == round(20 / 6, 4)
    assert d["counts"] == [0, 1, 2, 3]
    assert d["k_band"] is not None and d["cvr"] is None
    assert set(d) == {f.name for f in ItemSummary.__dataclass_fields__.values()}


def test_rule_round_trip_and_validation():
    rule = ConsensusRule(agree_pct=0.7, iqr_max=None, ninepoint_method="rand_ucla", alpha=0.01)
    assert ConsensusRule.from_dict(rule.to_dict()) == rule
    assert ConsensusRule.from_dict({}) == ConsensusRule()
    assert json.loads(json.dumps(rule.to_dict())) == rule.to_dict()
    assert "70%" in rule.describe()
    bad = [
        ({"agree_pct": 0}, "agree_pct"),
        ({"agree_pct": 1.5}, "agree_pct"),
        ({"agree_pct": "0.75"}, "agree_pct must be a number"),
        ({"agree_pct": True}, "agree_pct must be a number"),
        ({"iqr_max": -1}, "iqr_max"),
        ({"iqr_max": float("nan")}, "finite"),
        ({"ninepoint_method": "delphi"}, "ninepoint_method"),
        ({"alpha": 1}, "alpha"),
        ({"colour": "red"}, "unknown consensus rule field"),
    ]
    for d, message in bad:
        with pytest.raises(ValueError, match=message):
            ConsensusRule.from_dict(d)
    with pytest.raises(ValueError, match="must be a dict"):
        ConsensusRule.from_dict([])  # type: ignore[arg-type]


def test_measure_is_a_string_enum():
    assert Measure("clarity") is Measure.CLARITY
    assert Measure.RELEVANCE == "relevance" and f"{Measure.RELEVANCE}" == "relevance"
