"""Segment suppression, pooling across meetings and change between rounds."""

import pytest

from analysis import pool_compare, round_change, segment_breakdown

REL = dict(scale_min=1, scale_max=4, measure="relevance")


def test_segments_below_three_raters_are_suppressed():
    out = segment_breakdown({"health": [4, 4, 3, 4], "education": [4, 3], "policy": [4, None, None]}, **REL)
    assert out["health"] is not None and out["health"].n == 4
    assert out["education"] is None
    assert out["policy"] is None  # abstentions do not count as raters


def test_segment_min_raters_is_configurable_and_validated():
    assert segment_breakdown({"a": [4, 4]}, min_raters=2, **REL)["a"] is not None
    with pytest.raises(ValueError, match="min_raters"):
        segment_breakdown({"a": [4]}, min_raters=0, **REL)
    with pytest.raises(ValueError, match="outside the scale"):
        segment_breakdown({"a": [9]}, **REL)  # suppressed cells are still validated


def test_pool_compare_flags_meetings_that_disagree():
    agree = [4, 4, 4, 3, 4, 4, 3, 4, 4, 4]
    split = [4, 1, 2, 3, 2, 1, 4, 2, 1, 3]
    same = pool_compare({"Lyon": agree, "Oslo": agree}, **REL)
    assert same.disagree is False and same.pooled.n == 20
    diff = pool_compare({"Lyon": agree, "Oslo": split, "Rome": [4, 4]}, **REL)
    assert diff.disagree is True
    assert diff.classifications == {
        "Lyon": "consensus", "Oslo": "no_consensus", "Rome": "too_few",
    }  # fmt: skip
    assert diff.pooled.n == 22
    assert diff.to_dict()["sessions"]["Rome"]["consensus"] == "too_few"


def test_pooled_cvr_uses_pooled_panel_size():
    ess = dict(scale_min=1, scale_max=3, measure="essentiality")
    meetings = {f"m{i}": [3] * 7 + [2] * 3 for i in range(4)}  # 28 of 40 essential
    pooled = pool_compare(meetings, **ess).pooled
    assert pooled.cvr_critical == 26 and pooled.cvr_significant is True


def test_round_change():
    before = {"a": 2, "b": 3, "c": 4, "d": 4, "e": None, "f": 1}
    after = {"a": 3, "b": 2, "c": 4, "d": 4, "e": 4, "g": 2}
    r = round_change(before, after)
    assert r.n_paired == 4  # e abstained in round 1, f and g rated only one round
    assert r.n_unchanged == 2 and r.share_unchanged == 0.5
    assert r.net_change == 0.0  # a and b swapped: the distribution did not move
    assert r.stable is True
    moved = round_change({"a": 2, "b": 2, "c": 4}, {"a": 3, "b": 3, "c": 4})
    assert moved.net_change == pytest.approx(2 / 3) and moved.stable is False
    empty = round_change({}, {"a": 1})
    assert empty.n_paired == 0 and empty.net_change is None and empty.stable is None
