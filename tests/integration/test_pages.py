"""HTTP pages: first run, sign-in, CSRF, joining from a phone, QR codes, escaping."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import Participant, User, db
from tests.conftest import PASSWORD, login


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page
    )
    assert match, page[:500]
    return match.group(1)


def test_first_run_creates_the_admin_then_disappears(client):
    assert client.get("/f/").headers["Location"].endswith("/f/setup")
    page = client.get("/f/setup").get_data(as_text=True)
    response = client.post(
        "/f/setup",
        data={
            "csrf_token": _csrf(page),
            "email": "Ann@Example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role.value) == ("ann@example.org", "admin")
    assert client.get("/f/").status_code == 200  # signed in, example framework ready
    assert client.get("/f/setup").headers["Location"].endswith("/f/login")


def test_forms_refuse_posts_without_csrf_token(client, make_user):
    make_user()
    response = client.post("/f/login", data={"email": "x@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_in_and_facilitator_pages_need_login(client, make_user, make_session):
    user = make_user()
    session = make_session(facilitator=user)
    for url in ("/f/sessions/new", f"/f/sessions/{session.code}", f"/f/sessions/{session.code}/qr.svg"):
        assert "/f/login" in client.get(url).headers["Location"]
    page = client.get("/f/login").get_data(as_text=True)
    wrong = client.post("/f/login", data={"csrf_token": _csrf(page), "email": user.email, "password": "nope"})
    assert "Wrong e-mail or password" in wrong.get_data(as_text=True)
    ok = client.post("/f/login", data={"csrf_token": _csrf(page), "email": user.email, "password": PASSWORD})
    assert ok.status_code == 302
    run_page = client.get(f"/f/sessions/{session.code}").get_data(as_text=True)
    assert "Consensus: at least 75% in the top of the scale and IQR ≤ 1.0" in run_page
    other = make_session()  # another facilitator's session
    assert client.get(f"/f/sessions/{other.code}").status_code == 403


def test_qr_codes_in_svg_and_png(client, make_session):
    session = make_session()
    login(client, session.facilitator)
    svg = client.get(f"/f/sessions/{session.code}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"/f/sessions/{session.code}/qr.png?download=1")
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "attachment" in png.headers["Content-Disposition"]


def test_phone_joins_with_consent_and_profile_and_comes_back(client, make_session):
    session = make_session(state="open")
    page = client.get(f"/j/{session.code.lower()}")
    assert page.status_code == 302  # normalised to the canonical code
    page = client.get(f"/j/{session.code}").get_data(as_text=True)
    assert "I agree" in page and "University" in page
    refused = client.post(f"/j/{session.code}", data={"csrf_token": _csrf(page), "sector": "University"})
    assert refused.status_code == 400
    assert db.session.scalars(select(Participant)).all() == []
    joined = client.post(
        f"/j/{session.code}", data={"csrf_token": _csrf(page), "sector": "University", "consent": "yes"}
    )
    assert joined.headers["Location"].endswith(f"/s/{session.code}")
    participant = db.session.scalars(select(Participant)).one()
    assert participant.profile == {"sector": "University"} and participant.consent_at is not None
    # Same phone again: straight back to the app, same pseudonym, no second participant.
    assert client.get(f"/j/{session.code}").headers["Location"].endswith(f"/s/{session.code}")
    app_page = client.get(f"/s/{session.code}").get_data(as_text=True)
    assert "P01" in app_page
    assert len(db.session.scalars(select(Participant)).all()) == 1


def test_unknown_code_and_closed_or_draft_sessions(client, make_session):
    assert client.get("/j/ZZZZZZ").status_code == 404
    assert "ZZZZZZ" in client.get("/?code=zz zz zz", follow_redirects=True).get_data(as_text=True)
    draft = make_session(state="draft")
    assert "not opened yet" in client.get(f"/j/{draft.code}").get_data(as_text=True)
    closed = make_session(state="closed")
    assert "ended" in client.get(f"/j/{closed.code}").get_data(as_text=True)


def test_participant_text_is_escaped(client, make_session):
    session = make_session(state="open", title="<script>alert(1)</script>")
    page = client.get(f"/j/{session.code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
