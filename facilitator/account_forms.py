"""Forms for accounts: a user's own password, an admin's user management."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

ROLES = [
    SelectChoice("facilitator", _l("Facilitator: runs their own sessions")),
    SelectChoice("coordinator", _l("Coordinator: sees, exports and compares all sessions")),
    SelectChoice("admin", _l("Administrator: also manages accounts")),
]


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password (8 characters or more)"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[EqualTo("new", _l("The passwords differ."))]
    )


class NewUserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLES, default="facilitator")


class AccountForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLES)
    active = BooleanField(_l("May sign in"))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language of these pages"))
