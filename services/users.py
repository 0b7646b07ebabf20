"""Accounts: the first admin, more users, sign-in."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.errors import ValidationError
from models import Role, User, db

MIN_PASSWORD = 8


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def create_user(email: str, password: str, role: str = "facilitator", display_name: str = "") -> User:
    """Create an account; refuse duplicates, weak passwords and unknown roles."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationError("Enter a valid e-mail address.")
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"The password needs at least {MIN_PASSWORD} characters.")
    try:
        role_value = Role(role)
    except ValueError:
        raise ValidationError(f"Unknown role {role!r}: use admin, coordinator or facilitator.") from None
    if db.session.scalar(select(User).where(User.email == email)):
        raise ValidationError(f"An account for {email} exists already.")
    user = User(email=email, role=role_value, display_name=display_name.strip())
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    return user if user and user.check_password(password) else None
