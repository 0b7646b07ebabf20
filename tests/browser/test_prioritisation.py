"""A prioritisation workshop in the browser: the form as rendered, three phones, dashboard, projector."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.ui import SCREENSHOTS, choose_example_framework, expect, join, set_state, snap

pytestmark = pytest.mark.browser
SKILLS = ("Communication", "Negotiation", "Empathy", "Networking", "Critical thinking")


def create_workshop(page: Any, base: str, title: str, questions: list[dict[str, Any]]) -> str:
    """Fill in "New session" with no rating criteria and the given list questions; return the code."""
    page.goto(base + "/f/")
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title").fill(title)
    choose_example_framework(page)
    for label in ("Relevance", "Clarity of the definition"):
        page.get_by_label(label, exact=True).uncheck()
    for number, q in enumerate(questions, start=1):
        row = page.get_by_role("group", name=f"List question {number}")
        row.get_by_label("Kind").select_option(label=q["kind"])
        row.get_by_label("Question shown on phones").fill(q.get("prompt", ""))
        if "count" in q:
            row.get_by_label(re.compile("^How many")).fill(str(q["count"]))
        if "exact" in q:
            row.get_by_label("Pick", exact=True).select_option(label=q["exact"])
        if "threshold" in q:
            row.get_by_label("Chosen when picked by at least (% of the panel)").fill(str(q["threshold"]))
    page.get_by_role("button", name="Create session").click()
    expect(page).to_have_url(re.compile(r"/f/sessions/[A-Z0-9]{4,12}$"))
    expect(page.locator("#conn")).to_have_text("online")
    return str(page.url.rsplit("/", 1)[1])


def question_card(page: Any, number: int) -> Any:
    return page.locator("#questions-panel article.list-q").nth(number - 1)


def drag(phone: Any, name: str, target: str, touch: bool, shot: str | None = None) -> None:
    """Drag `name`'s grip onto `target`'s row, by finger (Chrome DevTools touch events) or mouse."""
    box = phone.locator(".rank-item").filter(has_text=name).locator(".rank-grip").bounding_box()
    goal = phone.locator(".rank-item").filter(has_text=target).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    to_y = goal["y"] + (4 if goal["y"] < box["y"] else goal["height"] - 4)
    path = [y + (to_y - y) * step / 8 for step in range(1, 9)]
    if touch:
        cdp = phone.context.new_cdp_session(phone)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for point in path:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": point}]})
        if shot:
            snap(phone, shot)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    else:
        phone.mouse.move(x, y)
        phone.mouse.down()
        for point in path:
            phone.mouse.move(x, point)
        phone.mouse.up()


def pick(phone: Any, name: str) -> None:
    phone.locator("#question .pick-item").filter(has_text=name).tap()


def test_pick_three_of_ten_with_three_phones(facilitator, new_phone, desktop, facilitator_login, live_server):
    base = live_server.url
    code = create_workshop(
        facilitator,
        base,
        "Prioritisation workshop",
        [
            {
                "kind": "Pick k of n",
                "prompt": "Which skills are indispensable?",
                "count": 3,
                "exact": "exactly that many",
                "threshold": 60,
            }
        ],
    )
    facilitator.get_by_role("link", name="Edit set-up").click()  # the form shows what was stored
    row = facilitator.get_by_role("group", name="List question 1")
    expect(row.get_by_label("Kind")).to_have_value("pick")
    expect(row.get_by_label(re.compile("^How many"))).to_have_value("3")
    expect(row.get_by_label("Chosen when picked by at least (% of the panel)")).to_have_value("60")
    # A bilingual room: the projector shows Polish under English, for the question as for the skills.
    facilitator.get_by_label("Second language on the projector (optional)").select_option("pl")
    row.locator("details.translations summary").click()
    row.locator('[lang="pl"]').get_by_role("textbox").fill("Które umiejętności są niezbędne?")
    facilitator.get_by_role("button", name="Save").click()
    expect(facilitator).to_have_url(re.compile(rf"/f/sessions/{code}$"))
    expect(facilitator.locator("#conn")).to_have_text("online")
    set_state(facilitator, "Open lobby", "open")
    show = question_card(facilitator, 1).get_by_role("button", name="Show on phones")
    expect(show).to_be_disabled()  # not before voting starts
    expect(question_card(facilitator, 1)).to_contain_text("Start voting to show a question on the phones.")
    phones = [new_phone() for _ in range(3)]
    for phone, sector in zip(phones, ("University", "Business", "Expert"), strict=True):
        join(phone, base, code, sector)
    projector = desktop(facilitator_login, viewport={"width": 1280, "height": 720}, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    set_state(facilitator, "Start voting", "live")
    expect(show).to_be_enabled()

    expect(facilitator.locator("#items")).not_to_contain_text("Infinity")  # no criteria: nothing rated
    card = question_card(facilitator, 1)
    # Only what a pick question needs: no rating panel, item list, comments or rounds of ratings.
    for panel in ("#detail", "#items-card", "#comments-card", "#rounds-card", "#keys", "#rule"):
        expect(facilitator.locator(panel)).to_be_hidden()
    expect(card).to_contain_text("0 / 3 answered")  # the phones that joined since the page loaded
    expect(facilitator.locator("[data-role=back]")).to_be_hidden()  # nothing on the phones to take off
    reveal = card.get_by_role("button", name="Reveal results")
    expect(reveal).to_be_disabled()  # nobody could vote yet: nothing to reveal, and no reveal in advance
    expect(reveal).to_have_attribute("title", re.compile("^Nobody can have voted yet: show the question"))
    card.get_by_role("button", name="Show on phones").click()
    expect(card.get_by_role("button", name="Showing")).to_be_visible()
    expect(reveal).to_be_enabled()
    expect(reveal).not_to_have_attribute("title", re.compile("."))
    for phone in phones:
        expect(phone.locator(".question-prompt")).to_have_text("Which skills are indispensable?")
        expect(phone.locator(".pick-left")).to_have_text("3 left to pick")
    expect(projector.locator("#question-stage")).to_contain_text("Answer on your phone.")
    second = projector.locator("#question-stage [data-role=prompt-2]")
    expect(second).to_have_text("Które umiejętności są niezbędne?")
    expect(second).to_have_attribute("lang", "pl")

    first, second, third = phones
    for name in SKILLS[:2]:
        pick(first, name)
    expect(first.locator(".pick-left")).to_have_text("1 left to pick")
    expect(first.locator(".question-mark")).to_have_text("Pick 3 to save your answer")
    pick(first, SKILLS[2])
    expect(first.locator(".pick-left")).to_contain_text("All 3 picked")
    expect(first.locator(".question-mark")).to_have_text("✓ saved")
    expect(first.locator(".pick-item").filter(has_text=SKILLS[4]).locator("input")).to_be_disabled()
    snap(first, "phone-pick.png", full_page=True)

    # Keyboard only: tab to a box and press Space.
    for name in (SKILLS[0], SKILLS[1], SKILLS[3]):
        box = second.locator(".pick-item").filter(has_text=name).locator("input")
        box.focus()
        second.keyboard.press("Space")
    expect(second.locator(".question-mark")).to_have_text("✓ saved")

    # Offline: the answer waits on the phone and goes out when the connection returns.
    third.context.set_offline(True)
    for name in (SKILLS[0], SKILLS[2], SKILLS[3]):
        pick(third, name)
    expect(third.locator(".question-mark")).to_have_text("kept on this phone")
    third.context.set_offline(False)
    expect(third.locator(".question-mark")).to_have_text("✓ saved", timeout=20_000)

    expect(card).to_contain_text("3 / 3 answered")
    expect(facilitator.get_by_role("status").filter(has_text="joined ·")).to_have_text(
        re.compile(r"^3 joined · 3 finished")
    )  # list answers count toward finishing
    top = card.locator(".rank-row").first
    expect(top).to_contain_text("Communication")
    expect(top).to_contain_text("3 of 3 · 100%")
    expect(card.locator(".rank-row").filter(has_text="Networking")).to_contain_text(
        "2 of 3 · 67% (95% CI 21%–94%)"
    )
    expect(projector.locator(".rank-bars")).to_have_count(0)  # hidden until revealed
    expect(first.locator("#question .results")).to_be_empty()
    # The session's rule (60%) chooses 4; Negotiation, Empathy and Networking tie across place 3.
    expect(card.locator(".rank-legend")).to_contain_text("✓ chosen by at least 60% of the panel: 4 of 10")
    expect(card.locator(".rank-legend")).to_contain_text("= tied at place 3: the top 3 is not decided")
    expect(card.locator(".rank-row.tied .rank-name")).to_have_text(
        ["✓ = Negotiation", "✓ = Empathy", "✓ = Networking"]
    )

    card.get_by_role("button", name="Reveal results").click()
    expect(projector.locator(".rank-bars.large .rank-row").first).to_contain_text("Communication")
    expect(projector.locator(".rank-bars.large .rank-row.tied")).to_have_count(3)
    expect(projector.locator("#question-stage .rank-legend")).to_contain_text("= tied at place 3")
    snap(projector, "projector-ranking-tie.png")
    expect(first.locator("#question .results .rank-row").first).to_contain_text("Communication")

    pick(first, SKILLS[2])  # changed while open: untick Empathy, tick Networking
    pick(first, SKILLS[3])
    expect(first.locator(".question-mark")).to_have_text("✓ saved")
    expect(projector.locator(".rank-row").filter(has_text="Networking")).to_contain_text("3 · 100%")
    expect(projector.locator(".rank-bars.large .rank-row.tied")).to_have_count(0)  # the tie is broken
    expect(projector.locator("#question-stage .rank-legend")).to_contain_text(
        "chosen by at least 60% of the panel: 3 of 10"
    )
    snap(projector, "projector-ranking.png")

    card.get_by_role("button", name="Lock").click()
    for phone in phones:
        expect(phone.locator("#question .locked-note")).to_be_visible()
        expect(phone.locator(".pick-item input").first).to_be_disabled()
    # No skills to go back to in a list-only workshop: the button takes the question off the phones.
    facilitator.get_by_role("button", name="Take it off the phones").click()
    expect(first.locator("#question")).to_be_hidden()
    expect(projector.locator("#question-stage")).to_be_hidden()

    # The result becomes a framework version: the top 3 are ticked, the facilitator swaps one.
    card.get_by_text("Make a framework from the result").click()
    maker = card.locator(".make-framework")
    for name in ("Communication", "Networking", "Negotiation"):
        expect(maker.get_by_label(name)).to_be_checked()
    maker.get_by_label("Negotiation").uncheck()
    maker.get_by_label("Critical thinking").check()
    snap(facilitator, "dashboard-prioritisation.png", full_page=True)
    maker.get_by_role("button", name="Make the framework version").click()
    expect(maker.get_by_role("status")).to_have_text(
        re.compile(r"^Framework “.* — top 3 \(Prioritisation workshop\)” made with 3 skills\. Open it$")
    )
    maker.get_by_role("link", name="Open it").click()
    for number, name in enumerate(("Communication", "Networking", "Critical thinking"), start=1):
        expect(facilitator.get_by_label(f"Name of skill {number}")).to_have_value(name)
    expect(facilitator.get_by_label("Name of skill 4")).to_have_count(0)

    # The results page has the list question too, with the session's rule.
    facilitator.go_back()
    facilitator.get_by_role("link", name="Results page").click()
    section = facilitator.get_by_role("region", name="List question 1")
    expect(section).to_contain_text("✓ chosen by at least 60% of the panel")
    rows = section.locator("tbody tr")
    expect(rows.first).to_contain_text("✓ COM Communication")
    expect(rows.first.locator("td").nth(2)).to_have_text("3")
    expect(rows.nth(3)).to_contain_text("Empathy")
    expect(rows.nth(3).locator("td").nth(3)).to_have_text("33%")
    section.screenshot(path=str(SCREENSHOTS / "results-prioritisation.png"))


def test_rank_and_points_rounds_by_tap_and_keyboard(
    facilitator, new_phone, desktop, facilitator_login, live_server, watched
):
    base = live_server.url
    code = create_workshop(
        facilitator,
        base,
        "Ranking and points",
        [
            {"kind": "Rank", "prompt": "Order your top three", "count": 3},
            {"kind": "Points", "prompt": "Spread 100 points"},
        ],
    )
    set_state(facilitator, "Open lobby", "open")
    tapper, typist = new_phone(), new_phone()
    join(tapper, base, code, "University")
    join(typist, base, code, "Business")
    projector = desktop(facilitator_login, viewport={"width": 1280, "height": 720}, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    set_state(facilitator, "Start voting", "live")

    rank_card = question_card(facilitator, 1)
    rank_card.get_by_role("button", name="Show on phones").click()
    expect(tapper.locator(".pick-left")).to_have_text("Tap number 1 · 3 left to rank")
    for name in ("Empathy", "Communication", "Networking"):  # tap in order
        tapper.locator(".rank-add").filter(has_text=name).tap()
    expect(tapper.locator(".rank-item .pick-name")).to_have_text(["Empathy", "Communication", "Networking"])
    expect(tapper.locator(".question-mark")).to_have_text("✓ saved")
    drag(tapper, "Networking", "Empathy", touch=True, shot="phone-rank-drag.png")  # by finger, to the top
    expect(tapper.locator(".rank-item .pick-name")).to_have_text(["Networking", "Empathy", "Communication"])
    expect(tapper.locator(".rank-pos")).to_have_text(["1⠿", "2⠿", "3⠿"])
    expect(tapper.locator(".question-mark")).to_have_text("✓ saved")
    drag(tapper, "Networking", "Communication", touch=True)  # and back to the bottom
    expect(tapper.locator(".rank-item .pick-name")).to_have_text(["Empathy", "Communication", "Networking"])
    expect(tapper.locator(".question-mark")).to_have_text("✓ saved")
    # Chrome's gesture detector takes a tap within ~300 ms of the synthetic drag's end as part of it.
    tapper.wait_for_timeout(600)
    tapper.get_by_role("button", name="Move Communication up").tap()  # change the order: saved again
    expect(tapper.locator(".rank-item .pick-name")).to_have_text(["Communication", "Empathy", "Networking"])
    expect(tapper.locator(".question-mark")).to_have_text("✓ saved")
    snap(tapper, "phone-rank.png", full_page=True)

    for name in ("Networking", "Communication", "Empathy"):  # keyboard only: Tab to a button, Enter
        typist.locator(".rank-add").filter(has_text=name).focus()
        typist.keyboard.press("Enter")
    typist.get_by_role("button", name="Move Communication up").focus()
    typist.keyboard.press("Enter")  # focus stays on the moved item's button: Enter again moves it further
    typist.keyboard.press("Enter")
    expect(typist.locator(".rank-item .pick-name")).to_have_text(["Communication", "Networking", "Empathy"])
    expect(typist.locator(".question-mark")).to_have_text("✓ saved")
    drag(typist, "Empathy", "Communication", touch=False)  # a mouse drags too (pointer events)
    expect(typist.locator(".rank-item .pick-name")).to_have_text(["Empathy", "Communication", "Networking"])
    expect(typist.locator(".question-mark")).to_have_text("✓ saved")
    drag(typist, "Empathy", "Networking", touch=False)
    expect(typist.locator(".rank-item .pick-name")).to_have_text(["Communication", "Networking", "Empathy"])
    expect(typist.locator(".question-mark")).to_have_text("✓ saved")

    expect(rank_card).to_contain_text("2 / 2 answered")
    top = rank_card.locator(".rank-row").first
    expect(top).to_contain_text("Communication")
    expect(top).to_contain_text("Borda 18 · mean rank 1 · median 1")
    expect(rank_card.locator(".agreement")).to_contain_text("Kendall's W = ")
    rank_card.get_by_role("button", name="Reveal results").click()
    expect(projector.locator(".rank-bars.large .rank-row").first).to_contain_text("Communication")
    round_label = projector.locator("#question-stage [data-role=round]")
    expect(round_label).to_be_hidden()  # a first round says nothing of rounds
    snap(projector, "projector-rank.png")

    # A second round: each phone sees its own round-1 order and the group's ranking, then answers again.
    watched.confirm.add("Start a new round for this question?")
    rank_card.get_by_role("button", name="Re-vote").click()
    feedback = tapper.locator("#question .list-feedback")
    expect(feedback).to_contain_text("Your answer in round 1: 1. Communication · 2. Empathy · 3. Networking")
    expect(feedback.locator(".rank-row").first).to_contain_text("Communication")
    expect(feedback).to_contain_text("The group in round 1 (n = 2)")
    expect(tapper.locator(".pick-left")).to_have_text("Tap number 1 · 3 left to rank")  # round 2 starts empty
    expect(round_label).to_be_visible()  # the room sees it answers again, as the dashboard says
    expect(round_label).to_have_text("round 2")  # shown in capitals
    expect(projector.locator("#question-stage")).to_contain_text("Answer on your phone.")
    snap(tapper, "phone-rank-round2.png", full_page=True)
    feedback.get_by_role("button", name="Keep my answer").tap()
    expect(tapper.locator(".rank-item .pick-name")).to_have_text(["Communication", "Empathy", "Networking"])
    expect(tapper.locator(".question-mark")).to_have_text("✓ saved")
    expect(rank_card).to_contain_text("round 2 · 1 / 2 answered")
    rank_card.get_by_role("button", name="Reveal results").click()  # round 2's bars, labelled as such
    expect(projector.locator(".rank-bars.large .rank-row").first).to_contain_text("Communication")
    expect(round_label).to_have_text("round 2")

    points_card = question_card(facilitator, 2)
    points_card.get_by_role("button", name="Show on phones").click()
    expect(tapper.locator(".question-prompt")).to_have_text("Spread 100 points")
    expect(tapper.locator(".pick-left")).to_have_text("0 of 100 points given · 100 left")
    for _ in range(4):
        tapper.get_by_role("button", name="More points for Communication").tap()
    teamwork = tapper.get_by_label("Points for Teamwork", exact=True)
    teamwork.fill("90")
    expect(tapper.locator(".pick-left")).to_have_text("10 over the budget of 100")
    expect(tapper.locator(".question-mark")).to_have_text("Take points away: at most 100")
    expect(points_card).to_contain_text("No answers yet.")  # nothing was sent while over budget
    teamwork.fill("60")
    expect(tapper.locator(".pick-left")).to_have_text("80 of 100 points given · 20 left")
    expect(tapper.locator(".question-mark")).to_have_text("✓ saved")
    snap(tapper, "phone-points.png", full_page=True)
    expect(points_card).to_contain_text("1 / 2 answered")
    expect(points_card.locator(".rank-row").first).to_contain_text("60 points · mean 60 · 75%")
