"""The projector view: a QR code that loads, the join code and address, and who has joined, live."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_projector_shows_qr_code_and_live_joined_count(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Projector check")
    ui.set_state(dash, "Open lobby", "open")
    projector = desktop(facilitator_login, viewport={"width": 1920, "height": 1080}, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")

    qr = projector.get_by_role("img", name="QR code to join")
    expect(qr).to_be_visible()
    projector.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert qr.bounding_box()["width"] >= 300  # big enough to scan from the back of the room
    expect(projector.locator(".proj-code")).to_have_text(code)
    expect(projector.locator(".proj-url")).to_have_text(f"{base}/j/{code}")
    expect(projector.locator(".proj-count")).to_have_text("0 joined")
    expect(projector.locator("#stage")).to_have_text("Scan the code to join.")

    # People scan the code in the lobby: both screens count them as they arrive, without a reload.
    for number in (1, 2):
        ui.join(new_phone(), base, code, "Business")
        expect(projector.locator(".proj-count")).to_have_text(f"{number} joined")
        expect(dash.locator("#participants")).to_have_text(str(number))
        expect(dash.locator("#connected")).to_have_text(f"{number} connected")


def test_the_joined_count_reads_as_a_phrase_in_the_sessions_language(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    """A Finnish projector read "2 liittynyt" (the singular) under any count: the number and a word
    never took the plural. Now the phrase follows the number, in each language's plural forms."""
    base, dash = live_server.url, facilitator

    def finnish(page):
        page.get_by_label("Language", exact=True).select_option("fi")

    code = ui.create_session(dash, base, "Laskuri", more=finnish)
    ui.set_state(dash, "Open lobby", "open")
    projector = desktop(facilitator_login, viewport={"width": 1366, "height": 768}, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator("#stage")).to_have_text("Skannaa koodi liittyäksesi.")
    for finnish_words in ("1 liittynyt", "2 liittynyttä"):
        ui.join(new_phone(), base, code, "Business")
        expect(projector.locator(".proj-count")).to_have_text(finnish_words)
    expect(dash.locator("#participants")).to_have_text("2")
    expect(dash.locator("#joined-line")).to_have_text("2 joined")  # in the facilitator's own language


def test_projector_shows_a_timed_skills_time_left(live_server, facilitator, desktop, facilitator_login):
    """The phones count a timed skill down; the room's screen did not. It does now, and stops when
    the skill is locked."""
    base, dash = live_server.url, facilitator

    def timed(page):
        page.get_by_label("Countdown per item (seconds, empty for none)").fill("600")

    code = ui.create_session(dash, base, "Timed skills", more=timed)
    ui.set_state(dash, "Open lobby", "open")
    projector = desktop(facilitator_login, viewport={"width": 1366, "height": 768}, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    expect(projector.locator(".proj-prompt")).to_have_text(re.compile(r"^Vote on your phone\. \d+s left$"))
    expect(projector.get_by_role("timer")).to_have_text(re.compile(r"^\d+s left$"))
    dash.get_by_role("button", name="Lock", exact=True).click()
    expect(projector.locator(".proj-prompt")).to_have_text("Voting closed.")
    expect(projector.get_by_role("timer")).to_have_count(0)
