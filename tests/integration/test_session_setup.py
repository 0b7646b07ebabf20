"""Changing a session's set-up: what may change in each state, and criteria kept by key."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services import sessions


def test_criteria_change_keeps_the_criteria_still_chosen(make_session):
    session = make_session(state="draft", criteria=["relevance", "importance"])
    relevance = session.criteria[0].id
    data = replace(sessions.session_input(session), criteria=["essentiality", "relevance"])
    sessions.update_session(session, data)
    assert [c.key for c in session.criteria] == ["essentiality", "relevance"]
    assert [c.position for c in session.criteria] == [0, 1]
    assert session.criteria[1].id == relevance  # the same row: nothing referring to it breaks


@pytest.mark.parametrize(
    ("state", "changes"),
    [
        ("draft", {"title", "place", "criteria", "rule", "consent_text"}),
        ("open", {"title", "place", "criteria", "rule", "consent_text"}),
        ("live", {"title", "place", "consent_text"}),
        ("closed", {"title", "place"}),
    ],
)
def test_update_changes_only_what_the_state_allows(make_session, state, changes):
    session = make_session(state=state)
    before = sessions.session_input(session)
    wanted = replace(
        before,
        title="New title",
        place="Turin",
        criteria=["clarity"],
        rule={"agree_pct": 0.8, "iqr_max": None, "ninepoint_method": "comet"},
        consent_text="Other consent",
    )
    sessions.update_session(session, wanted)
    after = sessions.session_input(session)
    for name in ("title", "place", "criteria", "consent_text"):
        expected = getattr(wanted if name in changes else before, name)
        assert getattr(after, name) == expected, name
    assert (after.rule["agree_pct"] == 0.8) is ("rule" in changes)
