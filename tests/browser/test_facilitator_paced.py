"""A facilitator-paced meeting as the people in the room see it: dashboard, projector, three phones."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.ui import CANT, expect

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
SECTORS = ("University", "Business", "Expert")
# (relevance, importance) per phone
ANSWERS = ((4, 5), (3, 4), (CANT, 5))
COMMENT = "Which audience? Researchers, firms, or both?"


def test_facilitator_paced_meeting(live_server, facilitator, desktop, facilitator_login, new_phone, watched):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Validation workshop, Ljubljana")
    expect(dash.locator("#state")).to_have_text("draft")
    expect(dash.locator(".join-code")).to_have_text(code)
    expect(dash.locator(".join-url")).to_have_text(f"{base}/j/{code}")
    dash.evaluate("window.stillTheSamePage = true")  # everything below must arrive without a reload
    ui.set_state(dash, "Open lobby", "open")
    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")

    phones = []
    for number, sector in enumerate(SECTORS, start=1):
        phone = new_phone()
        if number == 1:
            ui.open_join_page(phone, base, code, sector)
            expect(phone.get_by_text("recorded under a pseudonym")).to_be_visible()
            ui.snap(phone, "phone-join.png")
        assert ui.join(phone, base, code, sector) == f"P0{number}"
        expect(phone.locator("#waiting")).to_have_text("You're in. Waiting for the facilitator to start…")
        phones.append(phone)
    expect(dash.locator("#participants")).to_have_text("3")  # live, while the room is still joining
    expect(dash.locator("#connected")).to_have_text("3 connected")
    expect(projector.locator(".proj-count")).to_have_text("3 joined")

    ui.set_state(dash, "Start voting", "live")
    for phone in phones:
        expect(phone.locator("#waiting")).to_have_text("Waiting for the facilitator to open the first skill…")
    expect(ui.skill_row(dash, "COM")).to_have_class(re.compile(r"\bselected\b"))
    reveal = dash.get_by_role("button", name="Reveal results")
    expect(reveal).to_be_disabled()  # nobody is answering yet: nothing to reveal, and no reveal in advance
    expect(reveal).to_have_attribute("title", re.compile("^Nobody is answering this skill yet: results"))
    dash.keyboard.press("r")  # nor by its key
    lock = dash.get_by_role("button", name="Lock", exact=True)
    expect(lock).to_be_disabled()  # nor locked: a skill is skipped by not showing it
    expect(lock).to_have_attribute(
        "title", "Nobody is answering this skill yet: show it on the phones before locking it."
    )
    dash.keyboard.press("l")  # nor by its key
    revote = dash.get_by_role("button", name="Re-vote")
    expect(revote).to_be_disabled()  # nor re-voted: its first round has not been asked
    expect(revote).to_have_attribute(
        "title", "Nobody is answering this skill yet: show it on the phones before starting a new round."
    )
    dash.get_by_role("button", name="Show on phones").click()
    expect(dash.get_by_role("button", name="Showing")).to_be_visible()
    expect(reveal).to_be_enabled()
    expect(reveal).not_to_have_attribute("title", re.compile("."))
    expect(lock).to_be_enabled()
    expect(lock).not_to_have_attribute("title", re.compile("."))
    expect(revote).to_be_enabled()
    expect(revote).not_to_have_attribute("title", re.compile("."))
    expect(projector.locator(".proj-skill")).to_have_text("Communication")
    expect(projector.locator("#stage")).to_contain_text("Vote on your phone.")

    for phone, (relevance, importance) in zip(phones, ANSWERS, strict=True):
        expect(phone.locator(".skill-name")).to_have_text("Communication")
        ui.rate(phone, 0, relevance)
        ui.rate(phone, 1, importance)
    ui.comment(phones[1], COMMENT)
    phones[1].evaluate("window.scrollTo(0, 0)")
    ui.snap(phones[1], "phone.png")

    # The dashboard follows live: counts, distribution, the median, the comment.
    relevance = ui.criterion_result(dash, "Relevance")
    expect(ui.stat(relevance, "answered")).to_have_text("2")
    expect(ui.stat(relevance, "can't judge")).to_have_text("1")
    expect(ui.stat(relevance, "not yet")).to_have_text("0")
    expect(ui.stat(relevance, "median")).to_have_text("3.5")
    expect(relevance.locator(".bar-count")).to_have_text(["0", "0", "1", "1"])
    importance = ui.criterion_result(dash, "Importance")
    expect(ui.stat(importance, "answered")).to_have_text("3")
    expect(importance.locator(".bar-count")).to_have_text(["0", "0", "0", "1", "2"])
    expect(ui.skill_row(dash, "COM").locator(".item-meta")).to_have_text("3 ✓ · open")
    comments = dash.locator("#comments .comment")
    expect(comments).to_have_count(1)
    expect(comments.locator(".who")).to_have_text("P02 · COM")
    expect(comments.locator(".text")).to_have_text(COMMENT)
    for phone in phones:  # results stay hidden from the room until revealed
        expect(phone.locator("#results")).to_be_empty()

    dash.get_by_role("button", name="Reveal results").click()
    expect(dash.get_by_role("button", name="Hide results")).to_be_visible()
    for phone in phones:
        expect(phone.locator("#results h2")).to_have_text("Results")
        expect(phone.locator("#results .result").first).to_contain_text("n = 2, median 3.5")
    expect(projector.locator(".proj-criterion h3")).to_have_text(["Relevance", "Importance"])
    expect(projector.locator(".proj-stats").first).to_contain_text("n = 2 · median 3.5")
    projected_relevance = projector.locator(".proj-criterion").first
    expect(projected_relevance.locator(".bar-count")).to_have_text(["0", "0", "1", "1"])
    ui.snap(projector, "projector.png")
    ui.snap(dash, "dashboard.png")

    dash.get_by_role("button", name="Lock", exact=True).click()
    expect(dash.get_by_role("button", name="Unlock")).to_be_visible()
    expect(ui.skill_row(dash, "COM").locator(".item-meta")).to_have_text("3 ✓ · shown · locked")
    for phone in phones:
        expect(phone.locator("#locked-note")).to_be_visible()
        expect(phone.locator("#item .scale-btn")).to_have_count(11)
        expect(phone.locator("#item .scale-btn:enabled")).to_have_count(0)
        expect(phone.get_by_label("Comment")).not_to_be_editable()  # read-only: its text can be copied
    expect(projector.locator(".proj-criterion")).to_have_count(2)  # still showing the results

    ui.skill_row(dash, "NEG").click()
    expect(reveal).to_be_disabled()
    expect(lock).to_be_disabled()
    expect(revote).to_be_disabled()
    dash.get_by_role("button", name="Show on phones").click()
    expect(dash.get_by_role("button", name="Showing")).to_be_visible()
    for phone in phones:
        expect(phone.locator(".skill-name")).to_have_text("Negotiation")
        expect(phone.locator("#locked-note")).to_be_hidden()
        expect(phone.locator("#item .scale-btn:enabled")).to_have_count(11)
        expect(phone.locator("#item .scale-btn.chosen")).to_have_count(0)
        expect(phone.locator("#results")).to_be_empty()
    expect(projector.locator(".proj-skill")).to_have_text("Negotiation")
    expect(projector.locator(".proj-criterion")).to_have_count(0)
    ui.rate(phones[0], 0, 2)
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")

    watched.confirm.add("Close the session? Answers become read-only.")
    dash.get_by_role("button", name="Close session").click()
    expect(dash.locator("#state")).to_have_text("closed")
    for phone in phones:
        expect(phone.locator("#waiting")).to_have_text("This session has ended. Thank you for taking part!")
    expect(projector.locator("#stage")).to_have_text("Thank you!")
    assert dash.evaluate("window.stillTheSamePage") is True


def test_revote_asks_phones_again(live_server, facilitator, new_phone, watched, desktop, facilitator_login):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    code = ui.live_with_one_phone(dash, base, phone, "Second thoughts")
    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator(".proj-skill")).to_have_text("Communication")
    expect(projector.locator(".proj-round")).to_have_count(0)  # a first round says nothing of rounds
    ui.rate(phone, 0, 2)
    ui.rate(phone, 1, 3)
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")

    watched.confirm.add("Start a new round for this skill?")
    dash.get_by_role("button", name="Re-vote").click()
    # The room sees it answers again, as the dashboard says (shown in capitals).
    expect(projector.locator(".proj-round")).to_have_text(re.compile(r"· round 2$"))
    expect(projector.locator("#stage")).to_contain_text("Vote on your phone.")
    # Until the re-vote's first answer the figures stay those of round 1 (one truth about rounds).
    expect(dash.locator(".suggestion")).to_contain_text("round 2 open, no answers yet: figures of round 1")
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")
    dash.get_by_role("button", name="Reveal results").click()  # the bars shown are round 1's, and say so
    expect(projector.locator(".proj-criterion")).to_have_count(2)
    expect(projector.locator(".proj-round")).to_have_text(re.compile(r"· round 1$"))
    dash.get_by_role("button", name="Hide results").click()
    expect(projector.locator(".proj-round")).to_have_text(re.compile(r"· round 2$"))
    # The phone must not pretend the new round is answered: nothing chosen, nothing "saved".
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    expect(phone.locator("#item .scale-btn.chosen")).to_have_count(0)
    expect(phone.locator("#item fieldset .saved-mark.saved")).to_have_count(0)
    ui.rate(phone, 0, 4)
    expect(dash.locator(".suggestion")).to_contain_text("(round 2)")
    dash.get_by_role("button", name="Reveal results").click()
    expect(projector.locator(".proj-stats").first).to_contain_text("n = 1 · median 4")
    expect(projector.locator(".proj-round")).to_have_text(re.compile(r"· round 2$"))
    projector.screenshot(path="/tmp/odds21/projector-round2.png")
    dash.get_by_role("button", name="Hide results").click()
    expect(dash.locator(".suggestion")).not_to_contain_text("no answers yet")
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")
    expect(ui.stat(ui.criterion_result(dash, "Importance"), "answered")).to_have_text("0")
    phone.reload()
    expect(ui.scale_button(phone, 0, 4)).to_be_checked()
    expect(phone.locator("#item .scale-btn.chosen")).to_have_count(1)
