"""The participant token: an HttpOnly, SameSite cookie, Secure over HTTPS, for its own session only."""

from __future__ import annotations

from core.extensions import socketio
from tests.conftest import match_group


def join(client, code: str, base_url: str = "http://localhost"):
    with client.application.app_context():  # its own requests: no CSRF token cached in `g` by another
        page = client.get(f"/j/{code}", base_url=base_url).get_data(as_text=True)
        token = match_group(r'name="csrf_token" value="([^"]+)"', page)
        data = {"csrf_token": token, "consent": "yes"}
        referer = {"Referer": f"{base_url}/j/{code}"}  # sent by browsers (Referrer-Policy: same-origin)
        return client.post(f"/j/{code}", data=data, base_url=base_url, headers=referer)


def token_cookie(response, code: str) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"sb_p_{code}="))


def test_the_token_cookie_is_http_only_and_lax_and_secure_over_https(app, make_session):
    session = make_session()
    plain = token_cookie(join(app.test_client(), session.code), session.code)
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    https = token_cookie(join(app.test_client(), session.code, "https://vote.example.org"), session.code)
    assert "Secure" in https and "HttpOnly" in https
    app.config["SB_SECURE_COOKIES"] = True
    told = token_cookie(join(app.test_client(), session.code), session.code)
    assert "Secure" in told


def test_one_sessions_token_does_not_open_another_sessions_phone_page(app, make_session):
    mine, other = make_session(), make_session()
    phone = app.test_client()
    join(phone, mine.code)
    token = phone.get_cookie(f"sb_p_{mine.code}").value
    assert phone.get(f"/s/{mine.code}").status_code == 200
    phone.set_cookie(f"sb_p_{other.code}", token)
    response = phone.get(f"/s/{other.code}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/j/{other.code}")


def test_one_sessions_token_does_not_open_another_sessions_socket(app, make_session, phone):
    mine, other = make_session(), make_session()
    token = phone(mine).token
    wrong = socketio.test_client(app, namespace="/participant", auth={"token": token, "code": other.code})
    assert not wrong.is_connected("/participant")
    right = socketio.test_client(
        app, namespace="/participant", auth={"token": token, "code": mine.code.lower()}
    )
    assert right.is_connected("/participant")
