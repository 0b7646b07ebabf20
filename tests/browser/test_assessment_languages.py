"""Issues 13 and 14: the self-assessment on a Finnish phone: the framework's Finnish skills and
clusters, Finnish questions and anchors (the coordinator's own Finnish anchors for one skill),
a Finnish profile and PDF, all within a 360-pixel screen."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import PHONE
from tests.browser.test_assessment import publish, render_pages
from tests.browser.ui import SCREENSHOTS, expect

pytestmark = pytest.mark.browser

FINNISH_ANCHORS = [
    "En vielä osaa selittää tutkimusta muille",
    "Selitän tutkimusta, kun joku auttaa valmistelussa",
    "Selitän tutkimusta itsenäisesti tutuille kuulijoille",
    "Selitän tutkimusta hyvin myös vaativille kuulijoille",
    "Valmennan muita viestimään tutkimuksesta",
]


def _fits(phone: Any) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_finnish_phone_takes_it_in_finnish(live_server, facilitator, browser, watched, tmp_path):
    base, dash = live_server.url, facilitator
    url = publish(dash, base, "Tunne taitosi")
    dash.goto(url.replace("/a/", "/f/assessments/"))
    dash.locator('#skills .lang-status [data-lang="fi"]').click()
    expect(dash.locator('input[name="lang"]')).to_have_value("fi")
    dash.locator("#anchors-COM-mastery").fill("\n".join(FINNISH_ANCHORS))
    dash.get_by_role("button", name="Save the anchors and advice in Suomi").click()
    expect(dash.locator(".flash")).to_contain_text("saved")

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fi-FI")
    phone = watched.attach(context.new_page(), "phone fi")
    phone.goto(url)
    expect(phone.locator("html")).to_have_attribute("lang", "fi")
    phone.locator("form button.primary").tap()
    phone.locator("a.button, a.primary").first.tap()

    expect(phone.get_by_role("heading", name="Viestintä")).to_be_visible()
    expect(phone.locator(".cluster-name")).to_have_text("Vuorovaikutus")
    expect(phone.locator('fieldset[data-question="mastery"] legend')).to_contain_text(
        "Kuinka hyvin hallitsen sen?"
    )
    expect(phone.locator('fieldset[data-question="mastery"] .level-text')).to_have_text(FINNISH_ANCHORS)
    expect(phone.locator('fieldset[data-question="importance"] .level-text').first).to_have_text("Ei tärkeä")
    phone.wait_for_load_state()
    _fits(phone)
    phone.screenshot(path=str(SCREENSHOTS / "assessment-phone-finnish.png"), full_page=True)

    for n in range(10):
        expect(phone.locator("progress.progress")).to_have_attribute("value", str(n))
        phone.wait_for_load_state()  # assessment.js listens once the page has loaded
        for fieldset in phone.locator("fieldset.scale").all():
            fieldset.get_by_role("radio", name=re.compile(r"^4\b")).check()
            expect(fieldset.locator(".saved-mark")).to_have_text("✓ tallennettu")
        phone.locator('button[name="go"][value="next"]').tap()
    expect(phone.locator("#cluster-scores")).to_contain_text("Itsensä johtaminen")
    expect(phone.locator("#scores thead").first).to_contain_text("Hallinta")
    expect(phone.locator('#scores tr[data-skill="COM"]')).to_contain_text("Viestintä")
    expect(phone.locator("#cluster-scores")).to_contain_text("4,0")  # a Finnish decimal comma
    _fits(phone)
    phone.screenshot(path=str(SCREENSHOTS / "assessment-profile-finnish.png"), full_page=True)
    with phone.expect_download(timeout=90_000) as download:
        phone.locator('a[href$="profile.pdf"]').tap()
    pdf = tmp_path / "profile.pdf"
    download.value.save_as(pdf)
    render_pages(pdf, SCREENSHOTS / "assessment-pdf-finnish")
