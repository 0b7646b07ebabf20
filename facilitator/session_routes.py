"""Facilitator pages for one session: prepare, run, project, QR codes, results."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from core.filters import framework_label, join_base
from core.i18n import normalise, reader_language, use_locale
from core.live import push_session
from core.live_questions import push_questions
from domain.errors import DomainError
from domain.item_lists import DEFAULT_KIND
from domain.rounds import RoundSettings
from facilitator import bp
from facilitator.custom_criterion_form import custom_rows, fill_custom
from facilitator.forms import (
    OTHER_LANGUAGES,
    SessionForm,
    criterion_wordings,
    fill_profile_questions,
    parse_profile_questions,
    profile_translations,
)
from facilitator.question_form import fill_questions, question_specs
from models import LiveSession
from services import (
    audit,
    erasure,
    frameworks,
    list_results,
    meeting_stats,
    prioritisation,
    results,
    session_texts,
    sessions,
)
from services.payloads import in_language, session_payload

# The SessionInput field each form field fills ("rule" is three fields on the form).
FORM_FIELDS = {
    "criteria": ("criteria",),
    "custom_criteria": ("custom_criteria",),
    "pacing": ("pacing",),
    "profile_questions": ("profile_questions", *(f"profile_questions_{lang}" for lang in OTHER_LANGUAGES)),
    "rule": ("agree_pct", "iqr_max", "ninepoint_method"),
    "round_settings": ("round_feedback", "reason_rule", "stop_consensus", "stop_stability", "max_rounds"),
    "consent_text": ("consent_text",),
    "texts": tuple(f"{name}_{lang}" for lang in OTHER_LANGUAGES for name in ("title", "consent_text")),
    "countdown_seconds": ("countdown_seconds",),
    "questions": ("questions",),
    "open_questions": ("open_questions",),
}


def _form_input(form: SessionForm, base: sessions.SessionInput | None = None) -> sessions.SessionInput:
    """What the form says; fields it no longer has (frozen) keep their value from `base`."""
    data = base or sessions.SessionInput(title="", framework_id=form.framework_id.data or 0, criteria=[])
    values: dict[str, Any] = {
        "title": form.title.data or "",
        "date": form.date.data,
        "place": form.place.data or "",
        "country": form.country.data or "",
        "language": form.language.data or "",
        "second_language": form.second_language.data or "",
        "capacity": form.capacity.data,
        "retention_days": form.retention_days.data or 180,
    }
    if form.criteria is not None:
        values["criteria"] = list(form.criteria.data or [])
    if form.custom_criteria is not None:
        values["custom_criteria"] = custom_rows(form.custom_criteria)
    if form.open_questions is not None:
        values["open_questions"] = list(form.open_questions.data or [])
    if form.pacing is not None:
        values["pacing"] = form.pacing.data or "facilitator"
    if form.consent_text is not None:
        values["consent_text"] = form.consent_text.data or ""
    if form.profile_questions is not None:
        values["profile_questions"] = parse_profile_questions(
            form.profile_questions.data or "", profile_translations(form)
        )
    if getattr(form, f"title_{OTHER_LANGUAGES[0]}", None) is not None:
        values["texts"] = {
            lang: {"title": form[f"title_{lang}"].data, "consent": form[f"consent_text_{lang}"].data}
            for lang in OTHER_LANGUAGES
        }
    if form.countdown_seconds is not None:
        values["countdown_seconds"] = form.countdown_seconds.data
    if form.agree_pct is not None:
        iqr = form.iqr_max.data
        values["rule"] = {
            "agree_pct": float(form.agree_pct.data or 75) / 100,
            "iqr_max": float(iqr) if iqr is not None else None,
            "ninepoint_method": form.ninepoint_method.data,
        }
    if form.round_feedback is not None:
        values["round_settings"] = {
            "feedback": list(form.round_feedback.data or []),
            "reason": form.reason_rule.data or "none",
            "stop_consensus": bool(form.stop_consensus.data),
            "stop_stability": bool(form.stop_stability.data),
            "max_rounds": form.max_rounds.data,
        }
    if form.questions is not None:  # list questions (pick, rank, points)
        values["questions"] = question_specs(form.questions)
    return replace(data, **values)


def _framework_choices(form: SessionForm) -> str:
    """Offer the lists (each option names its kind); return the kind of the one selected."""
    kinds: dict[Any, str] = {}
    form.framework_id.choices = []
    for f in frameworks.list_frameworks(current_user):
        kinds[f.id] = f.kind
        label = framework_label(f.name, f.latest.number, len(f.latest.skills), f.kind)
        form.framework_id.choices.append(SelectChoice(f.id, label, render_kw={"data-kind": f.kind}))
    return kinds.get(form.framework_id.data) or next(iter(kinds.values()), DEFAULT_KIND)


def _render_form(form: SessionForm, session: LiveSession | None, list_kind: str) -> str:
    return render_template(
        "facilitator/session_form.html",
        form=form,
        session=session,
        list_kind=list_kind,
        wordings=criterion_wordings(),
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def session_new() -> Any:
    form = SessionForm()
    list_kind = _framework_choices(form)
    if request.method == "GET":
        form.consent_text.data = sessions.DEFAULT_CONSENT
        _fill_texts(form, session_texts.default_texts())
        fill_profile_questions(form, session_texts.default_profile())
    if form.validate_on_submit():
        try:
            session = sessions.create_session(current_user, _form_input(form))
        except (DomainError, ValueError) as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("facilitator.session_run", code=session.code))
    return _render_form(form, None, list_kind)


def _fill_texts(form: SessionForm, texts: dict[str, Any]) -> None:
    """Show the title and consent text in the other languages (GET)."""
    for lang in OTHER_LANGUAGES:
        given = texts.get(lang) or {}
        form[f"title_{lang}"].data = given.get("title", "")
        form[f"consent_text_{lang}"].data = given.get("consent", "")


def _edit_form(session: LiveSession) -> SessionForm:
    """The set-up form without the framework (never changes) and without the frozen fields."""
    form = SessionForm(obj=session if request.method == "GET" else None)
    del form.framework_id
    editable = sessions.editable_fields(session)
    for name, fields in FORM_FIELDS.items():
        if name not in editable:
            for f in fields:
                delattr(form, f)
    if request.method == "GET":
        # Languages written as names before the list existed ("Italian") show as their code.
        form.language.data = normalise(session.language) or session.language
        current = sessions.session_input(session)
        rule = current.rule
        iqr = rule.get("iqr_max")
        initial = {
            "criteria": current.criteria,
            "open_questions": current.open_questions,
            "pacing": current.pacing,
            "agree_pct": Decimal(str(round(rule.get("agree_pct", 0.75) * 100))),
            "iqr_max": Decimal(str(iqr)) if iqr is not None else None,
            "ninepoint_method": rule.get("ninepoint_method", "standard"),
            **_round_initial(current.round_settings),
        }
        for name, value in initial.items():
            if getattr(form, name) is not None:
                getattr(form, name).data = value
        if form.profile_questions is not None:
            fill_profile_questions(form, current.profile_questions)
        if getattr(form, f"title_{OTHER_LANGUAGES[0]}", None) is not None:
            _fill_texts(form, current.texts)
        if form.questions is not None:
            fill_questions(form.questions, current.questions)
        if form.custom_criteria is not None:
            fill_custom(form.custom_criteria, current.custom_criteria)
    return form


def _round_initial(stored: dict[str, Any]) -> dict[str, Any]:
    settings = RoundSettings.from_dict(stored)
    return {
        "round_feedback": list(settings.feedback),
        "reason_rule": settings.reason,
        "stop_consensus": settings.stop_consensus,
        "stop_stability": settings.stop_stability,
        "max_rounds": settings.max_rounds,
    }


@bp.route("/sessions/<code>/edit", methods=["GET", "POST"])
@login_required
def session_edit(code: str) -> Any:
    session = sessions.get_session_for(current_user, code)
    form = _edit_form(session)
    if form.validate_on_submit():
        editable = sessions.editable_fields(session)
        try:
            sessions.update_session(session, _form_input(form, sessions.session_input(session)))
        except (DomainError, ValueError) as exc:
            flash(str(exc), "error")
        else:
            # Connected phones, dashboards and the projector show the new set-up at once, texts
            # included: only a set-up edit changes them (docs/protocol.md, section 2).
            push_session(session, texts=True)
            if "questions" in editable:
                push_questions(session)
            flash(_("Session saved."))
            return redirect(url_for("facilitator.session_run", code=session.code))
    return _render_form(form, session, session.framework_version.framework.kind)


@bp.get("/sessions/<code>")
@login_required
def session_run(code: str) -> Any:
    session = sessions.get_session_for(current_user, code)
    return render_template(
        "facilitator/run.html",
        session=session,
        panels=prioritisation.dashboard_panels(session),
        state=in_language(session_payload(session), reader_language()),
        join_url=f"{join_base_url()}/j/{session.code}",
    )


@bp.get("/sessions/<code>/projector")
@login_required
def projector(code: str) -> Any:
    session = sessions.get_session_for(current_user, code)
    use_locale(session.language)  # the room reads the session's language, not the facilitator's
    return render_template(
        "facilitator/projector.html",
        session=session,
        language=normalise(session.language) or "",  # as SESSION's `language`: another reloads the page
        title=session_texts.title(session, reader_language()),
        join_url=f"{join_base_url()}/j/{session.code}",
    )


@bp.get("/sessions/<code>/results")
@login_required
def session_results(code: str) -> Any:
    session = sessions.get_session_for(current_user, code)
    by = request.args.get("by") or (session.profile_questions[0]["key"] if session.profile_questions else "")
    lang = reader_language()  # names, labels and prompts as the reader's language has them
    return render_template(
        "facilitator/results.html",
        session=session,
        items=results.item_results(session),
        state=in_language(session_payload(session), lang),
        figures=meeting_stats.meeting_figures(session),
        by=by,
        breakdown=meeting_stats.breakdown(session, by),
        profile=session_texts.profile(session.profile_questions, lang),
        list_tables=list_results.session_tables(session, lang),
    )


@bp.get("/sessions/<code>/compare")
@login_required
def session_compare(code: str) -> Any:
    """The same framework's sessions side by side, pooled, with a flag where meetings disagree."""
    session = sessions.get_session_for(current_user, code)
    mine = set(sessions.list_sessions(current_user))
    candidates = [s for s in meeting_stats.comparable_sessions(session) if s in mine]
    chosen_codes = request.args.getlist("code") or [s.code for s in candidates]
    chosen = [s for s in candidates if s.code in chosen_codes]
    list_tables, not_pooled = list_results.pooled_tables(chosen, reader_language())
    return render_template(
        "facilitator/compare.html",
        session=session,
        candidates=candidates,
        chosen=chosen,
        comparison=meeting_stats.compare(chosen, reader_language()),
        list_tables=list_tables,
        not_pooled=not_pooled,
    )


