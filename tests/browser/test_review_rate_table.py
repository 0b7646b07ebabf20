"""The review page's response-rate table on a laptop, in a long language too."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

# How far the rate table and the box around it reach past the right edge of their card (px;
# negative: inside), and whether that box scrolls sideways.
REACH_JS = """() => {
  const table = document.querySelector("#rate-table");
  const card = table.closest(".card").getBoundingClientRect().right;
  const box = table.parentElement;
  return { table: Math.round(table.getBoundingClientRect().right - card),
           box: Math.round(box.getBoundingClientRect().right - card),
           scrolls: ["auto", "scroll"].includes(getComputedStyle(box).overflowX) };
}"""


def test_the_response_rate_stays_inside_its_card(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    """At 1280 px the "Share started" column ran past the card's edge, where the next card (Dates)
    covered it: "100%" read "100", in Polish the whole percentage was gone. The table now fits
    its card, and where a language's words cannot, it scrolls within it."""
    base = live_server.url
    code = ui.create_session(facilitator, base, "Rate table")
    ui.set_state(facilitator, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "University")
    ui.set_state(facilitator, "Start voting", "live")
    facilitator.get_by_role("button", name="Show on phones").click()
    ui.rate(phone, 0, 3)  # one of one has started: 100%
    for lang in ("en", "pl", "fi"):
        page = desktop(facilitator_login)
        page.context.add_cookies([{"name": "sb_lang", "value": lang, "url": base}])
        for width in (1280, 1366, 1440):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{base}/f/sessions/{code}/review")
            expect(page.locator("#rate-table tbody tr").first).to_contain_text("100")
            reach = page.evaluate(REACH_JS)
            if lang == "en":
                assert reach["table"] <= 0, (lang, width, reach)
            else:
                assert reach["table"] <= 0 or (reach["scrolls"] and reach["box"] <= 0), (lang, width, reach)
