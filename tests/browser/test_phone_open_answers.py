"""An open answer ("What is missing?") on flaky venue Wi-Fi: kept on the phone until acknowledged,
sent again with the same text (the server upserts), and marked as what it is; and a comment or
answer refused because its skill locked meanwhile stays in its box, not sent, for copying."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import ui
from tests.browser.ui import expect
from tests.browser.wire import hold_acks, release, until

pytestmark = pytest.mark.browser

TEXT = "Handling conflicts between partners."


def _with_missing(page: Any) -> None:
    page.get_by_label("What is missing?").check()


def _live(dash: Any, base: str, phone: Any, title: str) -> str:
    """A facilitator-paced meeting asking "What is missing?", one phone on the first skill."""
    code = ui.create_session(dash, base, title, more=_with_missing)
    ui.set_state(dash, "Open lobby", "open")
    ui.join(phone, base, code, "University")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    return code


def _stored(dash: Any, base: str, code: str) -> Any:
    dash.goto(f"{base}/f/sessions/{code}/suggestions")
    return dash.locator(".suggestion .answer-text")


def test_an_open_answer_sent_offline_waits_on_the_phone_and_is_saved_once_back(
    live_server, facilitator, new_phone
):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    code = _live(dash, base, phone, "Open answers offline")
    box = phone.locator("[data-open-question=missing]")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("offline – answers are kept")
    box.locator("textarea").fill(TEXT)
    expect(box.locator(".saved-mark")).to_have_text("not sent")
    box.get_by_role("button", name="Send").tap()
    expect(box.locator(".saved-mark")).to_have_text("kept on this phone")  # not "sending…": nothing can go

    phone.context.set_offline(False)
    expect(phone.locator("#conn")).to_have_text("online", timeout=15_000)
    expect(box.locator(".saved-mark")).to_have_text("✓ saved")
    expect(_stored(dash, base, code)).to_have_text([TEXT])


def test_an_open_answer_whose_ack_is_late_is_resent_the_same_and_saved_once(
    live_server, facilitator, new_phone
):
    """The ack's wait runs out (the phone's clock run past it) while the server has stored the
    answer: the answer stays unsent on the phone and goes again with the same text; once the acks
    come the mark says saved, and the server holds the answer once."""
    base, dash = live_server.url, facilitator
    phone = new_phone()
    phone.clock.install()
    seen = hold_acks(phone, "submit_open_answer", '"question"')
    code = _live(dash, base, phone, "Open answers late")
    box = phone.locator("[data-open-question=missing]")
    box.locator("textarea").fill(TEXT)
    box.get_by_role("button", name="Send").tap()
    expect(box.locator(".saved-mark")).to_have_text("sending…")
    until(phone, lambda: seen["held"])
    phone.clock.run_for(80_000)  # past the ack's wait (SB.ackWait, 75 s)
    phone.clock.run_for(5_000)  # and past the first pause before sending again (1-3 s)
    until(phone, lambda: seen["sent"] >= 2 and len(seen["held"]) >= 2)
    expect(box.locator(".saved-mark")).to_have_text("sending…")  # never "not sent" while it is on its way

    release(seen)  # the acks on the connection the phone still has
    expect(box.locator(".saved-mark")).to_have_text("✓ saved")
    expect(_stored(dash, base, code)).to_have_text([TEXT])


def test_an_unacknowledged_open_answer_survives_a_reload_and_is_sent_again(
    live_server, facilitator, new_phone
):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    seen = hold_acks(phone, "submit_open_answer", '"question"')
    code = _live(dash, base, phone, "Open answers reload")
    box = phone.locator("[data-open-question=missing]")
    box.locator("textarea").fill(TEXT)
    box.get_by_role("button", name="Send").tap()
    until(phone, lambda: seen["held"])  # stored, the ack never reaches this page

    seen["hold"] = False
    phone.reload()
    expect(phone.locator("#conn")).to_have_text("online")
    expect(box.locator("textarea")).to_have_value(TEXT)
    expect(box.locator(".saved-mark")).to_have_text("✓ saved")
    assert seen["sent"] == 2  # sent again after the reload, with the same text
    expect(_stored(dash, base, code)).to_have_text([TEXT])


def test_a_comment_refused_by_a_lock_stays_in_its_box_and_is_not_resent(live_server, facilitator, new_phone):
    """Typed offline, sent once back after the facilitator locked the skill: the notice says so, and
    the text stays in the comment box, marked not sent, to copy; a reload keeps it, nothing resends it."""
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Late comments")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("offline – answers are kept")
    phone.get_by_label("Comment").fill("Typed in the lift.")
    phone.get_by_role("button", name="Send comment").tap()
    expect(phone.locator("#comment-mark")).to_have_text("kept on this phone")
    dash.get_by_role("button", name="Lock", exact=True).click()
    phone.context.set_offline(False)
    expect(phone.locator("#notice")).to_have_text(
        "Your comment on Communication was not saved: answers were closed before it arrived. "
        "It stays in the comment box, not sent.",
        timeout=15_000,
    )
    comment = phone.get_by_label("Comment")
    expect(comment).to_have_value("Typed in the lift.")
    expect(comment).not_to_be_editable()  # read-only, so that it can still be selected and copied
    expect(phone.locator("#comment-mark")).to_have_text("not sent")

    phone.reload()
    expect(phone.locator("#conn")).to_have_text("online")
    expect(phone.locator("#locked-note")).to_be_visible()
    expect(comment).to_have_value("Typed in the lift.")
    expect(phone.locator("#comment-mark")).to_have_text("not sent")
    expect(dash.locator("#comments .comment")).to_have_count(0)


def test_an_open_answer_refused_by_a_lock_stays_in_its_box(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    code = _live(dash, base, phone, "Late open answers")
    box = phone.locator("[data-open-question=missing]")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("offline – answers are kept")
    box.locator("textarea").fill(TEXT)
    box.get_by_role("button", name="Send").tap()
    expect(box.locator(".saved-mark")).to_have_text("kept on this phone")
    dash.get_by_role("button", name="Lock", exact=True).click()
    phone.context.set_offline(False)
    expect(phone.locator("#notice")).to_have_text(
        "Your answer on Communication was not saved: answers were closed before it arrived. "
        "It stays in its box, not sent.",
        timeout=15_000,
    )
    expect(box.locator("textarea")).to_have_value(TEXT)
    expect(box.locator(".saved-mark")).to_have_text("not sent")
    phone.reload()
    expect(phone.locator("#conn")).to_have_text("online")
    expect(box.locator("textarea")).to_have_value(TEXT)
    expect(box.locator(".saved-mark")).to_have_text("not sent")
    expect(_stored(dash, base, code)).to_have_count(0)
