"""The phone page can be read and used with a keyboard alone: contrast, rating groups, comment, navigation."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import CANT, expect

pytestmark = pytest.mark.browser


def tab_to(page, target, key: str = "Tab", limit: int = 30) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus; fail if it never gets it."""
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {target}")


def focus_outline(page) -> str:
    """The outline drawn for the focused answer (on its label, since the radio itself is invisible)."""
    return page.evaluate(
        "() => { const n = document.activeElement.closest('label') || document.activeElement;"
        " const s = getComputedStyle(n); return s.outlineStyle + ' ' + s.outlineWidth; }"
    )


CONTRAST = """node => {
  const rgb = (c) => c.match(/\\d+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const s = getComputedStyle(node);
  const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_the_online_pill_is_readable(live_server, facilitator, new_phone):
    phone = new_phone()
    ui.live_with_one_phone(facilitator, live_server.url, phone, "Readable pill")
    assert phone.locator("#conn").evaluate(CONTRAST) >= 4.5  # WCAG AA for small text


def test_a_phone_answers_with_the_keyboard_alone(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "No mouse, no touch", pacing="self")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "Business")
    ui.set_state(dash, "Start voting", "live")
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    keys = phone.keyboard

    relevance = phone.get_by_role("group", name="How relevant is this skill to KT professionals?")
    tab_to(phone, relevance.get_by_role("radio", name="1 Not relevant"))
    assert focus_outline(phone) == "solid 3px"  # the focus can be seen
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    expect(ui.scale_button(phone, 0, 3)).to_be_checked()
    expect(ui.criterion(phone, 0).locator(".saved-mark")).to_have_text("✓ saved")

    keys.press("Tab")  # the next group: Importance
    expect(ui.scale_button(phone, 1, 1)).to_be_focused()
    keys.press("ArrowUp")  # wraps round to the last choice
    expect(ui.scale_button(phone, 1, CANT)).to_be_checked()
    expect(ui.criterion(phone, 1).locator(".saved-mark")).to_have_text("✓ saved")

    keys.press("Tab")
    expect(phone.get_by_label("Comment")).to_be_focused()
    keys.type("Typed without a mouse.")
    keys.press("Tab")
    expect(phone.get_by_role("button", name="Send comment")).to_be_focused()
    keys.press("Enter")
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")

    tab_to(phone, phone.get_by_role("button", name="Next ›"))
    keys.press("Enter")
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    expect(phone.locator(".skill-name")).to_be_focused()  # read from the top of the new skill
    keys.press("Tab")
    expect(ui.scale_button(phone, 0, 1)).to_be_focused()
    keys.press("Space")
    expect(ui.scale_button(phone, 0, 1)).to_be_checked()
    expect(ui.criterion(phone, 0).locator(".saved-mark")).to_have_text("✓ saved")
    tab_to(phone, phone.get_by_role("button", name="‹ Previous"))
    keys.press("Enter")
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    expect(ui.scale_button(phone, 0, 3)).to_be_checked()

    tab_to(phone, phone.get_by_role("button", name="Finish", exact=True), key="Shift+Tab")
    keys.press("Enter")
    expect(phone.get_by_role("heading", name="Your answers")).to_be_focused()
    keys.press("Tab")
    expect(phone.get_by_role("link", name="Negotiation")).to_be_focused()
    keys.press("Enter")
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    tab_to(phone, ui.scale_button(phone, 1, 1))
    keys.press("ArrowDown")
    expect(ui.scale_button(phone, 1, 2)).to_be_checked()
    expect(ui.criterion(phone, 1).locator(".saved-mark")).to_have_text("✓ saved")
    tab_to(phone, phone.get_by_role("button", name="Finish", exact=True), key="Shift+Tab")
    keys.press("Enter")
    expect(phone.locator("#finish .todo li")).to_have_count(8)
    expect(phone.locator("#finish").get_by_role("status")).to_have_text("✓ Everything you answered is saved.")

    expect(dash.locator(".who-chip", has_text="P01")).to_have_attribute("title", "4 of 20 answers")
    ui.skill_row(dash, "COM").click()
    expect(dash.locator("#comments .comment .text")).to_have_text("Typed without a mouse.")
