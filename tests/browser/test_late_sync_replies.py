"""A `sync` or `sync_questions` reply overtaken by a broadcast (a slow venue network, or two server
processes) must not take a page back to the older state: the reply was read before the facilitator's
change, the broadcast after. Both carry the session's `revision` (docs/protocol.md), and each client
keeps the newer state and asks again. Forced here by holding a page's first reply on its way until
the broadcast has reached the page on the same socket."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.test_prioritisation import create_workshop, question_card
from tests.browser.ui import expect, join, set_state
from tests.browser.wire import hold_first_reply, until_handled, until_held

pytestmark = pytest.mark.browser


def test_a_late_sync_questions_reply_does_not_take_clients_back(
    live_server, facilitator, new_phone, desktop, facilitator_login
):
    base = live_server.url
    code = create_workshop(
        facilitator,
        base,
        "Late question sync",
        [{"kind": "Pick k of n", "prompt": "Which skills?", "count": 3}],
    )
    set_state(facilitator, "Open lobby", "open")
    set_state(facilitator, "Start voting", "live")

    phone = new_phone()
    held_phone = hold_first_reply(phone, "sync_questions", "questions_updated")
    join(phone, base, code, "University")
    until_held(phone, held_phone)

    projector = desktop(facilitator_login, viewport={"width": 1280, "height": 720}, who="projector")
    held_projector = hold_first_reply(projector, "sync_questions", "questions_updated")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    until_held(projector, held_projector)

    panel = desktop(facilitator_login, who="second laptop")
    held_panel = hold_first_reply(panel, "sync_questions", "questions_updated")
    panel.goto(f"{base}/f/sessions/{code}")
    until_held(panel, held_panel)

    question_card(facilitator, 1).get_by_role("button", name="Show on phones").click()
    expect(question_card(facilitator, 1).get_by_role("button", name="Showing")).to_be_visible()
    for page, seen in ((phone, held_phone), (projector, held_projector), (panel, held_panel)):
        until_handled(page, seen)
    expect(phone.locator(".question-prompt")).to_have_text("Which skills?")
    expect(phone.locator(".pick-left")).to_have_text("3 left to pick")
    expect(projector.locator("#question-stage")).to_be_visible()  # hidden keeps the text it had
    expect(projector.locator("#question-stage")).to_contain_text("Answer on your phone.")
    expect(question_card(panel, 1).get_by_role("button", name="Showing")).to_be_visible()


def test_a_late_sync_reply_does_not_take_the_comment_wall_off_the_projector(
    live_server, facilitator, new_phone, desktop, facilitator_login
):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Late wall")
    set_state(dash, "Open lobby", "open")
    set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    phone = new_phone()
    join(phone, base, code, "University")
    ui.comment(phone, "Listening is missing.")
    note = dash.locator("#comments .comment").filter(has_text="Listening is missing.")
    note.get_by_role("button", name="☆ star").click()
    expect(note.get_by_role("button", name="★ unstar")).to_be_visible()

    projector = desktop(facilitator_login, viewport={"width": 1280, "height": 720}, who="projector")
    held_projector = hold_first_reply(projector, "sync", "wall_updated")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    until_held(projector, held_projector)
    laptop = desktop(facilitator_login, who="second laptop")
    held_laptop = hold_first_reply(laptop, "sync", "wall_updated")
    laptop.goto(f"{base}/f/sessions/{code}")
    until_held(laptop, held_laptop)

    dash.get_by_role("button", name="Starred comments on the projector").click()
    until_handled(projector, held_projector)
    until_handled(laptop, held_laptop)
    expect(projector.locator(".proj-note")).to_have_text(["Listening is missing."])
    expect(dash.locator("#wall-status")).to_have_text("On the projector: 1 starred comment on COM")
    expect(laptop.locator("#wall-status")).to_have_text("On the projector: 1 starred comment on COM")
    expect(laptop.get_by_role("button", name="Take comments off the projector")).to_be_enabled()
