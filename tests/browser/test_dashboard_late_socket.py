"""The dashboard of a workshop has two sockets (the skills and the list-question panel). When the
panel's socket connects after a `set_state` it never heard (a slow venue network, a second laptop
opening the dashboard while the first starts voting), its "Show on phones" must still follow the
session's state. Failed in CI once: the panel kept the state the page was rendered with and its
button stayed disabled after "Start voting". Forced here by holding both sockets' namespace
connect on their way to the server until the state has changed from another dashboard."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_prioritisation import create_workshop, question_card
from tests.browser.ui import expect, set_state

pytestmark = pytest.mark.browser


def _hold_connects(page: Any) -> dict[str, Any]:
    """Route the page's Socket.IO WebSockets through the test: each `/facilitator` namespace
    connect waits on its way to the server until `release()`."""
    seen: dict[str, Any] = {"held": [], "released": False}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_page(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if not seen["released"] and text.startswith("40/facilitator,"):
                seen["held"].append((server, message))
                return
            server.send(message)

        ws.on_message(from_page)

    def release() -> None:
        seen["released"] = True
        for server, message in seen["held"]:
            server.send(message)

    seen["release"] = release
    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    return seen


def test_the_question_panel_follows_a_state_change_made_before_its_socket_connected(
    live_server, facilitator, desktop, facilitator_login
):
    base = live_server.url
    code = create_workshop(
        facilitator,
        base,
        "Late panel socket",
        [{"kind": "Pick k of n", "prompt": "Which skills?", "count": 3}],
    )
    set_state(facilitator, "Open lobby", "open")

    second = desktop(facilitator_login, who="second laptop")
    seen = _hold_connects(second)
    second.goto(f"{base}/f/sessions/{code}")
    for _ in range(200):  # both sockets (skills, questions) are waiting to connect: 10 s at most
        if len(seen["held"]) == 2:
            break
        second.wait_for_timeout(50)
    assert len(seen["held"]) == 2
    expect(second.locator("#state")).to_have_text("open")  # as the page was rendered

    set_state(facilitator, "Start voting", "live")  # the broadcast goes by before they join
    second.evaluate("() => 0")  # the route's handlers run on this page's turn
    seen["release"]()
    expect(second.locator("#conn")).to_have_text("online")
    expect(second.locator("#state")).to_have_text("live")
    show = question_card(second, 1).get_by_role("button", name="Show on phones")
    expect(show).to_be_enabled()
    show.click()
    expect(question_card(facilitator, 1)).to_contain_text("on phones")
