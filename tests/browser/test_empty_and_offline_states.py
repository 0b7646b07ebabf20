"""What the room reads at the edges: results revealed before anyone answered, a phone offline,
an Italian phone's optional profile question (found walking the demo as a newcomer)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE
from tests.browser.test_prioritisation import create_workshop, question_card
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_results_revealed_with_no_answers_say_so(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    """Not "n = 0 · median – · – agree", nor a ranking of ten empty bars at "Borda 0"."""
    base, dash = live_server.url, facilitator
    projector = desktop(facilitator_login, viewport={"width": 1366, "height": 768}, who="projector")

    # A skill revealed before anyone rated it.
    code = ui.create_session(dash, base, "Revealed too early")
    ui.set_state(dash, "Open lobby", "open")
    early = new_phone()
    ui.join(early, base, code, "Expert")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    dash.get_by_role("button", name="Reveal results").click()
    expect(projector.locator(".proj-criterion")).to_have_count(2)
    expect(projector.locator(".proj-criterion .proj-stats")).to_have_text(["No ratings.", "No ratings."])
    expect(early.locator("#results .result p.muted")).to_have_text(["No ratings.", "No ratings."])

    # A rank question revealed before anyone answered, on the projector and on a phone.
    code = create_workshop(dash, base, "Ranked too early", [{"kind": "Rank", "prompt": "Put them in order"}])
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "Business")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    ui.set_state(dash, "Start voting", "live")
    card = question_card(dash, 1)
    card.get_by_role("button", name="Show on phones").click()
    expect(projector.locator("#question-stage")).to_contain_text("Answer on your phone.")
    card.get_by_role("button", name="Reveal results").click()
    stage = projector.locator("#question-stage [data-role=body]")
    expect(stage).to_have_text("No answers yet.")
    expect(phone.locator("#question .results")).to_have_text("The group's choiceNo answers yet.")
    expect(projector.locator(".rank-bars")).to_have_count(0)
    expect(phone.locator("#question .rank-bars")).to_have_count(0)
    card.get_by_role("button", name="Lock").click()
    expect(stage).to_have_text("Nobody answered.")
    expect(phone.locator("#question .results p")).to_have_text("Nobody answered.")


def test_an_offline_phone_says_its_answers_wait_on_it(live_server, facilitator, new_phone):
    """Not "sending…" while nothing can be sent; "sending…" again once it is back, then "✓ saved"."""
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Offline wording")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("offline – answers are kept")
    ui.rate(phone, 0, 3, mark="kept on this phone")
    phone.get_by_label("Comment").fill("Typed in a tunnel.")
    phone.get_by_role("button", name="Send comment").tap()
    expect(phone.locator("#comment-mark")).to_have_text("kept on this phone")
    phone.context.set_offline(False)
    expect(phone.locator("#conn")).to_have_text("online", timeout=15_000)
    expect(ui.criterion(phone, 0).locator(".saved-mark")).to_have_text("✓ saved")
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")


def test_an_italian_phone_marks_a_profile_question_optional_in_the_neutral_form(
    live_server, facilitator, browser, watched
) -> None:
    """A profile question's label may be any noun ("Settore", "Ruolo"): "(facoltativo)", not
    "(facoltativa)", which agrees only with a feminine one."""
    base = live_server.url
    code = ui.create_session(facilitator, base, "Profilo")
    ui.set_state(facilitator, "Open lobby", "open")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="it-IT")
    italian: Any = watched.attach(context.new_page(), "phone it")
    try:
        italian.goto(f"{base}/j/{code}")
        expect(italian.locator("form legend .muted").first).to_have_text("(facoltativo)")
    finally:
        context.close()


def test_a_locked_list_question_gives_no_advice_for_answering(live_server, facilitator, new_phone, watched):
    """Under "answers can no longer change", not "All 3 picked – untick one to change" nor "Pick 3
    to save your answer"; a re-vote brings the advice back."""
    base, dash = live_server.url, facilitator
    code = create_workshop(
        dash, base, "Locked advice", [{"kind": "Pick k of n", "prompt": "Pick", "count": 3}]
    )
    ui.set_state(dash, "Open lobby", "open")
    done, halfway = new_phone(), new_phone()
    for phone in (done, halfway):
        ui.join(phone, base, code, "Business")
    ui.set_state(dash, "Start voting", "live")
    card = question_card(dash, 1)
    card.get_by_role("button", name="Show on phones").click()
    for phone, count in ((done, 3), (halfway, 2)):
        for index in range(count):
            phone.locator("#question .pick-item").nth(index).tap()
    expect(done.locator(".pick-left")).to_contain_text("All 3 picked")
    expect(done.locator(".question-mark")).to_have_text("✓ saved")
    expect(halfway.locator(".question-mark")).to_have_text("Pick 3 to save your answer")

    card.get_by_role("button", name="Lock").click()
    for phone in (done, halfway):
        expect(phone.locator("#question .locked-note")).to_be_visible()
        expect(phone.locator(".pick-left")).to_be_hidden()
    expect(done.locator(".question-mark")).to_have_text("✓ saved")
    expect(halfway.locator(".question-mark")).to_have_text("")

    watched.confirm.add("Start a new round for this question?")
    card.get_by_role("button", name="Re-vote").click()
    for phone in (done, halfway):
        expect(phone.locator(".pick-left")).to_have_text("3 left to pick")


def test_an_answer_that_arrives_after_the_lock_is_said_lost(live_server, facilitator, new_phone):
    """Given offline, sent once back after the facilitator locked: not the lock note again (the page
    shows it already) and not a choice left ticked as if it counted, but what became of the answer."""
    base, dash = live_server.url, facilitator
    phone = new_phone()
    ui.live_with_one_phone(dash, base, phone, "Late answers")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("offline – answers are kept")
    ui.rate(phone, 0, 3, mark="kept on this phone")
    dash.get_by_role("button", name="Lock", exact=True).click()
    phone.context.set_offline(False)
    expect(phone.locator("#notice")).to_have_text(
        "Your answer on Communication was not saved: answers were closed before it arrived.", timeout=15_000
    )
    expect(phone.locator("#item input.scale-btn:checked")).to_have_count(0)

    pick = {"kind": "Pick k of n", "prompt": "Pick", "count": 3}
    code = create_workshop(dash, base, "Late list answers", [pick])
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "Business")
    ui.set_state(dash, "Start voting", "live")
    card = question_card(dash, 1)
    card.get_by_role("button", name="Show on phones").click()
    expect(phone.locator("#question .pick-item")).to_have_count(10)
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("offline – answers are kept")
    for index in range(3):
        phone.locator("#question .pick-item").nth(index).tap()
    expect(phone.locator(".question-mark")).to_have_text("kept on this phone")
    card.get_by_role("button", name="Lock").click()
    expect(card).to_contain_text("locked")
    phone.context.set_offline(False)
    expect(phone.locator("#notice")).to_have_text(
        "Your answer was not saved: the question was locked before it arrived.", timeout=15_000
    )
    expect(phone.locator("#question .pick-item input:checked")).to_have_count(0)
    expect(phone.locator(".question-mark")).to_have_text("")
