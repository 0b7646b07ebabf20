"""Forms for accounts: a user's own password, an admin's user management."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

ROLES = [
    SelectChoice("facilitator", "Facilitator: runs their own sessions"),
    SelectChoice("coordinator", "Coordinator: sees, exports and compares all sessions"),
    SelectChoice("admin", "Administrator: also manages accounts"),
]


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField("New password (8 characters or more)", validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("new", "The passwords differ.")])


class NewUserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    display_name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=ROLES, default="facilitator")


class AccountForm(FlaskForm):
    role = SelectField("Role", choices=ROLES)
    active = BooleanField("May sign in")
