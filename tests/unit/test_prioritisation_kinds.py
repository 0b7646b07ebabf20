"""Question kinds (domain/kinds) and the pick statistics (analysis/ranking) as tables of cases."""

from __future__ import annotations

import pytest

from analysis import pick_shares, wilson_interval
from domain.errors import BadPayloadError, UnknownItemError, ValidationError
from domain.kinds import KINDS, get_kind
from domain.kinds.base import DuplicateItemError, TooFewPicksError, TooManyPicksError

ITEMS = [11, 12, 13, 14, 15]


# Newcombe (1998) Stat Med 17:857, Table I, method 3 (Wilson score interval without correction).
@pytest.mark.parametrize(
    ("r", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_interval_matches_newcombe_table_1(r, n, low, high):
    lo, hi = wilson_interval(r, n)
    assert (round(lo, 4), round(hi, 4)) == (low, high)


def test_wilson_interval_is_total():
    assert wilson_interval(0, 0) == (None, None)
    assert wilson_interval(5, 5)[1] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(6, 5)


def test_pick_shares_counts_each_person_once_and_keeps_order():
    shares = pick_shares([[11, 12], [12, 12, 13], [99]], ITEMS)  # 99 is not on the list
    assert [(s.item, s.count) for s in shares] == [(11, 1), (12, 2), (13, 1), (14, 0), (15, 0)]
    assert shares[1].share == pytest.approx(2 / 3)
    assert all(s.share is None and s.ci_low is None for s in pick_shares([], ITEMS))


PICK = get_kind("pick")
EXACT, AT_MOST = {"k": 2, "exact": True}, {"k": 2, "exact": False}


@pytest.mark.parametrize(
    ("params", "raw", "expected"),
    [
        (EXACT, {"picks": [13, 11]}, {"picks": [13, 11]}),
        (AT_MOST, {"picks": [15]}, {"picks": [15]}),
        (AT_MOST, {"picks": [15, 12]}, {"picks": [15, 12]}),
    ],
)
def test_pick_accepts(params, raw, expected):
    assert PICK.check_answer(params, ITEMS, raw) == expected


@pytest.mark.parametrize(
    ("params", "raw", "error"),
    [
        (EXACT, {"picks": [11, 12, 13]}, TooManyPicksError),
        (AT_MOST, {"picks": [11, 12, 13]}, TooManyPicksError),
        (EXACT, {"picks": [11]}, TooFewPicksError),
        (AT_MOST, {"picks": []}, TooFewPicksError),
        (EXACT, {"picks": [11, 11]}, DuplicateItemError),
        (EXACT, {"picks": [11, 99]}, UnknownItemError),
        (EXACT, {"picks": [11, True]}, BadPayloadError),
        (EXACT, {"picks": "11,12"}, BadPayloadError),
        (EXACT, [11, 12], BadPayloadError),
        (EXACT, None, BadPayloadError),
    ],
)
def test_pick_refuses_with_a_code(params, raw, error):
    with pytest.raises(error) as caught:
        PICK.check_answer(params, ITEMS, raw)
    assert caught.value.code in {
        "too_many_picks",
        "too_few_picks",
        "duplicate_item",
        "unknown_item",
        "bad_payload",
    }


def test_pick_params_and_summary():
    clean = PICK.check_params({"k": "3", "exact": False, "budget": 100}, 10)
    assert clean == {"k": 3, "exact": False, "threshold": 50}  # the rule's default: half the panel
    assert PICK.check_params({"k": 3, "threshold": "70"}, 10)["threshold"] == 70
    for bad in (
        {"k": 0},
        {"k": 11},
        {},
        {"k": "three"},
        {"k": 3, "threshold": 0},
        {"k": 3, "threshold": 101},
    ):
        with pytest.raises(ValidationError):
            PICK.check_params(bad, 10)
    summary = PICK.summarize(EXACT, ITEMS, [{"picks": [12, 13]}, {"picks": [13, 14]}])
    assert summary["n"] == 2
    assert [(i["skill_id"], i["count"]) for i in summary["items"][:3]] == [(13, 2), (12, 1), (14, 1)]
    assert PICK.summarize(EXACT, ITEMS, [])["items"][0]["share"] is None
    assert [PICK.cells(EXACT, {"picks": [12]}, i) for i in (12, 13)] == [[1], [0]]
    assert PICK.cells(EXACT, None, 12) == [None]


@pytest.mark.parametrize(
    ("threshold", "chosen"),
    [
        (50, [13, 12]),
        (67, [13]),
        (66, [13, 12]),
        (100, [13]),
        (34, [13, 12]),
        (33, [13, 12, 14]),
    ],  # 2 of 3 is 66.7%: >= 66, < 67
)
def test_pick_marks_skills_chosen_by_the_sessions_share_rule(threshold, chosen):
    params = {**EXACT, "threshold": threshold}
    summary = PICK.summarize(params, ITEMS, [{"picks": [12, 13]}, {"picks": [13, 14]}, {"picks": [13, 12]}])
    assert summary["threshold"] == threshold / 100
    assert [i["skill_id"] for i in summary["items"] if i["chosen"]] == chosen
    assert PICK.summarize(params, ITEMS, [])["items"][0]["chosen"] == 0  # nobody answered: none chosen


def test_pick_flags_ties_across_the_k_cut():
    # By hand: counts 13:3, 12:2, 14:2, 11:0, 15:0; k = 2 cuts between 12 and 14, tied at 2.
    votes = [{"picks": [13, 12]}, {"picks": [13, 14]}, {"picks": [13, 12, 14]}]
    summary = PICK.summarize({"k": 2, "exact": False}, ITEMS, votes)
    assert [(i["skill_id"], i["tied_at_cut"]) for i in summary["items"][:4]] == [
        (13, 0),
        (12, 1),
        (14, 1),
        (11, 0),
    ]
    decided = PICK.summarize({"k": 1, "exact": False}, ITEMS, votes)  # 13 alone at the top
    assert not any(i["tied_at_cut"] for i in decided["items"])
    assert summary["threshold"] == 0.5  # stored before the rule existed: half the panel


def test_every_kind_is_registered_under_its_name():
    assert all(name == kind.name for name, kind in KINDS.items())
    with pytest.raises(ValidationError):
        get_kind("rating")


# Siegel & Castellan (1988), the attributes ranked by three raters, as DescTools::KendallW
# reproduces it (no ties): W = 0.6560847, chi2 = 13.778 on 7 df, p = 0.05528.
SC_ATTRIBUTES = [  # one row per rater, one column per attribute
    [5, 6, 7, 1, 2, 4, 3, 8],
    [1, 7, 6, 2, 3, 5, 4, 8],
    [4, 5, 1, 3, 2, 7, 6, 8],
]


def test_kendalls_w_on_siegel_and_castellans_attributes():
    from analysis import kendalls_w

    r = kendalls_w(SC_ATTRIBUTES)
    assert round(r.w, 7) == 0.6560847
    assert round(r.chi2, 3) == 13.778 and r.df == 7
    assert round(r.p_value, 5) == 0.05528


def test_top_k_rankings_tie_the_rest_and_w_is_corrected_by_hand():
    from analysis import complete_ranks, rank_summary

    assert complete_ranks(["b", "a"], list("abcd")) == [2.0, 1.0, 3.5, 3.5]
    stats, w = rank_summary([["a", "b"], ["a", "c"], ["b", "a"]], list("abcd"))
    # Ranks: a = 1, 1, 2; b = 2, 3.5, 1; c = 3.5, 2, 3.5; d = 3.5, 3.5, 3.5.
    # Rank sums 4, 6.5, 9, 10.5; mean 7.5; S = 12.25 + 1 + 2.25 + 9 = 24.5.
    # Ties: one pair per judge, 3 x (8 - 2) = 18; W = 12 S / (9 x 60 - 3 x 18) = 294 / 486.
    assert w.w == pytest.approx(294 / 486)
    assert w.chi2 == pytest.approx(3 * 3 * 294 / 486)
    by_item = {s.item: s for s in stats}
    assert (by_item["a"].mean_rank, by_item["a"].median_rank, by_item["a"].n_ranked) == (4 / 3, 1.0, 3)
    # Borda by hand: n - rank per judge. a: 3 + 3 + 2 = 8; b: 2 + 0.5 + 3 = 5.5; c: 0.5 + 2 + 0.5 = 3;
    # d: 0.5 x 3 = 1.5. Total 18 = 3 judges x (3 + 2 + 1 + 0).
    assert [by_item[i].borda for i in "abcd"] == [8.0, 5.5, 3.0, 1.5]


def test_borda_on_full_rankings_by_hand():
    from analysis import borda_scores

    # Three voters, three items: A > B > C, A > C > B, B > A > C (ranks per item A, B, C).
    assert borda_scores([[1, 2, 3], [1, 3, 2], [2, 1, 3]], 3) == [5.0, 3.0, 1.0]
    assert borda_scores([], 3) == [0.0, 0.0, 0.0]


def test_points_summary_totals_means_shares_and_w():
    from analysis import points_summary

    stats, w = points_summary([{"a": 60, "b": 40}, {"a": 100}], list("abc"))
    assert [(s.total, s.mean, s.share, s.n_given) for s in stats] == [
        (160.0, 80.0, 0.8, 2),
        (40.0, 20.0, 0.2, 1),
        (0.0, 0.0, 0.0, 0),
    ]
    # Judge 2 ties b and c (0 points): ranks a 1,1; b 2,2.5; c 3,2.5; S = 4 + .25 + 2.25 = 6.5;
    # W = 12 x 6.5 / (4 x 24 - 2 x 6) = 78 / 84.
    assert w.w == pytest.approx(78 / 84)
    empty, none = points_summary([], list("ab"))
    assert empty[0].mean is None and empty[0].share is None and none.w is None


RANK, POINTS = get_kind("rank"), get_kind("points")


@pytest.mark.parametrize(
    ("kind", "params", "raw", "code"),
    [
        (RANK, {"k": 3}, {"ranks": {"11": 1, "12": 1, "13": 2}}, "duplicate_rank"),
        (RANK, {"k": 3}, {"ranks": {"11": 1, "12": 2}}, "incomplete_ranking"),
        (RANK, {"k": 2}, {"ranks": {"11": 1, "12": 2, "13": 3}}, "too_many_picks"),
        (RANK, {"k": 3}, {"ranks": {"11": 1, "12": 2, "13": 4}}, "invalid_value"),
        (RANK, {"k": 2}, {"ranks": {"11": 1, "99": 2}}, "unknown_item"),
        (RANK, {"k": 2}, {"ranks": {"11": 1, "12": "2"}}, "bad_payload"),
        (RANK, {"k": 2}, {"ranks": [11, 12]}, "bad_payload"),
        (POINTS, {"budget": 100}, {"points": {"11": 60, "12": 41}}, "over_budget"),
        (POINTS, {"budget": 100}, {"points": {"11": -5, "12": 50}}, "invalid_value"),
        (POINTS, {"budget": 100}, {"points": {"11": 0}}, "too_few_picks"),
        (POINTS, {"budget": 100}, {"points": {"98": 10}}, "unknown_item"),
        (POINTS, {"budget": 100}, {"points": {"11": 1.5}}, "bad_payload"),
        (POINTS, {"budget": 100}, "all to 11", "bad_payload"),
    ],
)
def test_rank_and_points_refuse_with_a_code(kind, params, raw, code):
    with pytest.raises(Exception) as caught:
        kind.check_answer(params, ITEMS, raw)
    assert caught.value.code == code


def test_rank_and_points_accept_normalise_and_export():
    ranked = RANK.check_answer({"k": 3}, ITEMS, {"ranks": {"13": 1, "11": 2, "15": 3}})
    assert ranked == {"order": [13, 11, 15]}
    assert [RANK.cells({"k": 3}, ranked, i) for i in (13, 15, 12)] == [[1], [3], [None]]
    assert RANK.check_params({"k": ""}, 5) == {"k": 5} and RANK.check_params({"k": "3"}, 5) == {"k": 3}
    spent = POINTS.check_answer({"budget": 100}, ITEMS, {"points": {"11": 70, "12": 30, "13": 0}})
    assert spent == {"points": {"11": 70, "12": 30}}
    assert [POINTS.cells({}, spent, i) for i in (11, 13)] == [[70], [0]] and POINTS.cells({}, None, 11) == [
        None
    ]
    summary = POINTS.summarize({"budget": 100}, ITEMS, [spent])
    assert summary["items"][0] == {
        "skill_id": 11, "given": 1, "total": 70.0, "mean": 70.0, "share": 0.7, "bar": 1.0,
    }  # fmt: skip
    top = RANK.summarize({"k": 3}, ITEMS, [ranked, ranked])
    assert [i["skill_id"] for i in top["items"][:3]] == [13, 11, 15] and top["agreement"][
        "w"
    ] == pytest.approx(1.0)
