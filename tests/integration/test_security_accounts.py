"""Account management is for admins only, and an admin cannot lock themselves out."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
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
