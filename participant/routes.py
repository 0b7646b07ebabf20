"""Phone pages: enter a code, consent and profile, then the answering app."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask import session as flask_session
from werkzeug.wrappers import Response

from core.extensions import csrf
from core.live import push_session
from domain.errors import DomainError, UnknownParticipantError
from domain.joincode import normalize_code
from participant import bp
from services import participation, review, review_stats, sessions

COOKIE_AGE = 60 * 60 * 24 * 30


def cookie_name(code: str) -> str:
    return f"sb_p_{code}"


def _current_participant(code: str) -> Any:
    try:
        participant = participation.authenticate(request.cookies.get(cookie_name(code)), code)
    except UnknownParticipantError:
        return None
    return participant


@bp.get("/")
def home() -> str | Response:
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("participant.join", code=normalize_code(code)))
    return render_template("participant/enter_code.html")


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str) -> Any:
    try:
        session = sessions.get_session(code)
    except DomainError:
        flash(_("No session has the code %(code)s. Check it and try again.", code=normalize_code(code)[:12]))
        return render_template("participant/enter_code.html", code=code), 404
    if session.code != code:
        return redirect(url_for("participant.join", code=session.code))
    advance_review(session)
    if _current_participant(session.code):
        return redirect(url_for("participant.app", code=session.code))
    error = None
    if request.method == "POST":
        profile = {q["key"]: request.form.get(q["key"], "") for q in session.profile_questions}
        try:
            participant, token = participation.join(
                session.code, request.form.get("consent") == "yes", profile
            )
        except DomainError as exc:
            error = exc.message
        else:
            if session.is_review:  # over days: a code to come back with, shown once on the next page
                remember_resume_code(session.code, review.issue_resume_code(participant, session))
            return signed_in(session.code, token)
    return render_template("participant/join.html", session=session, error=error), (400 if error else 200)


def signed_in(code: str, token: str) -> Response:
    """Go to the answering app with the participant's token in a cookie for this session."""
    response = make_response(redirect(url_for("participant.app", code=code)))
    response.set_cookie(
        cookie_name(code),
        token,
        max_age=COOKIE_AGE,
        samesite="Lax",
        httponly=True,  # the page hands the token to its own script; other scripts never see it
        secure=request.is_secure or current_app.config["SB_SECURE_COOKIES"],
    )
    return response


def remember_resume_code(code: str, resume_code: str) -> None:
    flask_session[f"resume:{code}"] = resume_code


@bp.get("/s/<code>")
def app(code: str) -> Any:
    participant = _current_participant(normalize_code(code))
    if participant is None:
        return redirect(url_for("participant.join", code=normalize_code(code)))
    session = sessions.get_session(code)
    if not session.is_review:
        return render_template("participant/app.html", session=session, participant=participant)
    advance_review(session)
    if participant.consent_at is None and session.consent_text.strip() and session.accepts_joins:
        return redirect(url_for("participant.consent", code=session.code))  # a personal link's first visit
    changes = review_stats.changes_since(session, participant)
    review_stats.record_visit(participant)
    return render_template(
        "participant/app.html",
        session=session,
        participant=participant,
        changes=changes,
        resume_code=flask_session.pop(f"resume:{session.code}", None),
    )


def advance_review(session: Any) -> None:
    """Act on the review's dates that have come, and tell connected screens."""
    if session.is_review and review.advance(session):
        push_session(session)


@bp.post("/api/sessions/<code>/join")
@csrf.exempt
def api_join(code: str) -> Any:
    """JSON join for other clients (load generators, other front ends): see docs/protocol.md."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"ok": False, "error": "bad_payload", "message": "Send a JSON object."}), 400
    try:
        participant, token = participation.join(code, body.get("consent") is True, body.get("profile"))
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    return jsonify({"ok": True, "token": token, "participant": participant.pseudonym})


@bp.get("/api/sessions/<code>/state")
def api_state(code: str) -> Any:
    """Where a session stands, for phones waiting on the join page before the lobby opens."""
    try:
        session = sessions.get_session(code)
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    advance_review(session)
    response = jsonify({"ok": True, "state": session.state.value, "accepts_joins": session.accepts_joins})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Any:
    return render_template("error.html", title=_("Not possible"), message=error.message), error.http_status


@bp.app_errorhandler(404)
def not_found(_error: Any) -> Any:
    message = _("There is nothing at this address.")
    return render_template("error.html", title=_("Not found"), message=message), 404