@bp.get("/sessions/<code>/qr.<fmt>")
@login_required
def qr_code(code: str, fmt: str) -> Response:
    """The join URL as a QR code, SVG for slides or PNG for handouts."""
    session = sessions.get_session_for(current_user, code)
    url = f"{join_base_url()}/j/{session.code}"
    buffer = io.BytesIO()
    if fmt == "svg":
        qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(buffer)
        mimetype = "image/svg+xml"
    elif fmt == "png":
        size = min(max(request.args.get("size", 12, type=int) or 12, 4), 40)
        qrcode.make(url, box_size=size, border=2).save(buffer, format="PNG")
        mimetype = "image/png"
    else:
        return Response("Use qr.svg or qr.png", status=404)
    disposition = "attachment" if request.args.get("download") else "inline"
    return Response(
        buffer.getvalue(),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'{disposition}; filename="join-{session.code}.{fmt}"',
            "Cache-Control": "no-cache",
        },
    )


def _purge_summary(erased: erasure.Erased) -> str:
    """erasure.describe in the reader's language (the command line and the audit log keep English)."""
    parts = [
        ngettext("%(num)s phone token(s)", "%(num)s phone token(s)", erased.tokens),
        ngettext("%(num)s profile(s)", "%(num)s profile(s)", erased.profiles),
        ngettext("%(num)s consent record(s)", "%(num)s consent record(s)", erased.consents),
        ngettext("%(num)s online state(s)", "%(num)s online state(s)", erased.online),
    ]
    if erased.participants:
        parts.insert(
            0,
            _(
                "%(participants)s with %(ratings)s, %(comments)s and %(answers)s",
                participants=ngettext(
                    "%(num)s participant(s)", "%(num)s participant(s)", erased.participants
                ),
                ratings=ngettext("%(num)s rating(s)", "%(num)s rating(s)", erased.ratings),
                comments=ngettext("%(num)s comment(s)", "%(num)s comment(s)", erased.comments),
                answers=ngettext("%(num)s list answer(s)", "%(num)s list answer(s)", erased.answers),
            ),
        )
    return ", ".join(parts)


def join_base_url() -> str:
    return join_base(current_app)


@bp.post("/sessions/<code>/purge")
@login_required
def session_purge(code: str) -> Any:
    """Unlink a closed session's answers from its participants now (GDPR), keeping the results."""
    session = sessions.get_session_for(current_user, code)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm the purge."), "error")
        return redirect(url_for("facilitator.session_results", code=session.code))
    erased = erasure.purge(session)  # DomainError (not closed): the blueprint's error page
    audit.record(current_user, "session_purged", session.code, "", erased.summary())
    flash(_("Purged: removed %(what)s. The results and decisions stay.", what=_purge_summary(erased)))
    return redirect(url_for("facilitator.session_results", code=session.code))
