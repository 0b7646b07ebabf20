"""A slow server must not make phones send their answers twice (issue 16's resend storm).

On a live connection a Socket.IO emit is not lost: its ack comes, or the connection ends. A phone
that gave up on an ack after 8 s threw away the ack on its way and queued a second copy behind
the first; 10,000 phones doing so took 58 s for what took 10 (bench/README.md). Here the phone's
clock is Playwright's, run 15 s ahead while the server's ack is held back in the WebSocket: the
answer is sent once, shown as being sent, and saved when the ack arrives.
"""

from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.ui import expect
from tests.browser.wire import hold_acks, release, until

pytestmark = pytest.mark.browser


def test_a_slow_ack_is_waited_for_on_a_live_connection_not_resent(live_server, facilitator, new_phone):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    phone.clock.install()
    seen = hold_acks(phone, "submit_rating", '"criterion_id"')
    ui.live_with_one_phone(dash, base, phone, "Slow server")

    ui.rate(phone, 0, 3, mark="sending…")
    until(phone, lambda: seen["held"])  # stored and acknowledged by the server, ack held on the way
    phone.clock.run_for(15_000)  # the old wait (8 s) and its longest pause (3 s) are over
    phone.wait_for_timeout(300)
    assert seen["sent"] == 1  # not sent a second time
    expect(ui.criterion(phone, 0).locator(".saved-mark")).to_have_text("sending…")

    release(seen)
    expect(ui.criterion(phone, 0).locator(".saved-mark")).to_have_text("✓ saved")
    expect(ui.stat(ui.criterion_result(dash, "Relevance"), "answered")).to_have_text("1")
    assert seen["sent"] == 1
