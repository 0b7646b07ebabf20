"""Accounts: the first admin, more users, sign-in, sign-out everywhere, unlock."""

from __future__ import annotations

import hmac
import secrets
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from core.offload import run_blocking
from domain.errors import ValidationError
from models import Role, User, db

MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """Hash a password (scrypt, about 0.1 s of CPU) in a native thread: phones keep their acks."""
    return run_blocking(lambda: generate_password_hash(password), lane="passwords")


def password_matches(password_hash: str, password: str) -> bool:
    """Check a password against its hash, off the event loop like hash_password."""
    return run_blocking(lambda: check_password_hash(password_hash, password), lane="passwords")


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(email: str, password: str, role: str = "facilitator", display_name: str = "") -> User:
    """Create an account; refuse duplicates, weak passwords and unknown roles."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationError(_("Enter a valid e-mail address."))
    check_new_password(password)
    try:
        role_value = Role(role)
    except ValueError:
        raise ValidationError(
            _("Unknown role %(role)s: use admin, coordinator or facilitator.", role=repr(role))
        ) from None
    if find_user(email):
        raise ValidationError(_("An account for %(email)s exists already.", email=email))
    user = User(email=email, role=role_value, display_name=display_name.strip())
    user.set_password_hash(hash_password(password))
    db.session.add(user)
    db.session.commit()
    return user


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(_("The password needs at least %(num)s characters.", num=MIN_PASSWORD))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not anybody's password")


def authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail and password, if active; one password hash checked either way.

    Checking a dummy hash when no account has the e-mail makes an unknown address take as long
    as a wrong password, so the answer time does not tell who has an account.
    """
    user = find_user(email)
    matches = password_matches(user.password_hash if user else _dummy_hash(), password)
    return user if user and matches and user.active else None


def user_for_login_id(login_id: object) -> User | None:
    """The user a login cookie names ("<id>:<session token>"), unless that token was revoked."""
    user_id, _sep, token = str(login_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign the user out on every device: their login and "remember me" cookies stop working."""
    user.end_sessions()
    db.session.commit()


def unlock(email: str) -> User:
    """Forget the sign-in failures counted against this account (an admin's unlock)."""
    user = find_user(email)
    if user is None:
        raise ValidationError(_("No account has the e-mail %(email)s.", email=email.strip().lower()))
    user.sign_in_epoch += 1
    db.session.commit()
    return user


def throttle_key(email: str) -> str:
    """What sign-in failures are counted under for this e-mail (known or not)."""
    email = email.strip().lower()
    epoch = db.session.scalar(select(User.sign_in_epoch).where(User.email == email))
    return f"{email}#{epoch or 0}"


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def change_password(user: User, current: str, new: str) -> None:
    """A user's own change: the current password first; every other sign-in of theirs ends."""
    if not password_matches(user.password_hash, current):
        raise ValidationError(_("The current password is wrong."))
    check_new_password(new)
    user.set_password_hash(hash_password(new))
    db.session.commit()


def reset_password(admin: User, user: User) -> str:
    """An admin's reset: a temporary password, to give to the user, who then changes it."""
    if user.id == admin.id:
        raise ValidationError(_("Change your own password on the password page."))
    temporary = secrets.token_urlsafe(9)
    user.set_password_hash(hash_password(temporary))
    db.session.commit()
    return temporary


def update_account(admin: User, user: User, role: str, active: bool) -> None:
    """An admin sets another account's role and whether it may sign in; never their own."""
    if user.id == admin.id and (role != admin.role.value or not active):
        raise ValidationError(_("You cannot change your own role or deactivate yourself."))
    try:
        user.role = Role(role)
    except ValueError:
        raise ValidationError(
            _("Unknown role %(role)s: use admin, coordinator or facilitator.", role=repr(role))
        ) from None
    if user.active and not active:
        user.end_sessions()
    user.active = active
    db.session.commit()
