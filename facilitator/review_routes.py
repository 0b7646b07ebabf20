"""Facilitator pages for reviews: open answers and suggested wordings (accept into the list)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain.errors import DomainError
from domain.item_lists import kind_of
from domain.open_questions import OPEN_QUESTIONS
from facilitator import bp
from services import open_answers, sessions


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
        flash(f"Accepted into version {version.number} of “{version.framework.name}”.")
    return redirect(
        url_for("facilitator.session_suggestions", code=session.code, _anchor=f"answer-{answer_id}")
    )
