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
    assert PICK.check_params({"k": "3", "exact": False, "budget": 100}, 10) == {"k": 3, "exact": False}
    for bad in ({"k": 0}, {"k": 11}, {}, {"k": "three"}):
        with pytest.raises(ValidationError):
            PICK.check_params(bad, 10)
    summary = PICK.summarize(EXACT, ITEMS, [{"picks": [12, 13]}, {"picks": [13, 14]}])
    assert summary["n"] == 2
    assert [(i["skill_id"], i["count"]) for i in summary["items"][:3]] == [(13, 2), (12, 1), (14, 1)]
    assert PICK.summarize(EXACT, ITEMS, [])["items"][0]["share"] is None
    assert [PICK.cells(EXACT, {"picks": [12]}, i) for i in (12, 13)] == [[1], [0]]
    assert PICK.cells(EXACT, None, 12) == [None]


def test_every_kind_is_registered_under_its_name():
    assert all(name == kind.name for name, kind in KINDS.items())
    with pytest.raises(ValidationError):
        get_kind("rating")
