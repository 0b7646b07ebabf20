"""Self-assessment in the browser: publish, take it on a phone, see the profile, come back by code."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.browser import a11y
from tests.browser.ui import SCREENSHOTS, expect

pytestmark = pytest.mark.browser

SKILLS = 10  # the example framework
# mastery, use, importance per skill: Communication is a strength, Negotiation a development area
ANSWERS = {0: (5, 5, 4), 1: (2, 3, 5)}
OTHER = (3, 3, 3)


def render_pages(pdf, stem) -> None:
    """The PDF's first two pages as PNG (pdftoppm, Debian's poppler-utils), to look at."""
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        command = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(stem)]
        subprocess.run(command, check=True, timeout=60)


def publish(page, base: str, title: str) -> str:
    """Fill in "New self-assessment", add advice to one skill, open it; return the public address."""
    page.goto(base + "/f/")
    page.get_by_role("link", name="Self-assessments").click()
    page.get_by_role("link", name="New self-assessment").click()
    page.get_by_label("Title").fill(title)
    framework = page.get_by_label("Framework")
    example_only = re.compile(r"^KT professionals' soft skills \(example\) \(v")
    example = framework.locator("option", has_text=example_only)
    expect(example).to_have_count(1)
    # Choose it as a user would: another test on this server may have made a newer framework
    # (e.g. from a prioritisation result), which then comes first in the list.
    framework.select_option(example.get_attribute("value"))
    page.get_by_label("Introduction shown before the first question").fill("About ten minutes.")
    expect(page.get_by_label('Also ask "How important is it in my role?"')).to_be_checked()
    page.get_by_role("button", name="Create self-assessment").click()
    expect(page.locator("#state")).to_have_text("draft")
    page.get_by_label("Negotiation: how to develop it").fill("Module 3 of the training programme.")
    page.get_by_label('Negotiation: links (one per line, "label | https://...")').fill(
        "Negotiation module | https://example.org/negotiation"
    )
    page.get_by_label('Communication: anchors for "How often do I use it in my work?"').fill(
        "Never explain\nYearly talk\nMonthly talk\nWeekly talk\nDaily talk"
    )
    page.get_by_role("button", name="Save the skills").click()
    expect(page.get_by_text("Skills saved.")).to_be_visible()
    page.get_by_role("button", name="Open for answers").click()
    expect(page.locator("#state")).to_have_text("open")
    expect(page.locator("#public-url")).to_have_text(re.compile(r"/a/[A-Z0-9]{6}$"))
    return page.locator("#public-url").inner_text()


def answer_skill(phone, values: tuple[int, int, int]) -> None:
    """Tap one level per question and wait until each is saved."""
    phone.wait_for_load_state()  # assessment.js listens once the page has loaded
    for fieldset, value in zip(phone.locator("fieldset.scale").all(), values, strict=True):
        fieldset.get_by_role("radio", name=re.compile(rf"^{value}\b")).check()
        expect(fieldset.locator(".saved-mark")).to_have_text("✓ saved")


def test_take_on_a_phone_see_profile_and_come_back_by_code(live_server, facilitator, new_phone, tmp_path):
    base = live_server.url
    url = publish(facilitator, base, "KT soft skills: know yourself")
    assert re.fullmatch(rf"{re.escape(base)}/a/[A-Z0-9]{{6}}", url)

    phone = new_phone()
    phone.goto(url)
    expect(phone.get_by_role("heading", name="KT soft skills: know yourself")).to_be_visible()
    phone.get_by_label("Business", exact=True).check()
    phone.get_by_role("button", name="Start the self-assessment").tap()
    expect(phone.locator("#resume-code")).to_have_text(re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}$"))
    code = phone.locator("#resume-code").inner_text()
    phone.get_by_role("link", name="Begin").tap()

    expect(phone.get_by_role("heading", name="Communication")).to_be_visible()
    expect(phone.get_by_text("Weekly talk")).to_be_visible()  # the skill's own anchors
    # keyboard: focus the first level, move with the arrow keys (radio group), leave with Tab
    phone.wait_for_load_state()  # assessment.js listens once the page has loaded
    phone.get_by_role("radio", name=re.compile(r"^1\b")).first.focus()
    for _ in range(4):
        phone.keyboard.press("ArrowDown")
    expect(phone.locator("fieldset.scale").first.locator(".saved-mark")).to_have_text("✓ saved")
    expect(phone.get_by_role("radio", name=re.compile(r"^5\b")).first).to_be_checked()
    answer_skill(phone, ANSWERS[0])
    phone.reload()  # answers were saved as they were given
    expect(phone.get_by_role("radio", name=re.compile(r"^5\b")).first).to_be_checked()
    expect(phone.get_by_role("radio", name=re.compile(r"^4\b")).nth(2)).to_be_checked()
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(SCREENSHOTS / "assessment-phone.png"))  # what the phone shows first
    phone.get_by_role("button", name="Next").tap()

    for n in range(1, SKILLS):
        expect(phone.locator("#progress")).to_have_text(f"{n + 1} of {SKILLS}")
        answer_skill(phone, ANSWERS.get(n, OTHER))
        phone.get_by_role("button", name="See my profile" if n == SKILLS - 1 else "Next").tap()

    expect(phone.get_by_role("heading", name="My profile")).to_be_visible()
    expect(phone.locator('#scores tr[data-skill="COM"] [data-question="mastery"]')).to_have_text("5")
    row = phone.locator('#scores tr[data-skill="NEG"]')
    expect(row.locator('[data-question="mastery"]')).to_have_text("2")
    expect(row.locator('[data-question="importance"]')).to_have_text("5")
    expect(phone.locator("#strengths")).to_contain_text("Communication")
    development = phone.locator("#development .advice").first
    expect(development).to_contain_text("Negotiation")
    expect(development).to_contain_text("Module 3 of the training programme.")
    expect(development.get_by_role("link", name="Negotiation module")).to_have_attribute(
        "href", "https://example.org/negotiation"
    )
    expect(phone.locator("#cluster-scores")).to_contain_text("Interpersonal")
    expect(phone.locator("svg[aria-label^='Radar chart']")).to_have_count(2)
    expect(phone.locator("svg[aria-label^='Bar chart']")).to_have_count(1)
    # On a 360-pixel phone the radar's axis labels draw at 12 px or more and stay on the screen.
    drawn = phone.evaluate(
        """() => [...document.querySelectorAll("svg[aria-label^='Radar chart'] text")].map((t) => {
            const box = t.getBoundingClientRect();
            return [t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')), box.left, box.right];
        })"""
    )
    assert drawn and min(size for size, _, _ in drawn) >= 12, drawn
    assert all(left >= 0 and right <= 360 for _, left, right in drawn), drawn
    assert code not in phone.content()  # shown once only
    phone.screenshot(path=str(SCREENSHOTS / "assessment-profile.png"), full_page=True)

    elsewhere = new_phone()  # another device: no cookie, only the code
    elsewhere.goto(base + "/r")
    elsewhere.get_by_label("Your personal code").fill(code.lower())
    elsewhere.get_by_role("button", name="Continue with my code").tap()
    expect(elsewhere.get_by_role("heading", name="My profile")).to_be_visible()
    expect(elsewhere.locator('#scores tr[data-skill="NEG"] [data-question="mastery"]')).to_have_text("2")

    with elsewhere.expect_download(timeout=90_000) as download:  # rendering: ~1 s, more on a busy CI
        elsewhere.get_by_role("link", name="Download PDF").tap()
    pdf = tmp_path / "profile.pdf"
    download.value.save_as(pdf)
    render_pages(pdf, SCREENSHOTS / "assessment-pdf-page")

    # later, on that device: take it again; the new profile shows the change
    elsewhere.get_by_role("button", name="Take it again").tap()
    for n in range(SKILLS):
        expect(elsewhere.locator("#progress")).to_have_text(f"{n + 1} of {SKILLS}")
        answer_skill(elsewhere, (4, 3, 5) if n == 1 else ANSWERS.get(n, OTHER))
        elsewhere.get_by_role("button", name="See my profile" if n == SKILLS - 1 else "Next").tap()
    expect(elsewhere.get_by_text("take 2, compared with")).to_be_visible()
    expect(elsewhere.locator('#scores tr[data-skill="NEG"] [data-question="mastery"]')).to_have_text("4 +2")
    expect(elsewhere.locator('#scores tr[data-skill="EMP"] [data-question="mastery"]')).to_have_text("3 =")
    expect(elsewhere.locator("polygon.previous")).to_have_count(2)  # last time's mastery, dashed
    elsewhere.screenshot(path=str(SCREENSHOTS / "assessment-profile-retake.png"), full_page=True)

    # the coordinator sees no profile, and the questions are now frozen
    facilitator.reload()
    expect(facilitator.get_by_text("the questions and anchors are frozen")).to_be_visible()
    expect(facilitator.get_by_role("link", name="Edit settings")).to_have_count(0)
    expect(facilitator.get_by_role("heading", name="Results: 1 completed")).to_be_visible()
    # one person: any figure would be their own answers, so none is shown until 3 have completed
    expect(facilitator.locator("#withheld")).to_be_visible()
    expect(facilitator.locator("#skill-aggregates")).to_have_count(0)
    facilitator.locator("#aggregates").screenshot(path=str(SCREENSHOTS / "assessment-coordinator.png"))

    # the person deletes their answers from their profile page: the figures no longer count them
    a11y.assert_accessible(elsewhere, "the self-assessment profile with its delete form")
    elsewhere.get_by_label("Yes, delete my answers and my profile").check()
    elsewhere.get_by_role("button", name="Delete my answers").tap()
    expect(elsewhere.get_by_role("heading", name="Your answers were withdrawn")).to_be_visible()
    elsewhere.goto(base + "/r")
    elsewhere.get_by_label("Your personal code").fill(code)
    elsewhere.get_by_role("button", name="Continue with my code").tap()
    expect(elsewhere.get_by_text("No self-assessment has this personal code")).to_be_visible()
    facilitator.reload()
    expect(facilitator.get_by_role("heading", name="Results: 0 completed")).to_be_visible()
    expect(facilitator.locator("#withdrawn")).to_have_text(
        "1 person withdrew their answers: they are left out of every figure."
    )
