"""The facilitator's pages name each skill, criterion and the session in the page's language where
the framework (or the session) has it, else in its own words (the live pages: test_dashboard_names)."""

from __future__ import annotations

import html

from core.i18n import COOKIE
from tests.conftest import login, match_group

POLISH_TITLE = "Spotkanie walidacyjne"


def _page(app, user, url, lang=""):
    """The page as `user` reads it with the language switch on `lang` (the account has none)."""
    client = app.test_client()
    if lang:
        client.set_cookie(COOKIE, lang)
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_a_polish_dashboard_names_the_session_in_polish(app, make_session):
    session = make_session(texts={"pl": {"title": POLISH_TITLE}})
    page = _page(app, session.facilitator, f"/f/sessions/{session.code}", "pl")
    assert match_group(r'<h1 class="dash-title">([^<]*)</h1>', page) == POLISH_TITLE
    assert match_group(r'<span class="topbar-title">([^<]*)</span>', page) == POLISH_TITLE
    assert POLISH_TITLE in match_group(r"<title>([^<]*)</title>", page)
    english = _page(app, session.facilitator, f"/f/sessions/{session.code}")
    assert match_group(r'<h1 class="dash-title">([^<]*)</h1>', english) == "Validation meeting"


def test_the_projector_names_the_session_in_the_rooms_language(app, make_user, make_session):
    """The projector speaks the session's language (core/i18n.py), whoever opened it."""
    facilitator = make_user()
    for language, title in (("pl", POLISH_TITLE), ("it", "Validation meeting")):
        session = make_session(
            facilitator=facilitator, language=language, texts={"pl": {"title": POLISH_TITLE}}
        )
        page = _page(app, facilitator, f"/f/sessions/{session.code}/projector", "fi")
        assert match_group(r'<h1 class="proj-title">([^<]*)</h1>', page) == title
