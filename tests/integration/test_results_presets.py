"""The results page renders for every criterion preset and every combination of presets."""

from __future__ import annotations

import itertools

import pytest

from domain.scales import PRESETS
from tests.conftest import ack, login

P = "/participant"
# Each preset alone, every pair (the figures differ per scale, so pairs cover how they mix), and all.
COMBINATIONS = [list(combo) for size in (1, 2) for combo in itertools.combinations(PRESETS, size)]
COMBINATIONS.append(list(PRESETS))


def _rate_everything(session, phone, raters: int) -> None:
    """`raters` phones answer every criterion of every skill (the top of each scale, mostly)."""
    for number in range(raters):
        sock = phone(session, {"sector": "University"})
        state = ack(sock, "sync", {}, P)["session"]
        for c in state["criteria"]:
            top = c["scale_max"]
            for position, item in enumerate(state["items"]):
                value = top if (position + number) % 3 else max(top - 1, c["scale_min"])
                reply = ack(
                    sock,
                    "submit_rating",
                    {"skill_id": item["skill_id"], "criterion_id": c["id"], "value": value},
                    P,
                )
                assert reply["ok"], reply


@pytest.mark.parametrize("criteria", COMBINATIONS, ids=lambda c: "+".join(c))
def test_results_page_renders_for_every_combination_of_criteria(make_session, phone, client, criteria):
    session = make_session(state="live", pacing="self", criteria=criteria)
    login(client, session.facilitator)
    empty = client.get(f"/f/sessions/{session.code}/results")
    assert empty.status_code == 200, empty.get_data(as_text=True)[-2000:]
    _rate_everything(session, phone, raters=3)
    response = client.get(f"/f/sessions/{session.code}/results")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-2000:]
    for key in criteria:
        assert PRESETS[key].label in page
    if {"relevance", "clarity"} & set(criteria):
        assert "S-CVI/Ave" in page


def test_demo_session_results_page(app, client, make_user):
    """The session `flask demo` creates (Relevance, Importance, Clarity) has a results page."""
    from models import LiveSession, User, db
    from services.demo import DEMO_EMAIL

    make_user(role="admin")  # the demo asks for the first-run page to be done first
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == DEMO_EMAIL))
    session = db.session.scalar(db.select(LiveSession).where(LiveSession.facilitator_id == user.id))
    login(client, user)
    response = client.get(f"/f/sessions/{session.code}/results")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
