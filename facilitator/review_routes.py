"""Facilitator pages for reviews: the schedule over days, progress, personal links, invitations,
open answers and suggested wordings (accept into the list)."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from core.i18n import reader_language
from core.live import push_session
from domain.errors import DomainError
from domain.item_lists import kind_of
from domain.open_questions import OPEN_QUESTIONS
from domain.workbook_framework import write_csv
from facilitator import bp
from facilitator.session_routes import join_base_url
from models import LiveSession, utcnow
from services import audit, invitations, open_answers, review, review_stats, sessions
from services.assessment import shown_skill


def _review_session(code: str) -> LiveSession:
    session = sessions.get_session_for(current_user, code)
    if review.advance(session):
        push_session(session)
    return session


def _back(session: LiveSession) -> Any:
    return redirect(url_for("facilitator.session_review", code=session.code))


def _progress(session: LiveSession) -> dict[str, Any]:
    """What the page shows of how the review goes, and what review.js refreshes live."""
    return {
        "session": session,
        "round": review.current_round(session),
        "days": review_stats.response_rate(session, utcnow()) if session.live_at else [],
        "people": review_stats.progress(session),
    }


@bp.get("/sessions/<code>/review")
@login_required
def session_review(code: str) -> Any:
    """The asynchronous dashboard: dates, response rate over time, who has finished, links."""
    session = _review_session(code)
    return render_template(
        "facilitator/review.html",
        **_progress(session),
        zones=sorted(available_timezones()),
        smtp=invitations.is_configured(current_app.config["SB_SMTP"]),
        invited=invitations.invited_count(session),
        reminders=invitations.reminders(session),
        join_url=f"{join_base_url()}/j/{session.code}",
    )


@bp.get("/sessions/<code>/review/progress")
@login_required
def review_progress(code: str) -> Any:
    """The page's live parts, rendered as on the page: fetched when the dashboard room says
    something changed (review.js), so that the figures follow without a reload."""
    shown = _progress(_review_session(code))
    parts = {"counts": "_review_counts", "rate": "_review_rate", "people": "_review_people"}
    rendered = {key: render_template(f"facilitator/{name}.html", **shown) for key, name in parts.items()}
    return jsonify(rendered | {"finished": sum(1 for p in shown["people"] if p.is_finished)})


@bp.post("/sessions/<code>/review/schedule")
@login_required
def review_schedule(code: str) -> Any:
    session = _review_session(code)
    form = request.form
    data = review.ScheduleInput(
        form.get("timezone", "UTC"), form.get("open_from", ""), form.get("open_until", ""),
        form.get("round_closes_at", ""),
    )  # fmt: skip
    try:
        review.set_schedule(session, data)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Dates saved."))
        audit.record(
            current_user,
            "review_scheduled",
            session.code,
            "",
            {"time_zone": data.timezone, "from": data.open_from, "until": data.open_until},
        )
        if review.advance(session):
            push_session(session)
    return _back(session)


@bp.post("/sessions/<code>/review/next-round")
@login_required
def review_next_round(code: str) -> Any:
    session = _review_session(code)
    try:
        number = review.open_next_round(session, current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        audit.record(current_user, "round_started", session.code, f"round {number}", {"scope": "all"})
        push_session(session)
        flash(
            _(
                "Round %(num)s is open for everyone, with the results of round %(previous)s.",
                num=number,
                previous=number - 1,
            )
        )
    return _back(session)


@bp.post("/sessions/<code>/review/links.csv")
@login_required
def review_links(code: str) -> Any:
    """Personal links for the coordinator to send: made now, shown once (codes are kept hashed)."""
    session = _review_session(code)
    try:
        slots = review.make_slots(session, request.form.get("count", type=int) or 0)
    except DomainError as exc:
        flash(exc.message, "error")
        return _back(session)
    audit.record(current_user, "review_links_made", session.code, "", {"links": len(slots)})
    base = join_base_url()
    rows = [[p.pseudonym, f"{base}/back/{session.code}/{c}", c] for p, c in slots]
    return Response(
        write_csv(["pseudonym", "personal_link", "resume_code"], rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="links-{session.code}-{slots[0][0].pseudonym}.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/sessions/<code>/review/invite")
@login_required
def review_invite(code: str) -> Any:
    session = _review_session(code)
    try:
        sent = invitations.invite(
            session, request.form.get("addresses", ""), join_base_url(), current_app.config["SB_SMTP"]
        )
    except DomainError as exc:
        flash(exc.message, "error")
    else:  # how many, never to whom: the addresses are deleted at closing, the log stays
        audit.record(current_user, "invitations_sent", session.code, "", {"sent": sent})
        flash(ngettext("Sent %(num)s invitation.", "Sent %(num)s invitations.", sent))
    return _back(session)


@bp.post("/sessions/<code>/review/remind")
@login_required
def review_remind(code: str) -> Any:
    session = _review_session(code)
    try:
        sent = invitations.remind(session, join_base_url(), current_app.config["SB_SMTP"])
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        audit.record(current_user, "reminders_sent", session.code, "", {"sent": sent})
        flash(
            ngettext(
                "Sent %(num)s reminder to those who have not finished.",
                "Sent %(num)s reminders to those who have not finished.",
                sent,
            )
        )
    return _back(session)


@bp.post("/sessions/<code>/review/reminders")
@login_required
def review_schedule_reminder(code: str) -> Any:
    """A reminder at a time: the server's ticker mails it then to those who have not finished."""
    session = _review_session(code)
    try:
        invitations.schedule_reminder(
            session, request.form.get("when", ""), join_base_url(), current_app.config["SB_SMTP"]
        )
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Reminder set."))
    return _back(session)


@bp.post("/sessions/<code>/review/reminders/<int:reminder_id>/cancel")
@login_required
def review_cancel_reminder(code: str, reminder_id: int) -> Any:
    session = _review_session(code)
    invitations.cancel_reminder(session, reminder_id)
    flash(_("Reminder cancelled."))
    return _back(session)


@bp.get("/sessions/<code>/suggestions")
@login_required
def session_suggestions(code: str) -> Any:
    session = sessions.get_session_for(current_user, code)
    framework = session.framework_version.framework
    return render_template(
        "facilitator/suggestions.html",
        session=session,
        kind=kind_of(framework.kind),
        latest=framework.latest,
        by_item=open_answers.open_answers_by_item(session),
        questions=OPEN_QUESTIONS,
        # each item as the reader's language names it (the framework's translation), else its own
        names={s.id: shown_skill(s, reader_language()).name for s in session.framework_version.skills},
    )


@bp.post("/sessions/<code>/suggestions/<int:answer_id>/accept")
@login_required
def accept_suggestion(code: str, answer_id: int) -> Any:
    session = sessions.get_session_for(current_user, code)
    try:
        version = open_answers.accept_wording(session, answer_id, request.form.get("text"))
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(
            _("Accepted into version %(num)s of “%(name)s”.", num=version.number, name=version.framework.name)
        )
    return redirect(
        url_for("facilitator.session_suggestions", code=session.code, _anchor=f"answer-{answer_id}")
    )
