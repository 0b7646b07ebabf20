"""Live results: the current round's answers per skill and criterion, summarised.

The one definition of rounds (docs/methodology.md, "Rounds"): an item's *open round* is the
round phones answer (SessionItem.round; a re-vote adds one). Its *current round*, the one
every figure uses (dashboard, projector, results page, comparison, pooled figures, every
sheet of the workbook), is the latest round of the item with at least one answer on any
criterion, or the open round while the item has no answer at all. So a re-vote that
has no answers yet changes no figure; once its first answer arrives, it supersedes the
earlier round. `round_of_items` is the only place that decides it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_

from analysis import ConsensusRule, disagreement_score, suggest_action, summarize
from analysis.text import as_data
from domain.rounds import RoundSettings, stopping_reasons
from models import (
    Answer,
    Comment,
    CommentState,
    LiveSession,
    Participant,
    Question,
    Rating,
    SessionItem,
    db,
)
from services.live_tally import SessionTally
from services.movement import is_stable, item_movement

REACHED = ("consensus", "consensus_against")


def participant_count(session_id: int, tally: SessionTally | None = None) -> int:
    """How many joined; with the session's running `tally` (services/live_tally.py), its list of people."""
    if tally is not None:
        return len(tally.people)
    return (
        db.session.scalar(select(func.count(Participant.id)).where(Participant.session_id == session_id)) or 0
    )


def presence(session_id: int) -> dict[str, int]:
    """How many joined, and how many have a connection open right now."""
    joined, connected = db.session.execute(
        select(func.count(Participant.id), func.count(Participant.id).filter(Participant.online)).where(
            Participant.session_id == session_id
        )
    ).one()
    return {"participants": joined, "connected": connected}


