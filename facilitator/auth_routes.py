"""Facilitator accounts: first-run set-up, sign-in (throttled), sign-out everywhere."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from core import security
from core.extensions import login_manager
from domain.errors import DomainError
from facilitator import bp
from facilitator.forms import LoginForm, SetupForm
from models import User
from services import frameworks, users


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    return users.user_for_login_id(login_id)


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> Any:
    """One-time page that creates the first (admin) account: on this machine, or with the token."""
    if users.has_users():
        return redirect(url_for("facilitator.login"))
    if not security.may_set_up():
        return render_template("facilitator/setup.html", refused=True), 403
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                form.email.data or "", form.password.data or "", "admin", form.display_name.data or ""
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            security.forget_setup_token()
            login_user(user)
            frameworks.ensure_example_framework()
            return redirect(url_for("facilitator.home"))
    return render_template("facilitator/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@security.sign_in_limits()
def login() -> Any:
    if not users.has_users():
        return redirect(url_for("facilitator.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data or "", form.password.data or "")
        if user:
            login_user(user, remember=bool(form.remember.data))
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/f/") else url_for("facilitator.home"))
        security.count_failure()
        flash(_("Wrong e-mail or password."), "error")
    return render_template("facilitator/login.html", form=form)


@bp.errorhandler(RateLimitExceeded)
def sign_in_throttled(_error: RateLimitExceeded) -> Any:
    minutes = security.minutes_to_wait()
    flash(
        ngettext(
            "Too many failed sign-ins for this account or from this address. Try again in %(num)s "
            "minute, or ask an administrator to unlock the account.",
            "Too many failed sign-ins for this account or from this address. Try again in %(num)s "
            "minutes, or ask an administrator to unlock the account.",
            minutes,
        ),
        "error",
    )
    return render_template("facilitator/login.html", form=LoginForm()), 429


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out here and everywhere: login cookies, "remember me" and open dashboards stop working."""
    user_id = current_user.id
    users.end_sessions(current_user)
    logout_user()
    security.disconnect_user(user_id)
    return redirect(url_for("facilitator.login"))
