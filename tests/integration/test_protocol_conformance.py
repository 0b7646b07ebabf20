"""docs/protocol.md and the server agree: every event answered once, strict payloads, one session each."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.extensions import socketio
from services.prioritisation import QuestionSpec
from tests.conftest import ack, login, received

P, F = "/participant", "/facilitator"


def _first_skill(sock: Any, ns: str, payload: Any) -> int:
    return ack(sock, "sync", payload, ns)["session"]["items"][0]["skill_id"]


@pytest.mark.parametrize(
    "event",
    ["set_state", "open_item", "reveal_item", "lock_item", "record_decision", "no_such_event", "clear_wall"],
)
def test_participant_namespace_answers_unknown_events(make_session, phone, event):
    sock = phone(make_session("live"))
    reply = ack(sock, event, {"code": "x", "skill_id": 1}, P)
    assert reply == {"ok": False, "error": "unknown_event", "message": reply["message"]}
    assert event in reply["message"]


def test_facilitator_namespace_answers_unknown_events(make_session, facilitator_socket):
    session = make_session("live")
    sock = facilitator_socket(session)
    for event in ("submit_rating", "nonsense"):
        assert ack(sock, event, {"code": session.code}, F)["error"] == "unknown_event"


@pytest.mark.parametrize("payload", ["text", 7, [1, 2], True, None])
def test_non_object_payloads_are_bad_payload(make_session, phone, facilitator_socket, payload):
    session = make_session("live")
    sock = phone(session)
    assert ack(sock, "sync", payload, P)["error"] == "bad_payload"
    assert ack(sock, "submit_rating", payload, P)["error"] == "bad_payload"
    dash = facilitator_socket(session)
    assert ack(dash, "sync", payload, F)["error"] == "bad_payload"


def test_bare_sync_still_works(make_session, phone):
    sock = phone(make_session("live"))
    assert sock.emit("sync", namespace=P, callback=True)["ok"] is True


def test_several_arguments_are_bad_payload(make_session, phone, facilitator_socket):
    session = make_session("live")
    sock = phone(session)
    assert sock.emit("sync", {}, {}, namespace=P, callback=True)["error"] == "bad_payload"
    dash = facilitator_socket(session)
    reply = dash.emit("open_item", {"code": session.code}, 3, namespace=F, callback=True)
    assert reply["error"] == "bad_payload"


@pytest.mark.parametrize("big", [2**64, 2**63, -(2**63) - 1, 10**30])
def test_ids_beyond_64_bits_are_bad_payload(make_session, phone, facilitator_socket, big):
    session = make_session("live")
    sock = phone(session)
    skill = _first_skill(sock, P, {})
    for event, payload in (
        ("submit_rating", {"skill_id": big, "criterion_id": 1, "value": 3}),
        ("submit_rating", {"skill_id": skill, "criterion_id": big, "value": 3}),
        ("submit_comment", {"skill_id": big, "text": "x"}),
        ("submit_answer", {"question_id": big, "value": {"picks": [1]}}),
    ):
        assert ack(sock, event, payload, P)["error"] == "bad_payload", (event, payload)
    dash = facilitator_socket(session)
    for event in ("open_item", "moderate_comment", "open_question"):
        payload = {
            "code": session.code,
            "skill_id": big,
            "comment_id": big,
            "question_id": big,
            "state": "hidden",
        }
        assert ack(dash, event, payload, F)["error"] == "bad_payload", event


def test_deeply_nested_json_join_is_a_json_400(make_session, client):
    session = make_session("open")
    body = "[" * 50_000 + "]" * 50_000
    response = client.post(f"/api/sessions/{session.code}/join", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_payload"
    nested = '{"consent": true, "profile": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001
    response = client.post(f"/api/sessions/{session.code}/join", data=nested, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_payload"


@pytest.mark.parametrize("field,event", [("revealed", "reveal_item"), ("locked", "lock_item")])
@pytest.mark.parametrize("value", ["no", "yes", 0, 1, None, "false"])
def test_booleans_are_booleans(make_session, facilitator_socket, field, event, value):
    session = make_session("live")
    dash = facilitator_socket(session)
    skill = _first_skill(dash, F, {"code": session.code})
    assert ack(dash, "open_item", {"code": session.code, "skill_id": skill}, F)["ok"]
    reply = ack(dash, event, {"code": session.code, "skill_id": skill, field: value}, F)
    assert reply["error"] == "bad_payload"
    item = next(
        i for i in ack(dash, "sync", {"code": session.code}, F)["session"]["items"] if i["skill_id"] == skill
    )
    assert item["revealed"] is False and item["status"] == "open"  # nothing changed


def test_list_question_booleans_are_booleans(make_session, facilitator_socket):
    session = make_session("live", questions=[QuestionSpec("pick", "Which?", {"k": 2})])
    dash = facilitator_socket(session)
    question = ack(dash, "sync_questions", {"code": session.code}, F)["questions"][0]["id"]
    for event, field in (("reveal_question", "revealed"), ("lock_question", "locked")):
        reply = ack(dash, event, {"code": session.code, "question_id": question, field: "no"}, F)
        assert reply["error"] == "bad_payload"


def test_presence_reaches_the_dashboard_when_someone_joins_over_http(
    app, make_session, facilitator_socket, client
):
    app.config["WTF_CSRF_ENABLED"] = False  # the join form's token is not what this test is about
    session = make_session("open")
    dash = facilitator_socket(session)
    response = client.post(f"/api/sessions/{session.code}/join", json={"consent": True})
    assert response.status_code == 200
    assert received(dash, F, "presence")[-1]["participants"] == 1
    page = client.post(f"/j/{session.code}", data={"consent": "yes", "sector": "Business"})
    assert page.status_code == 302
    assert received(dash, F, "presence")[-1]["participants"] == 2


def test_a_facilitator_socket_acts_only_on_its_own_session(make_session, make_user, facilitator_socket):
    user = make_user()
    mine, other = make_session("live", facilitator=user), make_session("live", facilitator=user)
    dash = facilitator_socket(mine, user)
    assert ack(dash, "sync", {"code": mine.code}, F)["ok"]
    assert ack(dash, "sync", {"code": other.code}, F)["error"] == "not_authorized"
    assert ack(dash, "set_state", {"code": other.code, "state": "closed"}, F)["error"] == "not_authorized"
    assert other.state.value == "live"


def test_a_projector_cannot_send_commands(make_session, facilitator_socket):
    session = make_session("live", questions=[QuestionSpec("pick", "Which?", {"k": 2})])
    projector = facilitator_socket(session, view="projector")
    skill = _first_skill(projector, F, {"code": session.code})
    assert ack(projector, "sync_questions", {"code": session.code}, F)["ok"]
    for event, payload in (
        ("open_item", {"skill_id": skill}),
        ("reveal_item", {"skill_id": skill}),
        ("set_state", {"state": "closed"}),
        ("clear_wall", {}),
    ):
        assert ack(projector, event, {"code": session.code, **payload}, F)["error"] == "not_authorized", event
    assert session.state.value == "live"


def test_a_projector_sees_only_revealed_list_results(make_session, facilitator_socket):
    session = make_session("live", questions=[QuestionSpec("pick", "Which?", {"k": 2})])
    projector = facilitator_socket(session, view="projector")
    assert ack(projector, "sync_questions", {"code": session.code}, F)["results"] == []


def test_unknown_view_is_refused(make_session, facilitator_socket):
    session = make_session("live")
    assert not facilitator_socket(session, view="remote").is_connected(F)


def test_signing_out_disconnects_the_dashboard(app, make_session):
    session = make_session("live")
    http = app.test_client()
    login(http, session.facilitator)
    dash = socketio.test_client(app, namespace=F, flask_test_client=http, auth={"code": session.code})
    assert dash.is_connected(F)
    app.config["WTF_CSRF_ENABLED"] = False  # the form's token is not what this test is about
    assert http.post("/f/logout").status_code == 302
    assert not dash.is_connected(F)


def test_sync_state_lists_profile_questions(make_session, phone, client):
    session = make_session("live")
    state = ack(phone(session), "sync", {}, P)["session"]
    assert [{k: v for k, v in q.items() if k != "i18n"} for q in state["profile_questions"]] == [
        {"key": "sector", "label": "Sector", "options": ["University", "Business", "Expert", "Other"]}
    ]
    # each other language's words, option by option; the answer sent is still one of `options`
    assert state["profile_questions"][0]["i18n"]["it"] == {
        "label": "Settore", "options": ["Università", "Impresa", "Esperto", "Altro"]
    }  # fmt: skip
    api = client.get(f"/api/sessions/{session.code}/state").get_json()
    assert api["profile_questions"] == state["profile_questions"]
    answer = state["profile_questions"][0]
    joined = client.post(
        f"/api/sessions/{session.code}/join",
        data=json.dumps({"consent": True, "profile": {answer["key"]: answer["options"][1]}}),
        content_type="application/json",
    )
    assert joined.status_code == 200