def round_of_items(session: LiveSession, skill_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Skill id -> current round (see the module docstring), for the session's items (or those given).

    Two plain queries, combined here: the latest round with an answer per skill, then the items'
    open rounds. Joined in SQL (ratings to an aggregate over ratings), PostgreSQL without
    statistics for a new session (a new database, or statistics older than the session) planned
    a nested loop re-running the aggregate once per rating: 1.4 s instead of 2 ms for 2,916
    ratings, at every dashboard push of a multi-process deployment (bench/README.md). Each of
    these reads the session's ratings once, whatever the plan.
    """
    chosen = None if skill_ids is None else set(skill_ids)
    answered_query = select(Rating.skill_id, func.max(Rating.round)).where(Rating.session_id == session.id)
    items_query = select(SessionItem.skill_id, SessionItem.round).where(SessionItem.session_id == session.id)
    if chosen is not None:
        answered_query = answered_query.where(Rating.skill_id.in_(chosen))
        items_query = items_query.where(SessionItem.skill_id.in_(chosen))
    answered: dict[int, int] = dict(db.session.execute(answered_query.group_by(Rating.skill_id)).all())
    items = db.session.execute(items_query)
    return {skill_id: answered.get(skill_id, open_round) for skill_id, open_round in items}


def in_open_round(session: LiveSession) -> ColumnElement[bool]:
    """Condition on ratings of `session`: the rating answers its item's open round, the round phones
    are asked now (completion only). From the items in memory, not a join with session_items: with
    statistics that predate the session, PostgreSQL scanned that whole table once per rating
    (bench/README.md, issue 16)."""
    return tuple_(Rating.skill_id, Rating.round).in_([(i.skill_id, i.round) for i in session.items])


def _values(
    session: LiveSession,
    skill_ids: Iterable[int],
    tally: SessionTally | None = None,
    rounds: dict[int, int] | None = None,
) -> dict[tuple[int, int], list[int | None]]:
    values: dict[tuple[int, int], list[int | None]] = defaultdict(list)
    if tally is not None:
        criterion_ids = [c.id for c in session.criteria]
        for skill_id in skill_ids:
            for criterion_id in criterion_ids:
                values[(skill_id, criterion_id)] = tally.values(skill_id, criterion_id)
        return values
    # Counted per value in SQL: a summary needs only how many gave each value (it sorts them), so
    # a skill's thousand answers are a few rows instead of a thousand. Several processes (no tally)
    # recompute every push this way. Every round's counts are read and the current one's kept here
    # (a join to the rounds in SQL could be planned quadratic: round_of_items).
    wanted = set(skill_ids)
    current = round_of_items(session, wanted) if rounds is None else rounds
    rows = db.session.execute(
        select(Rating.skill_id, Rating.criterion_id, Rating.round, Rating.value, func.count())
        .where(Rating.session_id == session.id, Rating.skill_id.in_(wanted))
        .group_by(Rating.skill_id, Rating.criterion_id, Rating.round, Rating.value)
    )
    for skill_id, criterion_id, round_, value, count in rows:
        if current.get(skill_id) == round_:
            values[(skill_id, criterion_id)].extend([value] * count)
    return values


def item_results(
    session: LiveSession,
    skill_ids: Iterable[int] | None = None,
    tally: SessionTally | None = None,
    joined: int | None = None,
) -> list[dict[str, Any]]:
    """One entry per skill: per-criterion summaries, the suggested action and a sort key.

    From round 2 on, `movement` (services.movement) and, with a stopping rule, `stop`. With the
    session's running `tally` (services/live_tally.py) the answers come from memory, not the
    database; the figures are the same.
    """
    chosen = None if skill_ids is None else set(skill_ids)
    items = [i for i in session.items if chosen is None or i.skill_id in chosen]
    criteria = [(c.id, str(c.id), c.scale_min, c.scale_max, c.measure) for c in session.criteria]
    if tally is not None:
        rounds = {i.skill_id: tally.current_round(i.skill_id) for i in items}
    else:
        rounds = round_of_items(session, [i.skill_id for i in items])
    values = _values(session, [i.skill_id for i in items], tally, rounds)
    rule = ConsensusRule.from_dict(session.rule or {})
    settings = RoundSettings.from_dict(session.round_settings)
    joined = participant_count(session.id) if joined is None else joined
    movement = item_movement(session, [i.skill_id for i in items])
    results = []
    for item in items:
        summaries = {}
        per_criterion = {}
        for criterion_id, key, scale_min, scale_max, measure in criteria:
            given = values.get((item.skill_id, criterion_id), [])
            s = summarize(
                sorted(given, key=_answer_order),  # one order, one float sum
                scale_min=scale_min,
                scale_max=scale_max,
                measure=measure,
                rule=rule,
            )
            summaries[measure] = s
            per_criterion[key] = {
                **s.to_dict(),
                "not_answered": max(joined - s.n - s.n_abstain, 0),
                # the same texts for the dashboard's script to translate (analysis.text)
                "texts": {"consensus_detail": as_data(s.consensus_detail), "k_band": as_data(s.k_band)},
            }
        action = suggest_action(summaries)
        current = rounds.get(item.skill_id, item.round)
        moved = movement.get(item.skill_id)
        reached = bool(summaries) and all(s.consensus in REACHED for s in summaries.values())
        # Rounds held: those with answers. An item nobody answered has held none, whatever its open round.
        held = current if any(s.n + s.n_abstain for s in summaries.values()) else 0
        met = stopping_reasons(settings, reached, is_stable(moved), held)
        results.append(
            {
                "skill_id": item.skill_id,
                "round": current,
                "open_round": item.round,
                "movement": moved,
                "stop": {"met": bool(met), "because": met} if settings.has_stopping_rule else None,
                "criteria": per_criterion,
                "suggested_action": action.action,
                "action_label": action.label,
                "action_reasons": list(action.reasons),
                "action_reasons_i18n": [as_data(r) for r in action.reasons],
                "disagreement": max((disagreement_score(s) for s in summaries.values()), default=0.0),
            }
        )
    return results


def comments(session: LiveSession, include_hidden: bool = True) -> list[dict[str, Any]]:
    query = (
        select(Comment, Participant.number)
        .join(Participant, Comment.participant_id == Participant.id)
        .where(Comment.session_id == session.id)
        .order_by(Comment.created_at)
    )
    out = []
    for comment, number in db.session.execute(query):
        if comment.state is CommentState.HIDDEN and not include_hidden:
            continue
        out.append(comment_payload(comment, number))
    return out


def comment_payload(comment: Comment, number: int) -> dict[str, Any]:
    return {
        "id": comment.id,
        "skill_id": comment.skill_id,
        "participant": f"P{number:02d}",
        "text": comment.text,
        "state": comment.state.value,
        "created_at": comment.created_at.isoformat(),
        "updated_at": comment.updated_at.isoformat(),
    }


def _answer_order(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


def _list_answers(session_id: int) -> tuple[int, dict[int, int]]:
    """How many list questions the session asks, and per participant how many of them they
    answered in the question's current round (nothing is read for a session without any)."""
    rounds = db.session.execute(select(Question.id, Question.round).where(Question.session_id == session_id))
    current = [(question_id, round_) for question_id, round_ in rounds]
    if not current:
        return 0, {}
    answered = db.session.execute(  # no join with questions: see in_open_round
        select(Answer.participant_id, func.count())
        .where(Answer.session_id == session_id, tuple_(Answer.question_id, Answer.round).in_(current))
        .group_by(Answer.participant_id)
    )
    return len(current), {pid: n for pid, n in answered.all()}


def completion(session: LiveSession, tally: SessionTally | None = None) -> dict[str, Any]:
    """Per participant: how many answers of the open rounds they gave, of `total`: each (skill,
    criterion) rating and each list question (pick, rank, points)."""
    if tally is not None:
        done: dict[int, int] = tally.done
    else:
        done = dict(
            db.session.execute(
                select(Rating.participant_id, func.count())
                .where(Rating.session_id == session.id, in_open_round(session))
                .group_by(Rating.participant_id)
            ).all()
        )
    questions, listed = _list_answers(session.id)
    if listed:
        done = {pid: done.get(pid, 0) + listed.get(pid, 0) for pid in done.keys() | listed.keys()}
    total = len(session.items) * len(session.criteria) + questions
    if tally is not None:
        return {
            "total": total,
            "participants": [
                {"participant": label, "answered": done.get(pid, 0), "online": online}
                for pid, label, online in tally.people
            ],
        }
    people = db.session.execute(
        select(Participant.id, Participant.number, Participant.online)
        .where(Participant.session_id == session.id)
        .order_by(Participant.number)
    )
    return {
        "total": total,
        "participants": [
            {"participant": f"P{number:02d}", "answered": done.get(pid, 0), "online": online}
            for pid, number, online in people
        ],
    }
