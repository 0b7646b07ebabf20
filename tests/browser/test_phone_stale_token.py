"""A phone whose token the server no longer knows is sent back to the join page, not left spinning."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def test_a_phone_with_a_stale_token_is_sent_back_to_join(live_server, facilitator, new_phone):
    phone = new_phone()
    code = ui.live_with_one_phone(facilitator, live_server.url, phone, "Stale token")
    expect(phone.locator("#conn")).to_have_text("online")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text(re.compile("offline|reconnecting"))
    database = live_server.log.parent / "instance" / "soundingboard.db"
    with sqlite3.connect(database) as db:  # the token is forgotten (as after the data was purged)
        db.execute(
            "UPDATE participants SET token_hash = 'forgotten-' || id "
            "WHERE session_id = (SELECT id FROM sessions WHERE code = ?)",
            (code,),
        )
    phone.context.set_offline(False)  # the socket reconnects and is refused: connect_error data
    expect(phone).to_have_url(re.compile(f"/j/{code}$"), timeout=15_000)
    expect(phone.get_by_role("button", name=re.compile("Join", re.I))).to_be_visible()
