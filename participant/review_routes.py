"""Phone pages of a review over days: come back with a resume code, a new code, consent for a link."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for

from core.extensions import limiter
from domain.errors import DomainError
from participant import bp
from participant.routes import _current_participant, advance_review, remember_resume_code, signed_in
from services import participation, review, sessions

RESUME_LIMITS = "10 per minute; 60 per hour"  # per address: codes cannot be guessed by trying


@bp.get("/back/<code>")
@bp.get("/back/<code>/<resume_code>")
def resume_page(code: str, resume_code: str = "") -> Any:
    """Enter a resume code, or confirm the one in a personal link (a link preview changes nothing)."""
    session = sessions.get_session(code)
    return render_template("participant/resume.html", session=session, resume_code=resume_code)


@bp.post("/back/<code>")
@limiter.limit(RESUME_LIMITS, scope="resume")
def resume(code: str) -> Any:
    session = sessions.get_session(code)
    try:
        participant, token = review.resume(session, request.form.get("resume_code", ""))
    except DomainError as exc:
        return render_template(
            "participant/resume.html", session=session, resume_code="", error=exc.message
        ), exc.http_status
    return signed_in(session.code, token)


@bp.post("/s/<code>/resume-code")
def new_resume_code(code: str) -> Any:
    """A new code for someone who lost theirs, on a device where they are still known."""
    session = sessions.get_session(code)
    participant = _current_participant(session.code)
    if participant is None:
        return redirect(url_for("participant.join", code=session.code))
    remember_resume_code(session.code, review.issue_resume_code(participant, session))
    return redirect(url_for("participant.app", code=session.code))


@bp.route("/s/<code>/consent", methods=["GET", "POST"])
def consent(code: str) -> Any:
    """The consent and profile questions, for someone who came with a personal link."""
    session = sessions.get_session(code)
    participant = _current_participant(session.code)
    if participant is None:
        return redirect(url_for("participant.join", code=session.code))
    advance_review(session)
    error = None
    if request.method == "POST":
        profile = {q["key"]: request.form.get(q["key"], "") for q in session.profile_questions}
        try:
            participation.give_consent(
                participant,
                request.form.get("consent") == "yes",
                profile,
                request.form.get("consent_version"),
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(url_for("participant.app", code=session.code))
    action = url_for("participant.consent", code=session.code)
    return render_template("participant/join.html", session=session, error=error, action=action), (
        400 if error else 200
    )
