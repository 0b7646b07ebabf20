"""Coordinator pages of self-assessments: publish, edit until answered, link and QR code."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Response, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from core.filters import framework_label, join_base
from core.i18n import SOURCE, language_name, normalise, reader_language
from domain.assessment import QUESTIONS, parse_anchor_lines, parse_links
from domain.errors import DomainError
from facilitator import bp
from facilitator.assessment_forms import AssessmentForm
from facilitator.forms import fill_profile_questions, parse_profile_questions, profile_translations
from services import assessment as publishing
from services import assessment_erasure as erasure
from services import assessment_results as results
from services import audit, frameworks, session_texts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _public_url(code: str) -> str:
    return f"{join_base(current_app)}/a/{code}"


def _form_input(form: AssessmentForm) -> publishing.AssessmentInput:
    anchors = {}
    for key in QUESTIONS:
        lines = parse_anchor_lines(getattr(form, f"anchors_{key}").data or "")
        if lines:
            anchors[key] = lines
    return publishing.AssessmentInput(
        title=form.title.data or "",
        framework_id=form.framework_id.data or 0,
        intro=form.intro.data or "",
        include_importance=bool(form.include_importance.data),
        profile_questions=parse_profile_questions(
            form.profile_questions.data or "", profile_translations(form)
        ),
        default_anchors=anchors,
    )


def _prepare(form: AssessmentForm, assessment: Any = None) -> None:
    form.framework_id.choices = [
        (f.id, framework_label(f.name, f.latest.number, len(f.latest.skills), f.kind))
        for f in frameworks.list_frameworks(current_user)
    ]
    if request.method == "GET":
        questions = assessment.profile_questions if assessment else session_texts.default_assessment_profile()
        fill_profile_questions(form, questions)
        for key, q in QUESTIONS.items():
            own = (assessment.anchors.get(key, {}).get("*") if assessment else None) or q.anchors
            getattr(form, f"anchors_{key}").data = "\n".join(own)
        if assessment:
            form.framework_id.data = assessment.framework_version.framework_id


@bp.get("/assessments")
@login_required
def assessment_list() -> Any:
    return render_template(
        "facilitator/assessment_list.html", assessments=publishing.list_assessments(current_user)
    )


@bp.route("/assessments/new", methods=["GET", "POST"])
@login_required
def assessment_new() -> Any:
    form = AssessmentForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            assessment = publishing.create_assessment(current_user, _form_input(form))
        except (DomainError, ValueError) as exc:
            flash(str(exc), "error")
        else:
            audit.record(current_user, "assessment_created", None, assessment.code)
            return redirect(url_for("facilitator.assessment_manage", code=assessment.code))
    return render_template("facilitator/assessment_form.html", form=form, assessment=None)


@bp.route("/assessments/<code>/edit", methods=["GET", "POST"])
@login_required
def assessment_edit(code: str) -> Any:
    assessment = publishing.get_assessment_for(current_user, code)
    form = AssessmentForm(obj=assessment if request.method == "GET" else None)
    _prepare(form, assessment)
    if form.validate_on_submit():
        try:
            publishing.update_settings(assessment, _form_input(form))
        except (DomainError, ValueError) as exc:
            flash(str(exc), "error")
        else:
            audit.record(current_user, "assessment_saved", None, assessment.code)
            flash(_("Self-assessment saved."))
            return redirect(url_for("facilitator.assessment_manage", code=assessment.code))
    return render_template("facilitator/assessment_form.html", form=form, assessment=assessment)


@bp.get("/assessments/<code>")
@login_required
def assessment_manage(code: str) -> Any:
    assessment = publishing.get_assessment_for(current_user, code)
    lang = normalise(request.args.get("lang"))
    return render_template(
        "facilitator/assessment_manage.html",
        assessment=assessment,
        anchor_lang=lang if lang != SOURCE else None,
        anchors_in=publishing.anchors,
        public_url=_public_url(assessment.code),
        frozen=publishing.is_frozen(assessment),
        respondents=publishing.respondent_count(assessment),
        questions=[QUESTIONS[k] for k in QUESTIONS],
        aggregates=results.aggregates(assessment, reader_language()),  # skills named in the reader's
    )


@bp.post("/assessments/<code>/skills")
@login_required
def assessment_skills(code: str) -> Any:
    """Per-skill anchors and "how to develop it", all skills in one form; with `lang`, the
    anchors in that language (the publication's default and each skill's)."""
    assessment = publishing.get_assessment_for(current_user, code)
    lang = normalise(request.form.get("lang"))
    if lang and lang != SOURCE:
        scopes = ["*", *(s.code for s in assessment.framework_version.skills)]
        publishing.translate_anchors(assessment, lang, {
            scope: {q: parse_anchor_lines(request.form.get(f"anchors-{scope}-{q}", "")) for q in QUESTIONS}
            for scope in scopes
        })  # fmt: skip
        form = request.form
        publishing.translate_guidance(assessment, lang, {
            code: (form.get(f"guidance-{code}", ""), parse_links(form.get(f"links-{code}", "")))
            for code in scopes[1:]
        })  # fmt: skip
        flash(_("Anchors and advice in %(language)s saved.", language=language_name(lang)))
        return redirect(url_for("facilitator.assessment_manage", code=assessment.code, lang=lang) + "#skills")
    for skill in assessment.framework_version.skills:
        anchors = {
            q: parse_anchor_lines(request.form.get(f"anchors-{skill.code}-{q}", "")) for q in QUESTIONS
        }
        links = parse_links(request.form.get(f"links-{skill.code}", ""))
        publishing.update_skill(
            assessment, skill.code, anchors, request.form.get(f"guidance-{skill.code}", ""), links
        )
    flash(_("Skills saved."))
    return redirect(url_for("facilitator.assessment_manage", code=assessment.code) + "#skills")


@bp.post("/assessments/<code>/state")
@login_required
def assessment_state(code: str) -> Any:
    assessment = publishing.get_assessment_for(current_user, code)
    publishing.set_state(assessment, request.form.get("state", ""))
    audit.record(current_user, "assessment_state", None, assessment.code, {"state": assessment.state.value})
    return redirect(url_for("facilitator.assessment_manage", code=assessment.code))


@bp.post("/assessments/<code>/retention")
@login_required
def assessment_retention(code: str) -> Any:
    """How long each respondent's code and profile are kept after their last answer."""
    assessment = publishing.get_assessment_for(current_user, code)
    try:
        publishing.set_retention(assessment, request.form.get("retention_days", ""))
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        audit.record(
            current_user, "assessment_retention", None, assessment.code, {"days": assessment.retention_days}
        )
        flash(_("Saved: kept %(days)s days after each person's last answer.", days=assessment.retention_days))
    return redirect(url_for("facilitator.assessment_manage", code=assessment.code) + "#respondents-data")


