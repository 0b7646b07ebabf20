"""Account pages: each user changes their own password; admins add, change and reset accounts."""

from __future__ import annotations

import secrets
from functools import wraps
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from core import security
from core.extensions import db
from core.i18n import LANGUAGES, normalise
from domain.errors import DomainError
from facilitator import bp
from facilitator.account_forms import AccountForm, LanguageForm, NewUserForm, PasswordChangeForm
from models import Role, User
from services import audit, users


def admin_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user.role is not Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password_change() -> Any:
    form = PasswordChangeForm()
    language_form = LanguageForm(prefix="lang", language=current_user.language)
    language_form.language.choices = [("", _("As the browser asks")), *LANGUAGES.items()]
    if "lang-language" in request.form and language_form.validate_on_submit():
        current_user.language = normalise(language_form.language.data) or ""
        db.session.commit()
        return redirect(url_for("facilitator.password_change"))
    if "lang-language" not in request.form and form.validate_on_submit():
        try:
            users.change_password(current_user, form.current.data or "", form.new.data or "")
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            user = current_user._get_current_object()  # the User, not the proxy: login_user keeps it in g
            login_user(user)  # this browser stays signed in with the new session token
            audit.record(user, "password_changed", target=user.email)
            flash(_("Password changed. You are signed out everywhere else."))
            return redirect(url_for("facilitator.home"))
    return render_template("facilitator/password.html", form=form, language_form=language_form)


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def user_list() -> Any:
    form = NewUserForm()
    if form.validate_on_submit():
        temporary = secrets.token_urlsafe(9)
        try:
            user = users.create_user(
                form.email.data or "", temporary, form.role.data or "", form.display_name.data or ""
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            audit.record(current_user, "account_created", target=user.email, detail={"role": user.role.value})
            return render_template("facilitator/user_password.html", user=user, password=temporary)
    return render_template("facilitator/users.html", form=form, users=users.list_users())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    form = AccountForm(obj=user, role=user.role.value)
    if form.validate_on_submit():
        before = {"role": user.role.value, "active": user.active}
        try:
            users.update_account(current_user, user, form.role.data or "", bool(form.active.data))
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            after = {"role": user.role.value, "active": user.active}
            if after != before:
                audit.record(
                    current_user, "account_changed", target=user.email, detail={"from": before, "to": after}
                )
                security.disconnect_user(user.id)  # reconnecting checks the new role, or refuses
            flash(_("Saved %(email)s.", email=user.email))
            return redirect(url_for("facilitator.user_list"))
    return render_template("facilitator/user_edit.html", form=form, user=user)


@bp.post("/users/<int:user_id>/reset-password")
@admin_required
def user_reset_password(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    password = users.reset_password(current_user, user)  # DomainError: the blueprint's error page
    audit.record(current_user, "password_reset", target=user.email)
    security.disconnect_user(user.id)
    return render_template("facilitator/user_password.html", user=user, password=password)


@bp.post("/users/<int:user_id>/unlock")
@admin_required
def user_unlock(user_id: int) -> Any:
    """Let an account sign in again after too many failed attempts (as `flask unlock EMAIL`)."""
    user = db.get_or_404(User, user_id)
    users.unlock(user.email)
    audit.record(current_user, "account_unlocked", target=user.email)
    flash(_("Unlocked %(email)s: its failed sign-ins no longer count.", email=user.email))
    return redirect(url_for("facilitator.user_edit", user_id=user.id))


@bp.get("/audit")
@admin_required
def audit_log() -> Any:
    """The audit log, latest first: of every session, or of one (?session=CODE)."""
    code = request.args.get("session") or None
    before = request.args.get("before", type=int)
    entries = audit.entries(code, limit=PAGE, before=before)
    return render_template(
        "facilitator/audit.html",
        entries=entries,
        session_code=code,
        older=entries[-1].id if len(entries) == PAGE else None,
    )


PAGE = 200
