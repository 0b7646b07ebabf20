"""axe-core on every page in each of its states: no serious or critical violation anywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser import a11y, ui
from tests.browser.conftest import PHONE
from tests.browser.ui import CANT, expect

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1366, "height": 768}
# One answer per preset, in the form's order: relevance, importance, clarity, essential, 1-9.
ANSWERS: tuple[int | str, ...] = (4, 3, CANT, 3, 7)
CLOSE = "Close the session? Answers become read-only."
SKILLS_CSV = b"code,name,definition,cluster\nLIS,Listening,Hearing what people mean.,People\n"


def _open(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"


_rated: dict[str, str] = {}


def rated_meeting(dash: Any, base: str, new_phone: Callable[[], Any]) -> str:
    """A self-paced session on every criterion preset where one phone answered the first skill.

    Built once per server: the pages that read it (results, compare, edit) do not change it.
    """
    if base not in _rated:
        code = ui.create_session(dash, base, "Every criterion", pacing="self", criteria=ui.CRITERIA)
        ui.set_state(dash, "Open lobby", "open")
        phone = new_phone()
        ui.join(phone, base, code, "University")
        ui.set_state(dash, "Start voting", "live")
        expect(phone.locator(".skill-name")).to_have_text("Communication")
        for index, value in enumerate(ANSWERS):
            ui.rate(phone, index, value)
        ui.comment(phone, "Clear enough.")
        _rated[base] = code
    return _rated[base]


def test_first_run_page(facilitator_login):
    """The set-up page is seen once per server, by the facilitator_login fixture, which keeps its findings."""
    assert "first-run" in a11y.seen, "facilitator_login did not check the first-run page"
    found = a11y.seen["first-run"]
    assert not found, f"axe-core on the first-run page:\n{a11y.describe(found)}"


@pytest.mark.parametrize("state", ["empty", "wrong password"])
def test_login_page(state, live_server, desktop, facilitator_login):
    page = desktop(None)
    _open(page, live_server.url + "/f/login")
    if state == "wrong password":
        page.get_by_label("E-mail").fill("nobody@example.org")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Wrong e-mail or password")).to_be_visible()
    a11y.assert_accessible(page, f"the sign-in page ({state})")


def _home(page, base, code):
    _open(page, base + "/f/")


def _framework_new(page, base, code):
    _open(page, base + "/f/frameworks/new")


def _framework_edit(page, base, code):
    _open(page, base + "/f/")
    page.get_by_role("link", name="KT professionals' soft skills (example)").click()
    expect(page.locator("h1")).to_be_visible()


def _framework_import(page, base, code):
    _open(page, base + "/f/frameworks/import")


def _framework_import_preview(page, base, code):
    _open(page, base + "/f/frameworks/import")
    page.get_by_label("Spreadsheet (.xlsx or .csv)", exact=False).set_input_files(
        {"name": "skills.csv", "mimeType": "text/csv", "buffer": SKILLS_CSV}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Import 1 skill", exact=True)).to_be_visible()


def _framework_import_error(page, base, code):
    _open(page, base + "/f/frameworks/import")
    page.get_by_label("Spreadsheet (.xlsx or .csv)", exact=False).set_input_files(
        {"name": "skills.csv", "mimeType": "text/csv", "buffer": b"nothing,useful\n1,2\n"}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _session_new(page, base, code):
    _open(page, base + "/f/sessions/new")


def _session_new_errors(page, base, code):
    _open(page, base + "/f/sessions/new")
    page.get_by_label("Title").fill("Nothing to rate")
    ui.choose_example_framework(page)
    for label in ui.CRITERIA:
        page.get_by_label(label, exact=True).set_checked(False)
    page.get_by_role("button", name="Create session").click()
    expect(page.locator(".error, .flash-error").first).to_be_visible()


def _session_edit(page, base, code):
    _open(page, f"{base}/f/sessions/{code}/edit")


def _session_edit_draft(page, base, code):
    draft = ui.create_session(page, base, "Not started yet")
    _open(page, f"{base}/f/sessions/{draft}/edit")


def _results(page, base, code):
    _open(page, f"{base}/f/sessions/{code}/results")


def _compare(page, base, code):
    _open(page, f"{base}/f/sessions/{code}/compare")


def _export(page, base, code):
    _open(page, base + "/f/export")


FACILITATOR_PAGES: dict[str, Callable[[Any, str, str], None]] = {
    "home": _home,
    "framework editor (new)": _framework_new,
    "framework editor (example)": _framework_edit,
    "framework import": _framework_import,
    "framework import (preview)": _framework_import_preview,
    "framework import (problems)": _framework_import_error,
    "session form (new)": _session_new,
    "session form (errors)": _session_new_errors,
    "session form (edit, draft)": _session_edit_draft,
    "session form (edit, live)": _session_edit,
    "results": _results,
    "compare": _compare,
    "export": _export,
}


@pytest.mark.parametrize("name", FACILITATOR_PAGES)
def test_facilitator_page(name, live_server, facilitator, new_phone):
    base = live_server.url
    code = rated_meeting(facilitator, base, new_phone)
    FACILITATOR_PAGES[name](facilitator, base, code)
    a11y.assert_accessible(facilitator, name)


def test_meeting_room(live_server, facilitator, desktop, facilitator_login, new_phone, watched):
    """Dashboard, projector and a phone at each moment of a facilitator-paced meeting on every criterion.

    One meeting walked through its moments (lobby, voting, revealed, comment wall, closed), checked
    at each, rather than a meeting rebuilt up to each moment: the pages are the same, and every
    moment's findings are reported together at the end.
    """
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Accessible meeting", criteria=ui.CRITERIA)
    ui.set_state(dash, "Open lobby", "open")
    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    _open(projector, f"{base}/f/sessions/{code}/projector")
    phone = new_phone()
    ui.join(phone, base, code, "Business")
    expect(projector.locator(".proj-count")).to_have_text("1 joined")
    found: dict[str, list[dict[str, Any]]] = {}

    def check(state: str) -> None:
        pages = {f"dashboard ({state})": dash, f"projector ({state})": projector, f"phone ({state})": phone}
        found.update({where: a11y.violations(page) for where, page in pages.items()})

    check("lobby")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    for index, value in enumerate(ANSWERS):
        ui.rate(phone, index, value)
    ui.comment(phone, "Too broad?")
    expect(dash.locator("#comments .comment")).to_have_count(1)
    expect(projector.locator(".proj-skill")).to_have_text("Communication")
    check("voting")
    dash.get_by_role("button", name="Reveal results").click()
    expect(phone.locator("#results h2")).to_have_text("Results")
    expect(projector.locator(".proj-criterion")).to_have_count(len(ui.CRITERIA))
    check("revealed")
    dash.locator("#comments .comment").get_by_role("button", name="☆ star").click()
    dash.get_by_role("button", name="Starred comments on the projector").click()
    expect(projector.locator(".proj-note")).to_have_text(["Too broad?"])
    check("comment wall")
    watched.confirm.add(CLOSE)
    dash.get_by_role("button", name="Close session").click()
    expect(dash.locator("#state")).to_have_text("closed")
    expect(phone.locator("#waiting")).to_contain_text("This session has ended")
    check("closed")
    a11y.assert_none(found)


def test_self_paced_phone_and_dashboard(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Accessible self-paced", pacing="self")
    ui.set_state(dash, "Open lobby", "open")
    phone = new_phone()
    ui.join(phone, base, code, "Expert")
    ui.set_state(dash, "Start voting", "live")
    expect(phone.locator(".dot")).to_have_count(10)
    ui.rate(phone, 0, 4)
    ui.rate(phone, 1, 2)
    expect(phone.locator(".progress-text")).to_have_text("1 of 10 done")
    phone.get_by_role("button", name="Next ›").tap()
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    expect(dash.locator(".who-chip", has_text="P01")).to_have_attribute("title", "2 of 20 answers")
    found = {"phone (self-paced)": a11y.violations(phone), "dashboard (self-paced)": a11y.violations(dash)}
    phone.locator(".dot").last.tap()
    phone.get_by_role("button", name="Finish ›").tap()
    expect(phone.locator("#finish").get_by_role("status")).to_contain_text("saved")
    found["phone (self-paced, finish screen)"] = a11y.violations(phone)
    a11y.assert_none(found)


def _enter_code(phone, base, code):
    _open(phone, base + "/")


def _join(phone, base, code):
    _open(phone, f"{base}/j/{code}")
    expect(phone.get_by_role("button", name="Join the session")).to_be_visible()


def _join_not_open(phone, base, code):
    _open(phone, f"{base}/j/{code}")
    expect(phone.get_by_text("not opened yet")).to_be_visible()


def _not_found(phone, base, code):
    response = phone.goto(base + "/j/ZZZZZZ")
    assert response is not None and response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_be_visible()


PHONE_ENTRY = {
    "enter code": (_enter_code, "open"),
    "join": (_join, "open"),
    "join (not open yet)": (_join_not_open, "draft"),
    "not found": (_not_found, "draft"),
}


@pytest.mark.parametrize("name", PHONE_ENTRY)
def test_phone_entry_page(name, live_server, facilitator, new_phone):
    base = live_server.url
    visit, state = PHONE_ENTRY[name]
    code = ui.create_session(facilitator, base, f"Accessible entry ({name})")
    if state == "open":
        ui.set_state(facilitator, "Open lobby", "open")
    phone = new_phone()
    assert phone.viewport_size == PHONE
    visit(phone, base, code)
    a11y.assert_accessible(phone, f"phone: {name}")
