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
    from tests.fixtures.export_factories import header_names

    rows = list(book["Log"].iter_rows(values_only=True))
    assert header_names(book, "Log") == ("session", "at", "who", "action", "on", "details")
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


def test_rounds_reviews_and_self_assessments_are_in_the_log_too(
    app, make_session, make_user, facilitator_socket
):
    """What the first log missed: session-wide rounds, the review page's actions (dates, personal
    links, invitations, reminders, next round) and a self-assessment's life (created, opened,
    exported, new version); the log counts e-mails sent, never names an address."""
    from datetime import UTC, datetime

    from core.clock import TestClock, install
    from services import frameworks
    from tests.smtp_sink import SmtpSink

    install(app, TestClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)))
    app.config["WTF_CSRF_ENABLED"] = False
    meeting = make_session(state="live")
    fac = facilitator_socket(meeting)
    assert ack(fac, "start_round", {"code": meeting.code, "scope": "all"}, F)["ok"]

    review = make_session(state="draft", criteria=["relevance"], consent_text="")
    client = app.test_client()
    login(client, review.facilitator)
    dates = {"timezone": "UTC", "open_from": "2026-12-01T08:00", "open_until": "2026-12-14T08:00"}
    client.post(f"/f/sessions/{review.code}/review/schedule", data=dates)
    client.post(f"/f/sessions/{review.code}/review/links.csv", data={"count": "2"})
    sink = SmtpSink()
    try:
        app.config["SB_SMTP"] = sink.settings()
        client.post(f"/f/sessions/{review.code}/review/invite", data={"addresses": "a@example.org"})
        client.post(f"/f/sessions/{review.code}/review/remind")
    finally:
        sink.close()
    client.get(f"/f/sessions/{review.code}/review")  # the dates open it
    client.post(f"/f/sessions/{review.code}/review/next-round")

    coordinator = make_user("coordinator")
    desk = app.test_client()
    login(desk, coordinator)
    framework = frameworks.ensure_example_framework()
    form = {"title": "KT self-assessment", "framework_id": framework.id, "include_importance": "y"}
    created = desk.post("/f/assessments/new", data=form)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    code = created.location.rstrip("/").rsplit("/", 1)[1]
    desk.post(f"/f/assessments/{code}/state", data={"state": "open"})
    assert desk.get(f"/f/assessments/{code}/export.xlsx").status_code == 200
    desk.post(f"/f/assessments/{code}/new-version")

    logged = [(e.actor, e.action, e.session_code or e.target) for e in _actions()]
    me, them = meeting.facilitator.email, review.facilitator.email
    for expected in [
        (me, "round_started", meeting.code),
        (them, "review_scheduled", review.code),
        (them, "review_links_made", review.code),
        (them, "invitations_sent", review.code),
        (them, "reminders_sent", review.code),
        (them, "round_started", review.code),
        (coordinator.email, "assessment_created", code),
        (coordinator.email, "assessment_state", code),
        (coordinator.email, "assessment_exported", code),
    ]:
        assert expected in logged, (expected, logged)
    assert any(action == "assessment_new_version" for _a, action, _t in logged)
    assert "a@example.org" not in repr([(e.target, e.detail) for e in _actions()])
