"""A review of a 12-section guide over a simulated fortnight: the server runs on a clock this test
moves (a file, SOUNDINGBOARD_CLOCK_FILE), so two weeks pass without sleeping. Several phones
answer on different days, one comes back on a second device with its resume code, round 1
closes on its date and round 2 opens with the group's results, and the review closes."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from tests.browser import a11y, ui
from tests.browser.conftest import DESKTOP, EMAIL, PASSWORD, PHONE, ROOT, LiveServer, _wait_until_up
from tests.browser.ui import expect
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.browser
ROME = ZoneInfo("Europe/Rome")


# The words of the matching elements' text that the browser broke across two lines.
WORDS_SPLIT_ACROSS_LINES = """(selector) => {
  const split = [];
  for (const element of document.querySelectorAll(selector)) {
    for (const node of element.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      let start = 0;
      for (const part of node.data.split(/(\\s+)/)) {
        if (part.trim()) {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + part.length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) split.push(part);
        }
        start += part.length;
      }
    }
  }
  return split;
}"""


def rome(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ROME)


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clock") / "now"
    path.write_text(rome(1, 8).isoformat())
    return path


@pytest.fixture(scope="module")
def mail() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, clock_file: Path, mail: SmtpSink
) -> Iterator[LiveServer]:
    """run.py as in conftest, but believing the time in `clock_file` and mailing to `mail`."""
    import socket

    home = tmp_path_factory.mktemp("review-live")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env.update(
        SOUNDINGBOARD_INSTANCE_PATH=str(home / "instance"),
        SOUNDINGBOARD_PUBLIC_URL=url,
        SOUNDINGBOARD_CLOCK_FILE=str(clock_file),
        SOUNDINGBOARD_SMTP_HOST="127.0.0.1",
        SOUNDINGBOARD_SMTP_PORT=str(mail.port),
        SOUNDINGBOARD_SMTP_SECURITY="none",
        SOUNDINGBOARD_SMTP_FROM="Sounding Board <reviews@example.org>",
        PYTHONUNBUFFERED="1",
    )
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    server = LiveServer(url, log)
    try:
        _wait_until_up(process, server, limit=60.0)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


def guide_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sections"
    sheet.append(["code", "title", "text"])
    for n in range(1, 13):
        sheet.append(
            [
                f"S{n:02d}",
                f"Section {n}: {['Aims', 'Audience', 'Modules', 'Mentoring', 'Assessment', 'Costs'][n % 6]}",
                f"First paragraph of section {n}, long enough to wrap on a phone and read as prose.\n\n"
                f"Second paragraph of section {n}, which says what happens next.",
            ]
        )
    meta = book.create_sheet("Framework")
    meta.append(["name", "Programme guide (fortnight test)"])
    meta.append(["kind", "guide"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def answer_sections(phone: Any, count: int, value: int = 3) -> None:
    """Rate the shown section and move on, `count` times."""
    for _ in range(count):
        ui.rate(phone, 0, value)
        phone.get_by_role("button", name=re.compile(r"^(Next|Finish) ›$")).tap()


def test_a_guide_reviewed_over_a_fortnight(browser, live_server, clock_file, watched, tmp_path):
    base = live_server.url

    def at(moment: datetime) -> None:
        clock_file.write_text(moment.isoformat())

    def new_context(viewport: dict[str, int] = PHONE, who: str = "phone", **extra: Any) -> Any:
        context = browser.new_context(viewport=viewport, **extra)
        contexts.append(context)
        return watched.attach(context.new_page(), who)

    contexts: list[Any] = []
    try:
        # Day 1, 08:00: the coordinator sets up (the first-run page makes the account).
        dash = new_context(DESKTOP, "facilitator")
        dash.goto(base + "/f/")
        dash.get_by_label("Your name").fill("Ada Coordinator")
        dash.get_by_label("E-mail").fill(EMAIL)
        dash.get_by_label("Password (8 characters or more)").fill(PASSWORD)
        dash.get_by_label("Repeat the password").fill(PASSWORD)
        dash.get_by_role("button", name="Create the account").click()
        expect(dash.get_by_role("heading", name="Sessions")).to_be_visible()

        upload = tmp_path / "guide.xlsx"
        upload.write_bytes(guide_file())
        dash.goto(base + "/f/frameworks/import")
        dash.get_by_label(re.compile("^Spreadsheet")).set_input_files(str(upload))
        dash.get_by_role("button", name="Check the file").click()
        dash.get_by_role("button", name="Import 12 sections").click()
        expect(dash.locator(".flash")).to_contain_text("Imported 12 sections")

        dash.goto(base + "/f/sessions/new")
        dash.get_by_label("Title").fill("Programme guide review")
        framework = dash.get_by_label("Framework")
        framework.select_option(framework.locator("option", has_text="fortnight test").get_attribute("value"))
        # A guide's criteria are worded for sections (the skills' "Clarity of the definition").
        for label in ("Relevance", "Importance", "Essential?", "Appropriateness (1-9)"):
            dash.get_by_label(label, exact=True).uncheck()
        dash.get_by_label("Clarity of the section", exact=True).check()
        dash.get_by_label("Suggest a better wording").check()
        dash.get_by_label("Self-paced").check()
        dash.get_by_role("button", name="Create session").click()
        expect(dash).to_have_url(re.compile(r"/f/sessions/[A-Z0-9]+$"))
        code = dash.url.rsplit("/", 1)[1]
        dash.get_by_role("link", name="Review over days").click()
        dash.get_by_label("Time zone").fill("Europe/Rome")
        dash.get_by_label(re.compile("^Opens")).fill("2026-12-01T09:00")
        dash.get_by_label("Closes", exact=True).fill("2026-12-15T18:00")
        dash.get_by_label(re.compile("^Current round closes")).fill("2026-12-08T18:00")
        dash.get_by_role("button", name="Save dates").click()
        expect(dash.locator("#review-state")).to_have_text("Not open yet")
        expect(dash.locator("#review-status")).to_contain_text("Tue 15 Dec 2026, 18:00 (Europe/Rome)")

        # Before 09:00 the join page says when it opens, in Rome's time.
        early = new_context(who="early phone", is_mobile=True, has_touch=True)
        early.goto(f"{base}/j/{code}")
        expect(early.locator("#review-dates")).to_contain_text("Opens Tue 1 Dec 2026, 09:00 (Europe/Rome)")

        # Day 1, 09:30: open. Three phones join; P01 answers all 12 sections, P02 three.
        at(rome(1, 9, 30))
        phones = [new_context(who=f"phone {n}", is_mobile=True, has_touch=True) for n in (1, 2, 3)]
        names = [
            ui.join(p, base, code, sector)
            for p, sector in zip(phones, ("University", "Business", "Other"), strict=True)
        ]
        assert names == ["P01", "P02", "P03"]
        p1, p2, p3 = phones
        at(rome(1, 9, 31))  # answers come a minute after joining
        expect(p1.locator(".skill-name")).to_have_text(re.compile("^Section 1:"))
        expect(p1.locator(".item-body p")).to_have_count(2)  # the section's paragraphs
        answer_sections(p1, 12, value=4)
        expect(p1.locator("#finish")).to_be_visible()
        resume_code = p2.locator("#resume-code").inner_text()
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", resume_code)
        a11y.assert_accessible(p2, "phone: review with resume code")
        answer_sections(p2, 3, value=2)

        # Day 3: P02 continues on a laptop with the resume code, as the same pseudonym.
        at(rome(3, 20))
        laptop = new_context({"width": 1024, "height": 768}, "P02s laptop", has_touch=True)
        laptop.goto(f"{base}/back/{code}")
        a11y.assert_accessible(laptop, "resume page")
        laptop.get_by_label("Your resume code").fill(resume_code.lower())
        laptop.get_by_role("button", name="Continue").click()
        expect(laptop.locator(".me")).to_have_text("P02")
        expect(laptop.locator(".progress-text")).to_have_text("3 of 12 done")
        expect(laptop.locator("#since-last")).to_contain_text("1 other person answered")
        laptop.get_by_role("button", name=re.compile(r"^4 Section 4")).click()
        for _ in range(9):
            ui.rate(laptop, 0, 3)
            laptop.get_by_role("button", name=re.compile(r"^(Next|Finish) ›$")).click()
        expect(laptop.locator(".progress-text")).to_have_text("12 of 12 done")

        # Day 5: P03 answers half and suggests a wording.
        at(rome(5, 11))
        p3.reload()
        expect(p3.locator("#since-last")).to_contain_text("2 other people answered")
        answer_sections(p3, 1, value=1)
        p3.get_by_label("Suggest a better wording").fill("Section 2 should say who pays.")
        p3.locator("[data-open-question=wording] button").tap()
        expect(p3.locator("[data-open-question=wording] .saved-mark")).to_have_text("✓ saved")
        answer_sections(p3, 5, value=3)

        # Day 7: the asynchronous dashboard.
        at(rome(7, 17))
        dash.reload()
        expect(dash.locator("#review-state")).to_have_text("Open")
        expect(dash.locator("#finished-count")).to_have_text("2")
        rows = dash.locator("#rate-table tbody tr")
        expect(rows).to_have_count(7)  # 1 to 7 December
        # (started, finished) of 3 participants by the end of each day
        figures = {0: ("2", "1"), 2: ("2", "2"), 4: ("3", "2"), 6: ("3", "2")}
        for row, (started, finished) in figures.items():
            expect(rows.nth(row).locator("td").nth(1)).to_have_text(started)
            expect(rows.nth(row).locator("td").nth(2)).to_have_text(finished)
        expect(dash.locator("#people-table tr.done")).to_have_count(2)
        ui.snap(dash, "review-dashboard.png", full_page=True)
        a11y.assert_accessible(dash, "review page")
        # Column headers break between words, never inside one, on smaller laptops too.
        for width in (1280, 1024, 900):
            dash.set_viewport_size({"width": width, "height": 900})
            assert dash.evaluate(WORDS_SPLIT_ACROSS_LINES, "table th") == [], f"at {width} px"
        dash.set_viewport_size(DESKTOP)
        # The page follows live, over the dashboard room: P03 finishes while it is open, no reload.
        dash.evaluate("document.getElementById('review').dataset.loaded = 'yes'")
        answer_sections(p3, 6, value=3)
        expect(dash.locator("#finished-count")).to_have_text("3")
        expect(dash.locator("#people-table tr.done")).to_have_count(3)
        expect(rows.nth(6).locator("td").nth(2)).to_have_text("3")
        assert dash.evaluate("document.getElementById('review').dataset.loaded") == "yes"  # same page

        # A reminder at a set time, in Rome's time: listed as waiting until the ticker mails it.
        dash.get_by_label("Send a reminder at").fill("2026-12-07T16:00")
        dash.get_by_role("button", name="Set reminder").click()
        expect(dash.locator(".flash")).to_contain_text("A reminder is set for a time still to come")
        dash.get_by_label("Send a reminder at").fill("2026-12-10T09:00")
        dash.get_by_role("button", name="Set reminder").click()
        expect(dash.locator(".flash")).to_contain_text("Reminder set.")
        expect(dash.locator("#reminder-list li")).to_have_text(
            ["Thu 10 Dec 2026, 09:00 (Europe/Rome) · waiting Cancel"]
        )

        # The suggested wording reaches the coordinator, who accepts it (edited) into version 2.
        dash.get_by_role("link", name="Suggestions").click()
        suggestion = dash.locator("#item-S02 .suggestion")
        expect(suggestion).to_contain_text("P03 · round 1")
        a11y.assert_accessible(dash, "suggestions page")
        suggestion.get_by_label(re.compile("^Suggested wording")).fill("Section 2 says who pays, and when.")
        suggestion.get_by_role("button", name="Accept into the next version").click()
        expect(dash.locator(".flash")).to_contain_text("Accepted into version 2")
        expect(dash.locator("#item-S02 .suggestion")).to_contain_text("Accepted into version 2")
        dash.get_by_role("link", name="Review over days").click()

        # Day 8, 18:00: round 1 closes; round 2 opens with round 1's results.
        at(rome(8, 18, 5))
        p1.reload()
        expect(p1.locator("#new-round")).to_contain_text("Round 2 has opened")
        expect(p1.locator(".round-badge")).to_have_text("Round 2")
        expect(p1.locator(".rf-mine").first).to_contain_text("Your answer in round 1: 4")
        expect(p1.locator(".rf-group").last).to_contain_text("median")
        p1.evaluate("window.scrollTo(0, 0)")
        ui.snap(p1, "phone-review-round2.png", full_page=True)
        a11y.assert_accessible(p1, "phone: review, round 2, welcome back")
        p1.get_by_role("button", name="Keep my answer").tap()
        expect(ui.criterion(p1, 0).locator(".saved-mark")).to_have_text("✓ saved")
        expect(p1.locator(".progress-text")).to_have_text("1 of 12 done")

        # Day 15, 18:00: the review closes.
        at(rome(15, 18, 1))
        dash.reload()
        expect(dash.locator("#review-state")).to_have_text("Closed")
        p2.reload()
        expect(p2.locator("#waiting")).to_have_text("This session has ended. Thank you for taking part!")
    finally:
        for context in contexts:
            context.close()
