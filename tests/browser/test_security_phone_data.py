"""In the browser: a phone reads and withdraws its own answers; the facilitator removes someone;
the dashboard's figures follow and say who is left out."""

from __future__ import annotations

import re

import pytest

from tests.browser import a11y, ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_a_phone_withdraws_and_the_facilitator_removes_someone(live_server, facilitator, new_phone, watched):
    base, dash = live_server.url, facilitator
    first = new_phone()
    code = ui.live_with_one_phone(dash, base, first, "Withdraw and remove")
    second = new_phone()
    ui.join(second, base, code, "Business")
    expect(second.locator(".skill-name")).to_have_text("Communication")
    for phone, value in ((first, 3), (second, 1)):
        ui.rate(phone, 0, value)
    ui.comment(first, "Clear enough.")
    expect(dash.locator("#participants")).to_have_text("2")

    first.get_by_role("link", name=re.compile("^My answers")).tap()
    expect(first.get_by_role("heading", name="My answers", exact=True)).to_be_visible()
    expect(first.get_by_text("Communication, Relevance: 3")).to_be_visible()
    expect(first.get_by_text("Clear enough.")).to_be_visible()
    ui.snap(first, "phone-my-answers.png", full_page=True)
    a11y.assert_accessible(first, "the phone's own answers")
    first.get_by_label("Yes, delete my answers and comments").check()
    first.get_by_role("button", name="Withdraw my answers").tap()
    expect(first.get_by_role("heading", name="Your answers were withdrawn")).to_be_visible()

    expect(dash.locator("#participants")).to_have_text("1")
    expect(dash.locator("#left-out")).to_have_text(
        "1 participant withdrew their answers: not counted in any figure."
    )
    expect(dash.locator("#comments")).not_to_contain_text("Clear enough.")

    who = second.locator(".me").inner_text()
    watched.confirm.add(
        f"Remove {who}? Their answers and comments are deleted and leave every figure. This cannot be undone."
    )
    dash.get_by_label("Remove a participant and all their answers").fill(who)
    dash.get_by_role("button", name="Remove participant", exact=True).click()
    expect(second.get_by_role("alert")).to_have_text(re.compile("^The facilitator removed you"))
    expect(dash.locator("#participants")).to_have_text("0")
    expect(dash.locator("#left-out")).to_have_text(
        "1 participant removed by the facilitator and 1 participant withdrew their answers: "
        "not counted in any figure."
    )
    ui.snap(dash, "dashboard-participant-removed.png")
    dash.get_by_role("link", name="Audit log").click()
    log = dash.locator("table tbody")
    expect(log.locator("tr").first).to_contain_text("participant removed")
    expect(log).to_contain_text("session state")
    ui.snap(dash, "audit-log.png")
