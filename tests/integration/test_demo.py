"""`flask --app run demo`: after the first-run page, the same password every run, live addresses."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from core.network import Addresses, record_server
from models import LiveSession, User, db
from services.demo import DEMO_EMAIL
from services.users import has_users


def _demo(app, *args: str):
    return app.test_cli_runner().invoke(args=["demo", *args])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """No request lines on stderr (assigning log_message on the server's handler class silenced
    SimpleHTTPRequestHandler for the whole test process)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def answering_server() -> Iterator[int]:
    """Something listening on a free loopback port, as run.py would be."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_demo_before_the_first_run_page_creates_no_account(app):
    result = _demo(app)
    assert result.exit_code == 1
    assert "first visit" in result.output and "creates your administrator account" in result.output
    assert not has_users()  # so /f/ still leads to the first-run page


def test_demo_keeps_its_password_and_prints_it_every_run(app, make_user):
    make_user(role="admin")
    first, second = _demo(app), _demo(app)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    password = re.search(r"password: (\S+)", first.output).group(1)
    assert re.search(r"password: (\S+)", second.output).group(1) == password
    user = db.session.scalar(db.select(User).where(User.email == DEMO_EMAIL))
    assert user.check_password(password)


def test_demo_without_a_running_server_says_which_port_it_assumed(app, make_user):
    make_user(role="admin")
    result = _demo(app, "--port", "5123")
    assert "No Sounding Board server answers" in result.output
    assert "assume run.py\non port 5123" in result.output and "--port PORT" in result.output
    assert re.search(r"Dashboard: +http://127\.0\.0\.1:5123/f/sessions/\w+", result.output)


def test_demo_prints_the_addresses_of_the_running_server(app, make_user, answering_server):
    make_user(role="admin")
    port = answering_server
    here = f"http://127.0.0.1:{port}"
    record_server(app.config["SB_INSTANCE"], Addresses(here, f"http://192.0.2.7:{port}", port))
    result = _demo(app, "--port", "5000")  # a wrong guess: the running server wins
    assert result.exit_code == 0, result.output
    assert "No Sounding Board server answers" not in result.output
    code = re.search(r"Join code: +(\w+)", result.output).group(1)
    assert f"Dashboard:   {here}/f/sessions/{code}" in result.output
    assert f"Join URL:    http://192.0.2.7:{port}/j/{code}" in result.output


def test_demo_ignores_a_record_whose_server_is_gone(app, make_user, answering_server):
    make_user(role="admin")
    gone = answering_server + 1 if answering_server < 65535 else answering_server - 1
    record_server(app.config["SB_INSTANCE"], Addresses(f"http://127.0.0.1:{gone}", None, gone))
    result = _demo(app)
    assert "No Sounding Board server answers" in result.output and ":5000/f/sessions/" in result.output


def test_demo_prepares_an_asynchronous_review_of_a_guide_open_for_two_weeks(app, make_user):
    from datetime import timedelta

    from services import review
    from services.demo import DEMO_REVIEW_TITLE

    make_user(role="admin")
    first = _demo(app, "--port", "5123")
    line = re.search(
        r"Review over days \(a guide of (\d+) sections, .*round 1\): (\S+)/review +\(join (\S+)\)",
        first.output,
    )
    assert line, first.output
    code = line.group(2).rsplit("/", 1)[1]
    session = db.session.scalar(db.select(LiveSession).where(LiveSession.code == code))
    assert session.title == DEMO_REVIEW_TITLE and session.framework_version.framework.kind == "guide"
    assert (
        session.state.value == "live"
        and session.pacing.value == "self"
        and review.current_round(session) == 1
    )
    assert session.open_until - session.open_from == timedelta(days=14)
    assert int(line.group(1)) == len(session.items) >= 3
    assert line.group(3).endswith(f"/j/{code}")
    again = _demo(app, "--port", "5123")
    assert f"/f/sessions/{code}/review" in again.output  # the same review every run
    assert "Join URL:" in again.output and "Prioritisation workshop:" in again.output  # the rest unchanged
