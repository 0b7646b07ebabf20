"""The right of access: everything the database holds about one participant, for their phone."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from core.i18n import skill_texts
from domain.kinds import get_kind
from models import (
    Answer,
    Comment,
    Criterion,
    LiveSession,
    Participant,
    Question,
    Rating,
    SessionItem,
    Skill,
    db,
)
from services.participation import CANT_JUDGE
from services.payloads import criterion_i18n

STORED_ABOUT_YOU = (
    "Your pseudonym, when you joined and consented, your profile answers, your answers and "
    "comments, and a fingerprint (SHA-256) of the secret that your phone keeps. Not your name, "
    "not your address, not your phone's network address."
)


def personal_data(participant: Participant) -> dict[str, Any]:
    """The participant's own record: who they are here, and every answer and comment they gave."""
    session = db.session.get(LiveSession, participant.session_id)
    assert session is not None
    ratings = db.session.execute(
        select(Skill.code, Skill.name, Criterion.label, Rating.round, Rating.value, Rating.last_at)
        .join(Skill, Rating.skill_id == Skill.id)
        .join(Criterion, Rating.criterion_id == Criterion.id)
        .where(Rating.participant_id == participant.id)
        .order_by(Skill.position, Criterion.position, Rating.round)
    )
    comments = db.session.execute(
        select(Skill.code, Skill.name, Comment.text, Comment.updated_at)
        .join(Skill, Comment.skill_id == Skill.id)
        .where(Comment.participant_id == participant.id)
        .order_by(Skill.position)
    )
    answers = db.session.execute(
        select(Question.position, Question.kind, Question.prompt, Answer.round, Answer.value, Answer.last_at)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.participant_id == participant.id)
        .order_by(Question.position, Answer.round)
    )
    return {
        "session": {"code": session.code, "title": session.title, "state": session.state.value},
        "participant": participant.pseudonym,
        "joined_at": participant.joined_at.isoformat(),
        "consent_at": participant.consent_at.isoformat() if participant.consent_at else None,
        "profile": dict(participant.profile or {}),
        "ratings": [
            {
                "skill": code,
                "skill_name": name,
                "criterion": criterion,
                "round": round_,
                "value": CANT_JUDGE if value is None else value,
                "at": at.isoformat(),
            }
            for code, name, criterion, round_, value, at in ratings
        ],
        "comments": [
            {"skill": code, "skill_name": name, "text": text, "at": at.isoformat()}
            for code, name, text, at in comments
        ],
        "list_answers": [
            {
                "question": position + 1,
                "kind": kind,
                "prompt": prompt,
                "round": round_,
                "value": value,
                "at": at.isoformat(),
            }
            for position, kind, prompt, round_, value, at in answers
        ],
        "stored_about_you": STORED_ABOUT_YOU,
    }


def shown_names(session_id: int, lang: str) -> tuple[dict[int, str], dict[str, str], dict[str, str]]:
    """Skill names by skill id and by code, and criterion labels by label, as a phone in `lang`
    shows them (the framework's translation, the catalog's for a preset criterion)."""
    skills = db.session.scalars(
        select(Skill)
        .join(SessionItem, SessionItem.skill_id == Skill.id)
        .where(SessionItem.session_id == session_id)
    )
    shown = [(s.id, s.code, skill_texts(s.extra).get(lang, {}).get("name") or s.name) for s in skills]
    criteria = db.session.scalars(select(Criterion).where(Criterion.session_id == session_id))
    labels = {c.label: criterion_i18n(c).get(lang, {}).get("label") or c.label for c in criteria}
    return {i: name for i, _, name in shown}, {code: name for _, code, name in shown}, labels


def answer_words(kind: str, value: Mapping[str, Any], names: Mapping[int, str]) -> str:
    """A list answer as people read it: the skills in the answer's order, each with its points."""
    parts = get_kind(kind).parts(value)
    return ", ".join(names.get(i, str(i)) + ("" if n is None else f": {n}") for i, n in parts)


def personal_csv(data: dict[str, Any]) -> str:
    """The same record as one CSV table: one row per answer or comment."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["session", "participant", "kind", "item", "criterion or question", "round", "value", "at"]
    )
    lead = [data["session"]["code"], data["participant"]]
    for key, value in data["profile"].items():
        writer.writerow([*lead, "profile", "", key, "", value, data["joined_at"]])
    if data["consent_at"]:
        writer.writerow([*lead, "consent", "", "", "", "given", data["consent_at"]])
    for r in data["ratings"]:
        writer.writerow([*lead, "rating", r["skill"], r["criterion"], r["round"], r["value"], r["at"]])
    for c in data["comments"]:
        writer.writerow([*lead, "comment", c["skill"], "", "", _cell(c["text"]), c["at"]])
    for a in data["list_answers"]:
        writer.writerow([*lead, "list answer", "", a["prompt"], a["round"], _cell(str(a["value"])), a["at"]])
    return out.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
