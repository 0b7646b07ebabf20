"""Account management is for admins only, and an admin cannot lock themselves out."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from models import db
from services import users
from tests.conftest import PASSWORD, login


@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_only_admins_reach_the_account_pages(client, make_user, role):
    other = make_user()
    login(client, make_user(role))
    for url in ("/f/users", f"/f/users/{other.id}"):
        assert client.get(url).status_code == 403
    assert client.get("/f/account/password").status_code == 200


def test_an_admin_cannot_demote_deactivate_or_reset_themselves(make_user):
    admin = make_user("admin")
    with pytest.raises(ValidationError):
        users.update_account(admin, admin, "facilitator", True)
    with pytest.raises(ValidationError):
        users.update_account(admin, admin, "admin", False)
    with pytest.raises(ValidationError):
        users.reset_password(admin, admin)


def test_changing_a_password_needs_the_current_one(make_user):
    user = make_user()
    with pytest.raises(ValidationError, match="current password is wrong"):
        users.change_password(user, "not it", "a new password")
    with pytest.raises(ValidationError, match="at least 8"):
        users.change_password(user, PASSWORD, "short")
    users.change_password(user, PASSWORD, "a new password")
    assert users.authenticate(user.email, "a new password") is user


def test_a_refused_page_is_the_house_page_in_the_readers_language(app, client, make_user):
    """403 (and the other refusals Flask raises itself) use base.html, not Flask's bare page."""
    coordinator = make_user("coordinator")
    login(client, coordinator)
    page = client.get("/f/users")
    text = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "Not allowed" in text and 'class="' in text and "/static/" in text
    assert "You don't have the permission" not in text  # werkzeug's own wording
    coordinator.language = "it"
    db.session.commit()
    assert "Non consentito" in client.get("/f/users").get_data(as_text=True)
    no_csrf = client.post("/f/account/password", data={})
    assert no_csrf.status_code == 400 and "/static/" in no_csrf.get_data(as_text=True)
    wrong_method = client.delete("/f/account/password")
    assert wrong_method.status_code == 405 and "Allow" in wrong_method.headers
    assert "/static/" in wrong_method.get_data(as_text=True)
