"""Delphi feedback on phones: the group's result and one's own answers of the previous round."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from flask import current_app
from sqlalchemy import select, tuple_

from analysis import summarize
from domain.rounds import RoundSettings
from models import Answer, LiveSession, Rating, db, is_revised_here
from services.participation import CANT_JUDGE
from services.prioritisation import questions_of, round_results

# Reasons fed back per criterion: every phone receives them with each session broadcast.
REASONS_SHOWN = 12
# Sessions whose group feedback a process keeps (services/feedback.py, group_feedback).
KEPT_SESSIONS = 64
_keeping = threading.Lock()


def _previous_rounds(session: LiveSession) -> list[tuple[int, int]]:
    """(skill id, round before its open round) of the items in round 2 or later.

    A condition on ratings from the items in memory, not a join with session_items: with
    statistics that predate the session, PostgreSQL scanned that whole table once per rating, and
    found one phone's answers by reading the whole session's (bench/README.md, issue 16).
    """
    return [(item.skill_id, item.round - 1) for item in session.items if item.round >= 2]


def group_feedback(session: LiveSession) -> dict[int, dict[str, Any]]:
    """`summarize_rounds`, kept per session and revision: every phone's `sync` and every
    `session_updated` carry it, so a room of N phones reconnecting at once computed it N times
    from the whole session's ratings (bench/README.md, issue 16). Callers must not change it.

    What it reads changes only with the revision: the items' rounds, the criteria and the round
    settings bump it (models/session.py), and so do the changes of a closed round's ratings (a
    participant erased, a reason hidden or shown; a rating the writer stored for a round that
    moved on meanwhile, services/rating_writer.py). Nothing is kept under a revision this
    transaction raised and has not committed (or not yet flushed). Each process keeps its own:
    processes sharing PostgreSQL read the revision from the database, so none serves another's
    old figures.
    """
    kept = current_app.extensions.setdefault("sb_group_feedback", {})
    key, revision = (session.id, session.code), session.revision
    settled = isinstance(revision, int) and not is_revised_here(db.session(), session.id)
    hit = kept.get(key)
    if settled and hit is not None and hit[0] == revision:
        return hit[1]  # type: ignore[no-any-return]
    feedback = summarize_rounds(session)
    if settled:
        with _keeping:
            kept.pop(key, None)
            kept[key] = (revision, feedback)
            while len(kept) > KEPT_SESSIONS:  # the longest unchanged goes first
                del kept[next(iter(kept))]
    return feedback


def summarize_rounds(session: LiveSession) -> dict[int, dict[str, Any]]:
    """Skill id -> the group's result of the round before the open one, per criterion.

    Only items in round 2 or later have one. Each criterion gives n, n_abstain and, as the
    session chooses to show them (RoundSettings.feedback), counts per scale point (lowest
    first), median, q1 and q3 as analysis.summarize computes them; and `reasons`, the reasons
    people gave with their answers in that round (the Delphi feedback of arguments, without
    who gave them), when there are any.
    """
    shown = RoundSettings.from_dict(session.round_settings).feedback
    previous = _previous_rounds(session)
    if not previous:
        return {}
    values: dict[tuple[int, int], list[int | None]] = defaultdict(list)
    reasons: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for skill_id, criterion_id, value, reason, hidden in db.session.execute(
        select(Rating.skill_id, Rating.criterion_id, Rating.value, Rating.reason, Rating.reason_hidden).where(
            Rating.session_id == session.id, tuple_(Rating.skill_id, Rating.round).in_(previous)
        )
    ):
        values[(skill_id, criterion_id)].append(value)
        if reason and not hidden:  # a reason the facilitator hid is not fed back
            reasons[(skill_id, criterion_id)].append(
                {"value": CANT_JUDGE if value is None else value, "text": reason}
            )
    feedback = {}
    for item in session.items:
        if item.round < 2:
            continue
        criteria = {}
        for c in session.criteria:
            s = summarize(
                values.get((item.skill_id, c.id), []),
                scale_min=c.scale_min,
                scale_max=c.scale_max,
                measure=c.measure,
            )
            figures: dict[str, Any] = {"n": s.n, "n_abstain": s.n_abstain}
            if "distribution" in shown:
                figures["counts"] = list(s.counts)
            if "median" in shown:
                figures["median"] = s.median
            if "iqr" in shown:
                figures["q1"], figures["q3"] = s.q1, s.q3
            given = reasons.get((item.skill_id, c.id))
            if given:
                figures["reasons"] = _anonymised(given)
            criteria[str(c.id)] = figures
        feedback[item.skill_id] = {"round": item.round - 1, "criteria": criteria}
    return feedback


def _anonymised(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reasons as the panel reads them: no pseudonym, ordered by answer then text (not by who or
    when), at most REASONS_SHOWN of them, spread over the range of answers."""
    ordered = sorted(reasons, key=lambda r: (r["value"] == CANT_JUDGE, str(r["value"]).zfill(3), r["text"]))
    if len(ordered) <= REASONS_SHOWN:
        return ordered
    step = len(ordered) / REASONS_SHOWN
    return [ordered[int(i * step)] for i in range(REASONS_SHOWN)]


def own_previous(participant_id: int, session: LiveSession) -> dict[int, dict[str, Any]]:
    """Skill id -> {criterion id: the participant's answer in the previous round} (round >= 2 only)."""
    previous: dict[int, dict[str, Any]] = {item.skill_id: {} for item in session.items if item.round >= 2}
    if not previous:
        return {}
    rows = db.session.execute(  # by participant only: the session's index would read everyone's
        select(Rating.skill_id, Rating.criterion_id, Rating.value).where(
            Rating.participant_id == participant_id,
            tuple_(Rating.skill_id, Rating.round).in_(_previous_rounds(session)),
        )
    )
    for skill_id, criterion_id, value in rows:
        previous[skill_id][str(criterion_id)] = CANT_JUDGE if value is None else value
    return previous


def list_feedback(participant_id: int, session_id: int) -> dict[str, dict[str, Any]]:
    """Question id -> the round before its current one: the group's result and one's own answer.

    Only list questions in round 2 or later have one; `mine` is None when the person gave no
    answer then. The group's part is the kind's summary, as the dashboard shows it.
    """
    shown = [q for q in questions_of(session_id) if q.round >= 2]
    if not shown:
        return {}
    rows = db.session.execute(  # no join with questions: see _previous_rounds
        select(Answer.question_id, Answer.value).where(
            Answer.participant_id == participant_id,
            tuple_(Answer.question_id, Answer.round).in_([(q.id, q.round - 1) for q in shown]),
        )
    )
    mine = {question_id: value for question_id, value in rows}
    return {
        str(q.id): {"round": q.round - 1, "mine": mine.get(q.id), "group": round_results(q, q.round - 1)}
        for q in shown
    }
