"""Sign-in: failures throttled per account and per address with a growing wait; admin unlock."""

from __future__ import annotations

import logging
import time

import pytest

from services import users
from tests.conftest import PASSWORD, match_group

WRONG = "not the password"


def _csrf(client) -> str:
    page = client.get("/f/login").get_data(as_text=True)
    return match_group(r'name="csrf_token" type="hidden" value="([^"]+)"', page)


def sign_in(client, email: str, password: str, address: str = "192.0.2.1"):
    data = {"csrf_token": _csrf(client), "email": email, "password": password}
    return client.post("/f/login", data=data, environ_base={"REMOTE_ADDR": address})


def minutes(response) -> int:
    return int(match_group(r"Try again in (\d+) minute", response.get_data(as_text=True)))


@pytest.fixture
def clock(monkeypatch):
    """Wall-clock time that a test moves forward (the throttle's windows read time.time)."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, make_user):
    user = make_user()
    for _ in range(5):
        response = sign_in(client, user.email, WRONG)
        assert response.status_code == 200
        assert "Wrong e-mail or password." in response.get_data(as_text=True)
    refused = sign_in(client, user.email, PASSWORD)
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Too many failed sign-ins for this account or from this address" in text
    assert minutes(refused) == 1
    assert "_user_id" not in (client.get_cookie("session").value if client.get_cookie("session") else "")
    # From another address too: it is the account that is locked.
    assert sign_in(client, user.email, PASSWORD, address="198.51.100.7").status_code == 429
    # Another account from the same address is not affected by this account's failures.
    other = make_user()
    assert sign_in(client, other.email, PASSWORD).status_code == 302


def test_the_wait_grows_with_repeated_failures(client, make_user, clock):
    user = make_user()
    for _ in range(5):
        sign_in(client, user.email, WRONG)
    first = minutes(sign_in(client, user.email, PASSWORD))
    clock[0] += 61  # the one-minute window has passed: five more tries
    for _ in range(5):
        assert sign_in(client, user.email, WRONG).status_code == 200
    second = minutes(sign_in(client, user.email, PASSWORD))
    assert first == 1 and second >= 8  # the ten-minute window now holds ten failures
    clock[0] += 10 * 60 + 1
    failures = 0
    for _ in range(30):  # ten more failures, waiting a minute whenever refused
        if sign_in(client, user.email, WRONG).status_code == 429:
            clock[0] += 61
        else:
            failures += 1
        if failures == 10:
            break
    third = minutes(sign_in(client, user.email, PASSWORD))
    assert third > 30  # twenty failures within the hour: wait for the hour window


def test_a_lockout_logs_neither_the_e_mail_nor_the_address(client, make_user, caplog, monkeypatch):
    # Alembic's logging set-up (run before, by the app fixture) disables existing loggers; a server
    # that never migrates would not, so the library's logger is switched back on for the test.
    monkeypatch.setattr(logging.getLogger("flask-limiter"), "disabled", False)
    user = make_user()
    with caplog.at_level(logging.DEBUG):
        answers = [sign_in(client, user.email, WRONG, address="203.0.113.77") for _ in range(6)]
    assert answers[-1].status_code == 429
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.INFO)
    assert user.email not in logged and "203.0.113.77" not in logged


def test_many_accounts_tried_from_one_address_lock_that_address(client, make_user):
    user = make_user()
    for n in range(20):
        assert sign_in(client, f"guess{n}@example.org", WRONG).status_code == 200
    assert sign_in(client, user.email, PASSWORD).status_code == 429
    assert sign_in(client, user.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_an_admin_unlocks_an_account_from_the_command_line(app, client, make_user):
    user = make_user()
    for _ in range(5):
        sign_in(client, user.email, WRONG, address=f"192.0.2.{_ + 10}")
    assert sign_in(client, user.email, PASSWORD, address="192.0.2.99").status_code == 429
    result = app.test_cli_runner().invoke(args=["unlock", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert f"Unlocked {user.email}" in result.output
    assert sign_in(client, user.email, PASSWORD, address="192.0.2.99").status_code == 302
    unknown = app.test_cli_runner().invoke(args=["unlock", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No account has the e-mail nobody@example.org" in unknown.output


def test_unknown_e_mail_costs_the_same_password_check_as_a_known_one(client, make_user, monkeypatch):
    user = make_user()
    calls: list[str] = []
    real = users.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(users, "check_password_hash", counting)
    sign_in(client, user.email, WRONG)
    known = list(calls)
    calls.clear()
    sign_in(client, "nobody@example.org", WRONG)
    unknown = list(calls)
    assert len(known) == len(unknown) == 1
    # The dummy is a real hash of the same kind, so checking it costs the same.
    assert unknown[0].split("$")[0] == known[0].split("$")[0]


def test_an_admin_unlocks_an_account_from_the_accounts_page(app, client, make_user):
    from flask import g

    from tests.conftest import login

    user, admin = make_user(), make_user("admin")
    for n in range(5):
        sign_in(client, user.email, WRONG, address=f"192.0.2.{n + 10}")
    assert sign_in(client, user.email, PASSWORD, address="192.0.2.99").status_code == 429
    app.config["WTF_CSRF_ENABLED"] = False
    desk = app.test_client()
    g.pop("_login_user", None)
    login(desk, admin)
    assert b"Unlock sign-in" in desk.get(f"/f/users/{user.id}").data
    done = desk.post(f"/f/users/{user.id}/unlock", follow_redirects=True)
    assert f"Unlocked {user.email}".encode() in done.data
    app.config["WTF_CSRF_ENABLED"] = True  # sign_in reads the login form's token
    g.pop("_login_user", None)
    g.pop("csrf_token", None)  # the test's shared `g` keeps the admin's
    assert sign_in(client, user.email, PASSWORD, address="192.0.2.99").status_code == 302
