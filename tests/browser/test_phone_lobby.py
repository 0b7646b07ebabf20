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


def test_a_phone_agrees_to_the_consent_text_of_now_not_the_one_it_loaded(live_server, facilitator, new_phone):
    """The facilitator edits the consent while a phone sits on the join page with the old text: its
    tick was for words that are gone, so the join is refused, the page shows the new text with the
    box unticked, and agreeing to that one lets the person in."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Consent changes")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    phone.route("**/api/sessions/*/state", lambda route: route.abort())  # its checks do not come back
    ui.open_join_page(phone, base, code, "Business")
    old = phone.locator(".consent").inner_text()

    dash.get_by_role("link", name="Edit set-up").click()
    dash.get_by_label("Consent text shown before joining").fill("We also record the audio of this meeting.")
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator("#conn")).to_have_text("online")

    phone.get_by_role("button", name="Join the session").tap()
    expect(phone.get_by_role("alert")).to_have_text(
        "The consent text changed while this page was open. Read it again below and agree to join."
    )
    expect(phone.locator(".consent")).to_have_text("We also record the audio of this meeting.")
    assert old != "We also record the audio of this meeting."
    expect(phone.get_by_label("I agree")).not_to_be_checked()
    expect(dash.locator("#participants")).to_have_text("0")  # nobody joined on the old words
    expect(phone.get_by_label("Business", exact=True)).to_be_checked()  # the rest of the form is kept
    phone.get_by_label("I agree").check()
    phone.get_by_role("button", name="Join the session").tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(dash.locator("#participants")).to_have_text("1")


def test_a_phone_on_the_join_page_sees_the_consent_text_change(live_server, facilitator, new_phone):
    """The facilitator edits the consent while a phone sits on the join page with the box ticked:
    at the page's next check of the session (every twenty seconds or so) the new text is there,
    the box unticked and a note says why, the rest of the form kept; agreeing lets the person in."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Consent edited")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    phone.clock.install()
    ui.open_join_page(phone, base, code, "Business")
    phone.clock.pause_at(phone.evaluate("Date.now()") + 1000)  # its time passes only when told below
    text = "We also record the audio of this meeting."

    dash.get_by_role("link", name="Edit set-up").click()
    dash.get_by_label("Consent text shown before joining").fill(text)
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator("#conn")).to_have_text("online")
    expect(phone.locator(".consent")).not_to_have_text(text)  # not before the page checks
    expect(phone.get_by_label("I agree")).to_be_checked()

    phone.clock.fast_forward(25_000)  # twenty seconds or so later, it checks
    expect(phone.locator(".consent")).to_have_text(text)
    expect(phone.get_by_label("I agree")).not_to_be_checked()
    expect(phone.get_by_role("alert")).to_have_text(
        "The consent text changed while this page was open. Read it again below and agree to join."
    )
    expect(phone.get_by_label("Business", exact=True)).to_be_checked()
    phone.screenshot(path="/tmp/odds21/phone-consent-changed.png", full_page=True)
    phone.clock.resume()
    phone.get_by_label("I agree").check()
    phone.get_by_role("button", name="Join the session").tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(dash.locator("#participants")).to_have_text("1")


def test_a_phone_on_the_join_page_sees_the_profile_questions_change(live_server, facilitator, new_phone):
    """The facilitator edits the profile questions while a phone sits on the join page with an
    answer chosen: at the page's next check the questions are those of now, each answer still
    offered kept and a note says so; the person joins with them (the server checks the answers
    against the questions of now)."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Profile edited")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    phone.clock.install()
    ui.open_join_page(phone, base, code, "Business")
    phone.clock.pause_at(phone.evaluate("Date.now()") + 1000)  # its time passes only when told below

    dash.get_by_role("link", name="Edit set-up").click()
    dash.get_by_label("Profile questions asked at join").fill(
        "Sector: University, Business, Public body\nCountry: Finland, Italy"
    )
    # the shipped translations are those of the one question before: none for these
    dash.locator("textarea[name^=profile_questions_]").evaluate_all(
        "boxes => boxes.forEach((b) => { b.value = ''; })"
    )
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator("#conn")).to_have_text("online")
    expect(phone.get_by_label("Finland")).to_have_count(0)  # not before the page checks

    phone.clock.fast_forward(25_000)  # twenty seconds or so later, it checks
    expect(phone.locator("fieldset.choices legend")).to_have_text(["Sector (optional)", "Country (optional)"])
    expect(phone.get_by_label("Public body")).not_to_be_checked()
    expect(phone.get_by_label("Expert")).to_have_count(0)
    expect(phone.get_by_label("Business", exact=True)).to_be_checked()  # still offered: kept
    expect(phone.get_by_role("status")).to_have_text(
        "The questions about you changed while this page was open. Check your answers below."
    )
    expect(phone.get_by_label("I agree")).to_be_checked()  # the consent text did not change
    phone.clock.resume()  # before axe, which waits on timers
    a11y.assert_accessible(phone, "the join page after an edit of the profile questions")
    phone.get_by_label("Italy").check()
    phone.get_by_role("button", name="Join the session").tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(dash.locator("#participants")).to_have_text("1")


def test_the_code_box_shows_its_example_as_written(live_server, new_phone):
    """The code box writes what is typed in capitals; its example read "E.G. 7KQ4MX" (Finnish
    "ESIM. 7KQ4MX") because the placeholder took the capitals too."""
    phone = new_phone()
    phone.goto(live_server.url + "/")
    box = phone.get_by_label("Session code")
    expect(box).to_have_attribute("placeholder", "e.g. 7KQ4MX")
    assert box.evaluate("e => getComputedStyle(e, '::placeholder').textTransform") == "none"
    box.fill("ab12cd")
    assert box.evaluate("e => getComputedStyle(e).textTransform") == "uppercase"  # typed: capitals
