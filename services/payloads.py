"""Plain-dict views of sessions and items for Socket.IO and JSON (never ORM objects)."""

from __future__ import annotations

from typing import Any

from core.i18n import SOURCE, criterion_texts, normalise, skill_texts
from domain.item_lists import kind_of, paragraphs
from domain.open_questions import OPEN_QUESTIONS
from domain.rounds import RoundSettings
from models import Criterion, ItemStatus, LiveSession, SessionItem
from services import session_texts
from services.feedback import group_feedback


def criterion_i18n(c: Criterion) -> dict[str, dict[str, Any]]:
    """A criterion's texts per language: a preset's from the catalogs, a session's own as the
    session form gave them (those win where both exist)."""
    out = criterion_texts(c.key, c.label, c.question, list(c.anchors))
    for lang, given in (c.texts or {}).items():
        out.setdefault(lang, {}).update(given)
    return out


def criterion_payload(c: Criterion, texts: bool = True) -> dict[str, Any]:
    payload = {
        "id": c.id,
        "key": c.key,
        "label": c.label,
        "question": c.question,
        "measure": c.measure,
        "scale_min": c.scale_min,
        "scale_max": c.scale_max,
        "anchors": list(c.anchors),
        "cant_judge": c.cant_judge or None,  # None: the phone's catalog says "Can't judge"
    }
    if texts:  # every shipped language: each phone shows its own (SB.localise)
        payload["i18n"] = criterion_i18n(c)
    return payload


def item_payload(
    item: SessionItem, feedback: dict[str, Any] | None = None, texts: bool = True
) -> dict[str, Any]:
    """One item; from round 2 on, `feedback` is the group's result of the previous round."""
    s = item.skill
    payload = {
        "skill_id": s.id,
        "code": s.code,
        "name": s.name,
        "definition": s.definition,
        "paragraphs": paragraphs(s.body),  # a guide section's text
        "cluster": s.cluster,
        "position": s.position,
        "status": item.status.value,
        "revealed": item.revealed,
        "round": item.round,
        # a late answer may have locked the item before its timer told the room: no countdown then
        "locks_at": item.locks_at.isoformat() if item.locks_at and item.status is ItemStatus.OPEN else None,
        "feedback": feedback,
    }
    if texts:  # the framework's translations: {"pl": {"name", "definition", "paragraphs"}}
        payload["i18n"] = {lang: _with_paragraphs(t) for lang, t in skill_texts(s.extra).items()}
    return payload


def _with_paragraphs(texts: dict[str, str]) -> dict[str, Any]:
    """An item's texts in one language, a guide section's body split as `paragraphs` (as its own)."""
    out: dict[str, Any] = {k: v for k, v in texts.items() if k != "body"}
    if texts.get("body"):
        out["paragraphs"] = paragraphs(texts["body"])
    return out


def session_payload(session: LiveSession, texts: bool = True) -> dict[str, Any]:
    """`texts`: with every language's texts (`i18n`), as a `sync` answer has them; broadcasts
    leave them out (only a set-up edit changes them, and a room of 300 would receive them with
    every change): clients keep them from their last `sync` or set-up edit."""
    revision = session.revision  # read before the rest: what follows is at least this new
    items = sorted(session.items, key=lambda i: i.skill.position)
    feedback = group_feedback(session)
    settings = RoundSettings.from_dict(session.round_settings)
    kind = kind_of(session.framework_version.framework.kind)
    payload: dict[str, Any] = {
        "code": session.code,
        "revision": revision,
        "title": session.title,
        "state": session.state.value,
        "pacing": session.pacing.value,
        # The session's language (a shipped code, or "" when none or another), for phones whose
        # own language a skill lacks, and for the projector.
        "language": normalise(session.language) or "",
        "second_language": normalise(session.second_language) or "",
        "current_skill_id": session.current_skill_id,
        "list": {"kind": kind.key, "noun": kind.noun, "plural": kind.plural},
        "open_questions": [
            {"key": k, "label": OPEN_QUESTIONS[k].label}
            for k in session.open_questions or []
            if k in OPEN_QUESTIONS
        ],
        "criteria": [criterion_payload(c, texts) for c in session.criteria],
        "rounds": {"feedback": list(settings.feedback), "reason": settings.reason},
        "items": [item_payload(i, feedback.get(i.skill_id), texts) for i in items],
        "capacity": session.capacity,
        "removed_participants": session.removed_participants,
        "withdrawn_participants": session.withdrawn_participants,
        "left_out": left_out(session),
        "profile_questions": profile_payload(session),
    }
    if texts:  # the title as each other language's phone shows it (the session form's translation)
        payload["i18n"] = {
            lang: {"title": shown}
            for lang in session_texts.OTHER_LANGUAGES
            if (shown := session_texts.title(session, lang)) != session.title
        }
    return payload


