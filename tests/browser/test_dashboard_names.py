"""A Polish facilitator's dashboard names each skill and criterion as the room's Polish phones do
(the framework's translation, the catalog's for a preset criterion), and keeps doing so as the
meeting's pushes arrive; an English dashboard keeps the framework's own names."""

from __future__ import annotations

import re

import pytest

from tests.browser import ui
from tests.browser.test_prioritisation import create_workshop, pick, question_card
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_a_polish_dashboard_shows_the_polish_names_through_live_pushes(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    base = live_server.url
    phone = new_phone()  # an English phone: what the dashboard shows depends on the dashboard only
    code = ui.live_with_one_phone(facilitator, base, phone, "Nazwy na pulpicie")
    polish = desktop(facilitator_login)
    polish.context.add_cookies([{"name": "sb_lang", "value": "pl", "url": base}])  # the account has none
    polish.goto(f"{base}/f/sessions/{code}")

    expect(ui.skill_row(polish, "COM").locator(".item-name")).to_have_text("COM · Komunikacja")
    expect(ui.skill_row(polish, "NEG").locator(".item-name")).to_have_text("NEG · Negocjacje")
    expect(polish.locator("#detail h2")).to_have_text("COM · Komunikacja")
    expect(polish.locator("#detail h2")).to_have_attribute("lang", "pl")
    expect(polish.locator("#detail .definition")).to_contain_text("Jasno wyjaśnia potrzeby nauki i biznesu")
    criteria = polish.locator("#detail .criterion-result h3")
    expect(criteria).to_contain_text(["Istotność", "Ważność"])
    expect(ui.skill_row(facilitator, "COM").locator(".item-name")).to_have_text("COM · Communication")
    expect(ui.criterion_result(facilitator, "Relevance")).to_be_visible()

    ui.rate(phone, 0, 4)
    ui.rate(phone, 1, 3)  # results_updated
    expect(ui.skill_row(polish, "COM").locator(".item-meta")).to_contain_text("1 ✓")
    facilitator.keyboard.press("n")  # the next skill on the phones: session_updated, without texts
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    expect(ui.skill_row(polish, "NEG")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(ui.skill_row(polish, "COM").locator(".item-name")).to_have_text("COM · Komunikacja")
    expect(ui.skill_row(polish, "NEG").locator(".item-name")).to_have_text("NEG · Negocjacje")
    expect(criteria).to_contain_text(["Istotność", "Ważność"])
    expect(ui.skill_row(facilitator, "NEG").locator(".item-name")).to_have_text("NEG · Negotiation")


def test_without_the_pages_language_a_facilitator_sees_the_frameworks_own_text(live_server, new_phone):
    """A phone falls back to the session's language; a facilitator's page (`fallback: false`) to
    the framework's own text, as the results page does (services/payloads.py, in_language)."""
    page = new_phone()
    page.goto(f"{live_server.url}/")
    page.evaluate("() => { window.SB_I18N = { lang: 'pl', plural: (n) => Number(n !== 1), messages: {} }; }")
    page.add_script_tag(url=f"{live_server.url}/static/js/common.js")
    page.wait_for_function("() => window.SB && window.SB.lang === 'pl'")
    shown = page.evaluate(
        """() => {
          const session = () => ({ title: "T", language: "it", criteria: [], items: [
            { skill_id: 1, name: "Listening", definition: "Listens.", cluster: "",
              i18n: { it: { name: "Ascolto", definition: "Ascolta." } } },
            { skill_id: 2, name: "Trust", definition: "Trusts.", cluster: "",
              i18n: { pl: { name: "Zaufanie", definition: "Ufa." } } }] });
          const names = (s) => s.items.map((i) => [i.name, i.definition, i.shown_language]);
          const facilitator = SB.localise(session(), null, { fallback: false });
          return { phone: names(SB.localise(session())), facilitator: names(facilitator) };
        }"""
    )
    assert shown["phone"] == [["Ascolto", "Ascolta.", "it"], ["Zaufanie", "Ufa.", "pl"]]
    assert shown["facilitator"] == [["Listening", "Listens.", "en"], ["Zaufanie", "Ufa.", "pl"]]


def test_list_question_results_name_the_skills_in_each_pages_language(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    """The dashboard's list question panel and the projector's ranking name skills as the page's
    language has them: a Polish dashboard and projector (the session has no language of its own,
    so the projector follows its viewer), an English dashboard beside them."""
    base = live_server.url
    question = {"kind": "Pick k of n", "prompt": "Which skill?", "count": 1, "exact": "exactly that many"}
    code = create_workshop(facilitator, base, "Wybór umiejętności", [question])
    ui.set_state(facilitator, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "University")
    ui.set_state(facilitator, "Start voting", "live")
    card = question_card(facilitator, 1)
    card.get_by_role("button", name="Show on phones").click()
    pick(phone, "Communication")
    expect(phone.locator(".question-mark")).to_have_text("✓ saved")
    card.get_by_role("button", name="Reveal results").click()

    polish = desktop(facilitator_login)
    polish.context.add_cookies([{"name": "sb_lang", "value": "pl", "url": base}])
    polish.goto(f"{base}/f/sessions/{code}")
    expect(question_card(polish, 1).locator(".rank-row").first).to_contain_text("Komunikacja")
    projector = desktop(facilitator_login, who="projector")
    projector.context.add_cookies([{"name": "sb_lang", "value": "pl", "url": base}])
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator("#question-stage .rank-row").first).to_contain_text("Komunikacja")
    expect(card.locator(".rank-row").first).to_contain_text("Communication")
