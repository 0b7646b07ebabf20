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
            _q("B", 3, "points", {"budget": 50}),  # another budget: rescaled (test below)
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
        (3, "points", "A + B", None),
    ]
    rank, pick, _points = (q.result for q in pooled.questions)
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


def _names(pooled, q):
    return {i: code for i, code, _ in pooled.skills[q.session_code]}


def test_pick_pools_only_the_same_k_and_list_and_says_why():
    export = ListExport(
        (
            _q("A", 1, "pick", {"k": 1, "exact": True, "threshold": 50}),
            _q("B", 1, "pick", {"k": 2, "exact": True, "threshold": 50}),
            _q("A", 2, "pick", {"k": 1, "exact": True, "threshold": 50}),
            _q("C", 2, "pick", {"k": 1, "exact": True, "threshold": 50}),
        ),
        {("A", "P01", 1): {"picks": [1]}, ("B", "P01", 1): {"picks": [11, 12]}},
        {**SKILLS, "C": [(21, "X", "Listening"), (22, "Y", "Empathy")]},  # C's list is shorter
    )
    pooled = pool_lists(export)
    assert pooled.questions == ()
    k, lists = pooled.not_pooled
    assert (k.number, k.sessions) == (1, "A + B")
    assert "(A: = 1, B: = 2)" in k.reason.english()
    assert "depends on how many each person may pick" in k.reason.english()
    assert (lists.number, lists.sessions) == (2, "A + C")
    assert "(skills: A: 3, C: 2; 2 in common)" in lists.reason.english()


def test_a_different_share_rule_pools_under_the_first_and_says_so():
    export = ListExport(
        (
            _q("A", 1, "pick", {"k": 1, "exact": True, "threshold": 50}),
            _q("B", 1, "pick", {"k": 1, "exact": True, "threshold": 70}),
        ),
        {("A", "P01", 1): {"picks": [1]}, ("B", "P01", 1): {"picks": [11]}},
        SKILLS,
    )
    [q] = pool_lists(export).questions
    assert q.result["threshold"] == 0.5
    assert [n.english() for n in q.notes] == [
        "The share rule differs (A: 50%, B: 70%): the pooled ✓ uses 50%, the first meeting's."
    ]


FOUR = {
    "A": [(1, "W", "w"), (2, "X", "x"), (3, "Y", "y"), (4, "Z", "z")],
    "B": [(11, "W", "w"), (12, "X", "x"), (13, "Y", "y"), (14, "Z", "z")],
}


def test_rankings_to_different_depths_are_cut_to_the_shallowest():
    export = ListExport(
        (_q("A", 1, "rank", {"k": 4}), _q("B", 1, "rank", {"k": 2})),
        {("A", "P01", 1): {"order": [1, 2, 3, 4]}, ("B", "P01", 1): {"order": [14, 13]}},
        FOUR,
    )
    pooled = pool_lists(export)
    [q] = pooled.questions
    names = _names(pooled, q)
    # Top 2 each, the unranked sharing places 3 and 4 (3.5); Borda 4 - rank:
    # A: W 3, X 2, Y 0.5, Z 0.5; B: Z 3, Y 2, W 0.5, X 0.5. Uncut, A's Y would have 1 and Z 0.
    borda = {names[e["skill_id"]]: e["borda"] for e in q.result["items"]}
    assert borda == {"W": 3.5, "X": 2.5, "Y": 2.5, "Z": 3.5}
    assert q.params == {"k": 2}
    assert [n.english() for n in q.notes] == [
        "Ranked to different depths (A: 4, B: 2): every ranking is cut to its first 2 places."
    ]


