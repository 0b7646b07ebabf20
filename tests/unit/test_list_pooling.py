"""List questions pooled over workshops (domain/kinds/pooling.py), checked by hand."""

from __future__ import annotations

import pytest

from domain.kinds.export import ListExport, ListQuestionInfo
from domain.kinds.pooling import pool_lists

SKILLS = {
    "A": [(1, "X", "Listening"), (2, "Y", "Empathy"), (3, "Z", "Teamwork")],
    "B": [(11, "X", "Listening"), (12, "Y", "Empathy"), (13, "Z", "Teamwork")],
}


def _q(session: str, number: int, kind: str, params: dict) -> ListQuestionInfo:
    return ListQuestionInfo(session, number, kind, "", params, 1, {})


def test_rank_and_pick_pool_by_skill_code_and_question_number():
    export = ListExport(
        (
            _q("A", 1, "rank", {"k": 3}),
            _q("B", 1, "rank", {"k": 3}),
            _q("A", 2, "pick", {"k": 1, "exact": True, "threshold": 50}),
            _q("B", 2, "pick", {"k": 1, "exact": True, "threshold": 70}),  # the rule may differ
            _q("A", 3, "points", {"budget": 100}),
            _q("B", 3, "points", {"budget": 50}),  # another budget: not pooled
        ),
        {
            ("A", "P01", 1): {"order": [1, 2, 3]},
            ("A", "P02", 1): {"order": [2, 1, 3]},
            ("B", "P01", 1): {"order": [11, 12, 13]},
            ("A", "P01", 2): {"picks": [1]},
            ("B", "P01", 2): {"picks": [12]},
            ("B", "P02", 2): {"picks": [12]},
            ("A", "P01", 3): {"points": {"1": 100}},
            ("B", "P01", 3): {"points": {"11": 50}},
        },
        SKILLS,
    )
    pooled = pool_lists(export)
    assert [(q.number, q.kind, q.session_code, q.round) for q in pooled.questions] == [
        (1, "rank", "A + B", None),
        (2, "pick", "A + B", None),
    ]
    rank, pick = (q.result for q in pooled.questions)
    names = {i: code for i, code, _ in pooled.skills["A + B"]}
    # Borda by hand, n - rank per person: X 2 + 1 + 2 = 5, Y 1 + 2 + 1 = 4, Z 0.
    assert rank["n"] == 3
    assert [(names[e["skill_id"]], e["borda"]) for e in rank["items"]] == [("X", 5), ("Y", 4), ("Z", 0)]
    assert rank["items"][0]["mean_rank"] == pytest.approx(4 / 3)
    # Picks: Y by 2 of 3, X by 1 of 3; the first session's rule (50%) is the pooled one.
    assert [(names[e["skill_id"]], e["count"], e["chosen"]) for e in pick["items"][:2]] == [
        ("Y", 2, 1),
        ("X", 1, 0),
    ]
    assert pick["items"][0]["share"] == pytest.approx(2 / 3)


def test_a_single_session_pools_nothing():
    export = ListExport((_q("A", 1, "rank", {"k": 3}),), {("A", "P01", 1): {"order": [1, 2, 3]}}, SKILLS)
    assert pool_lists(export).questions == ()
