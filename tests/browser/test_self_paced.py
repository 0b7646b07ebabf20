"""Self-paced: each phone works through the skills in its own order; the dashboard shows completion."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.ui import CANT, expect

pytestmark = pytest.mark.browser


def dot(phone, name: str, done: bool = False):
    """A progress dot: its name is the number it shows, then the skill (WCAG 2.5.3, label in name)."""
    return phone.get_by_role("button", name=re.compile(rf"^\d+ {name}{' [(]done[)]' if done else ''}$"))


def test_self_paced_progress_and_completion(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Self-paced round", pacing="self")
    ui.set_state(dash, "Open lobby", "open")
    ada, ben = new_phone(), new_phone()
    ui.join(ada, base, code, "University")
    ui.join(ben, base, code, "Other")
    ui.set_state(dash, "Start voting", "live")
    expect(dash.get_by_role("button", name="Show on phones")).to_have_count(0)  # nothing to pace

    progress = ada.locator(".progress-text")
    expect(progress).to_have_text("0 of 10 done")
    expect(ada.locator(".skill-name")).to_have_text("Communication")
    expect(ada.locator(".dot")).to_have_count(10)
    ui.rate(ada, 0, 3)
    expect(progress).to_have_text("0 of 10 done")  # one criterion of two is not done yet
    ui.rate(ada, 1, 4)
    expect(progress).to_have_text("1 of 10 done")
    expect(dot(ada, "Communication", done=True)).to_have_class("dot done here")

    ada.get_by_role("button", name="Next ›").tap()
    expect(ada.locator(".skill-name")).to_have_text("Negotiation")
    ui.rate(ada, 0, 2)
    ui.rate(ada, 1, CANT)
    expect(progress).to_have_text("2 of 10 done")

    dot(ada, "Entrepreneurial mindset").tap()  # straight to the last skill
    expect(ada.locator(".skill-name")).to_have_text("Entrepreneurial mindset")
    ui.rate(ada, 0, 4)
    ui.rate(ada, 1, 5)
    expect(progress).to_have_text("3 of 10 done")
    ada.get_by_role("button", name="‹ Previous").tap()
    expect(ada.locator(".skill-name")).to_have_text("Teamwork")
    ui.rate(ada, 0, 1)
    ada.get_by_label("Comment").fill("Overlaps with Networking.")
    ada.get_by_role("button", name="Next ›").tap()  # moving on sends the comment
    expect(ada.locator(".skill-name")).to_have_text("Entrepreneurial mindset")
    ada.get_by_role("button", name="‹ Previous").tap()
    expect(ada.get_by_label("Comment")).to_have_value("Overlaps with Networking.")
    expect(ada.locator("#comment-mark")).to_have_text("✓ saved")
    expect(progress).to_have_text("3 of 10 done")
    for name in ("Communication", "Negotiation", "Entrepreneurial mindset"):
        expect(dot(ada, name, done=True)).to_be_visible()
    expect(dot(ada, "Teamwork")).to_have_class("dot here")  # half answered: not done
    ada.evaluate("window.scrollTo(0, 0)")
    ui.snap(ada, "self-paced.png")

    dot(ben, "Resilience").tap()
    ui.rate(ben, 0, 4)
    expect(ben.locator(".progress-text")).to_have_text("0 of 10 done")

    # The dashboard's completion follows both phones live.
    expect(dash.locator(".who-chip", has_text="P01")).to_have_attribute("title", "7 of 20 answers")
    expect(dash.locator(".who-chip", has_text="P02")).to_have_attribute("title", "1 of 20 answers")
    expect(ui.skill_row(dash, "ENT").locator(".item-meta")).to_have_text("1 ✓ · open")
    expect(ui.skill_row(dash, "RES").locator(".item-meta")).to_have_text("0 ✓ · open")
    expect(ui.skill_row(dash, "TEA").locator(".item-meta")).to_have_text("0 ✓ · open")
    ui.skill_row(dash, "TEA").click()
    expect(dash.locator("#comments .comment .text")).to_have_text("Overlaps with Networking.")
