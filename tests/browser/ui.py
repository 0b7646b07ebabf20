"""What facilitators and participants do in the browser, as steps the tests share."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.browser.conftest import ROOT

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    expect = None  # type: ignore[assignment]  # never called then

SCREENSHOTS = ROOT / "docs" / "screenshots"
CRITERIA = ("Relevance", "Importance", "Clarity of the definition", "Essential?", "Appropriateness (1-9)")
CANT = "Can't judge"


def create_session(
    page: Any,
    base: str,
    title: str,
    pacing: str = "facilitator",
    criteria: tuple[str, ...] = ("Relevance", "Importance"),
    more: Callable[[Any], None] | None = None,
) -> str:
    """Fill in the "New session" form on the example framework; return the join code.

    `more(page)` fills in further fields of the form before it is sent.
    """
    page.goto(base + "/f/")
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title").fill(title)
    choose_example_framework(page)
    for label in CRITERIA:
        page.get_by_label(label, exact=True).set_checked(label in criteria)
    page.get_by_label("Facilitator-paced" if pacing == "facilitator" else "Self-paced").check()
    if more is not None:
        more(page)
    page.get_by_role("button", name="Create session").click()
    expect(page).to_have_url(re.compile(r"/f/sessions/[A-Z0-9]{4,12}$"))
    expect(page.locator("#conn")).to_have_text("online")
    return str(page.url.rsplit("/", 1)[1])


def set_state(page: Any, button: str, state: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator("#state")).to_have_text(state)


def open_join_page(phone: Any, base: str, code: str, sector: str) -> None:
    """Scan the QR code: the join page, with a sector chosen and the consent accepted."""
    phone.goto(f"{base}/j/{code}")
    phone.get_by_label(sector, exact=True).check()
    phone.get_by_label("I agree").check()


def join(phone: Any, base: str, code: str, sector: str) -> str:
    """Join from a phone; return the pseudonym it shows (P01, P02, ...)."""
    open_join_page(phone, base, code, sector)
    phone.get_by_role("button", name="Join the session").tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(phone.locator("#conn")).to_have_text("online")
    me = phone.locator(".me")
    expect(me).to_have_text(re.compile(r"^P\d\d$"))
    return str(me.inner_text())


def criterion(phone: Any, index: int) -> Any:
    return phone.locator("#item fieldset.criterion").nth(index)


def scale_button(phone: Any, index: int, value: int | str) -> Any:
    """The radio button of one answer (a scale point or "Can't judge") of the index-th criterion."""
    box = criterion(phone, index)
    if value == CANT:
        return box.get_by_role("radio", name=CANT)
    return box.get_by_role("radio", name=re.compile(rf"^{value}\b"))


def rate(phone: Any, index: int, value: int | str, mark: str = "✓ saved") -> None:
    """Tap an answer for the index-th criterion and wait for its mark."""
    button = scale_button(phone, index, value)
    button.tap()
    expect(button).to_be_checked()
    expect(criterion(phone, index).locator(".saved-mark")).to_have_text(mark)


def comment(phone: Any, text: str) -> None:
    phone.get_by_label("Comment").fill(text)
    phone.get_by_role("button", name="Send comment").tap()
    expect(phone.locator("#comment-mark")).to_have_text("✓ saved")


def criterion_result(page: Any, label: str) -> Any:
    """The dashboard's block for one criterion of the selected skill."""
    return page.locator("#detail .criterion-result").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(label)}\b"))
    )


def stat(block: Any, name: str) -> Any:
    """The value beside `name` ("answered", "can't judge", "median", ...) in a criterion block."""
    return block.locator(f'xpath=.//dl//dt[normalize-space()="{name}"]/following-sibling::dd[1]')


def skill_row(page: Any, code: str) -> Any:
    return page.locator("#items .item").filter(has_text=re.compile(rf"^{code} · "))


def snap(page: Any, name: str, full_page: bool = False) -> None:
    """Keep a picture for the README; a read-only checkout must not fail the test."""
    image = page.screenshot(full_page=full_page, animations="disabled")
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(image)
    except OSError:
        pass


def live_with_one_phone(dash: Any, base: str, phone: Any, title: str, sector: str = "University") -> str:
    """A facilitator-paced meeting with one phone joined, voting started, the first skill shown."""
    code = create_session(dash, base, title)
    set_state(dash, "Open lobby", "open")
    join(phone, base, code, sector)
    set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    expect(phone.locator(".skill-name")).to_have_text("Communication")
    return code


def choose_example_framework(page: Any) -> None:
    """Pick the example framework in the session form: other tests import frameworks of their own."""
    framework = page.get_by_label("Framework")
    name = re.compile(r"^KT professionals' soft skills \(example\) \(v")  # not a framework made from it
    example = framework.locator("option", has_text=name)
    framework.select_option(example.get_attribute("value"))