@bp.post("/assessments/<code>/purge")
@login_required
def assessment_purge(code: str) -> Any:
    """Unlink a closed self-assessment's answers from its respondents now (GDPR); aggregates stay."""
    assessment = publishing.get_assessment_for(current_user, code)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm the purge."), "error")
        return redirect(url_for("facilitator.assessment_manage", code=assessment.code) + "#respondents-data")
    erased = erasure.purge(assessment)  # DomainError (not closed): the blueprint's error page
    audit.record(current_user, "assessment_purged", None, assessment.code, erased.summary())
    flash(
        _(
            "Purged: removed %(codes)s and %(profiles)s. The answers and the figures stay.",
            codes=ngettext("%(num)s personal code", "%(num)s personal codes", erased.codes),
            profiles=ngettext("%(num)s profile", "%(num)s profiles", erased.profiles),
        )
    )
    return redirect(url_for("facilitator.assessment_manage", code=assessment.code))


@bp.post("/assessments/<code>/new-version")
@login_required
def assessment_new_version(code: str) -> Any:
    copy = publishing.new_version(current_user, publishing.get_assessment_for(current_user, code))
    audit.record(current_user, "assessment_new_version", None, copy.code, {"version": copy.version})
    flash(_("Version %(n)s is a new publication with its own link; edit it, then open it.", n=copy.version))
    return redirect(url_for("facilitator.assessment_manage", code=copy.code))


@bp.get("/assessments/<code>/qr.svg")
@login_required
def assessment_qr(code: str) -> Response:
    assessment = publishing.get_assessment_for(current_user, code)
    buffer = io.BytesIO()
    qrcode.make(_public_url(assessment.code), image_factory=qrcode.image.svg.SvgPathImage, border=2).save(
        buffer
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-cache"})


@bp.get("/assessments/<code>/export.xlsx")
@login_required
def assessment_export(code: str) -> Any:
    """Anonymised responses, aggregates, validation and codebook in one workbook."""
    assessment = publishing.get_assessment_for(current_user, code)
    buffer = io.BytesIO()
    results.export_workbook(assessment, buffer)
    audit.record(current_user, "assessment_exported", None, assessment.code, {"format": "xlsx"})
    buffer.seek(0)
    name = f"self-assessment-{assessment.code}.xlsx"
    return send_file(buffer, as_attachment=True, download_name=name, mimetype=XLSX)