def in_language(payload: dict[str, Any], lang: str) -> dict[str, Any]:
    """A session payload built with its texts, as a facilitator's page in `lang` shows it: each
    skill, criterion and the title (`shown_title`) from the payload's own `i18n` where it has
    `lang`, else as stored (the framework's own text). What SB.localise (static/js/common.js)
    does on the live pages with `{fallback: false}`, for the pages rendered here."""
    out = {
        **payload,
        "shown_title": (payload.get("i18n") or {}).get(lang, {}).get("title") or payload["title"],
    }
    out["items"] = [item_in_language(i, lang) for i in payload["items"]]
    out["criteria"] = [{**c, **_criterion_texts_in(c, lang)} for c in payload["criteria"]]
    return out


def item_in_language(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """One item of a payload (with its `i18n`) as a page in `lang` shows it, else as stored."""
    texts = (item.get("i18n") or {}).get(lang) or {}
    out = {**item, "shown_language": lang if texts.get("name") else SOURCE}
    if texts.get("name"):
        out.update({k: texts[k] for k in ("name", "definition", "paragraphs") if texts.get(k)})
    if texts.get("cluster"):  # a cluster's name follows the reader's language, as on the phones
        out["cluster"] = texts["cluster"]
    return out


def _criterion_texts_in(criterion: dict[str, Any], lang: str) -> dict[str, Any]:
    texts = (criterion.get("i18n") or {}).get(lang) or {}
    return {k: texts[k] for k in ("label", "question", "anchors") if texts.get(k)}


def left_out(session: LiveSession) -> str:
    """Who is left out of every figure, said plainly ("" when nobody): e.g. "1 participant removed"."""
    parts = []
    if session.removed_participants:
        n = session.removed_participants
        parts.append(f"{n} participant{'s' if n != 1 else ''} removed by the facilitator")
    if session.withdrawn_participants:
        n = session.withdrawn_participants
        parts.append(f"{n} participant{'s' if n != 1 else ''} withdrew their answers")
    if not parts:
        return ""
    return " and ".join(parts) + ": not counted in any figure."


def profile_payload(session: LiveSession) -> list[dict[str, Any]]:
    """The profile questions asked on joining: `key` and one of `options` go into the join's
    `profile`; `i18n` has label and options as shown in each other language, option by option
    (the answer is still the option of `options`, whatever the language shown)."""
    return [
        {
            "key": q["key"],
            "label": q.get("label", q["key"]),
            "options": list(q.get("options", [])),
            "i18n": session_texts.profile_i18n(q),
        }
        for q in session.profile_questions
    ]


def progress_payload(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many answered each criterion (a rating or "can't judge"): all the room sees before a reveal.

    Counts are of the open round: while a re-vote has no answers yet, the results still show
    the earlier (current) round, but nobody has answered the open one.
    """
    return [
        {
            "skill_id": r["skill_id"],
            "round": r.get("open_round", r["round"]),
            "answered": {
                cid: (s["n"] + s["n_abstain"]) if r.get("open_round", r["round"]) == r["round"] else 0
                for cid, s in r["criteria"].items()
            },
        }
        for r in items
    ]


def finished_count(completion: dict[str, Any]) -> int:
    """How many gave every answer of the open rounds: all of `completion` a self-paced room sees."""
    total = completion["total"]
    return sum(1 for p in completion["participants"] if total and p["answered"] >= total)
