"""A phone that scans the code before the lobby opens waits, and enters by itself when it opens."""

from __future__ import annotations

import pytest

from tests.browser import a11y, ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_phone_waits_on_a_draft_session_and_enters_when_the_lobby_opens(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Not quite ready")
    phone = new_phone()
    phone.goto(f"{base}/j/{code}")
    waiting = phone.get_by_role("status")
    expect(waiting).to_contain_text("has not opened yet")
    expect(waiting).to_contain_text("continues by itself")
    expect(phone.get_by_role("button", name="Join the session")).to_have_count(0)
    ui.snap(phone, "phone-lobby-waiting.png")
    a11y.assert_accessible(phone, "the join page of a draft session")

    ui.set_state(dash, "Open lobby", "open")
    expect(phone.get_by_role("button", name="Join the session")).to_be_visible()  # no reload by hand
    phone.get_by_label("Business", exact=True).check()
    phone.get_by_label("I agree").check()
    phone.get_by_role("button", name="Join the session").tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    lobby = phone.get_by_role("heading", level=1)
    expect(lobby).to_have_text("You're in. Waiting for the facilitator to start…")
    expect(dash.locator("#participants")).to_have_text("1")
    ui.snap(phone, "phone-lobby.png")
    a11y.assert_accessible(phone, "the phone in the lobby")


def test_a_waiting_phone_keeps_trying_through_a_lost_connection(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Flaky lobby")
    phone = new_phone()
    phone.goto(f"{base}/j/{code}")
    expect(phone.get_by_role("status")).to_contain_text("has not opened yet")
    phone.context.set_offline(True)
    ui.set_state(dash, "Open lobby", "open")
    phone.wait_for_timeout(3000)  # a check or two fail while the Wi-Fi is gone
    expect(phone.get_by_role("button", name="Join the session")).to_have_count(0)
    phone.context.set_offline(False)
    expect(phone.get_by_role("button", name="Join the session")).to_be_visible()
