"""Roles on every page and every event: a facilitator owns their sessions (and only sees theirs),
a coordinator sees, exports, merges and compares every session, an admin also manages accounts.

The page walk takes every rule of the app's URL map under /f/, so a page added later without a
check fails here until the matrix says who may open it.
"""

from __future__ import annotations

import pytest
from flask import g

from core.extensions import socketio
from services import assessment, frameworks
from services.frameworks import SkillInput
from tests.conftest import ack
from tests.conftest import login as _login

F = "/facilitator"
OPEN = {"facilitator.login", "facilitator.logout", "facilitator.setup"}  # before sign-in, by design
ADMIN_ONLY = {
    "facilitator.user_list",
    "facilitator.user_edit",
    "facilitator.user_reset_password",
    "facilitator.user_unlock",
    "facilitator.audit_log",
}
# Pages about no one's object: every signed-in role opens them.
ANYONE = {
    "facilitator.home",
    "facilitator.password_change",
    "facilitator.session_new",
    "facilitator.framework_new",
    "facilitator.framework_template",
    "facilitator.framework_import",
    "facilitator.framework_import_confirm",
    "facilitator.merged_export",
    "facilitator.assessment_list",
    "facilitator.assessment_new",
}


def login(client, user):
    g.pop("_login_user", None)
    _login(client, user)


@pytest.fixture
def world(app, make_user, make_session, make_participant):
    app.config["WTF_CSRF_ENABLED"] = False
    owner, other = make_user(), make_user()
    people = {
        "owner": owner,
        "other facilitator": other,
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
    }
    session = make_session(state="closed", facilitator=owner, title="Meeting of the owner")
    own_of_other = make_session(state="live", facilitator=other, title="Meeting of the other")
    example = frameworks.ensure_example_framework()
    survey = assessment.create_assessment(owner, assessment.AssessmentInput("Owner's survey", example.id))
    private = frameworks.create_framework("Owner's list", [SkillInput("A", "A", "A.")], owner=owner)
    return {
        "people": people,
        "session": session,
        "other_session": own_of_other,
        "assessment": survey,
        "framework": private,
        "user": other,
    }


def _url(rule, world) -> str:
    values = {}
    for arg in rule.arguments:
        if arg == "code":
            values[arg] = world["assessment"].code if "/assessments/" in rule.rule else world["session"].code
        elif arg == "framework_id":
            values[arg] = world["framework"].id
        elif arg == "user_id":
            values[arg] = world["user"].id
        elif arg == "fmt":
            values[arg] = "xlsx" if "export" in rule.rule else "svg"
        elif arg == "lang":
            values[arg] = "it"
        else:  # an object inside the session (an answer, a question): authorization comes first
            values[arg] = 1
    url = rule.rule
    for arg, value in values.items():
        url = url.replace(f"<{arg}>", str(value)).replace(f"<int:{arg}>", str(value))
    return url


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/f/") and r.endpoint not in OPEN]


@pytest.mark.parametrize("role", ["owner", "other facilitator", "coordinator", "admin"])
def test_every_facilitator_page_answers_each_role_as_the_matrix_says(app, world, role):
    client = app.test_client()
    login(client, world["people"][role])
    checked = 0
    for rule in _rules(app):
        url = _url(rule, world)
        if rule.endpoint in ADMIN_ONLY:
            expected = 200 if role == "admin" else 403
        elif rule.endpoint in ANYONE:
            expected = 200
        elif rule.endpoint.startswith(
            ("facilitator.framework_edit", "facilitator.framework_export", "facilitator.framework_share")
        ):
            expected = 403 if role == "other facilitator" else 200  # the owner's private framework
        else:  # a page of the owner's session or self-assessment
            expected = 403 if role == "other facilitator" else 200
        if "GET" in rule.methods:
            status = client.get(url).status_code
            assert (status if status != 302 else 200) == expected, (role, url, status)
            checked += 1
        elif role == "other facilitator":  # POST-only actions on someone else's object: refused, nothing done
            if rule.endpoint in ANYONE:
                continue
            status = client.post(url, data={"confirm": "yes", "shared": "yes", "state": "open"}).status_code
            assert status == 403, (role, url, status)
            checked += 1
    assert checked >= 25


def test_listings_show_a_facilitator_their_own_sessions_and_a_coordinator_all(app, world):
    client = app.test_client()
    own, other = world["session"], world["other_session"]
    login(client, world["people"]["other facilitator"])
    for url in ("/f/", "/f/export", f"/f/sessions/{other.code}/compare"):
        page = client.get(url).get_data(as_text=True)
        assert other.title in page and own.title not in page, url
    refused = client.post("/f/export", data={"code": [own.code]})  # someone else's code is ignored
    assert refused.status_code == 200 and "Choose at least one session" in refused.get_data(as_text=True)
    login(client, world["people"]["coordinator"])
    for url in ("/f/", "/f/export", f"/f/sessions/{other.code}/compare"):
        page = client.get(url).get_data(as_text=True)
        assert other.title in page and own.title in page, url
    merged = client.post("/f/export", data={"code": [own.code, other.code]})
    assert merged.status_code == 200 and merged.mimetype.endswith("sheet")


def _events():
    # "*": the catch-all for unknown events
    return sorted(e for e in socketio.server.handlers[F] if e not in ("connect", "disconnect", "*"))


def test_every_dashboard_event_refuses_another_facilitator_s_session(app, world, facilitator_socket):
    own, other = world["session"], world["other_session"]
    intruder = world["people"]["other facilitator"]
    refused = socketio.test_client(
        app, namespace=F, flask_test_client=_signed_in(app, intruder), auth={"code": own.code}
    )
    assert not refused.is_connected(F)
    sock = facilitator_socket(other, user=intruder)  # connected to their own session
    events = _events()
    assert len(events) >= 18
    for event in events:
        answer = ack(sock, event, {"code": own.code, "skill_id": own.items[0].skill_id, "state": "open"}, F)
        assert answer.get("error") == "not_authorized", (event, answer)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_run_any_session(app, world, facilitator_socket, role):
    session = world["session"]
    sock = facilitator_socket(session, user=world["people"][role])
    assert sock.is_connected(F)
    assert ack(sock, "sync", {"code": session.code}, F)["session"]["code"] == session.code


def _signed_in(app, user):
    http = app.test_client()
    _login(http, user)
    return http
