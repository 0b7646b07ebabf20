"""Phone pages: enter a code, consent and profile, then the answering app."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from core.extensions import csrf
from core.live import batcher
from domain.errors import DomainError, UnknownParticipantError
from domain.joincode import normalize_code
from participant import bp
from services import participation, sessions
from services.payloads import profile_payload

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
            batcher.mark_presence(participant.session_id)  # the dashboard counts them at once
            response = make_response(redirect(url_for("participant.app", code=session.code)))
            response.set_cookie(
                cookie_name(session.code),
                token,
                max_age=COOKIE_AGE,
                samesite="Lax",
                httponly=True,  # the page hands the token to its own script; other scripts never see it
                secure=request.is_secure or current_app.config["SB_SECURE_COOKIES"],
            )
            return response
    return render_template("participant/join.html", session=session, error=error), (400 if error else 200)


@bp.get("/s/<code>")
def app(code: str) -> Any:
    participant = _current_participant(normalize_code(code))
    if participant is None:
        return redirect(url_for("participant.join", code=normalize_code(code)))
    session = sessions.get_session(code)
    return render_template("participant/app.html", session=session, participant=participant)


@bp.post("/api/sessions/<code>/join")
@csrf.exempt
def api_join(code: str) -> Any:
    """JSON join for other clients (load generators, other front ends): see docs/protocol.md."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # JSON nested thousands deep: malformed, not a server failure
        body = None
    if not isinstance(body, dict):
        return jsonify({"ok": False, "error": "bad_payload", "message": "Send a JSON object."}), 400
    try:
        participant, token = participation.join(code, body.get("consent") is True, body.get("profile"))
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    batcher.mark_presence(participant.session_id)
    return jsonify({"ok": True, "token": token, "participant": participant.pseudonym})


@bp.get("/api/sessions/<code>/state")
def api_state(code: str) -> Any:
    """Where a session stands, for phones waiting on the join page before the lobby opens."""
    try:
        session = sessions.get_session(code)
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    response = jsonify(
        {
            "ok": True,
            "state": session.state.value,
            "accepts_joins": session.accepts_joins,
            "consent_text": session.consent_text or None,
            "profile_questions": profile_payload(session),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Any:
    return render_template("error.html", title=_("Not possible"), message=error.message), error.http_status


@bp.app_errorhandler(404)
def not_found(_error: Any) -> Any:
    message = _("There is nothing at this address.")
    return render_template("error.html", title=_("Not found"), message=message), 404
