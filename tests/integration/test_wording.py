"""Words people read: one word for one act."""

from __future__ import annotations


def test_sign_in_page_says_sign_in(client, make_user):
    """One word for one act: the redirect's message matches the "Sign in" button."""
    make_user()
    page = client.get("/f/sessions/new", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in to see that page." in page and "log in" not in page.lower()
