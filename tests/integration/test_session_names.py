"""Sessions are named the same way on every page; the comparison orders criteria as the results do."""

from __future__ import annotations

import re
from datetime import date

from tests.conftest import ack, login

P = "/participant"


def _rate_first_skill(session, phone) -> None:
    sock = phone(session, {"sector": "University"})
    state = ack(sock, "sync", {}, P)["session"]
    for c in state["criteria"]:
        reply = ack(
            sock,
            "submit_rating",
            {"skill_id": state["items"][0]["skill_id"], "criterion_id": c["id"], "value": c["scale_max"]},
            P,
        )
        assert reply["ok"], reply


def test_every_page_names_a_session_by_title_place_country_and_date(make_session, make_user, client):
    owner = make_user()
    turin = make_session(
        facilitator=owner, title="Spring meeting", place="Turin", country="Italy", date=date(2026, 4, 2)
    )
    bare = make_session(facilitator=owner, title="Untitled place")  # no place, country or date
    name = "Spring meeting · Turin, Italy · 2026-04-02"
    login(client, owner)
    pages = {
        "home": "/f/",
        "merged export": "/f/export",
        "results": f"/f/sessions/{turin.code}/results",
        "comparison": f"/f/sessions/{turin.code}/compare",
    }
    for what, url in pages.items():
        page = client.get(url).get_data(as_text=True)
        assert name in page, f"{what} does not name the session {name!r}"
    compare = client.get(f"/f/sessions/{bare.code}/compare").get_data(as_text=True)
    headers = re.findall(r"<th>(?:(?!</th>).)*?<code>\w+</code>(?:(?!</th>).)*</th>", compare, re.S)
    assert any(name in h for h in headers) and any("Untitled place" in h for h in headers), headers


def test_comparison_lists_criteria_in_the_results_page_order(make_session, make_user, phone, client):
    owner = make_user()
    criteria = ["relevance", "importance", "clarity"]  # not alphabetical
    first = make_session(facilitator=owner, state="live", pacing="self", criteria=criteria)
    second = make_session(facilitator=owner, state="live", pacing="self", criteria=criteria)
    for session in (first, second):
        _rate_first_skill(session, phone)
    login(client, owner)
    labels = ["Relevance", "Importance", "Clarity of the definition"]

    def order(page: str) -> list[str]:
        return sorted(labels, key=lambda label: page.index(f"<td>{label}</td>"))

    results = client.get(f"/f/sessions/{first.code}/results").get_data(as_text=True)
    compare = client.get(f"/f/sessions/{first.code}/compare").get_data(as_text=True)
    assert order(results) == labels
    assert order(compare) == labels
