"""The number formatting every page shares (static/js/common.js), run in the browser that uses it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CASES = [
    ((60, 0), "60"),  # whole numbers keep their zeros: 60 points once showed as "6"
    ((100, 0), "100"),
    ((0, 0), "0"),
    ((100, 2), "100"),
    ((20.5, 2), "20.5"),
    ((0.25, 2), "0.25"),
    ((3.456, 2), "3.46"),
    ((10, 1), "10"),
    ((None, 2), "–"),
]


def test_fmt_drops_only_zeros_after_the_decimal_point(live_server, new_phone):
    phone = new_phone()
    phone.goto(f"{live_server.url}/")
    phone.add_script_tag(url=f"{live_server.url}/static/js/common.js")  # as the phone's pages load it
    phone.wait_for_function("() => window.SB && typeof window.SB.fmt === 'function'")
    got = phone.evaluate("cases => cases.map(([x, d]) => window.SB.fmt(x, d))", [list(c) for c, _ in CASES])
    assert got == [want for _, want in CASES]
