"""The projector of a self-paced session: the room's progress through the skills, live, counts only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser import a11y, ui
from tests.browser.ui import CANT, expect

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 720}


def dot(phone: Any, name: str) -> Any:
    """The phone's progress dot of a skill (tests/browser/test_self_paced.py)."""
    return phone.get_by_role("button", name=re.compile(rf"^\d+ {name}( [(]done[)])?$"))


def answer_both(phone: Any, first: int | str, second: int | str) -> None:
    ui.rate(phone, 0, first)
    ui.rate(phone, 1, second)


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def assert_fits(projector: Any, rows: Any, count: int) -> None:
    """Each of the `count` skill rows inside the window, and the page without scrolling."""
    for index in range(count):
        box = rows.nth(index).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"], index
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"], index
    page = "document.documentElement"
    assert projector.evaluate(f"() => {page}.scrollHeight <= innerHeight && {page}.scrollWidth <= innerWidth")


def test_projector_shows_a_self_paced_rooms_progress_as_phones_answer(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    """The room's screen said only "Answer on your phone, at your own pace." while everyone
    answered; it now shows who joined, who finished and each skill's answers grow: as numbers."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Self-paced room", pacing="self")
    ui.set_state(dash, "Open lobby", "open")
    projector = desktop(facilitator_login, viewport=VIEWPORT, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    ada, ben = new_phone(), new_phone()
    ui.join(ada, base, code, "University")
    ui.join(ben, base, code, "Business")
    ui.set_state(dash, "Start voting", "live")

    figures = projector.locator(".proj-figure")
    rows = projector.locator(".proj-skill-row")
    expect(projector.locator(".proj-prompt")).to_have_text("Answer on your phone, at your own pace.")
    expect(figures).to_have_text(["2 joined", "0 finished"])
    expect(rows).to_have_count(10)  # the example framework's skills, all on the screen

    def count(name: str) -> Any:
        named = projector.locator(".proj-skill-name", has_text=name)
        return rows.filter(has=named).locator(".proj-skill-count")

    expect(count("Communication")).to_have_text("0")
    ui.rate(ada, 0, 3)
    expect(count("Communication")).to_have_text("0")  # one criterion of two: the skill is not answered
    ui.rate(ada, 1, 4)
    expect(count("Communication")).to_have_text("1")
    answer_both(ben, 2, CANT)  # "can't judge" is an answer too
    expect(count("Communication")).to_have_text("2")
    fill = rows.filter(has_text="Communication").locator(".proj-progress-fill")
    expect(fill).to_have_attribute("style", "width: 100%;")

    dot(ben, "Entrepreneurial mindset").tap()
    answer_both(ben, 4, 4)
    expect(count("Entrepreneurial mindset")).to_have_text("1")
    expect(figures).to_have_text(["2 joined", "0 finished"])

    for _ in range(9):  # Ada goes through every other skill
        ada.get_by_role("button", name="Next ›").tap()
        answer_both(ada, 4, 3)
    expect(ada.locator(".progress-text")).to_have_text("10 of 10 done")
    expect(figures).to_have_text(["2 joined", "1 finished"])
    expect(count("Entrepreneurial mindset")).to_have_text("2")
    expect(count("Negotiation")).to_have_text("1")

    # Readable at 1280x720 without scrolling: every row inside the window, none under the join
    # card, no name running into its count; and nothing of who answered what.
    corner = projector.locator(".proj-join").bounding_box()
    for block in (".proj-prompt", ".proj-figures", ".proj-skills"):
        assert not overlaps(projector.locator(block).bounding_box(), corner), block
    assert_fits(projector, rows, 10)
    shown = projector.locator("#stage").inner_text()
    assert "P01" not in shown and "P02" not in shown
    a11y.assert_none({"projector (self-paced)": a11y.violations(projector)})


def test_a_prioritisation_sized_framework_fits_the_projector(
    live_server, facilitator, desktop, facilitator_login
):
    """The project's prioritisation workshop starts from 25 skills: in a self-paced session all 25
    rows show on a 1280x720 projector (three denser columns), none past the window or under the
    join card, names cut with an ellipsis rather than running into their counts."""
    base, dash = live_server.url, facilitator
    dash.goto(base + "/f/frameworks/new")
    dash.get_by_label("Framework name").fill("Twenty-five skills")
    names = [f"Skill number {n} with a long name for a projector" for n in range(1, 26)]
    for n, name in enumerate(names, start=1):
        if not dash.get_by_label(f"Code of skill {n}").count():
            dash.get_by_role("button", name="Add a skill").click()
        dash.get_by_label(f"Code of skill {n}").fill(f"S{n:02}")
        dash.get_by_label(f"Name of skill {n}").fill(name)
        dash.get_by_label(f"Definition of skill {n}").fill(f"What skill {n} means.")
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator(".flash")).to_have_text("Framework created.")

    dash.goto(base + "/f/sessions/new")
    dash.get_by_label("Title").fill("Twenty-five, self-paced")
    framework = dash.get_by_label("Framework")
    framework.select_option(framework.locator("option", has_text="Twenty-five skills").get_attribute("value"))
    dash.get_by_label("Self-paced").check()
    dash.get_by_role("button", name="Create session").click()
    expect(dash).to_have_url(re.compile(r"/f/sessions/[A-Z0-9]{4,12}$"))
    code = dash.url.rsplit("/", 1)[1]
    ui.set_state(dash, "Open lobby", "open")
    ui.set_state(dash, "Start voting", "live")

    projector = desktop(facilitator_login, viewport=VIEWPORT, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    rows = projector.locator(".proj-skill-row")
    expect(rows).to_have_count(25)
    corner = projector.locator(".proj-join").bounding_box()
    assert not overlaps(projector.locator(".proj-skills").bounding_box(), corner)
    assert_fits(projector, rows, 25)