def test_complete_rankings_of_different_lists_pool_over_the_common_skills():
    lists = {"A": SKILLS["A"], "B": [(11, "X", "Listening"), (12, "Y", "Empathy"), (14, "W", "Writing")]}
    export = ListExport(
        (_q("A", 1, "rank", {"k": 3}), _q("B", 1, "rank", {"k": 3})),
        {
            ("A", "P01", 1): {"order": [3, 2, 1]},  # Z, Y, X: among X and Y, Y first
            ("B", "P01", 1): {"order": [11, 14, 12]},  # X, W, Y: X first
            ("B", "P02", 1): {"order": [12, 11, 14]},  # Y, X, W: Y first
        },
        lists,
    )
    pooled = pool_lists(export)
    [q] = pooled.questions
    names = _names(pooled, q)
    assert sorted(names.values()) == ["X", "Y"]
    # Borda 2 - rank over X and Y: Y 1 + 0 + 1 = 2, X 0 + 1 + 0 = 1.
    assert [(names[e["skill_id"]], e["borda"]) for e in q.result["items"]] == [("Y", 2), ("X", 1)]
    assert "pooled over the 2 skills every meeting ranked" in q.notes[0].english()
    assert q.notes[0].english().endswith("left out: W, Z.")


def test_top_k_rankings_of_different_lists_are_not_pooled():
    lists = {"A": SKILLS["A"], "B": [(11, "X", "Listening"), (12, "Y", "Empathy"), (14, "W", "Writing")]}
    export = ListExport(
        (_q("A", 1, "rank", {"k": 2}), _q("B", 1, "rank", {"k": 3})),
        {("A", "P01", 1): {"order": [3, 2]}, ("B", "P01", 1): {"order": [11, 14, 12]}},
        lists,
    )
    pooled = pool_lists(export)
    assert pooled.questions == ()
    assert "order among the common skills is not known" in pooled.not_pooled[0].reason.english()


def test_points_of_different_budgets_are_rescaled_and_different_lists_are_not_pooled():
    export = ListExport(
        (
            _q("A", 1, "points", {"budget": 100}),
            _q("B", 1, "points", {"budget": 10}),
            _q("A", 2, "points", {"budget": 100}),
            _q("C", 2, "points", {"budget": 100}),
        ),
        {
            ("A", "P01", 1): {"points": {"1": 100}},  # X 100
            ("B", "P01", 1): {"points": {"12": 10}},  # Y 10 of 10 -> 100
            ("B", "P02", 1): {"points": {"11": 2, "12": 8}},  # X 20, Y 80
        },
        {**SKILLS, "C": [(21, "X", "Listening"), (22, "Y", "Empathy")]},
    )
    pooled = pool_lists(export)
    [q] = pooled.questions
    names = _names(pooled, q)
    totals = {names[e["skill_id"]]: (e["total"], e["share"]) for e in q.result["items"]}
    assert totals == {"Y": (180, 0.6), "X": (120, 0.4), "Z": (0, 0)}
    assert q.result["budget"] == 100
    assert q.notes[0].english() == (
        "Budgets differ (A: 100, B: 10): each person's points are rescaled to a budget of 100."
    )
    [apart] = pooled.not_pooled
    assert apart.sessions == "A + C" and "points a skill gets depend on" in apart.reason.english()


def test_a_question_asked_in_different_forms_pools_each_form_apart():
    export = ListExport(
        (
            _q("A", 1, "rank", {"k": 3}),
            _q("B", 1, "rank", {"k": 3}),
            _q("C", 1, "pick", {"k": 1, "exact": True, "threshold": 50}),
        ),
        {("A", "P01", 1): {"order": [1, 2, 3]}, ("B", "P01", 1): {"order": [11, 12, 13]}},
        {**SKILLS, "C": [(21, "X", "Listening"), (22, "Y", "Empathy"), (23, "Z", "Teamwork")]},
    )
    pooled = pool_lists(export)
    assert [(q.kind, q.session_code) for q in pooled.questions] == [("rank", "A + B")]
    assert pooled.not_pooled[0].reason.english() == (
        "Asked in different forms (A: rank, B: rank, C: pick): only answers to the same form are pooled."
    )
