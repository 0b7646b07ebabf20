"""Bad Wi-Fi, reloads and live updates: a phone never loses what its participant entered."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

DRAFT = "Half-written thought about brokering"


def test_offline_answers_are_sent_on_reconnect_and_survive_a_reload(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Bad Wi-Fi")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    assert ui.join(phone, base, code, "Expert") == "P01"
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    ui.rate(phone, 0, 3)

    expect(dash.locator("#connected")).to_have_text("1 connected")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text(re.compile("offline|reconnecting"))
    expect(dash.locator("#connected")).to_have_text("0 connected")  # the facilitator sees who dropped out
    ui.rate(phone, 1, 2, mark="kept on this phone")
    phone.get_by_label("Comment").fill("Typed in the lift.")
    phone.get_by_role("button", name="Send comment").tap()
    expect(phone.locator("#comment-mark")).to_have_text("kept on this phone")
    importance = ui.criterion_result(dash, "Importance")
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")
    expect(ui.stat(importance, "answered")).to_have_text("0")

    phone.context.set_offline(False)
    expect(phone.locator("#conn")).to_have_text("online", timeout=15_000)
    expect(dash.locator("#connected")).to_have_text("1 connected")
    expect(ui.criterion(phone, 1).locator(".saved-mark")).to_have_text("✓ saved")
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")
    expect(ui.stat(importance, "answered")).to_have_text("1")
    expect(importance.locator(".bar-count")).to_have_text(["0", "1", "0", "0", "0"])
    expect(dash.locator("#comments .comment .text")).to_have_text("Typed in the lift.")

    phone.reload()
    expect(phone.locator(".me")).to_have_text("P01")  # the same pseudonym, not a new participant
    expect(phone.locator("#conn")).to_have_text("online")
    expect(ui.scale_button(phone, 0, 3)).to_be_checked()
    expect(ui.scale_button(phone, 1, 2)).to_be_checked()
    expect(phone.locator("#item .scale-btn.chosen")).to_have_count(2)
    expect(phone.locator("#item .saved-mark.saved")).to_have_count(3)
    expect(phone.get_by_label("Comment")).to_have_value("Typed in the lift.")
    dash.reload()
    expect(dash.locator("#participants")).to_have_text("1")


def test_unsent_comment_survives_live_updates(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    writer = new_phone()
    code = ui.live_with_one_phone(dash, base, writer, "Busy room")
    ui.rate(writer, 0, 4)
    box = writer.get_by_label("Comment")
    box.fill(DRAFT)  # typed, not sent: the box keeps the focus

    late = new_phone()  # someone arrives late and answers
    ui.join(late, base, code, "Business")
    expect(late.locator(".skill-name")).to_have_text("Communication")
    ui.rate(late, 0, 2)
    dash.get_by_role("button", name="Reveal results").click()  # the writer's screen changes under them
    expect(writer.locator("#results h2")).to_have_text("Results")
    # and again (a skill not shown yet can no longer be locked, which changed another skill here)
    dash.get_by_role("button", name="Hide results").click()
    expect(writer.locator("#results h2")).to_have_count(0)

    expect(box).to_have_value(DRAFT)
    expect(box).to_be_focused()
    expect(writer.locator("#comment-mark")).to_have_text("not sent")  # kept on the phone, not sent for them
    box.press_sequentially(", and a last word.")
    writer.get_by_role("button", name="Send comment").tap()
    expect(writer.locator("#comment-mark")).to_have_text("✓ saved")
    ui.skill_row(dash, "COM").click()
    expect(dash.locator("#comments .comment .text")).to_have_text(DRAFT + ", and a last word.")


def test_a_decision_being_typed_survives_live_results(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Deciding while votes arrive", sector="Business")
    dash.locator("#decision-action").select_option("revise")
    dash.locator("#decision-reason").fill("Definition mixes two")
    ui.rate(phone, 0, 4)  # a live results push re-renders the panel
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")
    expect(dash.locator("#decision-reason")).to_have_value("Definition mixes two")
    expect(dash.locator("#decision-reason")).to_be_focused()
    expect(dash.locator("#decision-action")).to_have_value("revise")
    dash.locator("#decision-reason").press("End")
    dash.keyboard.type(" skills")
    dash.get_by_role("button", name="Record").click()
    expect(dash.locator(".decision")).to_contain_text("recorded by")
    expect(dash.locator("#decision-reason")).to_have_value("Definition mixes two skills")
