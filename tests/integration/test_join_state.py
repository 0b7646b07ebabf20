"""The state endpoint that a phone waiting on a draft session's join page asks."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("state", "accepts_joins"), [("draft", False), ("open", True), ("live", True), ("closed", False)]
)
def test_state_says_whether_a_phone_may_join(client, make_session, state, accepts_joins):
    session = make_session(state=state)
    answer = client.get(f"/api/sessions/{session.code.lower()}/state")
    assert answer.status_code == 200
    body = answer.get_json()
    assert {k: body[k] for k in ("ok", "state", "accepts_joins")} == {
        "ok": True,
        "state": state,
        "accepts_joins": accepts_joins,
    }
    assert body["profile_questions"][0]["key"] == "sector"  # what a non-browser client answers on joining
    assert answer.headers["Cache-Control"] == "no-store"  # a cached "draft" would keep phones waiting


def test_state_of_an_unknown_code_is_not_found(client):
    answer = client.get("/api/sessions/ZZZZZZ/state")
    assert answer.status_code == 404
    assert answer.get_json()["error"] == "session_not_found"
