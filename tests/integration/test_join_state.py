"""The state endpoint that a phone waiting on a draft session's join page asks."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("state", "accepts_joins"), [("draft", False), ("open", True), ("live", True), ("closed", False)]
)
def test_state_says_whether_a_phone_may_join(client, make_session, state, accepts_joins):
    session = make_session(state=state)
    answer = client.get(f"/api/sessions/{session.code.lower()}/state")
    assert answer.status_code == 200
    body = answer.get_json()
    assert {k: body[k] for k in ("ok", "state", "accepts_joins")} == {
        "ok": True,
        "state": state,
        "accepts_joins": accepts_joins,
    }
    assert body["profile_questions"][0]["key"] == "sector"  # what a non-browser client answers on joining
    assert answer.headers["Cache-Control"] == "no-store"  # a cached "draft" would keep phones waiting


def test_state_of_an_unknown_code_is_not_found(client):
    answer = client.get("/api/sessions/ZZZZZZ/state")
    assert answer.status_code == 404
    assert answer.get_json()["error"] == "session_not_found"


def test_consent_to_a_text_since_edited_does_not_count(client, make_session):
    """The state endpoint names the consent text's version; a join that agreed to an older version
    (the facilitator edited the text meanwhile) is refused, and nobody joined. A client that sends
    no version is taken at its word, as before."""
    from models import Participant, db

    session = make_session(state="open")
    seen = client.get(f"/api/sessions/{session.code}/state").get_json()
    assert isinstance(seen["consent_version"], str) and seen["consent_version"]
    session.consent_text = "We also record the audio of the meeting."
    db.session.commit()
    body = {"consent": True, "consent_version": seen["consent_version"]}
    stale = client.post(f"/api/sessions/{session.code}/join", json=body)
    assert stale.status_code == 409
    assert stale.get_json()["error"] == "consent_changed"
    assert db.session.query(Participant).count() == 0
    now = client.get(f"/api/sessions/{session.code}/state").get_json()
    assert now["consent_text"] == "We also record the audio of the meeting."
    assert now["consent_version"] != seen["consent_version"]
    fresh = client.post(
        f"/api/sessions/{session.code}/join", json={**body, "consent_version": now["consent_version"]}
    )
    assert fresh.status_code == 200 and fresh.get_json()["ok"]
    assert client.post(f"/api/sessions/{session.code}/join", json={"consent": True}).status_code == 200
    odd = client.post(f"/api/sessions/{session.code}/join", json={**body, "consent_version": 7})
    assert odd.get_json()["error"] == "bad_payload"


def test_state_names_the_profile_questions_as_the_join_page_shows_them(client, make_session):
    """The join page draws the profile questions again when their version changes: the state
    gives them as that page shows them (in the reader's language) and a version that follows
    every edit, and only an edit."""
    from models import db

    session = make_session(state="open")
    seen = client.get(f"/api/sessions/{session.code}/state").get_json()
    assert seen["profile_shown"] == [
        {
            "key": "sector",
            "label": "Sector",
            "choices": [[o, o] for o in ("University", "Business", "Expert", "Other")],
        }
    ]
    again = client.get(f"/api/sessions/{session.code}/state").get_json()
    assert again["profile_version"] == seen["profile_version"]
    italian = client.get(f"/api/sessions/{session.code}/state", headers={"Accept-Language": "it"}).get_json()
    assert italian["profile_shown"][0]["label"] == "Settore"
    assert italian["profile_version"] != seen["profile_version"]  # what that page shows

    session.profile_questions = [
        *session.profile_questions,
        {"key": "country", "label": "Country", "options": ["FI", "IT"]},
    ]
    db.session.commit()
    edited = client.get(f"/api/sessions/{session.code}/state").get_json()
    assert edited["profile_version"] != seen["profile_version"]
    assert edited["profile_shown"][1] == {
        "key": "country",
        "label": "Country",
        "choices": [["FI", "FI"], ["IT", "IT"]],
    }
    page = client.get(f"/j/{session.code}").get_data(as_text=True)
    assert f'data-profile-version="{edited["profile_version"]}"' in page
