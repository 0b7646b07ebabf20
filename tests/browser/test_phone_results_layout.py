"""A list question's results on a 360 px phone in a language of long words: every bar stays a bar."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE
from tests.browser.test_prioritisation import create_workshop, question_card
from tests.browser.ui import expect

pytestmark = pytest.mark.browser
FINNISH = ("Viestintä", "Neuvottelutaito", "Empatia")  # Communication, Negotiation, Empathy


def _finnish_phone(browser: Any, watched: Any, who: str) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fi-FI")
    return watched.attach(context.new_page(), who)


def test_rank_results_keep_their_bars_on_a_finnish_phone(live_server, facilitator, browser, watched):
    """'Borda 3 · keskimääräinen sija 1,5 · mediaani 1,5' took the whole row: the bar beside it
    shrank to a dot. The figures wrap now, beside a bar of 40% of the row."""
    base, dash = live_server.url, facilitator
    rank = {"kind": "Rank", "prompt": "Order your top three", "count": 3}
    code = create_workshop(dash, base, "Long words", [rank])
    ui.set_state(dash, "Open lobby", "open")
    phones = [_finnish_phone(browser, watched, f"phone fi {n}") for n in (1, 2)]
    for phone in phones:
        phone.goto(f"{base}/j/{code}")
        phone.get_by_label("Yritys", exact=True).check()
        phone.locator("input[name=consent]").check()
        phone.get_by_role("button", name="Liity istuntoon").tap()
        expect(phone).to_have_url(f"{base}/s/{code}")
    ui.set_state(dash, "Start voting", "live")
    card = question_card(dash, 1)
    card.get_by_role("button", name="Show on phones").click()
    for phone, order in zip(phones, (FINNISH, (FINNISH[1], FINNISH[0], FINNISH[2])), strict=True):
        for name in order:
            phone.locator(".rank-add").filter(has_text=name).tap()
        expect(phone.locator(".question-mark")).to_have_text("✓ tallennettu")
    card.get_by_role("button", name="Reveal results").click()
    phone = phones[0]
    details = phone.locator("#question .results .rank-detail")
    expect(details.first).to_contain_text("keskimääräinen sija 1,5")
    tracks = phone.locator("#question .results .rank-track")
    rem = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    widths = [box["width"] for box in (t.bounding_box() for t in tracks.all()) if box]
    assert len(widths) == 10 and min(widths) >= 3 * rem - 0.5, widths
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_long_mark_beside_a_question_leaves_the_question_its_width(
    live_server, facilitator, browser, watched
):
    """Offline, a Polish phone marks an answer 'zachowano na tym telefonie': on one line it took
    the row and squeezed the question above the scale into a column a word wide."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Long marks")
    ui.set_state(dash, "Open lobby", "open")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="pl-PL")
    phone: Any = watched.attach(context.new_page(), "phone pl")
    try:
        phone.goto(f"{base}/j/{code}")
        phone.get_by_label("Uczelnia", exact=True).check()
        phone.locator("input[name=consent]").check()
        phone.get_by_role("button", name="Dołącz do sesji").tap()
        expect(phone).to_have_url(f"{base}/s/{code}")
        ui.set_state(dash, "Start voting", "live")
        dash.get_by_role("button", name="Show on phones").click()
        expect(phone.locator("#item fieldset.criterion")).to_have_count(2)
        phone.context.set_offline(True)
        expect(phone.locator("#conn")).not_to_have_text("online")
        ui.rate(phone, 0, 2, mark="zachowano na tym telefonie")
        legend = ui.criterion(phone, 0).locator("legend")
        whole, question = legend.bounding_box(), legend.locator("span").first.bounding_box()
        assert question["width"] >= 0.55 * whole["width"], (question, whole)
    finally:
        context.close()


def test_a_short_mark_beside_a_long_question_stays_whole(
    live_server, facilitator, new_phone, browser, watched
):
    """Beside a two-line question the mark shrank to a few letters and broke inside its words:
    '✓ save / d' on an English phone, '✓ tallen / nettu' on a Finnish one."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Short marks")
    ui.set_state(dash, "Open lobby", "open")
    english = new_phone()
    ui.join(english, base, code, "University")
    finnish = _finnish_phone(browser, watched, "phone fi")
    finnish.goto(f"{base}/j/{code}")
    finnish.get_by_label("Yliopisto", exact=True).check()
    finnish.locator("input[name=consent]").check()
    finnish.get_by_role("button", name="Liity istuntoon").tap()
    expect(finnish).to_have_url(f"{base}/s/{code}")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    ui.rate(english, 0, 4)
    ui.rate(finnish, 0, 4, mark="✓ tallennettu")
    for phone in (english, finnish):
        mark = ui.criterion(phone, 0).locator(".saved-mark")
        lines = mark.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); "
            "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
        )
        assert lines == 1, f"{mark.inner_text()!r} takes {lines} lines"
