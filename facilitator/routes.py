"""Facilitator pages: home, frameworks (accounts and sign-in: auth_routes.py)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.extensions import db, login_manager
from core.i18n import skill_texts
from domain.errors import DomainError
from facilitator import bp
from models import Framework
from services import audit, frameworks, sessions, users


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Any:
    """A refused request gets a page saying why, with the error's HTTP status."""
    return render_template("error.html", title=_("Not possible"), message=error.message), error.http_status


@bp.get("/")
def home() -> Any:
    if not users.has_users():
        return redirect(url_for("facilitator.setup"))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return render_template(
        "facilitator/home.html",
        sessions=sessions.list_sessions(current_user),
        frameworks=frameworks.list_frameworks(current_user),
    )


@bp.route("/frameworks/new", methods=["GET", "POST"])
@login_required
def framework_new() -> Any:
    if request.method == "POST":
        try:
            framework = frameworks.create_framework(
                request.form.get("framework_name", ""),
                _skills_from_form(),
                owner=current_user,
                shared=request.form.get("shared") == "yes",
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            audit.record(current_user, "framework_created", target=framework.name)
            flash(_("Framework created."))
            return redirect(url_for("facilitator.framework_edit", framework_id=framework.id))
    return render_template(
        "facilitator/framework_edit.html",
        framework=None,
        skills=_skills_from_form() if request.method == "POST" else [],
    )


@bp.route("/frameworks/<int:framework_id>", methods=["GET", "POST"])
@login_required
def framework_edit(framework_id: int) -> Any:
    framework = frameworks.check_use(current_user, db.get_or_404(Framework, framework_id))
    skills = frameworks.skill_inputs(framework.latest)
    if request.method == "POST":
        frameworks.check_manage(current_user, framework)
        skills = _skills_from_form()
        try:
            version = frameworks.save_skills(
                framework, skills, request.form.get("framework_name"), keep_extra=True
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            audit.record(
                current_user, "framework_saved", target=framework.name, detail={"version": version.number}
            )
            flash(_("Saved as version %(n)s.", n=version.number))
            return redirect(url_for("facilitator.framework_edit", framework_id=framework.id))
    return render_template(
        "facilitator/framework_edit.html",
        framework=framework,
        skills=skills,
        used=frameworks.is_version_used(framework.latest.id),
        languages=frameworks.translation_status(framework.latest),
        may_manage=frameworks.may_manage(current_user, framework),
    )


@bp.route("/frameworks/<int:framework_id>/translations/<lang>", methods=["GET", "POST"])
@login_required
def framework_translations(framework_id: int, lang: str) -> Any:
    """One language beside the framework's own texts, skill by skill; what is missing shows."""
    framework = frameworks.check_use(current_user, db.get_or_404(Framework, framework_id))
    if request.method == "POST":
        frameworks.check_manage(current_user, framework)
        codes = request.form.getlist("code")
        names, definitions = request.form.getlist("name"), request.form.getlist("definition")
        if not len(codes) == len(names) == len(definitions):
            abort(400)
        try:
            clusters = dict(
                zip(request.form.getlist("cluster"), request.form.getlist("cluster_name"), strict=False)
            )
            version = frameworks.save_translations(
                framework,
                lang,
                {c: (n, d) for c, n, d in zip(codes, names, definitions, strict=True)},
                clusters,
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Translations saved (version %(n)s).", n=version.number))
            target = url_for("facilitator.framework_translations", framework_id=framework.id, lang=lang)
            return redirect(target)
    version = framework.latest
    return render_template(
        "facilitator/framework_translations.html",
        framework=framework,
        lang=lang,
        rows=[(s, skill_texts(s.extra).get(lang, {})) for s in version.skills],
        clusters={
            s.cluster: skill_texts(s.extra).get(lang, {}).get("cluster", "")
            for s in version.skills
            if s.cluster
        },
        languages=frameworks.translation_status(version),
        used=frameworks.is_version_used(version.id),
        may_manage=frameworks.may_manage(current_user, framework),
    )


@bp.post("/frameworks/<int:framework_id>/share")
@login_required
def framework_share(framework_id: int) -> Any:
    """Let other facilitators use (and export) the framework, or stop letting them."""
    framework = db.get_or_404(Framework, framework_id)
    shared = request.form.get("shared") == "yes"
    frameworks.set_shared(current_user, framework, shared)
    audit.record(current_user, "framework_shared" if shared else "framework_unshared", target=framework.name)
    flash(
        _("Other facilitators may now use this framework.")
        if shared
        else _("Only you (and coordinators) may use this framework now.")
    )
    return redirect(url_for("facilitator.framework_edit", framework_id=framework.id))


def _skills_from_form() -> list[frameworks.SkillInput]:
    columns = [request.form.getlist(f) for f in ("code", "name", "definition", "cluster")]
    if len({len(c) for c in columns}) > 1:
        abort(400)
    return [
        frameworks.SkillInput(code, name, definition, cluster)
        for code, name, definition, cluster in zip(*columns, strict=True)
        if code.strip() or name.strip() or definition.strip()
    ]
