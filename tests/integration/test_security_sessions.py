"""Facilitator sign-in lasts: "remember me" by choice for 14 days, revoked by sign-out and password change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from flask import g

from core.extensions import socketio
from models import db
from tests.conftest import PASSWORD, match_group


def _csrf(page: str) -> str:
    return match_group(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)


def sign_in(client, email: str, remember: bool):
    data = {"csrf_token": _csrf(client.get("/f/login").get_data(as_text=True)), "email": email}
    data["password"] = PASSWORD
    if remember:
        data["remember"] = "y"
    return client.post("/f/login", data=data)


def sign_out(client):
    page = client.get("/f/").get_data(as_text=True)
    return client.post("/f/logout", data={"csrf_token": _csrf(page)})


def remember_cookie(response) -> str | None:
    return next((c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")), None)


def test_remember_me_is_off_unless_ticked(client, make_user):
    user = make_user()
    page = client.get("/f/login").get_data(as_text=True)
    assert 'type="checkbox"' in page and "checked" not in page
    assert remember_cookie(sign_in(client, user.email, remember=False)) is None


def test_remember_me_lasts_14_days_lax_and_http_only(client, make_user):
    cookie = remember_cookie(sign_in(client, make_user().email, remember=True))
    assert cookie is not None
    expires = parsedate_to_datetime(match_group(r"Expires=([^;]+)", cookie))
    assert abs((expires - datetime.now(UTC)) - timedelta(days=14)) < timedelta(minutes=1)
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain HTTP on the meeting-room laptop


def test_cookies_are_secure_when_told_so(app, make_user):
    app.config.update(REMEMBER_COOKIE_SECURE=True, SESSION_COOKIE_SECURE=True)
    response = sign_in(app.test_client(), make_user().email, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c for c in cookies)


def test_cookies_of_a_signed_out_browser_no_longer_work_when_replayed(app, make_user):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email, remember=True)
    stolen_remember = browser.get_cookie("remember_token").value
    stolen_session = browser.get_cookie("session").value
    assert browser.get("/f/").status_code == 200
    sign_out(browser)
    assert browser.get("/f/").status_code == 302
    for name, value in (("remember_token", stolen_remember), ("session", stolen_session)):
        thief = app.test_client()
        thief.set_cookie(name, value)
        with app.app_context():  # a request of its own: nothing cached in `g` from the test's context
            assert thief.get("/f/").status_code == 302, name  # sent to the sign-in page


def test_a_password_change_revokes_remembered_sign_ins(app, make_user):
    user = make_user()
    laptop = app.test_client()
    sign_in(laptop, user.email, remember=True)
    remembered = laptop.get_cookie("remember_token").value
    user.set_password("a brand new password")
    db.session.commit()
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)
    with app.app_context():  # a request of its own: nothing cached in `g` from the test's context
        assert thief.get("/f/").status_code == 302


def test_signing_out_disconnects_the_open_dashboard_socket(app, make_session):
    session = make_session()
    browser = app.test_client()
    sign_in(browser, session.facilitator.email, remember=False)
    dashboard = socketio.test_client(
        app, namespace="/facilitator", flask_test_client=browser, auth={"code": session.code}
    )
    assert dashboard.is_connected("/facilitator")
    sign_out(browser)
    assert not dashboard.is_connected("/facilitator")
    # A socket that kept its copy of the old login elsewhere is refused every command.
    again = socketio.test_client(
        app, namespace="/facilitator", flask_test_client=browser, auth={"code": session.code}
    )
    assert not again.is_connected("/facilitator")


def test_a_deactivated_account_cannot_sign_in_or_stay_signed_in(app, make_user):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email, remember=True)
    user.active = False
    db.session.commit()
    with app.app_context():  # a request of its own: nothing cached in `g` from the test's context
        assert browser.get("/f/").status_code == 302
    with app.app_context():
        refused = sign_in(app.test_client(), user.email, remember=False)
    assert refused.status_code == 200 and "Wrong e-mail or password." in refused.get_data(as_text=True)


def _fresh() -> None:
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def test_an_admin_deactivating_or_resetting_an_account_closes_its_open_sockets(app, make_session, make_user):
    """Not only signing out: an account an admin deactivates, demotes or resets is not left watching."""
    admin = make_user("admin")
    sessions = [make_session() for _ in range(2)]
    dashboards = []
    for session in sessions:
        _fresh()  # the test's shared `g` would keep the last user and CSRF token
        browser = app.test_client()
        sign_in(browser, session.facilitator.email, remember=False)
        _fresh()
        dashboards.append(
            socketio.test_client(
                app, namespace="/facilitator", flask_test_client=browser, auth={"code": session.code}
            )
        )
    assert all(d.is_connected("/facilitator") for d in dashboards)
    _fresh()
    desk = app.test_client()
    sign_in(desk, admin.email, remember=False)
    first, second = (s.facilitator for s in sessions)
    _fresh()
    page = desk.get(f"/f/users/{first.id}").get_data(as_text=True)
    desk.post(
        f"/f/users/{first.id}", data={"csrf_token": _csrf(page), "role": "facilitator"}
    )  # active unticked
    assert not first.active
    assert not dashboards[0].is_connected("/facilitator") and dashboards[1].is_connected("/facilitator")
    _fresh()
    page = desk.get(f"/f/users/{second.id}").get_data(as_text=True)
    form = re.search(r'action="(/f/users/\d+/reset-password)"', page)
    assert form, page
    desk.post(form.group(1), data={"csrf_token": _csrf(page)})
    assert not dashboards[1].is_connected("/facilitator")
