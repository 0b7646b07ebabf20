"""Phone pages of a self-assessment: start, answer skill by skill, profile, resume by code."""

from __future__ import annotations

from typing import Any

from flask import (
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from core import security
from core.i18n import reader_language
from domain import assessment_chart as chart
from domain.assessment import UnknownResumeCodeError, format_resume_code, normalize_resume_code
from domain.errors import DomainError
from participant import bp
from services import assessment as publishing
from services import assessment_erasure as erasure
from services import assessment_pdf, audit
from services import assessment_taking as taking

COOKIE_AGE = 60 * 60 * 24 * 400
NEW_CODE = "sa_new_code"


def _cookie(code: str) -> str:
    return f"sa_{code}"


def _me(code: str) -> Any:
    """The publication and the respondent this browser holds a personal code for (or None)."""
    assessment = publishing.get_assessment(code)
    try:
        return assessment, taking.find_respondent(request.cookies.get(_cookie(assessment.code)), assessment)
    except UnknownResumeCodeError:
        return assessment, None


def _remember(response: Response, code: str, resume: str) -> Response:
    response.set_cookie(
        _cookie(code), resume, max_age=COOKIE_AGE, samesite="Lax", httponly=True, secure=request.is_secure
    )
    return response


def _next_page(respondent: Any) -> str:
    code = respondent.assessment.code
    if respondent.current.completed_at is not None:
        return url_for("participant.assessment_profile", code=code)
    return url_for("participant.assessment_skill", code=code, n=taking.first_unanswered(respondent) or 1)


@bp.route("/a/<code>", methods=["GET", "POST"])
@security.code_guess_limits()
def assessment_start(code: str) -> Any:
    assessment, me = _me(code)
    if assessment.code != code:
        return redirect(url_for("participant.assessment_start", code=assessment.code))
    if me is not None:
        return redirect(_next_page(me))
    if request.method == "POST":
        profile = {q["key"]: request.form.get(q["key"], "") for q in assessment.profile_questions}
        respondent, resume = taking.start(assessment, profile)
        session[NEW_CODE] = resume
        target = url_for("participant.assessment_welcome", code=assessment.code)
        return _remember(make_response(redirect(target)), assessment.code, resume)
    return render_template("participant/assessment_start.html", assessment=assessment)


@bp.get("/a/<code>/welcome")
@security.code_guess_limits()
def assessment_welcome(code: str) -> Any:
    """The personal code, shown this once (only its hash is kept)."""
    assessment, me = _me(code)
    resume = session.pop(NEW_CODE, None)
    if me is None or resume is None:
        return redirect(url_for("participant.assessment_start", code=assessment.code))
    return render_template(
        "participant/assessment_welcome.html",
        assessment=assessment,
        resume=format_resume_code(resume),
        resume_url=url_for("participant.assessment_resume", resume=resume, _external=True),
    )


@bp.route("/a/<code>/skill/<int:n>", methods=["GET", "POST"])
@security.code_guess_limits()
def assessment_skill(code: str, n: int) -> Any:
    assessment, me = _me(code)
    skills = taking.skills(assessment)
    if me is None or not 1 <= n <= len(skills):
        return redirect(url_for("participant.assessment_start", code=assessment.code))
    skill, lang = skills[n - 1], reader_language()
    if request.method == "POST":
        for q in publishing.questions(assessment):
            if request.form.get(q.key):
                taking.record_answer(me, skill.code, q.key, request.form[q.key])
        if request.form.get("go") == "back" and n > 1:
            return redirect(url_for("participant.assessment_skill", code=code, n=n - 1))
        if n < len(skills):
            return redirect(url_for("participant.assessment_skill", code=code, n=n + 1))
        missing = taking.finish(me)
        if missing is not None:
            flash(_("Some answers are missing; please answer every question."))
        return redirect(_next_page(me))
    given = taking.answers(me, me.current.number)
    return render_template(
        "participant/assessment_skill.html",
        assessment=assessment,
        skill=publishing.shown_skill(skill, lang),
        n=n,
        total=len(skills),
        questions=[(q, publishing.anchors(assessment, skill, q.key, lang), given.get((skill.code, q.key)))
                   for q in publishing.questions(assessment)],
        round=me.current.number,
    )  # fmt: skip


@bp.post("/a/<code>/answer")
@security.code_guess_limits()
def assessment_answer(code: str) -> Any:
    """Saves one answer as soon as it is chosen (assessment.js); the page form is the fallback."""
    assessment, me = _me(code)
    body = request.get_json(silent=True) or {}
    if me is None:
        return jsonify(UnknownResumeCodeError().to_ack()), 404
    try:
        value = taking.record_answer(
            me, str(body.get("skill", "")), str(body.get("question", "")), body.get("value")
        )
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    return jsonify({"ok": True, "value": value})


def _profile_page(code: str, template: str, **extra: Any) -> Any:
    assessment, me = _me(code)
    if me is None:
        return redirect(url_for("participant.assessment_start", code=assessment.code))
    result = taking.profile(me, reader_language())
    if result is None:
        return redirect(_next_page(me))
    return render_template(
        template,
        assessment=assessment,
        profile=result,
        radar=chart.radar(result),
        cluster_radar=chart.radar(result, by_cluster=True),
        bars=chart.bars(result),
        rounds=taking.completed_rounds(me),
        can_continue=me.current.completed_at is None,
        **extra,
    )


@bp.get("/a/<code>/profile")
@security.code_guess_limits()
def assessment_profile(code: str) -> Any:
    return _profile_page(code, "participant/assessment_profile.html")


@bp.get("/a/<code>/profile.pdf")
@security.code_guess_limits()
def assessment_profile_pdf(code: str) -> Any:
    """The same profile on A4, rendered on the server (no browser print dialog needed)."""
    css = assessment_pdf.stylesheet_text(current_app.static_folder or "static")
    page = _profile_page(code, "participant/assessment_profile_pdf.html", stylesheet=css)
    if not isinstance(page, str):
        return page
    response = make_response(assessment_pdf.render_pdf(page))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="profile-{code}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/a/<code>/withdraw")
