"""An edit of the set-up saved in the "Edit set-up" form while phones and the projector are open
reaches them at once, without a reload (docs/protocol.md, section 2): the title, the projector's
second language, criteria chosen in the lobby in each phone's own language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE
from tests.browser.test_prioritisation import create_workshop, question_card
from tests.browser.ui import expect

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1366, "height": 768}


def _edit_set_up(dash: Any, fill: Any) -> None:
    """Open "Edit set-up" from the dashboard, let `fill(form page)` change it, save."""
    dash.get_by_role("link", name="Edit set-up").click()
    expect(dash.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Edit "))
    fill(dash)
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator("p.flash[role=status]")).to_have_text("Session saved.")


def _no_reload(*pages: Any) -> None:
    """Mark the pages: a reload would forget the mark (`_not_reloaded`)."""
    for page in pages:
        page.evaluate("() => { window.sbKept = true; }")


def _not_reloaded(*pages: Any) -> None:
    for page in pages:
        assert page.evaluate("() => window.sbKept === true"), "the page was loaded again"


def test_title_and_second_language_change_on_phone_and_projector_without_reload(
    live_server, facilitator, new_phone, desktop, facilitator_login
):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    code = ui.live_with_one_phone(dash, base, phone, "Before the edit")
    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator(".proj-skill")).to_have_text("Communication")
    expect(projector.locator("#stage .proj-second")).to_have_count(0)
    panel = desktop(facilitator_login, who="second laptop")
    panel.goto(f"{base}/f/sessions/{code}")
    expect(panel.locator("#conn")).to_have_text("online")
    expect(phone.locator(".phone-title")).to_have_text("Before the edit")
    _no_reload(phone, projector, panel)

    def fill(form: Any) -> None:
        form.get_by_label("Title").fill("After the edit")
        form.get_by_label("Second language on the projector (optional)").select_option("fi")

    _edit_set_up(dash, fill)
    expect(projector.locator(".proj-title")).to_have_text("After the edit")
    expect(projector.locator("#stage .proj-skill-2")).to_have_text("Viestintä")  # the framework's Finnish
    expect(projector.locator("#stage .proj-second")).to_have_attribute("lang", "fi")
    expect(phone.locator(".phone-title")).to_have_text("After the edit")
    expect(panel.locator(".dash-title")).to_have_text("After the edit")
    # the browser tabs name the session too
    expect(phone).to_have_title("After the edit – Sounding Board")
    expect(projector).to_have_title("Projector – After the edit – Sounding Board")
    expect(panel).to_have_title("Dashboard – After the edit – Sounding Board")
    expect(panel.locator(".topbar-title")).to_have_text("After the edit")
    _not_reloaded(phone, projector, panel)


def test_the_projector_follows_a_change_of_the_sessions_language(
    live_server, facilitator, new_phone, desktop, facilitator_login
):
    """The projector's own words are in the session's language: it loads itself again in the new one."""
    base, dash = live_server.url, facilitator
    code = ui.live_with_one_phone(dash, base, new_phone(), "Language changed")
    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator(".proj-prompt")).to_have_text("Vote on your phone.")

    _edit_set_up(dash, lambda form: form.get_by_label("Language", exact=True).select_option("it"))
    expect(projector.locator("html")).to_have_attribute("lang", "it")
    expect(projector.locator(".proj-prompt")).to_have_text("Vota dal tuo telefono.")
    expect(projector.locator(".proj-skill")).to_have_text("Comunicazione")


def test_the_projector_takes_a_list_questions_second_language_from_the_edit(
    live_server, facilitator, desktop, facilitator_login
):
    base, dash = live_server.url, facilitator
    code = create_workshop(
        dash, base, "Second language", [{"kind": "Pick k of n", "prompt": "Which skills?", "count": 3}]
    )

    def translate(form: Any) -> None:
        row = form.get_by_role("group", name="List question 1")
        row.locator("details.translations summary").click()
        row.get_by_label("Suomi").fill("Mitkä taidot?")

    _edit_set_up(dash, translate)
    ui.set_state(dash, "Open lobby", "open")
    ui.set_state(dash, "Start voting", "live")
    question_card(dash, 1).get_by_role("button", name="Show on phones").click()
    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    stage = projector.locator("#question-stage")
    expect(stage.locator("[data-role=prompt]")).to_have_text("Which skills?")
    expect(stage.locator("[data-role=prompt-2]")).to_be_hidden()
    _no_reload(projector)

    _edit_set_up(
        dash,
        lambda form: form.get_by_label("Second language on the projector (optional)").select_option("fi"),
    )
    expect(stage.locator("[data-role=prompt-2]")).to_have_text("Mitkä taidot?")
    expect(stage.locator("[data-role=prompt-2]")).to_have_attribute("lang", "fi")
    _not_reloaded(projector)


def _polish_phone(browser: Any, watched: Any, who: str) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="pl-PL")
    return watched.attach(context.new_page(), who)


def _join_in_polish(phone: Any, base: str, code: str) -> None:
    phone.goto(f"{base}/j/{code}")
    expect(phone.locator("html")).to_have_attribute("lang", "pl")
    phone.get_by_label("Uczelnia", exact=True).check()
    phone.get_by_label("Wyrażam zgodę").check()
    phone.get_by_role("button", name="Dołącz do sesji").tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(phone.locator("#conn")).to_have_text("online")


def _overtake_the_edit(phone: Any) -> dict[str, Any]:
    """Route the phone's Socket.IO WebSocket through the test: once `armed`, the next
    `session_updated` (the edit's, with the texts) waits until the one after it (no texts) has
    reached the phone: two processes' broadcasts arriving in the other order."""
    seen: dict[str, Any] = {"armed": False, "held": None, "order": []}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_server(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if '["session_updated"' in text and seen["armed"]:
                if seen["held"] is None:
                    seen["held"] = message
                    seen["order"].append("edit held")
                    return
                ws.send(message)
                ws.send(seen["held"])  # older now: the phone ignores it
                seen["order"] += ["next", "edit"]
                seen["armed"] = False
                return
            ws.send(message)

        ws.on_message(lambda message: server.send(message))
        server.on_message(from_server)

    phone.route_web_socket(re.compile(r"/socket\.io/"), route)
    return seen


def test_criteria_changed_in_the_lobby_reach_polish_phones_in_polish(
    live_server, facilitator, browser, watched
):
    """Two Polish phones joined, then the facilitator changes the criteria in the lobby. One phone
    has the edit's broadcast (with the texts); the other's comes after "Start voting"'s (without
    them), so it sees a criterion it has no texts for and syncs again. Both show it in Polish."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Criteria changed in the lobby")
    ui.set_state(dash, "Open lobby", "open")
    plain = _polish_phone(browser, watched, "phone pl")
    late = _polish_phone(browser, watched, "phone pl, edit overtaken")
    seen = _overtake_the_edit(late)
    for phone in (plain, late):
        _join_in_polish(phone, base, code)
    _no_reload(plain, late)

    def criteria(form: Any) -> None:
        form.get_by_label("Importance", exact=True).uncheck()
        form.get_by_label("Clarity of the definition", exact=True).check()

    seen["armed"] = True
    _edit_set_up(dash, criteria)
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    for phone in (plain, late):
        expect(phone.locator(".skill-name")).to_have_text("Komunikacja")
        expect(ui.criterion(phone, 1).locator("legend")).to_have_text("Jak jasna jest definicja?")
    assert seen["order"] == ["edit held", "next", "edit"]
    _not_reloaded(plain, late)
