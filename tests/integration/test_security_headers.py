"""Security headers on every page: a strict CSP, no framing, nosniff, referrer policy, HSTS on HTTPS only."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import login


@pytest.fixture
def pages(client, make_session):
    session = make_session()
    login(client, session.facilitator)
    return [
        "/",
        f"/j/{session.code}",
        "/f/",
        f"/f/sessions/{session.code}",
        f"/f/sessions/{session.code}/projector",
        f"/f/sessions/{session.code}/qr.svg",
    ]


def test_every_page_sends_the_security_headers(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = dict(
            part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";")
        )
        assert csp["script-src"] == "'self'", url
        assert csp["style-src"] == "'self'", url
        assert csp["frame-ancestors"] == "'none'", url
        assert csp["object-src"] == "'none'", url
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://vote.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_https_through_an_undeclared_proxy_is_warned_about_once(client, caplog):
    with caplog.at_level(logging.WARNING):
        client.get("/", headers={"X-Forwarded-Proto": "https"})
        client.get("/", headers={"X-Forwarded-Proto": "https"})
    warnings = [r for r in caplog.records if "SOUNDINGBOARD_PROXIES" in r.getMessage()]
    assert len(warnings) == 1
