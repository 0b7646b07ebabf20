"""Comment drafts stay on the phone until the participant sends them, across reloads and skills."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

DRAFT = "Half a thought about brokering"


def comments_of(dash, skill_code: str):
    ui.skill_row(dash, skill_code).click()
    return dash.locator("#comments .comment .text")


def test_a_comment_draft_survives_a_reload_and_is_not_sent(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Drafts survive reloads")
    ui.rate(phone, 0, 3)
    phone.get_by_label("Comment").fill(DRAFT)

    phone.reload()
    expect(phone.locator(".me")).to_have_text("P01")
    expect(phone.get_by_label("Comment")).to_have_value(DRAFT)
    expect(phone.locator("#comment-mark")).to_have_text("not sent")
    ui.rate(phone, 1, 2)  # the last answer reaches the dashboard after anything sent before it
    expect(ui.stat(ui.criterion_result(dash, "Importance"), "answered")).to_have_text("1")
    dash.reload()
    expect(comments_of(dash, "COM")).to_have_count(0)

    phone.get_by_role("button", name="Send comment").tap()
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")
    expect(comments_of(dash, "COM")).to_have_text(DRAFT)
    phone.reload()
    expect(phone.get_by_label("Comment")).to_have_value(DRAFT)
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")


def test_moving_on_never_sends_a_half_typed_comment(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Facilitator moves on")
    ui.rate(phone, 0, 4)
    box = phone.get_by_label("Comment")
    box.fill(DRAFT)  # still typing, the box has the focus
    expect(box).to_be_focused()

    ui.skill_row(dash, "NEG").click()
    dash.get_by_role("button", name="Show on phones").click()
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    expect(box).to_have_value("")
    expect(phone.locator("#notice")).to_contain_text("Your comment on Communication was not sent")
    ui.comment(phone, "Sent on purpose.")  # sent after anything the phone sent before
    expect(comments_of(dash, "NEG")).to_have_text("Sent on purpose.")
    dash.reload()
    expect(comments_of(dash, "COM")).to_have_count(0)

    dash.get_by_role("button", name="Show on phones").click()  # back to the first skill
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    expect(box).to_have_value(DRAFT)
    expect(phone.locator("#comment-mark")).to_have_text("not sent")
    box.press("End")
    box.press_sequentially(", finished.")
    phone.get_by_role("button", name="Send comment").tap()
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")
    expect(comments_of(dash, "COM")).to_have_text(DRAFT + ", finished.")


def test_a_revote_says_the_comment_shown_is_the_one_for_every_round(
    live_server, facilitator, new_phone, watched
):
    """A comment is one per participant and skill, not per round (docs/protocol.md, submit_comment).
    In round 2 the phone showed round 1's comment marked "saved" with nothing to say so, and it read
    as if this round's comment were already written. It says now that the comment is one for all rounds."""
    base, dash, phone = live_server.url, facilitator, new_phone()
    ui.live_with_one_phone(dash, base, phone, "One comment, two rounds")
    note = phone.locator("#comment-rounds")
    ui.rate(phone, 0, 3)
    ui.comment(phone, "Listening belongs in the definition.")
    expect(note).to_be_hidden()  # round 1: nothing to explain
    watched.confirm.add("Start a new round for this skill?")
    dash.get_by_role("button", name="Re-vote").click()
    expect(phone.locator(".round-badge")).to_have_text("Round 2")
    expect(phone.get_by_label("Comment")).to_have_value("Listening belongs in the definition.")
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")  # true: it is the same comment
    expect(note).to_have_text("One comment for all rounds: keep the one you sent or change it.")
    expect(note).to_be_visible()
    phone.get_by_label("Comment").fill("")
    phone.get_by_role("button", name="Send comment").tap()  # deleted: no comment to speak of
    expect(note).to_be_hidden()
