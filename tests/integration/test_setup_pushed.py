"""An edit of the set-up saved while the room is connected reaches every client at once: one
`session_updated` after the commit, with the texts (docs/protocol.md, section 2), so that phones,
dashboards and the projector need no reload. The form is posted as its page renders it."""

from __future__ import annotations

from typing import Any

from tests.conftest import ack, login, received
from tests.integration.test_session_texts_forms import form_as_rendered

F, P = "/facilitator", "/participant"


def _save(client: Any, code: str, **changes: Any) -> None:
    url = f"/f/sessions/{code}/edit"
    posted = form_as_rendered(client.get(url).get_data(as_text=True), "title")
    assert client.post(url, data={**posted, **changes}).status_code == 302


def test_a_live_edit_of_the_set_up_is_pushed_to_phones_dashboards_and_the_projector(
    make_session, facilitator_socket, phone, client
):
    session = make_session(state="live")
    code, login_user = session.code, session.facilitator
    phones = [phone(session), phone(session)]
    dashboard = facilitator_socket(session)
    projector = facilitator_socket(session, view="projector")
    before = ack(phones[0], "sync", {}, P)["session"]["revision"]
    for sock, ns in ((phones[0], P), (phones[1], P), (dashboard, F), (projector, F)):
        sock.get_received(ns)
    login(client, login_user)

    _save(client, code, title="Renamed meeting", title_pl="Nowe spotkanie", second_language="fi",
          capacity="40", countdown_seconds="30")  # fmt: skip

    for sock, ns in ((phones[0], P), (phones[1], P), (dashboard, F), (projector, F)):
        told = received(sock, ns, "session_updated")
        assert len(told) == 1, (ns, told)
        shown = told[0]
        assert shown["revision"] > before
        assert (shown["title"], shown["second_language"], shown["capacity"]) == ("Renamed meeting", "fi", 40)
        assert shown["i18n"]["pl"] == {"title": "Nowe spotkanie"}  # the texts come along
        assert all("i18n" in c for c in shown["criteria"]) and all("i18n" in i for i in shown["items"])
    assert ack(phones[0], "sync", {}, P)["session"]["revision"] == shown["revision"]


def test_criteria_changed_in_the_lobby_reach_phones_with_their_texts(make_session, phone, client):
    """The new criterion comes with its translations: a Polish phone shows it in Polish at once,
    not in English until it syncs again (the broadcast at "Start voting" has no texts)."""
    session = make_session(state="open", criteria=["relevance", "importance"])
    code, login_user = session.code, session.facilitator
    sock = phone(session)
    sock.get_received(P)
    login(client, login_user)

    _save(client, code, criteria=["relevance", "clarity"])

    told = received(sock, P, "session_updated")
    assert len(told) == 1
    keys = [c["key"] for c in told[0]["criteria"]]
    assert keys == ["relevance", "clarity"]
    clarity = told[0]["criteria"][1]
    assert clarity["i18n"]["pl"]["label"] and clarity["i18n"]["pl"]["label"] != clarity["label"]
    assert len(received(sock, P, "questions_updated")) == 1  # list questions may change too
