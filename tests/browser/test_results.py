"""After the votes: the results page and the comparison of two meetings, as a coordinator sees them."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def _meeting(dash, base, new_phone, title, values):
    code = ui.create_session(dash, base, title, pacing="self", criteria=("Relevance",))
    ui.set_state(dash, "Open lobby", "open")
    phones = [new_phone() for _ in values]
    for phone, sector in zip(phones, ("University", "University", "University", "Business"), strict=False):
        ui.join(phone, base, code, sector)
    ui.set_state(dash, "Start voting", "live")
    for phone, value in zip(phones, values, strict=True):
        expect(phone.locator(".skill-name")).to_have_text("Communication")
        ui.rate(phone, 0, value)
    for phone in phones:
        phone.context.close()
    return code


def test_results_page_and_comparison(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    first = _meeting(dash, base, new_phone, "Meeting in Turin", [4, 4, 3, 4])
    second = _meeting(dash, base, new_phone, "Meeting in Gdańsk", [1, 2, 1, 1])

    dash.goto(f"{base}/f/sessions/{first}/results")
    expect(dash.get_by_role("heading", name="Meeting-level figures")).to_be_visible()
    expect(dash.locator(".results-table tbody tr").first).to_contain_text("COM")
    expect(dash.get_by_text("suppressed (<3)").first).to_be_visible()  # one Business rater
    ui.snap(dash, "results.png", full_page=True)

    dash.get_by_role("link", name="Compare with other meetings on this framework").click()
    expect(dash.locator(f'input[name="code"][value="{second}"]')).to_be_checked()
    # Other tests' meetings share this server and framework: keep only these two.
    for box in dash.locator('input[name="code"]').all():
        box.set_checked(box.get_attribute("value") in (first, second))
    dash.get_by_role("button", name="Compare").click()
    row = (
        dash.locator(".compare-table tbody tr").filter(has_text="Communication").filter(has_text="Relevance")
    )
    expect(row).to_contain_text("meetings disagree")
    expect(dash.locator(".compare-table thead")).to_contain_text(second)
    ui.snap(dash, "compare.png", full_page=True)
