"""What the room sees: decisions freeze at close, live counts without results, the comment wall."""

from __future__ import annotations

from tests.conftest import ack

F, P = "/facilitator", "/participant"


def test_a_closed_session_refuses_decisions(make_session, facilitator_socket):
    session = make_session(state="live")
    fac = facilitator_socket(session)
    skill = session.items[0].skill_id
    decided = ack(
        fac, "record_decision", {"code": session.code, "skill_id": skill, "action": "keep", "reason": "ok"}, F
    )
    assert decided["ok"] and decided["action"] == "keep"
    assert ack(fac, "set_state", {"code": session.code, "state": "closed"}, F)["ok"]
    late = ack(
        fac,
        "record_decision",
        {"code": session.code, "skill_id": skill, "action": "remove", "reason": "x"},
        F,
    )
    assert late["error"] == "session_closed"
    assert ack(fac, "sync", {"code": session.code}, F)["decisions"][0]["action"] == "keep"
