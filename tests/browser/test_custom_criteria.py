"""Issue 14: a criterion in the session's own words, translated in the session form, shown on a
Polish phone in Polish and on a Finnish phone (no Finnish given) in the session's words with
the interface's own "can't judge"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

OWN = {
    "label": "Usefulness",
    "question": "How useful is this skill in your daily work?",
    "anchors": ["Of no use", "Of little use", "Useful", "Indispensable"],
    "cant_judge": "No opinion",
}
POLISH = {
    "label": "Przydatność",
    "question": "Na ile ta umiejętność przydaje się w Twojej codziennej pracy?",
    "anchors": ["Bezużyteczna", "Mało przydatna", "Przydatna", "Niezbędna"],
    "cant_judge": "Nie mam zdania",
}


def _fill_own_criterion(page: Any) -> None:
    row = page.locator('.custom-criterion[data-row="1"]')
    row.get_by_label("Scale and analysis as").select_option("relevance")
    row.locator("#custom_criteria-0-label").fill(OWN["label"])
    row.locator("#custom_criteria-0-question").fill(OWN["question"])
    row.locator("#custom_criteria-0-anchors").fill("\n".join(OWN["anchors"]))
    row.locator("#custom_criteria-0-cant_judge").fill(OWN["cant_judge"])
    row.locator('details[data-lang="pl"] summary').click()
    for key, value in POLISH.items():
        text = "\n".join(value) if isinstance(value, list) else value
        row.locator(f"#custom_criteria-0-{key}_pl").fill(text)


def _phone(browser: Any, watched: Any, locale: str, who: str) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=locale)
    return watched.attach(context.new_page(), who)


def test_an_own_criterion_speaks_polish_on_a_polish_phone(
    live_server, facilitator, browser, watched
):  # fmt: skip
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Own words", criteria=("Relevance",), more=_fill_own_criterion)
    # The edit page shows what was saved, translation included.
    dash.goto(f"{base}/f/sessions/{code}/edit")
    expect(dash.locator("#custom_criteria-0-label")).to_have_value(OWN["label"])
    expect(dash.locator("#custom_criteria-0-anchors_pl")).to_have_value("\n".join(POLISH["anchors"]))
    expect(dash.locator('.custom-criterion[data-row="1"] details[data-lang="fi"] .warn')).to_have_text(
        "missing"
    )
    dash.goto(f"{base}/f/sessions/{code}")
    ui.set_state(dash, "Open lobby", "open")

    polish = _phone(browser, watched, "pl-PL", "phone pl")
    polish.goto(f"{base}/j/{code}")
    polish.get_by_label("Uczelnia", exact=True).check()
    polish.get_by_label("Wyrażam zgodę").check()
    polish.get_by_role("button", name="Dołącz do sesji").tap()
    finnish = _phone(browser, watched, "fi-FI", "phone fi")
    finnish.goto(f"{base}/j/{code}")
    finnish.get_by_label("Yliopisto", exact=True).check()
    finnish.get_by_label("Hyväksyn").check()
    finnish.get_by_role("button", name="Liity istuntoon").tap()
    expect(dash.locator("#participants")).to_have_text("2")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()

    own = ui.criterion(polish, 1)
    expect(own.locator("legend")).to_contain_text(POLISH["question"])
    expect(own.locator(".scale-anchor")).to_have_text([*POLISH["anchors"], POLISH["cant_judge"]])
    expect(ui.criterion(polish, 0).locator(".cant .scale-anchor")).to_have_text("Nie potrafię ocenić")
    theirs = ui.criterion(finnish, 1)
    expect(theirs.locator("legend")).to_contain_text(OWN["question"])
    expect(theirs.locator(".scale-anchor")).to_have_text([*OWN["anchors"], "En osaa arvioida"])

    ui.rate(polish, 1, 4, mark="✓ zapisano")
    ui.criterion(finnish, 1).get_by_role("radio", name="En osaa arvioida").tap()
    expect(theirs.locator(".saved-mark")).to_have_text("✓ tallennettu")
    block = ui.criterion_result(dash, OWN["label"])
    expect(ui.stat(block, "answered")).to_have_text("1")
    expect(ui.stat(block, "can't judge")).to_have_text("1")

    for phone in (polish, finnish):
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.evaluate("window.scrollTo(0, 0)")
    ui.snap(polish, "phone-own-criterion-polish.png", full_page=True)
    ui.snap(finnish, "phone-own-criterion-finnish.png", full_page=True)
