"""Rounds with feedback: after a re-vote each phone shows the round, its own answer and the group's result."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

# (relevance 1-4, importance 1-5) per phone in round 1: medians 3 and 4, IQRs 2.5–3.5 and 3.5–4.5
ROUND_ONE = ((4, 5), (2, 3))


def feedback(phone, index):
    return ui.criterion(phone, index).locator(".round-feedback")


def test_revote_shows_each_phone_its_answer_and_the_group(live_server, facilitator, new_phone, watched):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Delphi round two")
    ui.set_state(dash, "Open lobby", "open")
    phones = [new_phone() for _ in ROUND_ONE]
    for phone, sector in zip(phones, ("University", "Business"), strict=True):
        ui.join(phone, base, code, sector)
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    for phone, (relevance, importance) in zip(phones, ROUND_ONE, strict=True):
        expect(phone.locator(".skill-name")).to_have_text("Communication")
        expect(phone.locator(".round-badge")).to_have_count(0)  # round 1 is a plain form
        expect(phone.locator(".round-feedback")).to_have_count(0)
        ui.rate(phone, 0, relevance)
        ui.rate(phone, 1, importance)
    dash.get_by_role("button", name="Reveal results").click()
    for phone in phones:
        expect(phone.locator("#results h2")).to_have_text("Results")

    watched.confirm.add("Start a new round for this skill?")
    dash.get_by_role("button", name="Re-vote").click()
    for phone, (relevance, importance) in zip(phones, ROUND_ONE, strict=True):
        expect(phone.locator(".round-badge")).to_have_text("Round 2")
        expect(phone.locator("#item .scale-btn:checked")).to_have_count(0)  # asked afresh
        first, second = feedback(phone, 0), feedback(phone, 1)
        expect(first.locator(".rf-mine:visible")).to_have_text(f"Your answer in round 1: {relevance}")
        expect(second.locator(".rf-mine:visible")).to_have_text(f"Your answer in round 1: {importance}")
        expect(first.locator(".rf-group:visible")).to_have_text(
            "Group in round 1: median 3, IQR 2.5–3.5 (n = 2)"
        )
        expect(second.locator(".rf-group:visible")).to_have_text(
            "Group in round 1: median 4, IQR 3.5–4.5 (n = 2)"
        )
        expect(first.locator(".bar-count")).to_have_text(["0", "1", "0", "1"])
        expect(second.locator(".bar-count")).to_have_text(["0", "0", "1", "0", "1"])

    keeper, mover = phones
    keeper.evaluate("window.scrollTo(0, 0)")
    ui.snap(keeper, "phone-round2.png", full_page=True)
    feedback(keeper, 0).get_by_role("button", name="Keep my answer").tap()
    expect(ui.scale_button(keeper, 0, 4)).to_be_checked()
    expect(ui.criterion(keeper, 0).locator(".saved-mark").first).to_have_text("✓ saved")
    ui.rate(keeper, 1, 4)
    ui.rate(mover, 0, 3)
    ui.rate(mover, 1, 4)

    relevance = ui.criterion_result(dash, "Relevance")
    expect(ui.stat(relevance, "answered")).to_have_text("2")
    expect(ui.stat(relevance, "median")).to_have_text("3.5")  # round 2 (4, 3) now feeds the figures
    expect(ui.skill_row(dash, "COM").locator(".item-meta")).to_contain_text(re.compile(r"round 2|2 ✓"))

    keeper.reload()  # the feedback comes from the server's state, not only from the live event
    expect(keeper.locator(".round-badge")).to_have_text("Round 2")
    expect(feedback(keeper, 1).locator(".rf-mine:visible")).to_have_text("Your answer in round 1: 5")
    expect(ui.scale_button(keeper, 1, 4)).to_be_checked()


def test_self_paced_phone_gets_round_two_feedback(live_server, facilitator, new_phone, watched):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Self-paced Delphi", pacing="self")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "University")
    ui.set_state(dash, "Start voting", "live")
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    ui.rate(phone, 0, 3)
    ui.rate(phone, 1, CANT := ui.CANT)
    ui.skill_row(dash, "COM").click()
    watched.confirm.add("Start a new round for this skill?")
    dash.get_by_role("button", name="Re-vote").click()
    expect(phone.locator(".round-badge")).to_have_text("Round 2")
    expect(feedback(phone, 0).locator(".rf-mine:visible")).to_have_text("Your answer in round 1: 3")
    expect(feedback(phone, 1).locator(".rf-mine:visible")).to_have_text(f"Your answer in round 1: {CANT}")
    group = feedback(phone, 1).locator(".rf-group:visible")
    expect(group).to_have_text("Group in round 1: no answers on the scale (can't judge: 1)")
    ui.rate(phone, 0, 2)
    phone.reload()
    expect(phone.locator(".round-badge")).to_have_text("Round 2")
    expect(ui.scale_button(phone, 0, 2)).to_be_checked()
