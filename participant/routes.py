"""Phone pages: enter a code, consent and profile, then the answering app."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from werkzeug.wrappers import Response

from core import security
from core.extensions import csrf
from core.i18n import reader_language
from core.live import batcher, push_session
from core.removal import announce
from domain.errors import DomainError, UnknownParticipantError
from domain.joincode import normalize_code
from participant import bp
from services import access, erasure, participation, review, review_stats, session_texts, sessions
from services.payloads import profile_payload

COOKIE_AGE = 60 * 60 * 24 * 30


@bp.context_processor
def own_words() -> dict[str, Any]:
    """A session's own words in this phone's language (services/session_texts.py)."""
    lang = reader_language()
    return {
        "title_in": lambda s: session_texts.title(s, lang),
        "consent_in": lambda s: session_texts.consent(s, lang),
        "consent_version_in": lambda s: session_texts.consent_version(s, lang),
        "profile_in": lambda questions: session_texts.profile(questions, lang),
        "profile_version_in": lambda questions: session_texts.profile_version(questions, lang),
    }


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
@security.join_limits()
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
                session.code,
                request.form.get("consent") == "yes",
                profile,
                request.form.get("consent_version"),
            )
        except DomainError as exc:
            error = exc.message
        else:
            security.count_join()
            batcher.mark_presence(participant.session_id)  # the dashboard counts them at once
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


def _me_or_join(code: str) -> Any:
    """The participant of this phone, or a redirect to the join page."""
    participant = _current_participant(normalize_code(code))
    if participant is None:
        return None, redirect(url_for("participant.join", code=normalize_code(code)))
    return participant, None


@bp.get("/s/<code>/mine")
def my_data(code: str) -> Any:
    """The right of access: what is stored about me, to read, download, or withdraw."""
    participant, away = _me_or_join(code)
    if away:
        return away
    session = sessions.get_session(code)
    data = access.personal_data(participant)
    by_id, names, labels = access.shown_names(session.id, reader_language())
    response = make_response(
        render_template(
            "participant/mine.html",
            session=session,
            participant=participant,
            data=data,
            names=names,
            labels=labels,
            answers=[access.answer_words(a["kind"], a["value"], by_id) for a in data["list_answers"]],
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/s/<code>/mine.<fmt>")
def my_data_file(code: str, fmt: str) -> Any:
    """My record as JSON or CSV, to keep."""
    participant, away = _me_or_join(code)
    if away:
        return away
    data = access.personal_data(participant)
    name = f"my-answers-{data['session']['code']}-{data['participant']}.{fmt}"
    if fmt == "json":
        response = jsonify(data)
    elif fmt == "csv":
        response = make_response(access.personal_csv(data))
        response.mimetype = "text/csv"
    else:
        return render_template(
            "error.html", title=_("Not found"), message=_("Use mine.json or mine.csv.")
        ), 404
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/s/<code>/withdraw")
def withdraw(code: str) -> Any:
    """Delete my answers and comments (while the session is open), after I confirmed it."""
    participant, away = _me_or_join(code)
    if away:
        return away
    session = sessions.get_session(code)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm: your answers are then deleted for good."))
        return redirect(url_for("participant.my_data", code=session.code))
    who = (participant.id, participant.pseudonym)
    erased = erasure.withdraw(participant)  # DomainError (closed): the blueprint's error page
    announce(session, [who], erased, "withdrawn")
    response = make_response(
        render_template(
            "error.html",
            title=_("Your answers were withdrawn"),
            message=_(
                "Your %(ratings)s, %(comments)s and %(answers)s in %(title)s were deleted; nothing links you "
                "to this session any more.",
                ratings=ngettext("%(num)s answer(s)", "%(num)s answer(s)", erased.ratings),
                comments=ngettext("%(num)s comment(s)", "%(num)s comment(s)", erased.comments),
                answers=ngettext("%(num)s list answer(s)", "%(num)s list answer(s)", erased.answers),
                title=session.title,
            ),
        )
    )
    response.delete_cookie(cookie_name(session.code))
    return response


@bp.post("/api/sessions/<code>/join")
@csrf.exempt
@security.join_limits()
def api_join(code: str) -> Any:
    """JSON join for other clients (load generators, other front ends): see docs/protocol.md."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # JSON nested thousands deep: malformed, not a server failure
        body = None
    if not isinstance(body, dict):
        return jsonify({"ok": False, "error": "bad_payload", "message": "Send a JSON object."}), 400
    try:
        participant, token = participation.join(
            code, body.get("consent") is True, body.get("profile"), body.get("consent_version")
        )
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    security.count_join()
    batcher.mark_presence(participant.session_id)
    return jsonify({"ok": True, "token": token, "participant": participant.pseudonym})


@bp.get("/api/sessions/<code>/state")
@security.code_guess_limits()
def api_state(code: str) -> Any:
    """Where a session stands, for phones waiting on the join page before the lobby opens."""
    try:
        session = sessions.get_session(code)
    except DomainError as exc:
        return jsonify(exc.to_ack()), exc.http_status
    advance_review(session)
    lang = reader_language()
    response = jsonify(
        {
            "ok": True,
            "state": session.state.value,
            "accepts_joins": session.accepts_joins,
            "consent_text": session_texts.consent(session, lang) or None,
            "consent_version": session_texts.consent_version(session, lang) or None,
            "profile_questions": profile_payload(session),
            # as the join page shows them in this reader's language: it follows edits by these
            "profile_shown": session_texts.profile(session.profile_questions, lang),
            "profile_version": session_texts.profile_version(session.profile_questions, lang),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RateLimitExceeded)
def join_throttled(_error: RateLimitExceeded) -> Any:
    """Too many unknown codes or joins from this address: say so, and for how long."""
    minutes = security.minutes_to_wait()
    message = ngettext(
        "Too many attempts to join from this network. Wait %(num)s minute and try again; check the code "
        "on the screen.",
        "Too many attempts to join from this network. Wait %(num)s minutes and try again; check the code "
        "on the screen.",
        minutes,
    )
    if request.path.startswith("/api/"):
        return jsonify({"ok": False, "error": "too_many_attempts", "message": message}), 429
    return render_template("error.html", title=_("Too many attempts"), message=message), 429


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Any:
    return render_template("error.html", title=_("Not possible"), message=error.message), error.http_status


@bp.app_errorhandler(404)
def not_found(_error: Any) -> Any:
    message = _("There is nothing at this address.")
    return render_template("error.html", title=_("Not found"), message=message), 404
