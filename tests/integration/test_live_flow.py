"""A whole facilitator-paced meeting over the real Socket.IO handlers, then every error code."""

from __future__ import annotations

from typing import Any

from models import Rating, db
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


def _sync(sock: Any, ns: str, payload: Any = None) -> dict[str, Any]:
    reply = ack(sock, "sync", payload or {}, ns)
    assert reply["ok"], reply
    return reply


def test_facilitator_paced_meeting_end_to_end(make_session, facilitator_socket, phone):
    session = make_session(state="open")
    fac = facilitator_socket(session)
    assert fac.is_connected(F)
    phones = [phone(session, {"sector": s}) for s in ("University", "Business", "Expert")]
    assert [p.pseudonym for p in phones] == ["P01", "P02", "P03"]

    assert ack(fac, "set_state", {"code": session.code, "state": "live"}, F)["ok"]
    state = _sync(fac, F, {"code": session.code})["session"]
    first = state["items"][0]["skill_id"]
    relevance, importance = (c["id"] for c in state["criteria"])
    assert ack(fac, "open_item", {"code": session.code, "skill_id": first}, F)["ok"]
    opened = received(phones[0], P, "session_updated")[-1]
    assert opened["current_skill_id"] == first

    for sock, value in zip(phones, (4, 3, "cant_judge"), strict=True):
        reply = ack(sock, "submit_rating", {"skill_id": first, "criterion_id": relevance, "value": value}, P)
        assert reply == {"ok": True, "skill_id": first, "criterion_id": relevance, "value": value, "round": 1}
    ack(phones[0], "submit_rating", {"skill_id": first, "criterion_id": importance, "value": 5}, P)
    comment = ack(phones[1], "submit_comment", {"skill_id": first, "text": "Define 'partner'."}, P)
    assert comment["ok"]

    pushed = received(fac, F, "results_updated")
    latest = pushed[-1]["items"][0]["criteria"][str(relevance)]
    assert (latest["n"], latest["n_abstain"], latest["counts"]) == (2, 1, [0, 0, 1, 1])
    assert latest["median"] == 3.5
    assert received(fac, F, "comment_updated")[-1]["comment"]["text"] == "Define 'partner'."
    # Results stay hidden from phones until revealed.
    assert received(phones[2], P, "results_revealed") == []
    assert ack(fac, "reveal_item", {"code": session.code, "skill_id": first}, F)["ok"]
    revealed = received(phones[2], P, "results_revealed")[-1]["items"][0]
    assert revealed["criteria"][str(relevance)]["n"] == 2

    assert ack(fac, "lock_item", {"code": session.code, "skill_id": first}, F)["ok"]
    locked = ack(phones[0], "submit_rating", {"skill_id": first, "criterion_id": relevance, "value": 1}, P)
    assert locked["error"] == "item_locked"
    assert ack(fac, "set_state", {"code": session.code, "state": "closed"}, F)["ok"]
    closed = ack(phones[0], "submit_rating", {"skill_id": first, "criterion_id": relevance, "value": 1}, P)
    assert closed["error"] == "session_closed"
    values = sorted(str(r.value) for r in db.session.query(Rating).filter_by(criterion_id=relevance))
    assert values == ["3", "4", "None"]


def test_resubmission_is_counted_once_and_reconnect_restores_answers(
    make_session, facilitator_socket, phone, app
):
    session = make_session(state="live", pacing="self")
    sock = phone(session)
    state = _sync(sock, P)["session"]
    skill, criterion = state["items"][2]["skill_id"], state["criteria"][0]["id"]
    payload = {"skill_id": skill, "criterion_id": criterion, "value": 2}
    for _ in range(3):
        assert ack(sock, "submit_rating", payload, P)["ok"]
    assert ack(sock, "submit_rating", {**payload, "value": 4}, P)["ok"]
    ack(sock, "submit_comment", {"skill_id": skill, "text": "ok"}, P)
    assert db.session.query(Rating).count() == 1
    sock.disconnect(namespace=P)

    from core.extensions import socketio

    again = socketio.test_client(app, namespace=P, auth={"token": sock.token})
    answers = _sync(again, P)["answers"]
    assert answers[str(skill)] == {"ratings": {str(criterion): 4}, "comment": "ok"}


