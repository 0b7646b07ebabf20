"""Text typed by participants (and titles typed by facilitators) is shown as text, never run."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

ATTACK = "<img src=x onerror=alert(1)>"
TITLE = '<b>Bold</b> & "quoted" workshop'


def test_participant_comment_is_shown_as_text(live_server, facilitator, new_phone, watched):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, TITLE, pacing="self")
    expect(dash.locator(".topbar-title")).to_have_text(TITLE)
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "Other")
    expect(phone.locator(".phone-title")).to_have_text(TITLE)
    ui.set_state(dash, "Start voting", "live")
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    ui.comment(phone, ATTACK)

    comment = dash.locator("#comments .comment .text")
    expect(comment).to_have_text(ATTACK)  # arrived live
    expect(dash.locator("#comments img")).to_have_count(0)
    dash.reload()  # and again from the sync after a reload
    expect(comment).to_have_text(ATTACK)
    expect(dash.locator("#comments img")).to_have_count(0)
    phone.reload()
    expect(phone.get_by_label("Comment")).to_have_value(ATTACK)
    assert dash.locator("main img").count() == 1  # the QR code, nothing else
    assert watched.dialogs == []
