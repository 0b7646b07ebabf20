"""Round settings, the reason rules and the stopping rule (domain/rounds.py)."""

from __future__ import annotations

import pytest

from domain.rounds import RoundSettings, needs_reason, stopping_reasons


@pytest.mark.parametrize(
    ("rule", "value", "previous", "expected"),
    [
        ("none", 5, 1, False),
        ("away_from_median", 4, 3, True),  # off the median (3)
        ("away_from_median", 1, 2, True),  # further below it
        ("away_from_median", 4, 4, False),  # stays where it was
        ("away_from_median", 2, 1, False),  # moves towards it
        ("away_from_median", 5, None, False),  # no earlier answer: nothing moved
        ("away_from_median", None, 3, False),  # can't judge
        ("outside_iqr", 2, 3, True),  # below Q1 2.5
        ("outside_iqr", 4, 4, True),  # above Q3 3.5, also when it stays there
        ("outside_iqr", 3, 1, False),
        ("outside_iqr", None, 1, False),
    ],
)
def test_needs_reason(rule, value, previous, expected):
    assert needs_reason(rule, value, previous, median=3.0, q1=2.5, q3=3.5) is expected


def test_no_group_answers_means_no_reason():
    assert not needs_reason("away_from_median", 4, 3, None, None, None)
    assert not needs_reason("outside_iqr", 4, 3, None, None, None)


def test_stopping_reasons():
    every = RoundSettings(stop_consensus=True, stop_stability=True, max_rounds=3)
    assert stopping_reasons(every, consensus=True, stable=True, rounds_held=3) == [
        "consensus",
        "stability",
        "max_rounds",
    ]
    assert stopping_reasons(every, consensus=False, stable=None, rounds_held=2) == []
    only_rounds = RoundSettings(max_rounds=2)
    assert stopping_reasons(only_rounds, consensus=True, stable=True, rounds_held=2) == ["max_rounds"]
    assert not RoundSettings().has_stopping_rule and only_rounds.has_stopping_rule


def test_settings_round_trip_and_refusals():
    data = {"feedback": ["iqr", "median"], "reason": "outside_iqr", "max_rounds": 4}
    settings = RoundSettings.from_dict(data)
    assert settings.feedback == ("median", "iqr")
    assert RoundSettings.from_dict(settings.to_dict()) == settings
    assert RoundSettings.from_dict({}) == RoundSettings()
    for bad in (
        {"feedback": []},
        {"feedback": ["mean"]},
        {"feedback": "median"},
        {"reason": "always"},
        {"reason": "outside_iqr", "feedback": ["median"]},
        {"max_rounds": 11},
        {"max_rounds": "3"},
    ):
        with pytest.raises((ValueError, TypeError)):
            RoundSettings.from_dict(bad)
