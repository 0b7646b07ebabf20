"""The first visit creates the administrator; afterwards the set-up page is gone and sign-in works."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, EMAIL, PASSWORD
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_first_run_page_creates_the_administrator_once(browser, live_server, facilitator_login, watched):
    # facilitator_login went through /f/setup: the first visit to /f/ led there and it signed us in.
    assert any(c["domain"] == "127.0.0.1" for c in facilitator_login["cookies"])
    page = watched.attach(browser.new_context(viewport=DESKTOP).new_page(), "newcomer")
    try:
        page.goto(live_server.url + "/f/setup")
        expect(page).to_have_url(live_server.url + "/f/login")  # one-time page: nobody can take over
        page.get_by_label("E-mail").fill(EMAIL)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text("Wrong e-mail or password.")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(live_server.url + "/f/")
        expect(page.locator(".topbar")).to_contain_text("Ada Facilitator")
        expect(page.get_by_role("link", name="New session")).to_be_visible()
    finally:
        page.context.close()
