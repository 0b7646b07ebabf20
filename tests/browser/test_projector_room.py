"""The projector in a real room: a facilitator, phones and a crowd; counts, big results, a comment wall."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

SIZES = {"1366x768": {"width": 1366, "height": 768}, "1920x1080": {"width": 1920, "height": 1080}}
TITLE = "KT soft skills · validation workshop"
# (relevance, importance) of the three phones in the browser, and their comments
PHONE_ANSWERS = ((4, 5), (3, 4), (4, 4))
PHONE_COMMENTS = (
    "Add active listening to the definition.",
    "Writing and speaking are two different skills.",
    "Essential in every project I have worked on.",
)
CROWD = 25
# The crowd's answers: 21 rate relevance, 19 importance; a few comments.
CROWD_RELEVANCE = [4] * 11 + [3] * 7 + [2] * 2 + ["cant_judge"]
CROWD_IMPORTANCE = [5] * 8 + [4] * 7 + [3] * 3 + [2]
CROWD_COMMENTS = ("Clear and useful as it stands.", "Mention cultural differences between partners.")


class Crowd:
    """Participants who join and answer over the documented protocol, to fill the room."""

    def __init__(self, base: str, code: str, size: int) -> None:
        self.base, self.tokens = base, [self._join(base, code) for _ in range(size)]
        self.answer([[("sync", {})]] * size)  # like a phone, each opens the app once after joining

    @staticmethod
    def _join(base: str, code: str) -> str:
        body = json.dumps({"consent": True, "profile": {"sector": "Business"}}).encode()
        request = urllib.request.Request(
            f"{base}/api/sessions/{code}/join", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return str(json.load(response)["token"])

    def answer(self, answers: list[list[tuple[str, dict[str, Any]]]]) -> None:
        """Each member sends its events (name, payload) and waits for every ack."""
        import socketio

        for token, events in zip(self.tokens, answers, strict=False):
            client = socketio.Client(reconnection=False)
            client.connect(
                self.base, namespaces=["/participant"], auth={"token": token}, transports=["websocket"]
            )
            try:
                for name, payload in events:
                    ack = client.call(name, payload, namespace="/participant", timeout=5)
                    assert ack["ok"], ack
            finally:
                client.disconnect()


def projectors(desktop: Any, login: dict[str, Any], base: str, code: str) -> dict[str, Any]:
    pages = {}
    for size, viewport in SIZES.items():
        page = desktop(login, viewport=viewport, who=f"projector {size}")
        page.goto(f"{base}/f/sessions/{code}/projector")
        pages[size] = page
    return pages


def snap_all(pages: dict[str, Any], state: str) -> None:
    for size, page in pages.items():
        ui.snap(page, f"projector-{state}-{size}.png")


def font_px(locator: Any) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_projector_counts_then_reveals_big_results_and_a_comment_wall(
    live_server, facilitator, desktop, facilitator_login, new_phone, watched
):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, TITLE)
    ui.set_state(dash, "Open lobby", "open")
    screens = projectors(desktop, facilitator_login, base, code)
    small = screens["1366x768"]
    phones = [new_phone() for _ in PHONE_ANSWERS]
    for phone, sector in zip(phones, ("University", "Business", "Expert"), strict=True):
        ui.join(phone, base, code, sector)
    crowd = Crowd(base, code, CROWD)
    joined = len(phones) + CROWD
    for page in screens.values():
        expect(page.locator(".proj-count")).to_have_text(f"{joined} joined")
        expect(page.get_by_role("img", name="QR code to join")).to_be_visible()
    lobby_qr = small.get_by_role("img", name="QR code to join").bounding_box()
    assert lobby_qr["width"] >= 300
    snap_all(screens, "lobby")

    # Voting: the QR code moves to a corner, the join code stays readable, and the room sees how
    # many answered, never what.
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    for page in screens.values():
        expect(page.locator(".proj-skill")).to_have_text("Communication")
        expect(page.locator(".proj-progress")).to_have_text([f"0 of {joined} answered"] * 2)
    corner = small.get_by_role("img", name="QR code to join").bounding_box()
    assert corner["width"] < 150 and corner["x"] > 1366 * 0.6 and corner["y"] < 768 * 0.1  # top right
    expect(small.locator(".proj-code")).to_be_in_viewport()
    assert font_px(small.locator(".proj-code")) >= 32
    # A laptop's join link on a home network stays on one line in the corner card at 1366x768.
    url = small.locator(".proj-url")
    shown = url.text_content()
    url.evaluate("(el, code) => { el.textContent = `http://192.168.178.100:5000/j/${code}`; }", code)
    assert url.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    box, card = url.bounding_box(), small.locator(".proj-join").bounding_box()
    assert box["height"] < 1.5 * font_px(url) * 1.2 and box["x"] + box["width"] <= card["x"] + card["width"]
    url.evaluate("(el, text) => { el.textContent = text; }", shown)

    skill, criteria = crowd_targets(crowd)
    for phone, (relevance, importance) in zip(phones, PHONE_ANSWERS, strict=True):
        ui.rate(phone, 0, relevance)
        ui.rate(phone, 1, importance)
    for phone, text in zip(phones, PHONE_COMMENTS, strict=True):
        ui.comment(phone, text)
    crowd.answer(
        [
            [("submit_rating", {"skill_id": skill, "criterion_id": criteria[0], "value": r})]
            + ([("submit_rating", {"skill_id": skill, "criterion_id": criteria[1], "value": i})] if i else [])
            + ([("submit_comment", {"skill_id": skill, "text": t})] if t else [])
            for r, i, t in zip(
                CROWD_RELEVANCE,
                CROWD_IMPORTANCE + [None] * CROWD,
                list(CROWD_COMMENTS) + [None] * CROWD,
                strict=False,
            )
        ]
    )
    relevance_n, importance_n = (
        len(PHONE_ANSWERS) + len(CROWD_RELEVANCE),
        len(PHONE_ANSWERS) + len(CROWD_IMPORTANCE),
    )
    for page in screens.values():
        expect(page.locator(".proj-progress")).to_have_text(
            [f"{relevance_n} of {joined} answered", f"{importance_n} of {joined} answered"]
        )
        expect(page.locator(".proj-count-card h3")).to_have_text(["Relevance", "Importance"])
        expect(page.locator("#stage")).to_contain_text("Vote on your phone.")
        expect(page.locator(".bar-row, .proj-criterion, .proj-stats")).to_have_count(0)  # no results yet
    snap_all(screens, "voting")

    # Reveal: results fill the screen, with labels readable from the back of the room.
    dash.get_by_role("button", name="Reveal results").click()
    for page in screens.values():
        expect(page.locator(".proj-criterion h3")).to_have_text(["Relevance", "Importance"])
        expect(page.locator(".proj-criterion").first.locator(".bar-count")).to_have_text(
            ["0", "2", "8", "13"]
        )
        expect(page.locator(".proj-progress")).to_have_count(0)
        expect(page.locator(".proj-stats").last).to_be_in_viewport(ratio=1)
    labels = small.locator(".proj-criterion .bar-label")
    assert min(labels.evaluate_all("els => els.map((e) => parseFloat(getComputedStyle(e).fontSize))")) >= 32
    assert small.locator(".bar-track").first.bounding_box()["height"] >= 32
    assert small.locator(".bar-track").first.bounding_box()["width"] >= 150
    assert font_px(small.locator(".proj-criterion h3").first) >= 32
    snap_all(screens, "revealed")

    # The comment wall: starred comments only; hiding or un-starring removes them live.
    comments = dash.locator("#comments .comment")
    expect(comments).to_have_count(len(PHONE_COMMENTS) + len(CROWD_COMMENTS))
    for text in (*PHONE_COMMENTS, CROWD_COMMENTS[1]):
        comments.filter(has_text=text).get_by_role("button", name="☆ star").click()
        expect(comments.filter(has_text=text).get_by_role("button", name="★ unstar")).to_be_visible()
    dash.get_by_role("button", name="Starred comments on the projector").click()
    expect(dash.locator("#wall-status")).to_have_text("On the projector: 4 starred comments on COM")
    starred = [*PHONE_COMMENTS, CROWD_COMMENTS[1]]
    for page in screens.values():
        expect(page.locator(".proj-note")).to_have_text(starred)
        expect(page.locator(".proj-wall-title")).to_have_text("What you said about Communication")
        expect(page.get_by_text(CROWD_COMMENTS[0])).to_have_count(0)  # not starred: never on screen
        expect(page.get_by_text(re.compile(r"\bP\d\d\b"))).to_have_count(0)  # no pseudonyms in the room
        expect(page.locator(".proj-code")).to_be_visible()
    snap_all(screens, "comment-wall")

    comments.filter(has_text=PHONE_COMMENTS[1]).get_by_role("button", name="hide").click()
    comments.filter(has_text=CROWD_COMMENTS[1]).get_by_role("button", name="★ unstar").click()
    for page in screens.values():
        expect(page.locator(".proj-note")).to_have_text([PHONE_COMMENTS[0], PHONE_COMMENTS[2]])
    expect(dash.locator("#wall-status")).to_have_text("On the projector: 2 starred comments on COM")

    # One at a time, then back to the results.
    comments.filter(has_text=PHONE_COMMENTS[2]).get_by_role("button", name="▶ project").click()
    for page in screens.values():
        expect(page.locator(".proj-wall.single .proj-note")).to_have_text(PHONE_COMMENTS[2])
    snap_all(screens, "comment-one")
    comments.filter(has_text=PHONE_COMMENTS[2]).get_by_role("button", name="hide").click()
    for page in screens.values():
        expect(page.locator(".proj-note")).to_have_count(0)
        expect(page.locator(".proj-criterion")).to_have_count(2)
    expect(dash.get_by_role("button", name="Take comments off the projector")).to_be_disabled()

    # The end: thanks, and no code to join a closed session.
    watched.confirm.add("Close the session? Answers become read-only.")
    dash.get_by_role("button", name="Close session").click()
    for page in screens.values():
        expect(page.locator("#stage")).to_have_text("Thank you!")
        expect(page.get_by_role("img", name="QR code to join")).to_be_hidden()


def crowd_targets(crowd: Crowd) -> tuple[int, list[int]]:
    """The current skill and the criteria, as any client learns them: from `sync`."""
    import socketio

    client = socketio.Client(reconnection=False)
    client.connect(
        crowd.base, namespaces=["/participant"], auth={"token": crowd.tokens[0]}, transports=["websocket"]
    )
    try:
        state = client.call("sync", {}, namespace="/participant", timeout=5)["session"]
    finally:
        client.disconnect()
    return state["current_skill_id"], [c["id"] for c in state["criteria"]]


def test_facilitator_steers_with_the_keyboard_and_projector_goes_full_screen(
    live_server, facilitator, desktop, facilitator_login, new_phone
):
    base, dash = live_server.url, facilitator
    phone = new_phone()
    code = ui.live_with_one_phone(dash, base, phone, "Keyboard")
    projector = desktop(facilitator_login, viewport=SIZES["1366x768"], who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator(".proj-skill")).to_have_text("Communication")
    expect(dash.locator("#keys")).to_contain_text("next skill")

    dash.keyboard.press("ArrowRight")
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    expect(projector.locator(".proj-skill")).to_have_text("Negotiation")
    expect(ui.skill_row(dash, "NEG")).to_have_class(re.compile(r"\bselected\b"))
    dash.keyboard.press("n")
    expect(phone.locator(".skill-name")).to_have_text("Empathy")
    dash.keyboard.press("p")
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")

    ui.rate(phone, 0, 3)
    dash.keyboard.press("l")
    expect(phone.locator("#locked-note")).to_be_visible()
    expect(dash.get_by_role("button", name="Unlock")).to_be_visible()
    dash.keyboard.press("r")
    expect(dash.get_by_role("button", name="Hide results")).to_be_visible()
    expect(projector.locator(".proj-criterion")).to_have_count(2)
    dash.keyboard.press("w")
    expect(projector.locator(".proj-wall")).to_contain_text("Starred comments will appear here.")
    expect(dash.locator("#wall-status")).to_have_text("On the projector: 0 starred comments on NEG")
    dash.keyboard.press("w")
    expect(dash.locator("#wall-status")).to_have_text("")
    expect(projector.locator(".proj-criterion")).to_have_count(2)

    # Typing a reason is typing, not steering.
    dash.get_by_label("Reason").fill("")
    dash.get_by_label("Reason").press_sequentially("plan")
    expect(dash.get_by_label("Reason")).to_have_value("plan")
    expect(phone.locator(".skill-name")).to_have_text("Negotiation")
    expect(dash.get_by_role("button", name="Hide results")).to_be_visible()

    button = projector.get_by_role("button", name="Full screen")
    button.click()
    projector.wait_for_function("document.fullscreenElement !== null")
    expect(projector.get_by_role("button", name="Exit full screen")).to_have_attribute("aria-pressed", "true")
    projector.keyboard.press("f")
    projector.wait_for_function("document.fullscreenElement === null")
    expect(projector.get_by_role("button", name="Full screen")).to_have_attribute("aria-pressed", "false")


@pytest.mark.parametrize("size", SIZES)
def test_every_criterion_fits_on_the_projector(size, live_server, facilitator, desktop, facilitator_login):
    """Five criteria, one of them on a 1-9 scale: smaller type, but every bar on screen, none cut off."""
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, f"All criteria {size}", criteria=ui.CRITERIA)
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()
    screen = desktop(facilitator_login, viewport=SIZES[size], who="projector")
    screen.goto(f"{base}/f/sessions/{code}/projector")
    expect(screen.locator(".proj-count-card")).to_have_count(len(ui.CRITERIA))
    for card in screen.locator(".proj-count-card").all():
        expect(card).to_be_in_viewport(ratio=1)
    dash.get_by_role("button", name="Reveal results").click()
    expect(screen.locator(".proj-criterion")).to_have_count(len(ui.CRITERIA))
    for block in screen.locator(".proj-criterion").all():
        expect(block).to_be_in_viewport(ratio=1)
    labels = screen.locator(".proj-criterion .bar-label")
    assert min(labels.evaluate_all("els => els.map((e) => parseFloat(getComputedStyle(e).fontSize))")) >= 18
    ui.snap(screen, f"projector-five-criteria-{size}.png")
