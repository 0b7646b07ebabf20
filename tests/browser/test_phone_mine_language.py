"""A phone's "My answers" page speaks the phone's language: the note on what is stored, and each
rating's skill and criterion as the phone showed them (found on a Polish phone after
`flask --app run demo`: an English paragraph, "Communication, Relevance: 4")."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_my_answers_on_a_polish_phone_are_in_polish(live_server, facilitator, browser, watched):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Moje odpowiedzi")
    ui.set_state(dash, "Open lobby", "open")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="pl-PL")
    phone = watched.attach(context.new_page(), "phone pl")
    phone.goto(f"{base}/j/{code}")
    phone.get_by_label("Uczelnia", exact=True).check()
    phone.get_by_label("Wyrażam zgodę").check()
    phone.get_by_role("button", name="Dołącz do sesji").tap()
    expect(phone.locator(".skill-name")).to_have_text("Komunikacja")
    ui.rate(phone, 0, 4, mark="✓ zapisano")

    phone.get_by_role("link", name=re.compile("^Moje odpowiedzi")).tap()
    expect(phone.get_by_role("heading", name="Moje odpowiedzi", exact=True)).to_be_visible()
    body = phone.locator("main")
    expect(body).not_to_contain_text("Your pseudonym")
    expect(body).to_contain_text("pseudonim")
    expect(body.locator("li").filter(has_text="Komunikacja")).to_have_text("Komunikacja, Istotność: 4")
    context.close()


def test_my_answers_show_a_list_answer_by_its_skills(live_server, facilitator, new_phone):
    """A pick answer reads as the skills picked, not as the stored {'picks': [1, 3, 5]}."""
    from tests.browser.test_prioritisation import create_workshop, pick, question_card

    base, dash = live_server.url, facilitator
    code = create_workshop(
        dash, base, "Picks on my page", [{"kind": "Pick k of n", "count": 2, "exact": "exactly that many"}]
    )
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "University")
    ui.set_state(dash, "Start voting", "live")
    question_card(dash, 1).get_by_role("button", name="Show on phones").click()
    pick(phone, "Negotiation")
    pick(phone, "Communication")
    expect(phone.locator(".question-mark")).to_have_text("✓ saved")

    phone.get_by_role("link", name=re.compile("^My answers")).tap()
    expect(phone.locator("main li").filter(has_text="Question 1")).to_have_text(
        "Question 1: Negotiation, Communication"  # in the order picked
    )
