"""Property tests: ranges, rater-order independence, and summarize() never raising."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import (
    ConsensusRule,
    icc,
    item_cvi,
    kendalls_w,
    krippendorff_alpha,
    modified_kappa,
    quartiles,
    rwg,
    scale_cvi,
    suggest_action,
    summarize,
)
from analysis.decision import ACTIONS, disagreement_score

# database=None: no .hypothesis/ folder in the work tree.
FAST = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

counts_pair = st.integers(0, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))

MEASURE_SCALES = [
    ("relevance", 1, 4),
    ("clarity", 1, 4),
    ("importance", 1, 5),
    ("importance", 1, 9),
    ("essentiality", 1, 3),
    ("appropriateness", 1, 9),
]


@st.composite
def item_ratings(draw):
    measure, lo, hi = draw(st.sampled_from(MEASURE_SCALES))
    values = draw(st.lists(st.one_of(st.none(), st.integers(lo, hi)), max_size=40))
    return measure, lo, hi, values


rules = st.builds(
    ConsensusRule,
    agree_pct=st.floats(0.05, 1.0),
    iqr_max=st.one_of(st.none(), st.floats(0, 8)),
    ninepoint_method=st.sampled_from(["comet", "rand_ucla"]),
    alpha=st.floats(0.001, 0.5),
)


@FAST
@given(counts_pair)
def test_icvi_in_unit_interval_and_kstar_bounded(pair):
    a, n = pair
    value = item_cvi(a, n)
    if n == 0:
        assert value is None and modified_kappa(a, n) is None
    else:
        assert 0 <= value <= 1
        k = modified_kappa(a, n)
        assert k is not None and -1 <= k <= 1


@FAST
@given(st.lists(counts_pair, max_size=20))
def test_scale_cvi_in_unit_interval(items):
    ave, ua = scale_cvi(items)
    if ave is not None:
        assert 0 <= ave <= 1 + 1e-12 and 0 <= ua <= 1


@FAST
@given(st.lists(st.integers(1, 9), min_size=0, max_size=30))
def test_quartiles_ordered_and_match_numpy(values):
    q1, med, q3 = quartiles(values)
    if not values:
        assert (q1, med, q3) == (None, None, None)
    else:
        assert q1 <= med <= q3
        assert math.isclose(q1, float(np.percentile(values, 25)), abs_tol=1e-9)
        assert math.isclose(q3, float(np.percentile(values, 75)), abs_tol=1e-9)


@FAST
@given(st.lists(st.integers(1, 5), max_size=30))
def test_rwg_in_unit_interval(values):
    r = rwg(values, 5)
    assert r is None or 0 <= r <= 1


@FAST
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.lists(st.lists(st.integers(1, 5), min_size=n, max_size=n), min_size=2, max_size=6)
    )
)
def test_kendalls_w_in_unit_interval_and_judge_order_free(rankings):
    r = kendalls_w(rankings)
    if r.w is not None:
        assert -1e-12 <= r.w <= 1 + 1e-12
        assert 0 <= r.p_value <= 1
        assert math.isclose(kendalls_w(rankings[::-1]).w, r.w, abs_tol=1e-12)


@FAST
@given(
    st.integers(2, 8).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=n, max_size=n),
            min_size=2,
            max_size=6,
        )
    ),
    st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
)
def test_krippendorff_alpha_is_rater_order_free(data, level):
    a = krippendorff_alpha(data, level)
    b = krippendorff_alpha(data[::-1], level)
    assert (a is None) == (b is None)
    if a is not None:
        assert math.isclose(a, b, abs_tol=1e-9) and a <= 1 + 1e-9


@FAST
@given(
    st.integers(2, 5).flatmap(
        lambda k: st.lists(st.lists(st.integers(1, 9), min_size=k, max_size=k), min_size=2, max_size=8)
    ),
    st.sampled_from(["1,1", "2,1", "3,1", "1,k", "2,k", "3,k"]),
)
def test_icc_is_rater_order_free(rows, form):
    a = icc(rows, form)
    b = icc([row[::-1] for row in rows], form)
    assert (a is None) == (b is None)
    if a is not None:
        assert math.isclose(a, b, abs_tol=1e-9) and a <= 1 + 1e-9


@settings(FAST, max_examples=150)
@given(item_ratings(), rules)
def test_summarize_never_raises_and_is_json_safe(item, rule):
    measure, lo, hi, values = item
    s = summarize(values, scale_min=lo, scale_max=hi, measure=measure, rule=rule)
    assert s.n + s.n_abstain == len(values)
    assert sum(s.counts) == s.n
    assert s.consensus in ("consensus", "consensus_against", "no_consensus", "too_few")
    for value in s.to_dict().values():
        assert not (isinstance(value, float) and not math.isfinite(value))
    if s.n:
        assert 0 <= s.pct_agree <= 1 and 0 <= s.pct_disagree <= 1
    assert 0 <= disagreement_score(s) <= 1.0001
    shuffled = summarize(values[::-1], scale_min=lo, scale_max=hi, measure=measure, rule=rule)
    assert shuffled.to_dict() == s.to_dict()  # participant order does not matter
    assert suggest_action({measure: s}).action in ACTIONS
