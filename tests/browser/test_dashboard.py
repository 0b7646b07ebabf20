"""The live dashboard on a small laptop: every skill and anchor readable, decisions stated plainly."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

CUT_JS = "els => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.title)"
LAPTOP = {"width": 1366, "height": 800}
THREE = ("Relevance", "Importance", "Clarity of the definition")

# WCAG 2.x contrast ratio of an element's text against its own background colour.
CONTRAST_JS = """el => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(c).map(linear);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(el);
  const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_three_criteria_and_ten_skills_fit_a_laptop(live_server, desktop, facilitator_login):
    base = live_server.url
    dash = desktop(facilitator_login, viewport=LAPTOP)
    ui.create_session(dash, base, "Three criteria on a laptop", criteria=THREE)

    # One level-one heading names the page: the session.
    expect(dash.get_by_role("heading", level=1)).to_have_text("Three criteria on a laptop")

    # All ten skills are on screen at once; the list does not hide any behind its own scroll bar.
    rows = dash.locator("#items .item")
    expect(rows).to_have_count(10)
    expect(rows.nth(9)).to_have_text(re.compile("ENT"))
    expect(ui.skill_row(dash, "ENT")).to_be_in_viewport(ratio=1)
    assert dash.locator("#items").evaluate("el => el.scrollHeight <= el.clientHeight")

    # Every anchor label of the three criteria is shown whole, not cut off with an ellipsis.
    labels = dash.locator("#detail .bar-label")
    expect(labels).to_have_count(4 + 5 + 4)
    expect(labels.nth(6)).to_have_text("Moderately important")
    cut = labels.evaluate_all(CUT_JS)
    assert cut == []


def test_decision_starts_undecided_and_locks_when_the_session_closes(live_server, facilitator, watched):
    base, dash = live_server.url, facilitator
    ui.create_session(dash, base, "Decisions")
    ui.set_state(dash, "Start voting", "live")

    decision = dash.get_by_label("Decision", exact=True)
    expect(decision).to_have_value("")
    assert decision.evaluate("s => s.selectedOptions[0].textContent") == "— undecided —"
    # Another skill, no decision either: it must not inherit anything.
    ui.skill_row(dash, "NEG").click()
    expect(dash.locator("#detail h2")).to_have_text("NEG · Negotiation")
    expect(decision).to_have_value("")

    decision.select_option(label="Keep, revise definition")
    dash.get_by_label("Reason").fill("Definition too broad")
    dash.get_by_role("button", name="Record").click()
    expect(dash.locator("#detail .decision")).to_contain_text("recorded by Ada Facilitator")
    ui.skill_row(dash, "COM").click()
    expect(decision).to_have_value("")
    ui.skill_row(dash, "NEG").click()
    expect(decision).to_have_value("revise")
    expect(dash.get_by_label("Reason")).to_have_value("Definition too broad")

    watched.confirm.add("Close the session? Answers become read-only.")
    dash.get_by_role("button", name="Close session").click()
    expect(dash.locator("#state")).to_have_text("closed")
    expect(dash.get_by_role("button", name="Record")).to_be_disabled()
    expect(decision).to_be_disabled()
    expect(dash.get_by_label("Reason")).to_be_disabled()


def test_badges_have_enough_contrast(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Contrast")
    ui.rate(phone, 0, 4)
    ui.rate(phone, 1, 5)
    expect(dash.locator("#state")).to_have_class(re.compile(r"\bstate-live\b"))
    assert dash.locator("#state").evaluate(CONTRAST_JS) >= 4.5
    assert dash.locator("#conn").evaluate(CONTRAST_JS) >= 4.5
    badges = dash.locator("#detail .badge")
    expect(badges.first).to_be_visible()
    for ratio in badges.evaluate_all(f"els => els.map({CONTRAST_JS})"):
        assert ratio >= 4.5


def test_the_participant_summary_takes_each_numbers_plural_form(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    """The summary above the participant chips was one sentence with three numbers, so a language
    could not give each its plural: a Polish dashboard read "dołączyło: 2 · ukończyło: 0 · offline: 1",
    a Finnish one "2 liittynyt" under any count. Each count is now a phrase of its own."""
    base = live_server.url
    code = ui.create_session(facilitator, base, "Podsumowanie")
    ui.set_state(facilitator, "Open lobby", "open")
    body = json.dumps({"consent": True, "profile": {"sector": "Business"}}).encode()
    request = urllib.request.Request(
        f"{base}/api/sessions/{code}/join", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # joined, never connected: offline
        assert json.load(response)["ok"]
    polish = desktop(facilitator_login)
    polish.context.add_cookies(
        [{"name": "sb_lang", "value": "pl", "url": base}]
    )  # the account has no language
    polish.goto(f"{base}/f/sessions/{code}")
    ui.join(new_phone(), base, code, "Business")
    summary = polish.locator(".list-tools [role=status]").last
    expect(summary).to_have_text("2 osoby dołączyły · 0 osób skończyło · 1 osoba offline")
    polish.locator("#participant-search").fill("P02")
    expect(summary).to_have_text("2 osoby dołączyły · 0 osób skończyło · 1 osoba offline · 1 pasuje")
    expect(facilitator.locator(".list-tools [role=status]").last).to_have_text(
        "2 joined · 0 finished · 1 offline"
    )
