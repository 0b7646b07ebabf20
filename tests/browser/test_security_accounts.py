"""An admin manages accounts on their pages; a user changes their own password."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.ui import expect

pytestmark = pytest.mark.browser


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/f/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_adds_changes_deactivates_and_resets_an_account(live_server, facilitator, desktop):
    base, admin = live_server.url, facilitator
    email = f"bob-{uuid.uuid4().hex[:6]}@example.org"
    admin.goto(base + "/f/")
    admin.get_by_role("link", name="Accounts").click()
    expect(admin.get_by_role("heading", name="Accounts")).to_be_visible()
    admin.get_by_label("E-mail").fill(email)
    admin.get_by_label("Name").fill("Bob Coordinator")
    admin.get_by_label("Role").select_option("coordinator")
    admin.get_by_role("button", name="Add the account").click()
    temporary = admin.locator("#temporary-password").inner_text()
    assert len(temporary) >= 8
    admin.get_by_role("link", name="All accounts").click()
    row = admin.get_by_role("row").filter(has_text=email)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Coordinator")  # the role in words, not its code
    expect(row).to_contain_text("yes")

    # Bob signs in with the temporary password and changes it on his password page.
    bob = desktop(who="bob")
    sign_in(bob, base, email, temporary)
    expect(bob).to_have_url(base + "/f/")
    bob.get_by_role("link", name="Password").click()
    bob.get_by_label("Current password").fill(temporary)
    bob.get_by_label("New password (8 characters or more)").fill("bobs own password")
    bob.get_by_label("Repeat the new password").fill("bobs own password")
    bob.get_by_role("button", name="Change the password").click()
    expect(bob.get_by_role("status")).to_have_text("Password changed. You are signed out everywhere else.")
    expect(bob.get_by_role("link", name="Accounts")).to_have_count(0)  # not an admin
    bob.get_by_role("button", name="Sign out").click()
    sign_in(bob, base, email, temporary)
    expect(bob.get_by_role("alert")).to_have_text("Wrong e-mail or password.")
    sign_in(bob, base, email, "bobs own password")
    expect(bob).to_have_url(base + "/f/")

    # The admin deactivates Bob: his open page loses its sign-in, and he cannot sign in again.
    admin.get_by_role("link", name=f"Change {email}").click()
    admin.get_by_label("May sign in").uncheck()
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("row").filter(has_text=email)).to_contain_text("no (deactivated)")
    bob.reload()
    expect(bob).to_have_url(re.compile(r"/f/login"))
    sign_in(bob, base, email, "bobs own password")
    expect(bob.get_by_role("alert")).to_have_text("Wrong e-mail or password.")

    # Back in, with a reset password.
    admin.get_by_role("link", name=f"Change {email}").click()
    admin.get_by_label("May sign in").check()
    admin.get_by_role("button", name="Save").click()
    admin.get_by_role("link", name=f"Change {email}").click()
    admin.get_by_role("button", name="Reset the password").click()
    reset = admin.locator("#temporary-password").inner_text()
    sign_in(bob, base, email, reset)
    expect(bob).to_have_url(base + "/f/")
    admin.get_by_role("link", name="All accounts").click()
    expect(admin.get_by_role("row").filter(has_text=email)).to_contain_text("yes")


def test_the_top_bar_keeps_the_name_apart_from_the_links(live_server, facilitator):
    """The signed-in person's name sat a bare space before the first link, so the bar read
    "Ada Facilitator Accounts" (a Polish one "Demo facilitator Hasło") as one phrase."""
    facilitator.goto(live_server.url + "/f/")
    bar = facilitator.locator(".topbar form.inline")
    name = bar.locator(".muted").bounding_box()
    first = bar.get_by_role("link", name="Accounts").bounding_box()
    second = bar.get_by_role("link", name="Audit log").bounding_box()
    after_name = first["x"] - (name["x"] + name["width"])
    between_links = second["x"] - (first["x"] + first["width"])
    assert after_name > between_links, (after_name, between_links)  # the name stands apart, not closer
