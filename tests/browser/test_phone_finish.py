"""Self-paced phones end on a finish screen: what is left to answer, and whether all is saved."""

from __future__ import annotations

import re

import pytest

from tests.browser import a11y, ui
from tests.browser.ui import CANT, expect

pytestmark = pytest.mark.browser

SKILLS = 10


def answer_both(phone) -> None:
    ui.rate(phone, 0, 3)
    ui.rate(phone, 1, 4)


def test_self_paced_finish_lists_what_is_left_and_says_when_all_is_saved(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Finish line", pacing="self")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "University")
    ui.set_state(dash, "Start voting", "live")

    expect(phone.locator(".skill-name")).to_have_text("Communication")
    answer_both(phone)
    phone.get_by_role("button", name="Next ›").tap()
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    ui.rate(phone, 0, CANT)  # Importance left open
    phone.get_by_role("button", name=re.compile(rf"^{SKILLS} ")).tap()  # the last dot
    expect(phone.get_by_role("button", name="Next ›")).to_have_count(0)
    answer_both(phone)
    phone.get_by_role("button", name="Finish ›").tap()  # "Next" on the last skill used to do nothing

    finish = phone.locator("#finish")
    expect(phone.get_by_role("heading", name="Your answers")).to_be_focused()
    expect(phone.locator(".skill-name")).to_be_hidden()
    expect(finish.get_by_role("status")).to_have_text("✓ Everything you answered is saved.")
    expect(finish.get_by_role("heading", level=2)).to_have_text("Still unanswered: 8 of 10 skills")
    left = finish.locator(".todo li")
    expect(left).to_have_count(8)
    expect(left.first).to_have_text("Negotiation – Importance")
    expect(left.nth(1)).to_have_text(re.compile(r" – Relevance, Importance$"))
    ui.snap(phone, "phone-finish.png")
    a11y.assert_accessible(phone, "the phone's finish screen")

    finish.get_by_role("link", name="Negotiation").tap()  # each line leads back to its skill
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text(re.compile("offline|reconnecting"))
    ui.rate(phone, 1, 2, mark="kept on this phone")
    phone.get_by_role("button", name="Finish", exact=True).tap()
    status = finish.get_by_role("status")
    expect(status).to_have_text(
        "Offline: 1 answer is kept on this phone and sent when the connection returns. Keep this page open."
    )
    expect(left).to_have_count(7)  # answered counts, saved or not
    phone.context.set_offline(False)
    expect(status).to_have_text("✓ Everything you answered is saved.", timeout=15_000)

    for _ in range(7):  # the rest, one by one from the list
        finish.locator(".todo a").first.tap()
        answer_both(phone)
        phone.get_by_role("button", name="Finish", exact=True).tap()
    expect(status).to_have_text(
        f"✓ All {SKILLS} skills answered, and everything is saved. Thank you! You may close this page."
    )
    expect(finish.locator(".todo")).to_have_count(0)
    expect(phone.locator(".progress-text")).to_have_text(f"{SKILLS} of {SKILLS} done")
    expect(dash.locator(".who-chip", has_text="P01")).to_have_attribute("title", "20 of 20 answers")

    phone.reload()  # coming back after finishing shows the end, not the first skill
    expect(phone.get_by_role("heading", name="Your answers")).to_be_visible()
    expect(finish.get_by_role("status")).to_contain_text("everything is saved")