def test_every_error_code(make_session, make_user, facilitator_socket, phone, app, client):
    from core.extensions import socketio

    session = make_session(state="open", criteria=["relevance"])
    sock = phone(session)
    state = _sync(sock, P)["session"]
    skill, criterion = state["items"][0]["skill_id"], state["criteria"][0]["id"]
    rate = {"skill_id": skill, "criterion_id": criterion, "value": 3}
    assert ack(sock, "submit_rating", rate, P)["error"] == "session_not_live"
    fac = facilitator_socket(session)
    ack(fac, "set_state", {"code": session.code, "state": "live"}, F)
    assert ack(sock, "submit_rating", rate, P)["error"] == "item_not_open"
    ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)
    cases = [
        ({**rate, "value": 5}, "invalid_value"),
        ({**rate, "value": "3"}, "bad_payload"),
        ({**rate, "value": True}, "bad_payload"),
        ({**rate, "criterion_id": 99999}, "unknown_item"),
        ({**rate, "skill_id": 99999}, "unknown_item"),
        ("not an object", "bad_payload"),
        (None, "bad_payload"),
    ]
    for payload, code in cases:
        reply = ack(sock, "submit_rating", payload, P)
        assert reply["ok"] is False and reply["error"] == code, (payload, reply)
        assert reply["message"]
    too_long = ack(sock, "submit_comment", {"skill_id": skill, "text": "x" * 2001}, P)
    assert too_long["error"] == "comment_too_long"
    assert db.session.query(Rating).count() == 0

    # Participants cannot send facilitator events: their socket is not signed in.
    intruder = socketio.test_client(
        app, namespace=F, flask_test_client=app.test_client(), auth={"code": session.code}
    )
    assert not intruder.is_connected(F)
    other = facilitator_socket(session, user=make_user())
    assert not other.is_connected(F)
    assert ack(fac, "open_item", {"code": session.code, "skill_id": "x"}, F)["error"] == "bad_payload"
    assert ack(fac, "set_state", {"code": session.code, "state": "draft"}, F)["error"] == "invalid_state"
    assert ack(fac, "sync", {"code": "NOPE42"}, F)["error"] == "session_not_found"
    bad_token = socketio.test_client(app, namespace=P, auth={"token": "forged"})
    assert not bad_token.is_connected(P)
    unknown = client.post("/api/sessions/ZZZZZZ/join", json={"consent": True})
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "session_not_found"
    no_consent = client.post(f"/api/sessions/{session.code}/join", json={"consent": False})
    assert no_consent.get_json()["error"] == "consent_required"


def test_dashboard_sees_who_is_connected(make_session, facilitator_socket, phone):
    session = make_session(state="open")
    fac = facilitator_socket(session)
    first, second = phone(session), phone(session)
    latest = received(fac, F, "presence")[-1]
    assert (latest["participants"], latest["connected"]) == (2, 2)
    assert [p["participant"] for p in latest["completion"]["participants"]] == ["P01", "P02"]
    first.disconnect(namespace=P)
    latest = received(fac, F, "presence")[-1]
    assert (latest["participants"], latest["connected"]) == (2, 1)
    synced = _sync(fac, F, {"code": session.code})
    assert (synced["participants"], synced["connected"]) == (2, 1)
    assert [p["online"] for p in synced["completion"]["participants"]] == [False, True]
    assert second.is_connected(P)


def test_a_skills_results_are_revealed_once_it_is_on_the_phones(make_session, facilitator_socket, phone):
    """Revealing a skill nobody is answering yet reveals nothing and would put each vote of the
    round on the projector and phones as it came in: refused, and nothing changes. An earlier
    skill's results can be revealed while another is open; hiding is always allowed."""
    session = make_session(state="open")
    code, fac, sock = session.code, facilitator_socket(session), phone(session)
    first, second = (i["skill_id"] for i in _sync(fac, F, {"code": code})["session"]["items"][:2])

    def reveal(skill: int, revealed: bool = True) -> dict[str, Any]:
        return ack(fac, "reveal_item", {"code": code, "skill_id": skill, "revealed": revealed}, F)

    early = reveal(first)  # the lobby: nothing is on the phones
    assert (early["ok"], early["error"]) == (False, "invalid_state")
    assert early["message"].startswith("Nobody is answering this skill yet")
    assert ack(fac, "set_state", {"code": code, "state": "live"}, F)["ok"]
    assert reveal(first)["error"] == "invalid_state"  # live, but not shown yet (facilitator-paced)
    assert reveal(first, False)["ok"]
    assert not any(i["revealed"] for i in _sync(fac, F, {"code": code})["session"]["items"])
    assert received(sock, P, "results_revealed") == []

    assert ack(fac, "open_item", {"code": code, "skill_id": first}, F)["ok"]
    assert reveal(first)["revealed"] is True
    assert ack(fac, "open_item", {"code": code, "skill_id": second}, F)["ok"]
    assert reveal(first, False)["ok"] and reveal(first)["revealed"] is True  # an earlier skill, another open

    # A new round for every skill (facilitator-paced): the first is shown, the others wait, hidden.
    assert ack(fac, "start_round", {"code": code, "scope": "all"}, F)["ok"]
    assert reveal(second)["error"] == "invalid_state"
    assert reveal(first)["revealed"] is True


