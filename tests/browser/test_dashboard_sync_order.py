"""A dashboard's `sync` reply may be read before a comment arrives and reach the page after the
comment's own `comment_updated` (a slow venue network; a second laptop opening the dashboard while
phones comment). The comment must stay on the dashboard, not vanish until the next sync: events
heard while a sync is on its way are applied again on top of its reply. Forced by holding the
reply in the page's WebSocket until the comment's event has passed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def _hold_first_sync_reply(page: Any) -> dict[str, Any]:
    """The server's reply to the page's first `sync` on /facilitator waits on its way to the page
    until a `comment_updated` has reached it."""
    seen: dict[str, Any] = {"ack": None, "held": [], "released": False}
    sync_request = re.compile(r'^42/facilitator,(\d+)\["sync"')

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_page(message: Any) -> None:
            asked = sync_request.match(message) if isinstance(message, str) else None
            if asked and seen["ack"] is None:
                seen["ack"] = f"43/facilitator,{asked.group(1)}["
            server.send(message)

        def from_server(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if not seen["released"] and seen["ack"] and text.startswith(seen["ack"]):
                seen["held"].append(message)
                return
            ws.send(message)
            if not seen["released"] and seen["held"] and '"comment_updated"' in text:
                seen["released"] = True
                for held in seen["held"]:
                    ws.send(held)

        ws.on_message(from_page)
        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    return seen


def test_a_comment_heard_before_an_older_sync_reply_stays_on_the_dashboard(
    live_server, facilitator, new_phone, desktop, facilitator_login
):
    base, phone = live_server.url, new_phone()
    code = ui.live_with_one_phone(facilitator, base, phone, "Comment during sync")
    second = desktop(facilitator_login, who="second laptop")
    seen = _hold_first_sync_reply(second)
    second.goto(f"{base}/f/sessions/{code}")
    for _ in range(200):  # the reply, read before the comment, is held on its way (10 s at most)
        if seen["held"]:
            break
        second.wait_for_timeout(50)
    assert len(seen["held"]) == 1 and not seen["released"]
    ui.comment(phone, "The definition mixes two skills.")
    expect(facilitator.locator("#comments .comment")).to_have_count(1)
    expect(second.locator("#items .item").first).to_be_visible()  # the held reply was applied
    assert seen["released"]
    expect(second.locator("#comments .comment")).to_have_count(1)
    expect(second.locator("#comments .comment")).to_contain_text("The definition mixes two skills.")