@security.code_guess_limits()
def assessment_withdraw(code: str) -> Any:
    """Delete my answers and profile for good, after I confirmed it; my code then finds nothing."""
    assessment, me = _me(code)
    if me is None:
        return redirect(url_for("participant.assessment_start", code=assessment.code))
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm: your answers are then deleted for good."))
        return redirect(url_for("participant.assessment_profile", code=assessment.code))
    erased = erasure.withdraw(me)
    audit.record(None, "assessment_withdrawn", None, assessment.code, erased.summary(), by="respondent")
    page = render_template(
        "error.html",
        title=_("Your answers were withdrawn"),
        message=_(
            "Your answers to %(title)s and your profile were deleted; your personal code no longer "
            "leads anywhere, and the figures no longer count you.",
            title=assessment.title,
        ),
    )
    response = make_response(page)
    response.delete_cookie(_cookie(assessment.code))
    return response


@bp.post("/a/<code>/retake")
@security.code_guess_limits()
def assessment_retake(code: str) -> Any:
    """A new round: the next profile shows the change since this one."""
    assessment, me = _me(code)
    if me is None:
        return redirect(url_for("participant.assessment_start", code=assessment.code))
    taking.retake(me)
    return redirect(_next_page(me))


@bp.route("/r", methods=["GET", "POST"])
@bp.get("/r/<resume>")
@security.code_guess_limits()
def assessment_resume(resume: str = "") -> Any:
    """A personal link or code brings the person back, on any device."""
    resume = resume or request.form.get("code", "")
    if not resume:
        return render_template("participant/assessment_resume.html")
    try:
        respondent = taking.find_respondent(resume)
    except UnknownResumeCodeError as exc:
        return render_template("participant/assessment_resume.html", error=exc.message), 404
    response = make_response(redirect(_next_page(respondent)))
    return _remember(response, respondent.assessment.code, normalize_resume_code(resume))
