"""suggest_action and disagreement_score."""

from analysis import disagreement_score, suggest_action, summarize


def rel(values):
    return summarize(values, scale_min=1, scale_max=4, measure="relevance")


def clar(values):
    return summarize(values, scale_min=1, scale_max=4, measure="clarity")


def imp(values):
    return summarize(values, scale_min=1, scale_max=5, measure="importance")


def ess(values):
    return summarize(values, scale_min=1, scale_max=3, measure="essentiality")


GOOD_REL = [4, 4, 3, 4, 4, 3, 4, 4, 4, 3]
GOOD_CLAR = [4, 4, 4, 3, 4, 4, 3, 4, 4, 4]


def test_keep():
    a = suggest_action({"relevance": rel(GOOD_REL), "clarity": clar(GOOD_CLAR)})
    assert a.action == "keep" and a.label == "Keep" and a.reasons


def test_revise_when_relevant_but_unclear():
    a = suggest_action({"relevance": rel(GOOD_REL), "clarity": clar([4, 2, 2, 3, 1, 2, 4, 3])})
    assert a.action == "revise"
    assert a.label == "Keep and revise the definition"
    assert any("clarity" in r for r in a.reasons)


def test_discuss_without_consensus():
    a = suggest_action({"importance": imp([5, 4, 3, 2, 4, 3, 5, 3, 2, 4])})
    assert a.action == "discuss"


def test_remove_candidate_on_consensus_against_or_low_icvi():
    assert suggest_action({"importance": imp([1, 2, 1, 2, 2, 1, 3, 1])}).action == ("remove_candidate")
    low = rel([1, 2, 3, 4, 2, 2, 1, 3, 2, 4])  # I-CVI .40 < .70
    assert suggest_action({"relevance": low}).action == "remove_candidate"


def test_conflicting_criteria_go_to_discussion():
    a = suggest_action({"relevance": rel(GOOD_REL), "importance": imp([1, 2, 1, 2, 2, 1, 3, 1])})
    assert a.action == "discuss"


def test_consensus_but_cvr_not_significant_is_discussed():
    # 8/10 essential: 80% >= 75% with IQR 0, but CVR .60 needs 9 of 10 to be significant.
    a = suggest_action({"essentiality": ess([3, 3, 3, 3, 3, 3, 3, 3, 2, 2])})
    assert a.action == "discuss"


def test_undecided_with_too_few_data():
    assert suggest_action({}).action == "undecided"
    assert suggest_action({"relevance": rel([4, 4])}).action == "undecided"
    assert suggest_action({"clarity": clar(GOOD_CLAR)}).action == "undecided"


def test_never_drop():
    a = suggest_action({"relevance": rel([1, 1, 1, 1, 2, 1])})
    assert a.action != "drop" and a.to_dict()["action"] == "remove_candidate"


def test_disagreement_score_orders_by_spread_then_weak_majority():
    tight = rel([4, 4, 4, 4, 4])
    spread = rel([1, 4, 1, 4, 2, 3])
    assert disagreement_score(spread) > disagreement_score(tight)
    # equal IQR: the weaker majority sorts first
    strong = imp([4, 4, 4, 4, 5, 5, 5, 5])
    weak = imp([3, 3, 3, 3, 4, 4, 4, 4])
    assert strong.iqr == weak.iqr
    assert disagreement_score(weak) > disagreement_score(strong)
    assert disagreement_score(rel([])) == 0.0 and disagreement_score(rel([3])) == 0.0
    assert 0 <= disagreement_score(spread) <= 1.0001
