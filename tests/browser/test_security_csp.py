"""The strict Content-Security-Policy breaks nothing: no violation on the main pages, live parts work."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def report_violations(page: Any, seen: list[str], who: str) -> Any:
    """Collect what Chromium refuses under the page's CSP (console errors and DOM events)."""
    page.on(
        "console",
        lambda message: (
            seen.append(f"{who}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return page


def test_main_pages_run_under_the_csp_without_a_violation(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    base, violations = live_server.url, []
    dash = report_violations(facilitator, violations, "dashboard")
    dash.goto(base + "/f/")
    expect(dash.get_by_role("heading", name="Sessions")).to_be_visible()
    phone = report_violations(new_phone(), violations, "phone")
    phone.goto(base + "/")
    code = ui.live_with_one_phone(dash, base, phone, "CSP check")  # sockets on both sides
    ui.rate(phone, 0, 3)

    relevance = ui.criterion_result(dash, "Relevance")
    expect(ui.stat(relevance, "answered")).to_have_text("1")
    # Bars are sized by script through the CSSOM: a blocked style attribute would fill every bar.
    track = relevance.locator(".bar-track").nth(2).bounding_box()["width"]
    assert relevance.locator(".bar-fill").nth(2).bounding_box()["width"] == pytest.approx(track, abs=1)
    assert relevance.locator(".bar-fill").nth(0).bounding_box()["width"] < 1
    dash.get_by_role("button", name="Reveal results").click()
    expect(phone.locator("#results h2")).to_have_text("Results")

    projector = report_violations(desktop(facilitator_login, who="projector"), violations, "projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    qr = projector.get_by_role("img", name="QR code to join")
    projector.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    expect(projector.locator(".proj-criterion h3").first).to_have_text("Relevance")
    expect(projector.locator(".proj-count")).to_have_text("1 joined")  # live over its socket
    for page in (dash, phone):
        expect(page.locator("#conn")).to_have_text("online")
    header = dash.request.get(f"{base}/f/sessions/{code}").headers["content-security-policy"]
    assert "script-src 'self'" in header
    assert violations == []