def test_a_self_paced_skill_is_revealed_once_voting_starts(make_session, facilitator_socket):
    """Self-paced, every skill is on the phones from the start of voting: each can be revealed then."""
    session = make_session(state="open", pacing="self")
    code, fac = session.code, facilitator_socket(session)
    skill = _sync(fac, F, {"code": code})["session"]["items"][1]["skill_id"]
    assert ack(fac, "reveal_item", {"code": code, "skill_id": skill}, F)["error"] == "invalid_state"
    assert ack(fac, "set_state", {"code": code, "state": "live"}, F)["ok"]
    assert ack(fac, "reveal_item", {"code": code, "skill_id": skill}, F)["revealed"] is True


def test_a_skill_is_locked_once_it_is_on_the_phones(make_session, facilitator_socket, phone):
    """Locking a skill nobody is answering yet made it "locked" with no answers, and its empty
    results revealable; unlocking one made it open without being shown. Both are refused, as for
    list questions: a skill is skipped by not showing it. Once shown, it locks and unlocks."""
    session = make_session(state="open")
    code, fac, sock = session.code, facilitator_socket(session), phone(session)
    first, second = (i["skill_id"] for i in _sync(fac, F, {"code": code})["session"]["items"][:2])

    def lock(skill: int, locked: bool = True) -> dict[str, Any]:
        return ack(fac, "lock_item", {"code": code, "skill_id": skill, "locked": locked}, F)

    assert ack(fac, "set_state", {"code": code, "state": "live"}, F)["ok"]
    for locked in (True, False):  # live, but not shown yet (facilitator-paced)
        early = lock(first, locked)
        assert (early["ok"], early["error"]) == (False, "invalid_state")
        assert (
            early["message"] == "Nobody is answering this skill yet: show it on the phones before locking it."
        )
    assert {i["status"] for i in _sync(fac, F, {"code": code})["session"]["items"]} == {"pending"}
    assert ack(fac, "reveal_item", {"code": code, "skill_id": first}, F)["error"] == "invalid_state"
    assert received(sock, P, "results_revealed") == []

    assert ack(fac, "open_item", {"code": code, "skill_id": first}, F)["ok"]
    assert lock(first)["status"] == "locked"
    assert lock(first, False)["status"] == "open"
    assert lock(second)["error"] == "invalid_state"  # an earlier skill is on the phones, not this one

    # A new round for every skill (facilitator-paced): the first is shown again, the others wait.
    assert ack(fac, "start_round", {"code": code, "scope": "all"}, F)["ok"]
    assert lock(second)["error"] == "invalid_state"
    assert lock(first)["status"] == "locked"


def test_a_skill_is_re_voted_once_it_is_on_the_phones(make_session, facilitator_socket, phone):
    """Re-voting a skill nobody answered this round (never shown, or left waiting by a new round)
    left an empty round behind and put the skill on the phones unannounced: refused, as for list
    questions; nothing changes. A skill on the phones (or locked after) starts its next round."""
    session = make_session(state="open")
    code, fac = session.code, facilitator_socket(session)
    phone(session)  # somebody in the room
    first, second = (i["skill_id"] for i in _sync(fac, F, {"code": code})["session"]["items"][:2])

    def revote(skill: int) -> dict[str, Any]:
        return ack(fac, "revote_item", {"code": code, "skill_id": skill}, F)

    def rounds() -> dict[int, tuple[str, int]]:
        items = _sync(fac, F, {"code": code})["session"]["items"]
        return {i["skill_id"]: (i["status"], i["round"]) for i in items if i["skill_id"] in (first, second)}

    assert ack(fac, "set_state", {"code": code, "state": "live"}, F)["ok"]
    early = revote(first)  # live, but not shown yet (facilitator-paced)
    assert (early["ok"], early["error"]) == (False, "invalid_state")
    assert early["message"] == (
        "Nobody is answering this skill yet: show it on the phones before starting a new round."
    )
    assert rounds() == {first: ("pending", 1), second: ("pending", 1)}

    assert ack(fac, "open_item", {"code": code, "skill_id": first}, F)["ok"]
    assert ack(fac, "lock_item", {"code": code, "skill_id": first, "locked": True}, F)["ok"]
    assert revote(first)["ok"]
    assert rounds()[first] == ("open", 2)
    assert revote(second)["error"] == "invalid_state"  # another skill is on the phones, not this one
    assert rounds()[second] == ("pending", 1)
