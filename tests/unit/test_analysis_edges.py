"""Small panels and edges: k* bands at their boundaries, N < 3, criteria nobody could judge."""

import pytest

from analysis import modified_kappa, round_half_up, suggest_action, summarize
from analysis.content_validity import kappa_band
from analysis.summary import NOT_INTERPRETABLE


def _relevance(a: int, n: int):
    return summarize([4] * a + [1] * (n - a), scale_min=1, scale_max=4, measure="relevance")


@pytest.mark.parametrize(
    ("a", "n", "shown", "band"),
    [
        (12, 16, 0.74, "good"),  # k* = .7429: shown .74, so "good" (.60-.74), not "> .74"
        (38, 51, 0.75, "excellent"),  # k* = .74504: shown .75
        (63, 159, 0.39, "poor"),  # k* = .39499: shown .39 (a 4-decimal step would say .40)
        (57, 95, 0.60, "good"),  # k* = .59502
        (8, 10, 0.79, "excellent"),  # BMC Health Serv Res 2017 17:537 Table 10
    ],
)
def test_k_star_band_is_read_on_the_value_shown(a, n, shown, band):
    s = _relevance(a, n)
    assert (s.k_star, s.k_band) == (shown, band)
    assert s.to_dict()["k_star"] == shown


def test_value_and_band_agree_near_every_boundary_for_panels_up_to_300():
    for n in range(3, 301):
        for a in range(n + 1):
            exact = modified_kappa(a, n)
            if min(abs(exact - edge) for edge in (0.395, 0.595, 0.745)) > 0.002:
                continue  # far from a band edge: nothing to get wrong
            s = _relevance(a, n)
            assert s.k_star == round_half_up(exact, 2), (a, n)
            assert kappa_band(float(f"{s.k_star:.2f}")) == s.k_band, (a, n)


def test_no_k_star_band_below_three_ratings():
    assert _relevance(2, 2).k_band == NOT_INTERPRETABLE == "not interpretable at this N"
    assert _relevance(1, 1).k_star == 1.0 and _relevance(1, 1).k_band == NOT_INTERPRETABLE
    assert _relevance(3, 3).k_band == "excellent"
    empty = summarize([None, None], scale_min=1, scale_max=4, measure="relevance")
    assert empty.k_band is None


def test_a_criterion_nobody_could_judge_asks_to_clarify_the_definition():
    unjudged = summarize([None] * 5, scale_min=1, scale_max=4, measure="relevance")
    keep = summarize([5, 5, 4, 5, 4], scale_min=1, scale_max=5, measure="importance")
    action = suggest_action({"relevance": unjudged, "importance": keep})
    assert action.action == "clarify"
    assert action.label == "No one could judge: clarify the definition"
    assert action.reasons == ('relevance: no one could judge (5 "can\'t judge")',)
    clarity = summarize([None] * 4, scale_min=1, scale_max=4, measure="clarity")
    assert suggest_action({"importance": keep, "clarity": clarity}).action == "clarify"
    # Nobody answered at all is not "nobody could judge".
    nothing = summarize([], scale_min=1, scale_max=4, measure="relevance")
    assert suggest_action({"relevance": nothing}).action == "undecided"
