"""A dashboard's `sync` reply may be read before a comment arrives and reach the page after the
comment's own `comment_updated` (a slow venue network; a second laptop opening the dashboard while
phones comment). The comment must stay on the dashboard, not vanish until the next sync: events
heard while a sync is on its way are applied again on top of its reply. Forced by holding the
reply in the page's WebSocket until the comment's event has passed."""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import expect
from tests.browser.wire import hold_first_reply, until_handled, until_held

pytestmark = pytest.mark.browser


def test_a_comment_heard_before_an_older_sync_reply_stays_on_the_dashboard(
    live_server, facilitator, new_phone, desktop, facilitator_login
):
    base, phone = live_server.url, new_phone()
    code = ui.live_with_one_phone(facilitator, base, phone, "Comment during sync")
    second = desktop(facilitator_login, who="second laptop")
    seen = hold_first_reply(second, "sync", "comment_updated")
    second.goto(f"{base}/f/sessions/{code}")
    until_held(second, seen)
    ui.comment(phone, "The definition mixes two skills.")
    expect(facilitator.locator("#comments .comment")).to_have_count(1)
    until_handled(second, seen)  # the comment's event, then the older reply, reached the page
    expect(second.locator("#comments .comment")).to_have_count(1)
    expect(second.locator("#comments .comment")).to_contain_text("The definition mixes two skills.")
