"""Issue 14, a bigger room: 300 people joined; the dashboard's participant chips stay usable."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

ROOM = 300


def _join_over_the_api(base: str, code: str, n: int) -> None:
    body = json.dumps({"consent": True, "profile": {"sector": "Business"}}).encode()
    for _ in range(n):
        request = urllib.request.Request(
            f"{base}/api/sessions/{code}/join", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["ok"]


def test_three_hundred_participants_are_paged_and_searchable(live_server, facilitator):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "European assembly, plenary")
    ui.set_state(dash, "Open lobby", "open")
    _join_over_the_api(base, code, ROOM)  # joined, never connected: all shown offline
    dash.reload()  # joins over the API announce nobody: the dashboard's sync counts them
    expect(dash.locator("#participants")).to_have_text(str(ROOM))
    chips = dash.locator("#completion .who-chip")
    expect(chips).to_have_count(60)  # one page, not 300 chips
    summary = dash.locator(".list-tools [role=status]").last
    expect(summary).to_have_text(f"{ROOM} joined · 0 finished · 300 offline")
    pager = dash.locator(".pager")
    expect(pager).to_contain_text("page 1 of 5")
    pager.get_by_role("button", name="Next page").click()
    expect(pager).to_contain_text("page 2 of 5")
    expect(chips.first).to_have_text("P61")
    dash.get_by_label("Find a participant").fill("P250")
    expect(chips).to_have_text(["P250"])
    expect(summary).to_have_text(f"{ROOM} joined · 0 finished · 300 offline · 1 match")
    expect(pager).to_be_hidden()
    dash.get_by_label("Find a participant").fill("")
    dash.get_by_label("Which participants").select_option("todo")
    expect(chips).to_have_count(60)
    ui.snap(dash, "dashboard-300.png")
