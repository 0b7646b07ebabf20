"""The audit log: facilitators' and admins' actions are recorded with who and when; the admin
reads it; a session's workbook carries the session's log."""

from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa
from flask import g

from models import AuditEntry, db
from tests.conftest import PASSWORD, ack
from tests.conftest import login as _login

F, P = "/facilitator", "/participant"


def login(client, user):
    g.pop("_login_user", None)  # the test's shared `g` caches the last user
    _login(client, user)


def _actions(code=None):
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if code:
        query = query.where(AuditEntry.session_code == code)
    return list(db.session.scalars(query))


def test_a_meeting_s_actions_are_recorded_with_who_and_when(app, make_session, facilitator_socket, phone):
    session = make_session(state="draft")
    code = session.code
    fac = facilitator_socket(session)
    for state in ("open", "live"):
        assert ack(fac, "set_state", {"code": code, "state": state}, F)["ok"]
    people = [phone(session) for _ in range(2)]
    skill = session.items[0].skill_id
    assert ack(fac, "open_item", {"code": code, "skill_id": skill}, F)["ok"]
    assert ack(people[0], "submit_comment", {"skill_id": skill, "text": "Too broad"}, P)["ok"]
    comment = ack(fac, "sync", {"code": code}, F)["comments"][0]["id"]
    for event, extra in (
        ("lock_item", {"skill_id": skill}),
        ("reveal_item", {"skill_id": skill}),
        ("revote_item", {"skill_id": skill}),
        ("moderate_comment", {"comment_id": comment, "state": "hidden"}),
        ("moderate_comment", {"comment_id": comment, "state": "starred"}),
        ("record_decision", {"skill_id": skill, "action": "keep", "reason": "Clear."}),
        ("remove_participant", {"participant": people[1].pseudonym}),
        ("set_state", {"state": "closed"}),
    ):
        assert ack(fac, event, {"code": code, **extra}, F)["ok"], event
    http = app.test_client()
    login(http, session.facilitator)
    assert http.get(f"/f/sessions/{code}/export.xlsx").status_code == 200

    log = _actions(code)
    assert [e.action for e in log] == [
        "session_state",
        "session_state",
        "item_opened",
        "item_locked",
        "results_revealed",
        "revote",
        "comment_hidden",
        "comment_starred",
        "decision",
        "participant_removed",
        "session_state",
        "session_exported",
    ]
    assert {e.actor for e in log} == {session.facilitator.email}
    assert all(e.at is not None and e.actor_id == session.facilitator.id for e in log)
    code_of_skill = session.items[0].skill.code
    decision = log[8]
    assert decision.target == code_of_skill and decision.detail == {"action": "keep", "reason": "Clear."}
    assert log[9].target == people[1].pseudonym and log[9].detail["ratings"] == 0
    assert [e.target for e in log if e.action == "session_state"] == ["open", "live", "closed"]

    # the next export carries the session's log, with who is left out of the figures first
    book = openpyxl.load_workbook(io.BytesIO(http.get(f"/f/sessions/{code}/export.xlsx").data))
    rows = list(book["Log"].iter_rows(values_only=True))
    assert rows[0] == ("session", "at", "who", "action", "on", "details")
    assert rows[1][3] == "left_out_of_figures" and rows[1][5].startswith("1 participant removed")
    assert [r[3] for r in rows[2:]] == [e.action for e in log]
    assert rows[2][2] == session.facilitator.email


def test_account_changes_are_recorded_and_the_admin_reads_the_log(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    admin, user = make_user("admin"), make_user()
    login(client, admin)
    made = client.post(
        "/f/users", data={"email": "new@example.org", "display_name": "", "role": "facilitator"}
    )
    assert made.status_code == 200
    client.post(f"/f/users/{user.id}", data={"role": "coordinator", "active": "y"})
    client.post(f"/f/users/{user.id}/reset-password")
    log = _actions()
    assert [(e.action, e.target) for e in log] == [
        ("account_created", "new@example.org"),
        ("account_changed", user.email),
        ("password_reset", user.email),
    ]
    assert log[1].detail == {
        "from": {"role": "facilitator", "active": True},
        "to": {"role": "coordinator", "active": True},
    }
    assert all(e.actor == admin.email for e in log)
    page = client.get("/f/audit").get_data(as_text=True)
    assert "account created" in page and "password reset" in page and admin.email in page


@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_only_admins_read_the_audit_log(client, make_user, role):
    login(client, make_user(role))
    assert client.get("/f/audit").status_code == 403


def test_the_command_line_s_purge_and_unlock_are_recorded(app, make_meeting, make_user):
    meeting = make_meeting("closed", values={"relevance": [4]})
    user = make_user()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["purge", meeting.session.code]).exit_code == 0
    assert runner.invoke(args=["unlock", user.email]).exit_code == 0
    assert [(e.action, e.actor) for e in _actions()] == [
        ("session_purged", "command line"),
        ("account_unlocked", "command line"),
    ]


def test_a_password_change_is_recorded_and_the_page_answers(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_user()
    login(client, user)
    changed = client.post(
        "/f/account/password",
        data={"current": PASSWORD, "new": "another long password", "confirm": "another long password"},
    )
    assert changed.status_code == 302
    assert [(e.action, e.actor) for e in _actions()] == [("password_changed", user.email)]
