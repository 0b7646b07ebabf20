"""A `sync` or `sync_questions` reply overtaken by a broadcast (a slow venue network, or two server
processes) must not take a page back to the older state: the reply was read before the facilitator's
change, the broadcast after. Both carry the session's `revision` (docs/protocol.md), and each client
keeps the newer state and asks again. Forced here by holding a page's first reply on its way until
the broadcast has reached the page on the same socket."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.test_prioritisation import create_workshop, question_card
from tests.browser.ui import expect, join, set_state

pytestmark = pytest.mark.browser


def _hold_first_reply(page: Any, event: str, broadcast: str) -> dict[str, Any]:
    """Route the page's Socket.IO WebSockets through the test: on the socket that sends `event`,
    the server's reply to the first one waits until a `broadcast` has passed.

    Behind the released reply goes an Engine.IO ping: the page answers it (pong) only once it has
    handled the reply, since a socket's messages are handled in order, so `handled` says when the
    page has acted on it."""
    seen: dict[str, Any] = {"held": 0, "released": 0, "handled": 0}
    request = re.compile(rf'^42(/\w+),(\d+)\["{event}"[,\]]')

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        mine: dict[str, Any] = {"reply": None, "held": None, "done": False, "probe": False}

        def from_page(message: Any) -> None:
            asked = request.match(message) if isinstance(message, str) else None
            if asked and mine["reply"] is None:
                mine["reply"] = f"43{asked.group(1)},{asked.group(2)}["
            if mine["probe"] and message == "3":  # the pong to the test's ping: not the server's
                mine["probe"] = False
                seen["handled"] += 1
                return
            server.send(message)

        def from_server(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if not mine["done"] and mine["reply"] and text.startswith(mine["reply"]):
                mine["held"], mine["done"] = message, True
                seen["held"] += 1
                return
            ws.send(message)
            if mine["held"] is not None and f'["{broadcast}"' in text:
                ws.send(mine["held"])  # now older than the broadcast the page has just taken
                mine["held"], mine["probe"] = None, True
                seen["released"] += 1
                ws.send("2")

        ws.on_message(from_page)
        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    return seen


def _until_held(page: Any, seen: dict[str, Any]) -> None:
    for _ in range(200):  # the reply, made before the change, is held on its way (10 s at most)
        if seen["held"]:
            break
        page.wait_for_timeout(50)
    assert seen["held"] == 1 and not seen["released"]


def _until_handled(page: Any, seen: dict[str, Any]) -> None:
    for _ in range(200):  # the broadcast went by, then the older reply (10 s at most)
        if seen["handled"]:
            break
        page.wait_for_timeout(50)
    assert seen["released"] == seen["handled"] == 1


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
    held_phone = _hold_first_reply(phone, "sync_questions", "questions_updated")
    join(phone, base, code, "University")
    _until_held(phone, held_phone)

    projector = desktop(facilitator_login, viewport={"width": 1280, "height": 720}, who="projector")
    held_projector = _hold_first_reply(projector, "sync_questions", "questions_updated")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    _until_held(projector, held_projector)

    panel = desktop(facilitator_login, who="second laptop")
    held_panel = _hold_first_reply(panel, "sync_questions", "questions_updated")
    panel.goto(f"{base}/f/sessions/{code}")
    _until_held(panel, held_panel)

    question_card(facilitator, 1).get_by_role("button", name="Show on phones").click()
    expect(question_card(facilitator, 1).get_by_role("button", name="Showing")).to_be_visible()
    for page, seen in ((phone, held_phone), (projector, held_projector), (panel, held_panel)):
        _until_handled(page, seen)
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
    held_projector = _hold_first_reply(projector, "sync", "wall_updated")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    _until_held(projector, held_projector)
    laptop = desktop(facilitator_login, who="second laptop")
    held_laptop = _hold_first_reply(laptop, "sync", "wall_updated")
    laptop.goto(f"{base}/f/sessions/{code}")
    _until_held(laptop, held_laptop)

    dash.get_by_role("button", name="Starred comments on the projector").click()
    _until_handled(projector, held_projector)
    _until_handled(laptop, held_laptop)
    expect(projector.locator(".proj-note")).to_have_text(["Listening is missing."])
    expect(dash.locator("#wall-status")).to_have_text("On the projector: 1 starred comment on COM")
    expect(laptop.locator("#wall-status")).to_have_text("On the projector: 1 starred comment on COM")
    expect(laptop.get_by_role("button", name="Take comments off the projector")).to_be_enabled()
