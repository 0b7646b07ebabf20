"""Joining: code guessing and fake joins are throttled per address, sessions have a capacity,
and the facilitator can remove a participant (whose answers then leave every figure)."""

from __future__ import annotations

from core.extensions import socketio
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"
VENUE = {"REMOTE_ADDR": "198.51.100.7"}  # a venue's Wi-Fi: every phone behind one address
GUESSER = {"REMOTE_ADDR": "203.0.113.9"}


def _join(client, code, environ=VENUE):
    return client.post(f"/api/sessions/{code}/join", json={"consent": True}, environ_base=environ)


def test_forty_phones_behind_one_address_join_within_a_minute(app, make_session):
    session = make_session(state="open")
    for _ in range(40):
        phone = app.test_client()
        assert phone.get(f"/j/{session.code}", environ_base=VENUE).status_code == 200
        assert _join(phone, session.code).status_code == 200
    # a few of them mistype the code first
    for wrong in ("AAAAAA", "7KQ4MX", "XXXXXX"):
        assert app.test_client().get(f"/j/{wrong}", environ_base=VENUE).status_code == 404
    assert _join(app.test_client(), session.code).status_code == 200


def test_every_page_that_tells_whether_a_code_exists_counts_towards_the_guess_limit(app):
    client = app.test_client()
    paths = ["/j/{}", "/api/sessions/{}/state", "/a/{}", "/a/{}/welcome", "/a/{}/profile", "/r/{}"]
    statuses = [
        client.get(paths[n % len(paths)].format(f"{n:06d}"), environ_base=GUESSER).status_code
        for n in range(30)
    ]
    assert 429 not in statuses
    assert client.get("/a/999999/skill/1", environ_base=GUESSER).status_code == 429


def test_a_code_guesser_is_refused_with_a_clear_message(app, make_session):
    session = make_session(state="open")
    client = app.test_client()
    statuses = [client.get(f"/j/{n:06d}", environ_base=GUESSER).status_code for n in range(30)]
    assert statuses == [404] * 30
    refused = client.get("/j/999999", environ_base=GUESSER)
    assert refused.status_code == 429
    assert "Too many attempts to join from this network. Wait" in refused.get_data(as_text=True)
    # even the right code, now: the guesser cannot tell a hit from a miss
    assert client.get(f"/j/{session.code}", environ_base=GUESSER).status_code == 429
    for path in ("/a/ABCDEF", "/a/ABCDEF/welcome", "/a/ABCDEF/profile"):  # self-assessment codes too
        assert client.get(path, environ_base=GUESSER).status_code == 429, path
    api = client.get("/api/sessions/ABCDEF/state", environ_base=GUESSER)
    assert api.status_code == 429 and api.get_json()["error"] == "too_many_attempts"
    # the room, on another address, is not affected
    assert app.test_client().get(f"/j/{session.code}", environ_base=VENUE).status_code == 200


def test_a_script_inflating_the_numbers_is_stopped(app, make_session):
    session = make_session(state="open")
    client = app.test_client()
    for _ in range(120):
        assert _join(client, session.code, GUESSER).status_code == 200
    refused = _join(client, session.code, GUESSER)
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "too_many_attempts"
    assert "Wait" in refused.get_json()["message"]


def test_a_full_session_says_so_on_the_phone(app, make_session):
    session = make_session(state="open", capacity=2)
    for _ in range(2):
        assert _join(app.test_client(), session.code).status_code == 200
    full = _join(app.test_client(), session.code)
    assert full.status_code == 409 and full.get_json()["error"] == "session_full"
    app.config["WTF_CSRF_ENABLED"] = False  # the phone's form, without fetching its token first
    page = app.test_client().post(f"/j/{session.code}", data={"consent": "yes"}, environ_base=VENUE)
    assert page.status_code == 400
    assert "This session is full: it takes 2 people. Ask the facilitator." in page.get_data(as_text=True)


def test_the_capacity_is_a_field_of_the_session_form(app, client, make_user):
    from tests.conftest import login

    login(client, make_user())
    page = client.get("/f/sessions/new").get_data(as_text=True)
    assert 'name="capacity"' in page and 'name="retention_days"' in page


def test_a_removed_participant_leaves_every_figure_and_the_figures_say_so(
    app, make_session, facilitator_socket, phone
):
    session = make_session(state="live")
    fac = facilitator_socket(session)
    phones = [phone(session) for _ in range(3)]
    first = session.items[0].skill_id
    relevance = session.criteria[0].id
    assert ack(fac, "open_item", {"code": session.code, "skill_id": first}, F)["ok"]
    for sock, value in zip(phones, (4, 4, 1), strict=True):
        assert ack(sock, "submit_rating", {"skill_id": first, "criterion_id": relevance, "value": value}, P)[
            "ok"
        ]
    assert ack(phones[2], "submit_comment", {"skill_id": first, "text": "Spam spam spam"}, P)["ok"]
    before = ack(fac, "sync", {"code": session.code}, F)
    assert before["results"][0]["criteria"][str(relevance)]["n"] == 3

    removed = ack(fac, "remove_participant", {"code": session.code, "participant": phones[2].pseudonym}, F)
    assert (
        removed["participant"] == phones[2].pseudonym and removed["ratings"] == 1 and removed["comments"] == 1
    )
    assert removed["left_out"] == "1 participant removed by the facilitator: not counted in any figure."

    after = ack(fac, "sync", {"code": session.code}, F)
    figures = {r["skill_id"]: r for r in after["results"]}[first]["criteria"][str(relevance)]
    assert figures["n"] == 2 and figures["median"] == 4 and figures["not_answered"] == 0
    assert after["participants"] == 2 and after["comments"] == []
    assert after["session"]["left_out"].startswith("1 participant removed")
    assert [p["participant"] for p in after["completion"]["participants"]] == [
        p.pseudonym for p in phones[:2]
    ]
    # live: the dashboard was told, with fresh results
    assert received(fac, F, "participant_removed")[-1]["participants"] == [phones[2].pseudonym]
    assert received(fac, F, "results_updated")[-1]["participants"] == 2
    # the phone was told, and is out
    told = [m["args"][0] for m in phones[2].queue if m["name"] == "participant_removed"]
    assert told[0]["message"].startswith("The facilitator removed you")
    assert not phones[2].is_connected(P)
    again = socketio.test_client(app, namespace=P, auth={"token": phones[2].token, "code": session.code})
    assert not again.is_connected(P)
    # the results page says so; the next person to join gets a new pseudonym, not the removed one's
    from tests.conftest import login

    http = app.test_client()
    login(http, session.facilitator)
    assert "1 participant removed by the facilitator" in http.get(
        f"/f/sessions/{session.code}/results"
    ).get_data(as_text=True)
    newcomer = phone(session)
    assert newcomer.pseudonym == "P04"


def test_another_facilitator_cannot_remove_participants(make_session, make_user, facilitator_socket, phone):
    session = make_session(state="live")
    someone = phone(session)
    other = facilitator_socket(make_session(state="live"), user=None)
    refused = ack(other, "remove_participant", {"code": session.code, "participant": someone.pseudonym}, F)
    assert refused["error"] == "not_authorized"
